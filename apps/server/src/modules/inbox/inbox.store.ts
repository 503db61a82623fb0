/**
 * The inbox's reads: the conversation list (filters, search, keyset pages) and a conversation's history with
 * delivery statuses. One page of the list is chosen first from `conversations` alone (indexes
 * conversations_activity_idx, _queue_idx, _assignee_idx), and only its rows are enriched with the last message and
 * the unread count (messages_conversation_seq_idx) — so a page costs the same with 10 or 100,000 conversations.
 */
import type { ConversationState, HistoryMessage, InboxView } from '@parley/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';
import { isRestrictedSql } from '../privacy/index.js';

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ListFilter {
  workspaceId: string;
  view: InboxView;
  /** The caller, for `mine`. */
  userId: string | undefined;
  queue?: string;
  /** A channel id or a channel kind. */
  channel?: string;
  q?: string;
  sort: 'recent' | 'waiting';
  /** Where the previous page ended (`ConversationRow.sortKey`, id). */
  after?: { key: string; id: string };
  limit: number;
  /** Only these conversations (one row after a transition, the head of an opened conversation). */
  ids?: string[];
  /** Leave out restricted contacts (GDPR-20: hidden from agents, inbox.policy.ts). */
  hideRestricted: boolean;
}

/** A conversation as the list shows it, before the service adds waiting times. */
export interface ConversationRow {
  id: string;
  state: ConversationState;
  queue: string | null;
  contactId: string;
  contactName: string | null;
  address: string;
  language: string | null;
  channelId: string;
  channelKind: string;
  channelName: string;
  assigneeId: string | null;
  assigneeName: string | null;
  queuedAt: string | null;
  assignedAt: string | null;
  resolvedAt: string | null;
  lastInboundAt: string | null;
  lastActivityAt: string;
  /** The sort key as text (a timestamp, or `infinity`), for the next page's cursor. */
  sortKey: string;
  lastSeq: number | null;
  lastDirection: 'in' | 'out' | null;
  lastType: string | null;
  lastContent: Record<string, unknown> | null;
  lastStatus: string | null;
  lastAt: string | null;
  unreadCount: number;
  /** The contact is restricted (Art. 18); only admins get such rows. */
  restricted: boolean;
}

/** One page of conversations (limit + 1 rows: one more says a next page exists). */
export async function listConversationRows(ex: Executor, f: ListFilter): Promise<ConversationRow[]> {
  const recent = f.sort === 'recent';
  // `recent`: newest activity first; `waiting`: the longest waiting in a queue first, conversations not waiting last.
  const key = recent ? sql`coalesce(c.last_message_at, c.created_at)` : sql`(case when c.state = 'queued' then c.queued_at else 'infinity'::timestamptz end)`;
  const direction = recent ? sql`desc` : sql`asc`;
  const where: SQL[] = [sql`c.workspace_id = ${f.workspaceId}`, ...viewFilter(f)];
  if (f.queue !== undefined) {
    where.push(sql`c.queue = ${f.queue}`);
  }
  if (f.channel !== undefined) {
    where.push(UUID.test(f.channel) ? sql`c.channel_id = ${f.channel}::uuid` : sql`c.channel_id in (select id from channels where workspace_id = ${f.workspaceId} and kind = ${f.channel})`);
  }
  if (f.q !== undefined) {
    where.push(searchFilter(f.workspaceId, f.q));
  }
  if (f.ids !== undefined) {
    where.push(sql`c.id = any(${toPgArray(f.ids)}::uuid[])`);
  }
  if (f.hideRestricted) {
    where.push(sql`not ${isRestrictedSql(f.workspaceId, sql`c.contact_id`)}`);
  }
  if (f.after) {
    where.push(recent ? sql`(${key}, c.id) < (${f.after.key}::timestamptz, ${f.after.id}::uuid)` : sql`(${key}, c.id) > (${f.after.key}::timestamptz, ${f.after.id}::uuid)`);
  }
  return query<ConversationRow>(
    ex,
    sql`with page as (
          select c.id, c.channel_id, c.contact_id, c.address, c.state, c.queue, c.assigned_user_id, c.queued_at, c.assigned_at, c.resolved_at,
                 c.last_inbound_at, coalesce(c.last_message_at, c.created_at) as activity, c.agent_read_seq, ${key} as sort_key
          from conversations c
          where ${sql.join(where, sql` and `)}
          order by ${key} ${direction}, c.id ${direction}
          limit ${f.limit + 1})
        select p.id, p.state, p.queue, p.contact_id as "contactId", ct.display_name as "contactName", p.address, ct.language,
               p.channel_id as "channelId", ch.kind as "channelKind", ch.name as "channelName",
               p.assigned_user_id as "assigneeId", u.name as "assigneeName",
               ${iso(sql`p.queued_at`)} as "queuedAt", ${iso(sql`p.assigned_at`)} as "assignedAt", ${iso(sql`p.resolved_at`)} as "resolvedAt",
               ${iso(sql`p.last_inbound_at`)} as "lastInboundAt", ${iso(sql`p.activity`)} as "lastActivityAt", case when p.sort_key = 'infinity' then 'infinity' else to_char(p.sort_key at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end as "sortKey",
               lm.seq::float8 as "lastSeq", lm.direction as "lastDirection", lm.type as "lastType", lm.content as "lastContent", lm.status as "lastStatus",
               ${iso(sql`lm.created_at`)} as "lastAt",
               (select count(*) from messages m where m.conversation_id = p.id and m.seq > coalesce(p.agent_read_seq, 0) and m.direction = 'in')::int as "unreadCount",
               ${isRestrictedSql(f.workspaceId, sql`p.contact_id`)} as restricted
        from page p
        join channels ch on ch.id = p.channel_id
        join contacts ct on ct.id = p.contact_id
        left join users u on u.id = p.assigned_user_id
        left join lateral (
          select m.seq, m.direction, m.type, m.content, m.status, m.created_at from messages m
          where m.conversation_id = p.id and m.direction in ('in', 'out') order by m.seq desc limit 1) lm on true
        order by p.sort_key ${direction}, p.id ${direction}`,
  );
}

function viewFilter(f: ListFilter): SQL[] {
  switch (f.view) {
    case 'mine':
      // Without a user (the admin token) nothing is "mine".
      return f.userId ? [sql`c.state = 'agent'`, sql`c.assigned_user_id = ${f.userId}::uuid`] : [sql`false`];
    case 'unassigned':
      return [sql`c.state = 'queued'`];
    case 'queue':
      return [sql`c.state in ('queued', 'agent')`];
    case 'resolved':
      return [sql`c.state = 'resolved'`];
    case 'all':
      return [];
    default: {
      const never: never = f.view;
      throw new Error(`unknown view ${String(never)}`);
    }
  }
}

/** A contact's name, a phone number in any formatting (3+ digits), or words of a message — case-insensitive. */
function searchFilter(workspaceId: string, q: string): SQL {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const digits = q.replace(/\D/g, '');
  const byAddress = digits.length >= 3 ? sql`or c.address like ${`%${digits}%`}` : sql``;
  return sql`(
    c.contact_id in (select ct.id from contacts ct where ct.workspace_id = ${workspaceId} and ct.display_name ilike ${pattern})
    or c.contact_id in (select i.contact_id from contact_identities i where i.workspace_id = ${workspaceId} and i.profile_name ilike ${pattern})
    ${byAddress}
    or c.id in (select m.conversation_id from messages m where m.workspace_id = ${workspaceId} and m.direction in ('in', 'out')
                and coalesce(m.content->>'text', m.content->>'body', m.content->>'title', m.content->>'caption') ilike ${pattern}))`;
}

/** Whether the conversation exists in the workspace, and whether its contact is restricted now. */
export async function findVisibility(ex: Executor, workspaceId: string, conversationId: string): Promise<{ restricted: boolean } | undefined> {
  const [row] = await query<{ restricted: boolean }>(
    ex,
    sql`select ${isRestrictedSql(workspaceId, sql`c.contact_id`)} as restricted from conversations c where c.id = ${conversationId} and c.workspace_id = ${workspaceId}`,
  );
  return row;
}

/** A received media message of the conversation: the provider's media id, the channel it came on, its file name. */
export async function findInboundMedia(ex: Executor, workspaceId: string, conversationId: string, messageId: string): Promise<{ mediaId: string; channelId: string; filename: string | undefined } | undefined> {
  const [row] = await query<{ mediaId: string | null; channelId: string; filename: string | null }>(
    ex,
    sql`select m.content->>'mediaId' as "mediaId", c.channel_id as "channelId", m.content->>'filename' as filename
        from messages m join conversations c on c.id = m.conversation_id
        where m.id = ${messageId} and m.conversation_id = ${conversationId} and m.workspace_id = ${workspaceId}
          and m.direction = 'in' and m.content->>'type' = 'media'`,
  );
  return row?.mediaId ? { mediaId: row.mediaId, channelId: row.channelId, filename: row.filename ?? undefined } : undefined;
}

/** A history row as read: the contracts' HistoryMessage before its delivery statuses are attached. */
export type MessageRow = Omit<HistoryMessage, 'statuses' | 'templateText'>;

export async function listHistoryRows(ex: Executor, workspaceId: string, conversationId: string, opts: { before?: number; limit: number }): Promise<MessageRow[]> {
  const before = opts.before === undefined ? sql`` : sql`and seq < ${opts.before}`;
  return query<MessageRow>(
    ex,
    sql`select id, seq::float8 as seq, direction, type, content, status, gate_reason as "gateReason", error_code as "errorCode", error_reason as "errorReason",
               purpose, case when author_kind is null then null else jsonb_build_object('kind', author_kind, 'userId', author_user_id) end as author,
               ${iso(sql`created_at`)} as "createdAt"
        from messages where conversation_id = ${conversationId} and workspace_id = ${workspaceId} ${before}
        order by seq desc limit ${opts.limit + 1}`,
  );
}

export interface StatusRow {
  messageId: string;
  status: string;
  at: string;
  errorCode: string | null;
  errorReason: string | null;
}

/** Every provider status of these messages, in the order they happened. */
export async function listStatusRows(ex: Executor, workspaceId: string, messageIds: string[]): Promise<StatusRow[]> {
  if (messageIds.length === 0) {
    return [];
  }
  return query<StatusRow>(
    ex,
    sql`select message_id as "messageId", status, ${iso(sql`coalesce(occurred_at, received_at)`)} as at, error_code as "errorCode", error_reason as "errorReason"
        from message_status_events where workspace_id = ${workspaceId} and message_id = any(${toPgArray(messageIds)}::uuid[])
        order by coalesce(occurred_at, received_at), id`,
  );
}

/** Names of staff by id (for the people a history's events mention). */
export async function listUserNames(ex: Executor, ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) {
    return {};
  }
  const rows = await query<{ id: string; name: string }>(ex, sql`select id, name from users where id = any(${toPgArray(ids)}::uuid[])`);
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/** Marks a conversation read up to `seq` (default its latest message); never moves back. */
export async function markRead(ex: Executor, workspaceId: string, conversationId: string, seq: number | undefined): Promise<number | undefined> {
  const upTo = seq === undefined ? sql`(select max(seq) from messages where conversation_id = ${conversationId})` : sql`${seq}::bigint`;
  const [row] = await query<{ seq: number | null }>(
    ex,
    sql`update conversations set agent_read_seq = greatest(coalesce(agent_read_seq, 0), coalesce(${upTo}, 0))
        where id = ${conversationId} and workspace_id = ${workspaceId} returning agent_read_seq::float8 as seq`,
  );
  return row ? (row.seq ?? 0) : undefined;
}
