import type { FakeClock } from './clock.js';
import { buildEnvelope, type WebhookChange } from './envelopes.js';
import { signWhatsAppBody, toMetaJson } from './meta-json.js';
import type { WebhookLogEntry } from './types.js';

/** Resolved delivery policy (providers.md §1.2 "Fake recommendations"). */
export interface DeliveryPolicy {
  timeoutMs: number;
  retryDelaysMs: number[];
  duplicateRate: number;
  reorder: boolean;
  batchSize: number;
}

/** One webhook event waiting to be POSTed. */
export interface WebhookJob {
  /** Events with the same key are delivered in creation order (unless reorder is on). */
  conversationKey: string;
  url: string;
  change: WebhookChange;
}

export interface DeliveryAttempt extends WebhookLogEntry {
  deliveryId: number;
  duplicate: boolean;
  fields: string[];
}

export interface WebhookDispatcher {
  enqueue(job: WebhookJob): void;
  /** Events queued or in flight (not yet acknowledged with 200 and not given up). */
  pending(): number;
  log(): WebhookLogEntry[];
  /** Drops queued and in-flight deliveries and the log. */
  reset(): void;
  close(): void;
}

export interface DispatcherDeps {
  clock: FakeClock;
  appSecret: string;
  wabaId: string;
  policy: DeliveryPolicy;
  onAttempt(attempt: DeliveryAttempt): void;
  random?: () => number;
}

interface Batch {
  id: number;
  url: string;
  jobs: WebhookJob[];
  body: string;
  signature: string;
  attempt: number;
  duplicate: boolean;
  epoch: number;
}

/** Upper bound of the random delay before a POST when `reorder` is on. */
const REORDER_JITTER_MS = 25;

/**
 * Delivers webhook events like Meta (providers.md §1.2): ASCII-escaped JSON signed with
 * X-Hub-Signature-256 over exactly the sent bytes, 200 = acknowledged, anything else or a timeout is
 * retried after each `retryDelaysMs` entry (same bytes), then given up. Events of one conversation
 * are sent one POST at a time in creation order; different conversations run concurrently.
 */
export function createWebhookDispatcher(deps: DispatcherDeps): WebhookDispatcher {
  const { clock, policy } = deps;
  const random = deps.random ?? Math.random;
  let queue: WebhookJob[] = [];
  const inFlight = new Set<Batch>();
  const busy = new Set<string>();
  const cancels = new Set<() => void>();
  const controllers = new Set<AbortController>();
  const entries: WebhookLogEntry[] = [];
  let nextId = 1;
  let epoch = 0;
  let closed = false;
  let pumpScheduled = false;

  const schedulePump = (): void => {
    if (pumpScheduled || closed) {
      return;
    }
    pumpScheduled = true;
    // Deferred so events created in the same tick can share a POST when batchSize > 1.
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  };

  const newBatch = (url: string, jobs: WebhookJob[], duplicate: boolean, body?: string): Batch => {
    const text = body ?? toMetaJson(buildEnvelope(deps.wabaId, jobs.map((j) => j.change)));
    const batch: Batch = {
      id: nextId++,
      url,
      jobs,
      body: text,
      signature: signWhatsAppBody(deps.appSecret, text),
      attempt: 0,
      duplicate,
      epoch,
    };
    inFlight.add(batch);
    return batch;
  };

  const pump = (): void => {
    if (closed || queue.length === 0) {
      return;
    }
    const candidates = policy.reorder ? shuffle(queue, random) : queue;
    const remaining: WebhookJob[] = [];
    const open = new Map<string, WebhookJob[]>();
    const claims = new Map<string, WebhookJob[]>();
    const groups: Array<{ url: string; jobs: WebhookJob[] }> = [];
    for (const job of candidates) {
      if (!policy.reorder && busy.has(job.conversationKey)) {
        remaining.push(job);
        continue;
      }
      let group = open.get(job.url);
      const claimed = claims.get(job.conversationKey);
      const full = group !== undefined && group.length >= policy.batchSize;
      if (claimed !== undefined && (claimed !== group || full)) {
        remaining.push(job);
        continue;
      }
      if (group === undefined || full) {
        group = [];
        open.set(job.url, group);
        groups.push({ url: job.url, jobs: group });
      }
      group.push(job);
      if (!policy.reorder) {
        claims.set(job.conversationKey, group);
      }
    }
    queue = remaining;
    for (const key of claims.keys()) {
      busy.add(key);
    }
    for (const group of groups) {
      const batch = newBatch(group.url, group.jobs, false);
      if (policy.reorder) {
        later(random() * REORDER_JITTER_MS, batch);
      } else {
        void attempt(batch);
      }
    }
  };

  const later = (delayMs: number, batch: Batch): void => {
    const cancel = clock.schedule(delayMs, () => {
      cancels.delete(cancel);
      void attempt(batch);
    });
    cancels.add(cancel);
  };

  const post = async (batch: Batch): Promise<number | 'error'> => {
    const controller = new AbortController();
    controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), policy.timeoutMs);
    try {
      const res = await fetch(batch.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': batch.signature,
          'user-agent': 'facebookexternalua',
        },
        body: batch.body,
        signal: controller.signal,
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 'error';
    } finally {
      clearTimeout(timer);
      controllers.delete(controller);
    }
  };

  const attempt = async (batch: Batch): Promise<void> => {
    if (closed || batch.epoch !== epoch) {
      return;
    }
    batch.attempt += 1;
    const status = await post(batch);
    if (closed || batch.epoch !== epoch) {
      return;
    }
    const entry: WebhookLogEntry = { at: clock.now(), url: batch.url, status, attempt: batch.attempt, body: batch.body };
    entries.push(entry);
    deps.onAttempt({ ...entry, deliveryId: batch.id, duplicate: batch.duplicate, fields: batch.jobs.map((j) => j.change.field) });
    if (status === 200) {
      finish(batch, true);
      return;
    }
    const delay = policy.retryDelaysMs[batch.attempt - 1];
    if (delay === undefined) {
      finish(batch, false);
      return;
    }
    later(delay, batch);
  };

  const finish = (batch: Batch, acknowledged: boolean): void => {
    inFlight.delete(batch);
    if (!batch.duplicate) {
      for (const job of batch.jobs) {
        busy.delete(job.conversationKey);
      }
      // At-least-once delivery (§1.2): optionally re-send an acknowledged POST byte for byte.
      if (acknowledged && policy.duplicateRate > 0 && random() < policy.duplicateRate) {
        void attempt(newBatch(batch.url, batch.jobs, true, batch.body));
      }
    }
    schedulePump();
  };

  const dropAll = (): void => {
    epoch += 1;
    queue = [];
    inFlight.clear();
    busy.clear();
    for (const cancel of cancels) {
      cancel();
    }
    cancels.clear();
    for (const controller of controllers) {
      controller.abort();
    }
    controllers.clear();
  };

  return {
    enqueue(job) {
      if (closed) {
        return;
      }
      queue.push(job);
      schedulePump();
    },
    pending() {
      let count = queue.length;
      for (const batch of inFlight) {
        count += batch.jobs.length;
      }
      return count;
    },
    log() {
      return entries.map((e) => ({ ...e }));
    },
    reset() {
      dropAll();
      entries.length = 0;
    },
    close() {
      closed = true;
      dropAll();
    },
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = copy[i];
    const b = copy[j];
    if (a !== undefined && b !== undefined) {
      copy[i] = b;
      copy[j] = a;
    }
  }
  return copy;
}
