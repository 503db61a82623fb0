/**
 * All SQL of the composer and the contact panel: one conversation's facts (owner, channel, window, restriction),
 * internal notes, and what the panel shows of a contact (identities, channels, subscriptions).
 */
import type { ConversationState } from '@parley/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';
import { isRestrictedSql } from '../privacy/index.js';
import type { ComposerFacts } from './composer.policy.js';

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A conversation as the composer, a reply and the contact panel need it. */
export interface ConversationFacts extends ComposerFacts {
  workspaceId: string;
  state: ConversationState;
  assigneeName: string | null;
  channelId: string;
  contactId: string;
  address: string;
  /** The contact's language, null until they chose one. */
  language: string | null;
  flowState: { attributes?: Record<string, unknown> } | null;
}

/**
 * The conversation `id` of the workspace, or undefined. `lock`: hold it (FOR SHARE) until the transaction ends, so
 * no transfer or resolve commits between the owner check and the reply.
 */
export async function findConversationFacts(ex: Executor, workspaceId: string, id: string, opts: { lock?: boolean } = {}): Promise<ConversationFacts | undefined> {
  const [row] = await query<ConversationFacts>(
    ex,
    sql`select c.id, c.workspace_id as "workspaceId", c.state, c.assigned_user_id as "assigneeId", u.name as "assigneeName",
               c.channel_id as "channelId", ch.kind as "channelKind", c.contact_id as "contactId", c.address, ct.language,
               c.flow_state as "flowState", ${iso(sql`c.last_inbound_at`)} as "lastInboundAt",
               ${isRestrictedSql(workspaceId, sql`c.contact_id`)} as restricted
        from conversations c
        join channels ch on ch.id = c.channel_id
        join contacts ct on ct.id = c.contact_id
        left join users u on u.id = c.assigned_user_id
        where c.id = ${id} and c.workspace_id = ${workspaceId}
        ${opts.lock ? sql`for share of c` : sql``}`,
  );
  return row;
}

export interface StoredNote {
  id: string;
  seq: number;
  createdAt: string;
}

/**
 * An internal note in the conversation's history: `direction = 'note'`, which the dispatcher never reads (it sends
 * `direction = 'out'` only), status `internal`. The author is named by id, like staff in system events.
 */
export async function insertNote(ex: Executor, note: { workspaceId: string; conversationId: string; channelId: string; text: string; authorId: string | null }): Promise<StoredNote> {
  const content = { type: 'note', text: note.text, by: { id: note.authorId } };
  const [row] = await query<StoredNote>(
    ex,
    sql`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, status)
        values (${note.workspaceId}, ${note.conversationId}, ${note.channelId}, 'note', 'note', ${JSON.stringify(content)}::jsonb, 'internal')
        returning id, seq::float8 as seq, ${iso(sql`created_at`)} as "createdAt"`,
  );
  return row!;
}

export type ContactRow = { id: string; name: string | null; language: string | null; createdAt: string };

export async function findContact(ex: Executor, workspaceId: string, contactId: string): Promise<ContactRow | undefined> {
  const [row] = await query<ContactRow>(
    ex,
    sql`select id, display_name as name, language, ${iso(sql`created_at`)} as "createdAt" from contacts where id = ${contactId} and workspace_id = ${workspaceId}`,
  );
  return row;
}

export async function listIdentities(ex: Executor, workspaceId: string, contactId: string): Promise<Array<{ kind: string; address: string; profileName: string | null }>> {
  return query(
    ex,
    sql`select kind, address, profile_name as "profileName" from contact_identities where workspace_id = ${workspaceId} and contact_id = ${contactId} order by created_at, id`,
  );
}

export type ChannelRow = { id: string; kind: string | null; name: string | null };

/** The channels the contact has conversations on. */
export async function listContactChannels(ex: Executor, workspaceId: string, contactId: string): Promise<ChannelRow[]> {
  return query<ChannelRow>(
    ex,
    sql`select ch.id, ch.kind, ch.name from channels ch
        where ch.id in (select channel_id from conversations where workspace_id = ${workspaceId} and contact_id = ${contactId})
        order by ch.kind, ch.name, ch.id`,
  );
}

export type SubscriptionRow = { topic: string; title: Record<string, string> | null; status: string; subscribedAt: string | null; endedAt: string | null };

export async function listSubscriptions(ex: Executor, workspaceId: string, contactId: string): Promise<SubscriptionRow[]> {
  return query<SubscriptionRow>(
    ex,
    sql`select s.topic_slug as topic, t.title, s.status, ${iso(sql`s.subscribed_at`)} as "subscribedAt", ${iso(sql`s.ended_at`)} as "endedAt"
        from topic_subscriptions s left join topics t on t.workspace_id = s.workspace_id and t.slug = s.topic_slug
        where s.workspace_id = ${workspaceId} and s.contact_id = ${contactId}
        order by s.status, s.topic_slug`,
  );
}

/** A staff member's name (for a note's author). */
export async function findUserName(ex: Executor, userId: string): Promise<string | undefined> {
  const [row] = await query<{ name: string }>(ex, sql`select name from users where id = ${userId}`);
  return row?.name;
}
