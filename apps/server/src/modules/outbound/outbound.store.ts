import { OUTBOUND_STATUS_RANK, type OutboundContent, type OutboundStatus } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { type Executor, query, toPgArray } from '../../platform/db.js';

export const DISPATCH_QUEUE = 'outbound.dispatch';

/** A status's rank in SQL, derived from OUTBOUND_STATUS_RANK (the one table), for set-based comparisons. */
const STATUS_RANK_SQL = sql.raw(
  `case status ${Object.entries(OUTBOUND_STATUS_RANK)
    .map(([status, rank]) => `when '${status}' then ${rank}`)
    .join(' ')} else 0 end`,
);

export interface OutboundInput {
  workspaceId: string;
  conversationId: string;
  channelId: string;
  content: OutboundContent;
  replyToProviderId?: string;
  /** The purpose it resolves to (GDPR-01); default `service`, a reply in the contact's own conversation. */
  purpose?: string;
  /** Library items it carries, re-checked by the send gate at dispatch. */
  contentRefs?: string[];
  /** Who has it sent; default the bot. */
  author?: MessageAuthor;
}

/** Who had an outbound message sent: the bot, a signed-in user (an agent), or a machine caller. */
export type MessageAuthor = { kind: 'bot' } | { kind: 'user'; userId: string } | { kind: 'api' | 'cli' | 'system' };

/**
 * The ONE way messages leave Parley (ARCHITECTURE §3): each stored as `queued` with its dispatch job, in the
 * caller's transaction, in one statement — optionally completing the jobs that caused them. Sends of one
 * conversation dispatch strictly in order. Returns the new message ids in input order.
 */
export async function enqueueOutbound(ex: Executor, messages: OutboundInput[], opts: { completeJobIds?: number[] } = {}): Promise<string[]> {
  const done = opts.completeJobIds ?? [];
  if (messages.length === 0 && done.length === 0) {
    return [];
  }
  // Ids chosen here: jobs are inserted in input order, which is the order a conversation's sends go out.
  const ids = messages.map(() => randomUUID());
  const col = <T extends string | null>(f: (m: OutboundInput, i: number) => T) => toPgArray(messages.map(f));
  await ex.execute(
    sql`with x as (
          select * from unnest(${col((_, i) => ids[i] ?? null)}::uuid[], ${col((m) => m.workspaceId)}::uuid[], ${col((m) => m.conversationId)}::uuid[],
                               ${col((m) => m.channelId)}::uuid[], ${col((m) => m.content.type)}::text[], ${col((m) => JSON.stringify(m.content))}::text[],
                               ${col((m) => m.replyToProviderId ?? null)}::text[], ${col((m) => m.purpose ?? 'service')}::text[],
                               ${col((m) => (m.contentRefs && m.contentRefs.length > 0 ? JSON.stringify(m.contentRefs) : null))}::text[],
                               ${col((m) => m.author?.kind ?? 'bot')}::text[], ${col((m) => (m.author?.kind === 'user' ? m.author.userId : null))}::uuid[])
            with ordinality as x(id, ws, conv, ch, type, content, reply_to, purpose, refs, author_kind, author_user_id, ord)),
        msg as (
          insert into messages (id, workspace_id, conversation_id, channel_id, direction, type, content, status, status_rank, reply_to_provider_id, purpose, content_refs, author_kind, author_user_id)
          select id, ws, conv, ch, 'out', type, content::jsonb, 'queued', 0, reply_to, purpose, refs::jsonb, author_kind, author_user_id from x order by ord),
        job as (
          insert into jobs (workspace_id, queue, ordering_key, payload, max_attempts)
          select ws, ${DISPATCH_QUEUE}, 'out:' || conv, jsonb_build_object('messageId', id), 12 from x order by ord)
        update jobs set status = 'done', finished_at = now(), locked_until = null, locked_by = null where id = any(${toPgArray(done)}::bigint[])`,
  );
  return ids;
}

export interface DispatchRow {
  id: string;
  workspaceId: string;
  conversationId: string;
  channelId: string;
  content: OutboundContent;
  status: OutboundStatus;
  providerMessageId: string | null;
  replyToProviderId: string | null;
  sendingAt: Date | null;
  errorCode: string | null;
  address: string;
  language: string;
  now: Date;
  purpose: string;
  contentRefs: string[] | null;
  channelKind: string;
  lastInboundAt: Date | null;
  /** The send gate's last decision; null until it decided (a retry clears it). */
  gateReason: string | null;
  contactId: string;
}

/** The outbound messages a dispatcher needs, by id (missing ids are simply absent). */
export async function findDispatchRows(ex: Executor, messageIds: string[]): Promise<Map<string, DispatchRow>> {
  const rows = await query<DispatchRow>(
    ex,
    sql`select m.id, m.workspace_id as "workspaceId", m.conversation_id as "conversationId", m.channel_id as "channelId",
               m.content, m.status, m.provider_message_id as "providerMessageId", m.reply_to_provider_id as "replyToProviderId",
               m.sending_at as "sendingAt", m.error_code as "errorCode", c.address, coalesce(ct.language, w.default_language) as language, now() as now,
               m.purpose, m.content_refs as "contentRefs", ch.kind as "channelKind", c.last_inbound_at as "lastInboundAt", m.gate_reason as "gateReason", c.contact_id as "contactId"
        from messages m
        join conversations c on c.id = m.conversation_id
        join channels ch on ch.id = m.channel_id
        join contacts ct on ct.id = c.contact_id
        join workspaces w on w.id = m.workspace_id
        where m.id = any(${toPgArray(messageIds)}::uuid[]) and m.direction = 'out'`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Takes a token of each recipient's pair limit (providers.md §4.5: a bucket of 45 per conversation, refilled one
 * every 6 s) and marks the granted messages `sending` — one statement, so no lock outlives it. Conversations are
 * locked in (channel, address) order, the order inbound batches lock them in, so the two cannot deadlock.
 * One message per conversation (the dispatch queue's ordering keys guarantee it). Returns, per message id,
 * 0 when it may be sent now, else the milliseconds to wait.
 */
export async function takePairTokensAndMarkSending(ex: Executor, items: Array<{ conversationId: string; messageId: string }>): Promise<Map<string, number>> {
  if (items.length === 0) {
    return new Map();
  }
  const rows = await query<{ messageId: string; granted: boolean; tokens: number }>(
    ex,
    sql`with x as (
          select * from unnest(${toPgArray(items.map((i) => i.conversationId))}::uuid[], ${toPgArray(items.map((i) => i.messageId))}::uuid[]) as x(conv, mid)),
        b as (
          select c.id, least(45, coalesce(c.pair_tokens, 45) + extract(epoch from (clock_timestamp() - coalesce(c.pair_refilled_at, clock_timestamp()))) / 6.0) as avail
          from conversations c where c.id in (select conv from x)
          order by c.channel_id, c.address
          for update),
        p as (
          update conversations c set pair_tokens = case when b.avail >= 1 then b.avail - 1 else b.avail end, pair_refilled_at = clock_timestamp()
          from b where c.id = b.id
          returning c.id, b.avail >= 1 as granted, b.avail as tokens),
        m as (
          update messages msg set status = 'sending', status_rank = ${OUTBOUND_STATUS_RANK.sending}, sending_at = now(), attempts = msg.attempts + 1,
                 updated_at = now(), error_code = null, error_reason = null
          from x join p on p.id = x.conv
          where msg.id = x.mid and p.granted and msg.status_rank <= ${OUTBOUND_STATUS_RANK.sending})
        select x.mid as "messageId", p.granted, p.tokens from x join p on p.id = x.conv`,
  );
  const waits = new Map<string, number>(items.map((i) => [i.messageId, 1000]));
  for (const r of rows) {
    waits.set(r.messageId, r.granted ? 0 : Math.ceil((1 - r.tokens) * 6000));
  }
  return waits;
}

/** Error code of a message whose last send may or may not have reached the provider. */
export const OUTCOME_UNKNOWN = 'outcome_unknown';

/** Starts the reconcile window of a send whose outcome is unknown (its process died during the call). */
export async function markOutcomeUnknown(ex: Executor, messageId: string): Promise<void> {
  await ex.execute(
    sql`update messages set sending_at = now(), error_code = ${OUTCOME_UNKNOWN}, error_reason = 'waiting for the provider to report a status for the last attempt', updated_at = now()
        where id = ${messageId} and status = 'sending'`,
  );
}

/**
 * Whether a status naming this message (by its callback id) is stored but not applied yet — after an outage the
 * status queue may lag; such a status will adopt the earlier send, so sending again would duplicate it.
 */
export async function hasUnappliedStatusFor(ex: Executor, messageId: string, statusQueue: string): Promise<boolean> {
  const rows = await query<{ found: boolean }>(
    ex,
    sql`select exists (
          select 1 from jobs j join inbound_events e on e.id = (j.payload->>'eventId')::bigint
          where j.queue = ${statusQueue} and j.status in ('pending', 'running') and e.payload->>'callbackData' = ${messageId}) as found`,
  );
  return rows[0]?.found === true;
}

export async function markQueuedAgain(ex: Executor, messageId: string, error: { code: string; reason: string }): Promise<void> {
  await ex.execute(
    // The retry is a new dispatch: the send gate decides again then (gate_reason cleared).
    sql`update messages set status = 'queued', status_rank = 0, error_code = ${error.code}, error_reason = ${error.reason}, gate_reason = null, updated_at = now()
        where id = ${messageId} and status_rank <= ${OUTBOUND_STATUS_RANK.sending}`,
  );
}

export async function markFailed(ex: Executor, messageId: string, error: { code: string; reason: string }): Promise<void> {
  await ex.execute(
    sql`update messages set status = 'failed', status_rank = ${OUTBOUND_STATUS_RANK.failed}, error_code = ${error.code}, error_reason = ${error.reason}, updated_at = now()
        where id = ${messageId} and status_rank < ${OUTBOUND_STATUS_RANK.delivered}`,
  );
}

export interface AcceptedSend {
  messageId: string;
  channelId: string;
  providerMessageId: string;
  jobId: number;
}

/**
 * Records the provider's ids of accepted messages, applies statuses that arrived before them (a status webhook
 * can beat the send's own response) and completes their dispatch jobs — one statement, so all of it or none.
 * Of early statuses the furthest success at or past `delivered` wins, else `failed`, else the furthest success
 * (as in bestStatusPerMessage).
 */
export async function recordAccepted(ex: Executor, sends: AcceptedSend[]): Promise<void> {
  if (sends.length === 0) {
    return;
  }
  const col = <T extends string | number>(f: (a: AcceptedSend) => T) => toPgArray(sends.map(f));
  await ex.execute(
    sql`with x as (
          select * from unnest(${col((a) => a.messageId)}::uuid[], ${col((a) => a.channelId)}::uuid[], ${col((a) => a.providerMessageId)}::text[], ${col((a) => a.jobId)}::bigint[])
            as x(mid, ch, wamid, job)),
        orphans as (
          select x.mid, e.status, e.error_code, e.error_reason, ${STATUS_RANK_SQL} as rank
          from message_status_events e join x on e.channel_id = x.ch and e.provider_message_id = x.wamid
          where e.message_id is null),
        best as (
          select distinct on (mid) * from orphans
          order by mid, case when status <> 'failed' and rank >= ${OUTBOUND_STATUS_RANK.delivered} then 0 when status = 'failed' then 1 else 2 end, rank desc),
        linked as (
          update message_status_events e set message_id = x.mid from x
          where e.channel_id = x.ch and e.provider_message_id = x.wamid and e.message_id is null),
        -- Lock the messages in id order, the order applyStatusEvents locks them in: the two cannot deadlock.
        locked as (
          select id from messages where id in (select mid from x) order by id for update),
        msg as (
          update messages m set provider_message_id = x.wamid, updated_at = now(),
                 status = case when b.rank > greatest(m.status_rank, ${OUTBOUND_STATUS_RANK.accepted}) then b.status
                               when m.status_rank < ${OUTBOUND_STATUS_RANK.accepted} then 'accepted' else m.status end,
                 status_rank = greatest(m.status_rank, ${OUTBOUND_STATUS_RANK.accepted}, coalesce(b.rank, 0)),
                 error_code = case when b.rank > greatest(m.status_rank, ${OUTBOUND_STATUS_RANK.accepted}) then b.error_code else null end,
                 error_reason = case when b.rank > greatest(m.status_rank, ${OUTBOUND_STATUS_RANK.accepted}) then b.error_reason else null end
          from x left join best b on b.mid = x.mid
          where m.id = x.mid and m.id in (select id from locked) and (m.provider_message_id is null or m.provider_message_id = x.wamid))
        update jobs set status = 'done', finished_at = now(), locked_until = null, locked_by = null where id in (select job from x)`,
  );
}

export interface StatusEventInput {
  workspaceId: string;
  channelId: string;
  providerMessageId: string;
  status: OutboundStatus;
  occurredAt: Date;
  error?: { code: string; reason: string };
  /** Our message id, echoed by the provider (biz_opaque_callback_data). */
  callbackData?: string;
  details?: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies provider statuses, set-based (one transaction for a whole batch): each is appended to the timeline,
 * then every message moves forward to the best status it got. A status for a message we do not know (yet) is
 * kept with message_id NULL and applied by recordAccepted when the message appears — never an error to the
 * provider. When the provider echoes our id (callback data), a send whose response was lost (the process died
 * after the HTTP call) is adopted here instead of being sent twice. Order within a batch does not matter:
 * statuses only move forward.
 */
export async function applyStatusEvents(ex: Executor, events: StatusEventInput[]): Promise<void> {
  if (events.length === 0) {
    return;
  }
  const col = <T extends string | number | null>(f: (e: StatusEventInput) => T) => toPgArray(events.map(f));
  const adoptable = events.filter((e) => e.callbackData && UUID.test(e.callbackData));
  if (adoptable.length > 0) {
    await ex.execute(
      sql`update messages m set provider_message_id = x.wamid, updated_at = now(),
                 status = case when m.status_rank < ${OUTBOUND_STATUS_RANK.accepted} then 'accepted' else m.status end,
                 status_rank = greatest(m.status_rank, ${OUTBOUND_STATUS_RANK.accepted})
          from (select distinct on (cb) * from unnest(${toPgArray(adoptable.map((e) => e.channelId))}::uuid[], ${toPgArray(adoptable.map((e) => e.providerMessageId))}::text[],
                                                      ${toPgArray(adoptable.map((e) => e.callbackData ?? null))}::uuid[]) as x(channel_id, wamid, cb)) x
          where m.id = x.cb and m.channel_id = x.channel_id and m.direction = 'out' and m.provider_message_id is null
            and not exists (select 1 from messages o where o.channel_id = x.channel_id and o.provider_message_id = x.wamid)`,
    );
  }
  const linked = await query<{ messageId: string | null; status: OutboundStatus; rank: number; errorCode: string | null; errorReason: string | null }>(
    ex,
    sql`with x as (
          select * from unnest(${col((e) => e.workspaceId)}::uuid[], ${col((e) => e.channelId)}::uuid[], ${col((e) => e.providerMessageId)}::text[],
                               ${col((e) => e.status)}::text[], ${col((e) => e.error?.code ?? null)}::text[], ${col((e) => e.error?.reason ?? null)}::text[],
                               ${col((e) => e.occurredAt.toISOString())}::timestamptz[], ${col((e) => (e.details === undefined ? null : JSON.stringify(e.details)))}::text[])
            with ordinality as x(workspace_id, channel_id, wamid, status, code, reason, occurred_at, details, ord)),
        ins as (
          insert into message_status_events (workspace_id, channel_id, message_id, provider_message_id, status, error_code, error_reason, occurred_at, details)
          select x.workspace_id, x.channel_id, m.id, x.wamid, x.status, x.code, x.reason, x.occurred_at, x.details::jsonb
          from x left join messages m on m.channel_id = x.channel_id and m.provider_message_id = x.wamid
          order by x.ord
          returning message_id, status, error_code, error_reason)
        select message_id as "messageId", status, ${STATUS_RANK_SQL} as rank, error_code as "errorCode", error_reason as "errorReason" from ins`,
  );
  const best = bestStatusPerMessage(linked.filter((l): l is typeof l & { messageId: string } => l.messageId !== null));
  if (best.length === 0) {
    return;
  }
  // Lock in id order, as recordAccepted does: a send being recorded and its statuses cannot deadlock.
  await ex.execute(sql`select 1 from messages where id = any(${toPgArray(best.map((b) => b.messageId))}::uuid[]) order by id for update`);
  await ex.execute(
    sql`update messages m set status = b.status, status_rank = b.rank, error_code = b.code, error_reason = b.reason, updated_at = now()
        from unnest(${toPgArray(best.map((b) => b.messageId))}::uuid[], ${toPgArray(best.map((b) => b.status))}::text[], ${toPgArray(best.map((b) => b.rank))}::int[],
                    ${toPgArray(best.map((b) => b.errorCode))}::text[], ${toPgArray(best.map((b) => b.errorReason))}::text[]) as b(id, status, rank, code, reason)
        where m.id = b.id and (case when b.status = 'failed' then m.status_rank < ${OUTBOUND_STATUS_RANK.delivered} else m.status_rank < b.rank end)`,
  );
}

/**
 * The status a message ends on after a batch: the furthest success at or past `delivered` beats a `failed`
 * (the user got it), otherwise `failed` beats everything before it.
 */
export function bestStatusPerMessage<T extends { messageId: string; status: OutboundStatus; rank: number }>(rows: T[]): T[] {
  const byMessage = new Map<string, T[]>();
  for (const r of rows) {
    byMessage.set(r.messageId, [...(byMessage.get(r.messageId) ?? []), r]);
  }
  return [...byMessage.values()].map((list) => {
    const success = list.filter((r) => r.status !== 'failed').sort((a, b) => b.rank - a.rank)[0];
    const failed = list.find((r) => r.status === 'failed');
    if (success && (success.rank >= OUTBOUND_STATUS_RANK.delivered || !failed)) {
      return success;
    }
    return failed ?? success!;
  });
}
