import { OUTBOUND_STATUS_RANK, type OutboundContent, type OutboundStatus } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';
import { enqueueJobs } from '../../platform/jobs.js';

export const DISPATCH_QUEUE = 'outbound.dispatch';

export interface OutboundInput {
  workspaceId: string;
  conversationId: string;
  channelId: string;
  content: OutboundContent;
  replyToProviderId?: string;
}

/**
 * The ONE way a message leaves Parley (ARCHITECTURE §3): stored as `queued` with its dispatch job, in the
 * caller's transaction. Sends of one conversation dispatch strictly in order.
 */
export async function enqueueOutbound(ex: Executor, m: OutboundInput): Promise<string> {
  const rows = await query<{ id: string }>(
    ex,
    sql`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, status, status_rank, reply_to_provider_id)
        values (${m.workspaceId}, ${m.conversationId}, ${m.channelId}, 'out', ${m.content.type}, ${JSON.stringify(m.content)}::jsonb, 'queued', 0, ${m.replyToProviderId ?? null})
        returning id`,
  );
  const id = rows[0]?.id;
  if (!id) {
    throw new Error('outbound message was not stored');
  }
  await enqueueJobs(ex, [{ queue: DISPATCH_QUEUE, workspaceId: m.workspaceId, orderingKey: `out:${m.conversationId}`, payload: { messageId: id }, maxAttempts: 12 }]);
  return id;
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
}

export async function findDispatchRow(ex: Executor, messageId: string): Promise<DispatchRow | undefined> {
  const rows = await query<DispatchRow>(
    ex,
    sql`select m.id, m.workspace_id as "workspaceId", m.conversation_id as "conversationId", m.channel_id as "channelId",
               m.content, m.status, m.provider_message_id as "providerMessageId", m.reply_to_provider_id as "replyToProviderId",
               m.sending_at as "sendingAt", m.error_code as "errorCode", c.address, coalesce(ct.language, w.default_language) as language, now() as now
        from messages m
        join conversations c on c.id = m.conversation_id
        join contacts ct on ct.id = c.contact_id
        join workspaces w on w.id = m.workspace_id
        where m.id = ${messageId} and m.direction = 'out'`,
  );
  return rows[0];
}

/** Pair limit (providers.md §4.5): a bucket of 45 per conversation, refilled one token every 6 s. */
export async function takePairToken(ex: Executor, conversationId: string): Promise<number> {
  const rows = await query<{ granted: boolean; tokens: number }>(
    ex,
    sql`with b as (
          select id, least(45, coalesce(pair_tokens, 45) + extract(epoch from (clock_timestamp() - coalesce(pair_refilled_at, clock_timestamp()))) / 6.0) as avail
          from conversations where id = ${conversationId} for update)
        update conversations c set pair_tokens = case when b.avail >= 1 then b.avail - 1 else b.avail end, pair_refilled_at = clock_timestamp()
        from b where c.id = b.id
        returning b.avail >= 1 as granted, b.avail as tokens`,
  );
  const row = rows[0];
  return !row || row.granted ? 0 : Math.ceil((1 - row.tokens) * 6000);
}

export async function markSending(ex: Executor, messageId: string): Promise<void> {
  await ex.execute(
    sql`update messages set status = 'sending', status_rank = ${OUTBOUND_STATUS_RANK.sending}, sending_at = now(), attempts = attempts + 1, updated_at = now(),
               error_code = null, error_reason = null
        where id = ${messageId} and status_rank <= ${OUTBOUND_STATUS_RANK.sending}`,
  );
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

export async function markQueuedAgain(ex: Executor, messageId: string, error: { code: string; reason: string }): Promise<void> {
  await ex.execute(
    sql`update messages set status = 'queued', status_rank = 0, error_code = ${error.code}, error_reason = ${error.reason}, updated_at = now()
        where id = ${messageId} and status_rank <= ${OUTBOUND_STATUS_RANK.sending}`,
  );
}

export async function markFailed(ex: Executor, messageId: string, error: { code: string; reason: string }): Promise<void> {
  await ex.execute(
    sql`update messages set status = 'failed', status_rank = ${OUTBOUND_STATUS_RANK.failed}, error_code = ${error.code}, error_reason = ${error.reason}, updated_at = now()
        where id = ${messageId} and status_rank < ${OUTBOUND_STATUS_RANK.delivered}`,
  );
}

/**
 * Records the provider's id of an accepted message and applies statuses that arrived before it
 * (a status webhook can beat the send's own response).
 */
export async function recordAccepted(ex: Executor, messageId: string, channelId: string, providerMessageId: string): Promise<void> {
  await ex.execute(
    sql`update messages set provider_message_id = ${providerMessageId}, updated_at = now(),
               status = case when status_rank < ${OUTBOUND_STATUS_RANK.accepted} then 'accepted' else status end,
               status_rank = greatest(status_rank, ${OUTBOUND_STATUS_RANK.accepted}), error_code = null, error_reason = null
        where id = ${messageId} and (provider_message_id is null or provider_message_id = ${providerMessageId})`,
  );
  const orphans = await query<{ status: OutboundStatus; errorCode: string | null; errorReason: string | null }>(
    ex,
    sql`update message_status_events set message_id = ${messageId}
        where channel_id = ${channelId} and provider_message_id = ${providerMessageId} and message_id is null
        returning status, error_code as "errorCode", error_reason as "errorReason"`,
  );
  for (const o of orphans) {
    await advanceStatus(ex, messageId, o.status, o.errorCode ? { code: o.errorCode, reason: o.errorReason ?? '' } : undefined);
  }
}

/**
 * Moves a message's status forward only (sent → delivered → read); `failed` wins over anything before
 * `delivered` and keeps its error code. Older or repeated statuses change nothing.
 */
export async function advanceStatus(ex: Executor, messageId: string, status: OutboundStatus, error?: { code: string; reason: string }): Promise<boolean> {
  const rank = OUTBOUND_STATUS_RANK[status];
  const guard = status === 'failed' ? sql`status_rank < ${OUTBOUND_STATUS_RANK.delivered}` : sql`status_rank < ${rank}`;
  const rows = await query<{ id: string }>(
    ex,
    sql`update messages set status = ${status}, status_rank = ${rank}, updated_at = now(),
               error_code = ${error?.code ?? null}, error_reason = ${error?.reason ?? null}
        where id = ${messageId} and ${guard}
        returning id`,
  );
  return rows.length > 0;
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
 * Applies one provider status: appended to the timeline, then moves the message forward. A status for a message
 * we do not know (yet) is kept with message_id NULL and applied by recordAccepted when the message appears —
 * never an error to the provider. When the provider echoes our id, a send whose response was lost (crash after
 * the HTTP call) is reconciled here instead of being sent twice.
 */
export async function applyStatusEvent(ex: Executor, e: StatusEventInput): Promise<{ messageId: string | undefined }> {
  let messageId = (await query<{ id: string }>(ex, sql`select id from messages where channel_id = ${e.channelId} and provider_message_id = ${e.providerMessageId}`))[0]?.id;
  if (!messageId && e.callbackData && UUID.test(e.callbackData)) {
    const adopted = await query<{ id: string }>(
      ex,
      sql`update messages set provider_message_id = ${e.providerMessageId}, updated_at = now(),
                 status = case when status_rank < ${OUTBOUND_STATUS_RANK.accepted} then 'accepted' else status end,
                 status_rank = greatest(status_rank, ${OUTBOUND_STATUS_RANK.accepted})
          where id = ${e.callbackData} and channel_id = ${e.channelId} and direction = 'out' and provider_message_id is null
          returning id`,
    );
    messageId = adopted[0]?.id;
  }
  await ex.execute(
    sql`insert into message_status_events (workspace_id, channel_id, message_id, provider_message_id, status, error_code, error_reason, occurred_at, details)
        values (${e.workspaceId}, ${e.channelId}, ${messageId ?? null}, ${e.providerMessageId}, ${e.status}, ${e.error?.code ?? null}, ${e.error?.reason ?? null},
                ${e.occurredAt.toISOString()}::timestamptz, ${e.details === undefined ? null : JSON.stringify(e.details)}::jsonb)`,
  );
  if (messageId) {
    await advanceStatus(ex, messageId, e.status, e.error);
  }
  return { messageId };
}
