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
import { type ChannelError, type ChannelService, type ResolvedChannel, type SendRateLimiter, STATUS_QUEUE } from '../channels/index.js';
import { checkTemplateMessage } from '../templates/index.js';
import { decideBatch, type GateMessage, recordDecisions } from './send-gate.service.js';
import { type AcceptedSend, type DispatchRow, OUTCOME_UNKNOWN, findDispatchRows, hasUnappliedStatusFor, markFailed, markOutcomeUnknown, markQueuedAgain, recordAccepted, takePairTokensAndMarkSending } from './outbound.store.js';

export interface DispatcherDeps {
  database: Database;
  channels: ChannelService;
  rateLimiter: SendRateLimiter;
  logger: Logger;
  reconcileSeconds: number;
  /** The installation's keyed hash (SecretBox.keyedHash): the send gate looks addresses up in the suppression list. */
  keyedHash: (value: string) => string;
}

export interface Dispatcher {
  /** Dispatches a batch of jobs, of different conversations; returns each job's outcome. */
  batch(jobs: Job[]): Promise<Map<number, JobOutcome>>;
  /** The same for one job. */
  single(job: Job): Promise<JobOutcome>;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { database, channels, logger } = deps;
  const db = database.db;
  const after = (ms: number) => new Date(Date.now() + ms);

  /** A send of unknown outcome: wait for its status, or decide to send again. Undefined = send it now. */
  async function reconcile(msg: DispatchRow): Promise<JobOutcome | undefined> {
    // A previous attempt may have reached the provider. Its status webhook (retried by the provider while we
    // were down) adopts it; wait for that a full window from when we noticed — not from the attempt, which may
    // lie before a long outage.
    if (msg.errorCode !== OUTCOME_UNKNOWN) {
      await markOutcomeUnknown(db, msg.id);
      return { kind: 'defer', runAt: after(deps.reconcileSeconds * 1000) };
    }
    const reconcileAt = new Date(new Date(msg.sendingAt ?? msg.now).getTime() + deps.reconcileSeconds * 1000);
    if (reconcileAt > new Date(msg.now)) {
      return { kind: 'defer', runAt: reconcileAt };
    }
    if (await hasUnappliedStatusFor(db, msg.id, STATUS_QUEUE)) {
      return { kind: 'defer', runAt: after(500) };
    }
    logger.warn({ messageId: msg.id }, 'no status arrived for a send of unknown outcome; sending again');
    return undefined;
  }

  async function send(msg: DispatchRow, channel: ResolvedChannel): Promise<{ ok: true; providerMessageId: string | undefined } | { ok: false; error: ChannelError }> {
    // A template send is checked against the registry first (final, never retried): 132000/132001 never reach the provider.
    const invalidTemplate = await checkTemplateMessage(db, msg);
    if (invalidTemplate) {
      return { ok: false, error: invalidTemplate };
    }
    const payloads = channel.adapter.render(msg.content, {
      to: msg.address,
      language: msg.language,
      callbackData: msg.id,
      ...(msg.replyToProviderId ? { replyToProviderId: msg.replyToProviderId } : {}),
    });
    let providerMessageId: string | undefined;
    for (const payload of payloads) {
      const result = await channel.adapter.send(payload, { settings: channel.settings, secrets: channel.secrets });
      if (!result.ok) {
        return result;
      }
      providerMessageId ??= result.providerMessageId || undefined;
    }
    return { ok: true, providerMessageId };
  }

  async function onSendError(job: Job, msg: DispatchRow, error: ChannelError): Promise<JobOutcome> {
    if (error.code === 'network') {
      // The request may have arrived: its outcome is unknown from now on; reconciliation decides after one window.
      await markOutcomeUnknown(db, msg.id);
      return { kind: 'retry', error: error.reason, runAt: after(deps.reconcileSeconds * 1000) };
    }
    if (error.retryable && job.attempts < job.maxAttempts) {
      await markQueuedAgain(db, msg.id, error);
      return { kind: 'retry', error: `${error.code}: ${error.reason}`, runAt: after((error.retryAfterMs ?? 2000) * 2 ** Math.min(job.attempts - 1, 6)) };
    }
    await markFailed(db, msg.id, error);
    logger.info({ messageId: msg.id, code: error.code }, 'message failed');
    return { kind: 'done' };
  }

  async function batch(jobs: Job[]): Promise<Map<number, JobOutcome>> {
    const outcomes = new Map<number, JobOutcome>();
    const rows = await findDispatchRows(db, jobs.map((j) => String(j.payload.messageId ?? '')));
    // The send gate decides each message when it is first dispatched (and again on a retry); a send of unknown
    // outcome, or one the rate limiter only postponed, was decided already.
    const fresh = [...rows.values()].filter((m) => m.status === 'queued' && !m.providerMessageId && m.gateReason === null);
    const gateInput = fresh.map((m): GateMessage => ({
      ...m,
      form: m.content.type === 'template' ? 'template' : 'free',
      ...(m.content.type === 'template' ? { template: { name: m.content.name, language: m.content.language } } : {}),
    }));
    const decisions = await decideBatch(db, gateInput, new Date(fresh[0]?.now ?? Date.now()), deps.keyedHash);
    await recordDecisions(database, gateInput, decisions);
    const ready: Array<{ job: Job; msg: DispatchRow; channel: ResolvedChannel }> = [];
    for (const job of jobs) {
      const msg = rows.get(String(job.payload.messageId ?? ''));
      if (!msg || msg.providerMessageId || (msg.status !== 'queued' && msg.status !== 'sending')) {
        outcomes.set(job.id, { kind: 'done' }); // already sent, failed, or gone: nothing to do
        continue;
      }
      const decision = decisions.get(msg.id);
      if (decision?.outcome === 'block') {
        logger.info({ messageId: msg.id, reason: decision.reason }, 'send gate blocked a message');
        outcomes.set(job.id, { kind: 'done' }); // final: never sent, never retried
        continue;
      }
      if (decision?.outcome === 'defer') {
        outcomes.set(job.id, { kind: 'defer', runAt: decision.until });
        continue;
      }
      if (msg.status === 'sending') {
        const wait = await reconcile(msg);
        if (wait) {
          outcomes.set(job.id, wait);
          continue;
        }
      }
      const channel = await channels.getById(msg.channelId);
      const rateWait = await deps.rateLimiter.take(msg.channelId, Number(channel.settings.mps ?? 80));
      if (rateWait > 0) {
        outcomes.set(job.id, { kind: 'defer', runAt: after(rateWait) });
        continue;
      }
      ready.push({ job, msg, channel });
    }
    const pairWaits = await takePairTokensAndMarkSending(db, ready.map((r) => ({ conversationId: r.msg.conversationId, messageId: r.msg.id })));
    const go = ready.filter((r) => {
      const wait = pairWaits.get(r.msg.id) ?? 0;
      if (wait > 0) {
        outcomes.set(r.job.id, { kind: 'defer', runAt: after(wait) });
      }
      return wait === 0;
    });
    const results = await Promise.all(go.map(async (r) => ({ ...r, result: await send(r.msg, r.channel) })));
    const accepted: AcceptedSend[] = [];
    for (const r of results) {
      if (!r.result.ok) {
        outcomes.set(r.job.id, await onSendError(r.job, r.msg, r.result.error));
      } else if (r.result.providerMessageId) {
        accepted.push({ messageId: r.msg.id, channelId: r.msg.channelId, providerMessageId: r.result.providerMessageId, jobId: r.job.id });
        outcomes.set(r.job.id, { kind: 'done', completedInTx: true });
      } else {
        outcomes.set(r.job.id, { kind: 'done' });
      }
    }
    await recordAccepted(db, accepted);
    return outcomes;
  }

  return {
    batch,
    async single(job) {
      return (await batch([job])).get(job.id) ?? { kind: 'done' };
    },
  };
}
