/**
 * The dispatcher (ARCHITECTURE §3, outbound step 2): sends queued messages within the sender number's
 * token bucket and the recipient's pair limit, in conversation order, and maps provider failures to
 * retry-with-backoff or a final `failed`.
 *
 * Exactly once across crashes: a message is marked `sending` (committed) before the HTTP call, and carries
 * its own id as callback data the provider echoes in statuses. If the process dies after the provider
 * accepted it, the status webhook adopts the provider id (outbound.store applyStatusEvent) and the retried
 * job finds it accepted. Only a message with no status after `reconcileSeconds` is sent again.
 */
import type { Database } from '../../platform/db.js';
import type { Job } from '../../platform/jobs.js';
import type { JobOutcome } from '../../platform/job-runner.js';
import type { Logger } from '../../platform/logger.js';
import type { ChannelService, SendRateLimiter } from '../channels/index.js';
import { STATUS_QUEUE } from '../channels/webhook.store.js';
import { OUTCOME_UNKNOWN, findDispatchRow, hasUnappliedStatusFor, markFailed, markOutcomeUnknown, markQueuedAgain, recordAccepted, takePairTokenAndMarkSending } from './outbound.store.js';

export interface DispatcherDeps {
  database: Database;
  channels: ChannelService;
  rateLimiter: SendRateLimiter;
  logger: Logger;
  reconcileSeconds: number;
}

export function createDispatcher(deps: DispatcherDeps): (job: Job) => Promise<JobOutcome> {
  const { database, channels, logger } = deps;
  const db = database.db;

  return async function dispatch(job: Job): Promise<JobOutcome> {
    const messageId = String(job.payload.messageId ?? '');
    const msg = await findDispatchRow(db, messageId);
    if (!msg || msg.providerMessageId || (msg.status !== 'queued' && msg.status !== 'sending')) {
      return { kind: 'done' }; // already sent, failed, or gone: nothing to do
    }
    if (msg.status === 'sending' && msg.sendingAt) {
      // A previous attempt may have reached the provider. Its status webhook (retried by the provider while we
      // were down) adopts it; wait for that a full window from when we noticed — not from the attempt, which
      // may lie before a long outage.
      if (msg.errorCode !== OUTCOME_UNKNOWN) {
        await markOutcomeUnknown(db, messageId);
        return { kind: 'defer', runAt: new Date(Date.now() + deps.reconcileSeconds * 1000) };
      }
      const reconcileAt = new Date(new Date(msg.sendingAt).getTime() + deps.reconcileSeconds * 1000);
      if (reconcileAt > new Date(msg.now)) {
        return { kind: 'defer', runAt: reconcileAt };
      }
      if (await hasUnappliedStatusFor(db, messageId, STATUS_QUEUE)) {
        return { kind: 'defer', runAt: new Date(Date.now() + 500) };
      }
      logger.warn({ messageId }, 'no status arrived for a send of unknown outcome; sending again');
    }
    const channel = await channels.getById(msg.channelId);
    const mps = Number(channel.settings.mps ?? 80);

    const channelWait = await deps.rateLimiter.take(msg.channelId, mps);
    if (channelWait > 0) {
      return { kind: 'defer', runAt: new Date(Date.now() + channelWait) };
    }
    const pairWait = await takePairTokenAndMarkSending(db, msg.conversationId, messageId);
    if (pairWait > 0) {
      return { kind: 'defer', runAt: new Date(Date.now() + pairWait) };
    }

    const target = { settings: channel.settings, secrets: channel.secrets };
    const payloads = channel.adapter.render(msg.content, {
      to: msg.address,
      language: msg.language,
      callbackData: msg.id,
      ...(msg.replyToProviderId ? { replyToProviderId: msg.replyToProviderId } : {}),
    });
    let providerMessageId: string | undefined;
    for (const payload of payloads) {
      const result = await channel.adapter.send(payload, target);
      if (!result.ok) {
        const { error } = result;
        if (error.code === 'network') {
          // The request may have arrived: its outcome is unknown from now on; reconciliation decides after one window.
          await markOutcomeUnknown(db, messageId);
          return { kind: 'retry', error: error.reason, runAt: new Date(Date.now() + deps.reconcileSeconds * 1000) };
        }
        if (error.retryable && job.attempts < job.maxAttempts) {
          await markQueuedAgain(db, messageId, error);
          const backoff = (error.retryAfterMs ?? 2000) * 2 ** Math.min(job.attempts - 1, 6);
          return { kind: 'retry', error: `${error.code}: ${error.reason}`, runAt: new Date(Date.now() + backoff) };
        }
        await markFailed(db, messageId, error);
        logger.info({ messageId, code: error.code }, 'message failed');
        return { kind: 'done' };
      }
      providerMessageId ??= result.providerMessageId;
    }
    if (!providerMessageId) {
      return { kind: 'done' };
    }
    await recordAccepted(db, { messageId, channelId: msg.channelId, providerMessageId, jobId: job.id });
    return { kind: 'done', completedInTx: true };
  };
}
