/**
 * All SQL of the realtime feed. The events themselves are written by database triggers (migrations 0015, 0018), never
 * here: a change and its event commit together or not at all.
 */
import type { InboxEvent } from '@parley/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';
import { isRestrictedSql } from '../privacy/index.js';

/** The channel the triggers NOTIFY after writing an event (an empty payload: a wake-up, not the event). */
export const INBOX_CHANNEL = 'parley_inbox';

/** An event as read, with the workspace it belongs to (the hub filters by it). */
export type FeedRow = InboxEvent & { workspaceId: string };

type RawRow = { id: string | number; workspaceId: string; conversationId: string; kind: string; payload: Record<string, unknown> };

/**
 * An event as the hub reads it: `restricted` says whether its conversation's contact is restricted now (GDPR-20),
 * or null when its workspace was not asked about.
 */
export type ReadRow = FeedRow & { restricted: boolean | null };

/**
 * Reads up to `limit` events after `cursor`, and any events in `late` ranges (ids the hub passed over while their
 * transaction was still open), ordered by id. For events of the workspaces in `resolveRestricted` it also answers
 * whether the contact is restricted now — in the same statement, so the hub's read stays one round trip.
 */
export async function readFeed(
  ex: Executor,
  opts: { cursor: number; limit: number; late: ReadonlyArray<{ from: number; to: number }>; resolveRestricted: readonly string[] },
): Promise<ReadRow[]> {
  const columns = sql`id, workspace_id as "workspaceId", conversation_id as "conversationId", kind, payload`;
  const ahead = sql`(select ${columns} from inbox_events where id > ${opts.cursor} order by id limit ${opts.limit})`;
  let source: SQL = ahead;
  if (opts.late.length > 0) {
    // Bounded by the outermost ids, so this stays an index range scan however the ranges lie.
    const lo = Math.min(...opts.late.map((r) => r.from));
    const hi = Math.max(...opts.late.map((r) => r.to));
    const ranges = sql.join(opts.late.map((r) => sql`id between ${r.from} and ${r.to}`), sql` or `);
    source = sql`${ahead} union all (select ${columns} from inbox_events where id >= ${lo} and id <= ${hi} and id <= ${opts.cursor} and (${ranges}))`;
  }
  // The privacy module's rule per workspace (it takes the workspace as a value); other workspaces' rows get null.
  const restricted =
    opts.resolveRestricted.length === 0
      ? sql`null::boolean`
      : sql`case ${sql.join(opts.resolveRestricted.map((ws) => sql`when e."workspaceId" = ${ws} then ${isRestrictedSql(ws, sql`c.contact_id`)}`), sql` `)} end`;
  const raw = await query<RawRow & { restricted: boolean | null }>(
    ex,
    sql`select e.*, ${restricted} as restricted from (${source}) e left join conversations c on c.id = e."conversationId" order by e.id`,
  );
  return raw.map((r) => ({ ...toRow(r), restricted: r.restricted }));
}

/**
 * The transactions writing `inbox_events` right now (their virtual transaction ids). A transaction takes its table
 * lock before the sequence gives it an event id and keeps it until it ends: once every transaction of this list
 * has ended, an id missing since before the list was taken can only belong to one that rolled back.
 */
export async function listFeedWriters(ex: Executor): Promise<string[]> {
  const rows = await query<{ vxid: string }>(
    ex,
    sql`select virtualtransaction as vxid from pg_locks
        where locktype = 'relation' and relation = 'inbox_events'::regclass and mode = 'RowExclusiveLock' and granted
          and database = (select oid from pg_database where datname = current_database())`,
  );
  return rows.map((r) => r.vxid);
}

/**
 * One workspace's events with `after < id <= upTo`, in id order, at most `limit` (a client's catch-up). With
 * `hideRestricted`, events of conversations whose contact is restricted now are left out (GDPR-20: hidden from
 * agents, the same rule as the inbox list) — before the limit, so hidden events never make a replay a `reset`.
 */
export async function listEventsBetween(
  ex: Executor,
  opts: { workspaceId: string; after: number; upTo: number; limit: number; hideRestricted: boolean },
): Promise<InboxEvent[]> {
  const restricted = isRestrictedSql(opts.workspaceId, sql`c.contact_id`);
  // A visibility event reaches every reader: it is how an agent's inbox learns to drop the conversation.
  const hidden = opts.hideRestricted ? sql`and (e.kind = 'conversation.visibility' or not coalesce(${restricted}, false))` : sql``;
  const raw = await query<RawRow & { restricted: boolean | null }>(
    ex,
    sql`select e.id, e.workspace_id as "workspaceId", e.conversation_id as "conversationId", e.kind, e.payload, ${restricted} as restricted
        from inbox_events e left join conversations c on c.id = e.conversation_id
        where e.workspace_id = ${opts.workspaceId} and e.id > ${opts.after} and e.id <= ${opts.upTo} ${hidden} order by e.id limit ${opts.limit}`,
  );
  return raw.map((r) => withRestriction(toEvent(toRow(r)), r.restricted === true));
}

/**
 * An event as delivered: a `conversation.visibility` event says whether the contact is restricted at delivery (the
 * trigger writes only the time); other events are as stored.
 * @example withRestriction({ id: 7, kind: 'conversation.visibility', conversationId: 'c1', data: { restricted: false, at } }, true).data.restricted // true
 */
export function withRestriction(event: InboxEvent, restricted: boolean): InboxEvent {
  return event.kind === 'conversation.visibility' ? { ...event, data: { ...event.data, restricted } } : event;
}

/**
 * Which of these conversations belong to a contact that is restricted now (GDPR-20; the rule is the privacy
 * module's), in one statement whatever their workspaces. The hub's fallback for rows `readFeed` did not resolve.
 */
export async function findRestrictedConversations(ex: Executor, refs: ReadonlyArray<{ workspaceId: string; conversationId: string }>): Promise<Set<string>> {
  const byWorkspace = new Map<string, Set<string>>();
  for (const { workspaceId, conversationId } of refs) {
    byWorkspace.set(workspaceId, (byWorkspace.get(workspaceId) ?? new Set()).add(conversationId));
  }
  if (byWorkspace.size === 0) {
    return new Set();
  }
  const each = [...byWorkspace].map(
    ([workspaceId, ids]) =>
      sql`(c.workspace_id = ${workspaceId} and c.id = any(${toPgArray([...ids])}::uuid[]) and ${isRestrictedSql(workspaceId, sql`c.contact_id`)})`,
  );
  const rows = await query<{ id: string }>(ex, sql`select c.id from conversations c where ${sql.join(each, sql` or `)}`);
  return new Set(rows.map((r) => r.id));
}

/** The lowest and highest event id the table holds (null when it is empty). */
export async function findEventBounds(ex: Executor): Promise<{ minId: number | null; maxId: number | null }> {
  const [row] = await query<{ minId: string | number | null; maxId: string | number | null }>(ex, sql`select min(id) as "minId", max(id) as "maxId" from inbox_events`);
  return { minId: row?.minId == null ? null : Number(row.minId), maxId: row?.maxId == null ? null : Number(row.maxId) };
}

/**
 * Deletes the events older than `olderThanSeconds`, in batches of `batch` (short transactions on a busy table);
 * returns how many it deleted. Ids grow with time, so the first id young enough is the bound: found walking the
 * primary key from the oldest event, the table needs no index on its time.
 */
export async function purgeInboxEvents(ex: Executor, olderThanSeconds: number, batch = 10_000): Promise<number> {
  const [bound] = await query<{ id: string | number | null }>(
    ex,
    sql`select coalesce((select id from inbox_events where created_at >= now() - make_interval(secs => ${olderThanSeconds}) order by id limit 1),
                        (select max(id) + 1 from inbox_events)) as id`,
  );
  if (bound?.id == null) {
    return 0;
  }
  let total = 0;
  for (;;) {
    const [row] = await query<{ n: string | number }>(
      ex,
      sql`with d as (delete from inbox_events where id in (select id from inbox_events where id < ${Number(bound.id)} order by id limit ${batch}) returning 1)
          select count(*) as n from d`,
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < batch) {
      return total;
    }
  }
}

/** What a client receives: without the workspace id and what the hub read along. */
export function toEvent(row: FeedRow & { restricted?: boolean | null }): InboxEvent {
  const { workspaceId: _ws, restricted: _restricted, ...event } = row;
  return event;
}

function toRow(r: RawRow): FeedRow {
  // The triggers write only these kinds, with these payloads (migrations 0015 and 0018).
  return { id: Number(r.id), workspaceId: r.workspaceId, conversationId: r.conversationId, kind: r.kind, data: r.payload } as FeedRow;
}
