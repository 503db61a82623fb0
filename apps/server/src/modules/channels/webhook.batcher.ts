/**
 * Group commit for the webhook request path. Requests that arrive while earlier inserts are in flight are
 * written together in one statement; each request is answered only after the commit that holds its events,
 * so durability is the same as one insert per request. Idle, a batch is one request and adds no wait.
 * PostgreSQL spends most of a small insert on the statement and the commit; batching is what lets one
 * database accept thousands of webhooks a second on two cores (bench/webhooks.bench.ts).
 */
import { type Executor, withDeadlockRetry } from '../../platform/db.js';
import { type ChannelEvent, storeInboundEvents } from './webhook.store.js';

export interface InboundBatcher {
  /** Stores the events; resolves once they are committed, with how many events of their batch were new. */
  store(items: ChannelEvent[]): Promise<number>;
}

interface Waiting {
  items: ChannelEvent[];
  resolve: (n: number) => void;
  reject: (err: unknown) => void;
}

export function createInboundBatcher(ex: Executor, opts: { maxInFlight: number; maxEvents: number }): InboundBatcher {
  const queue: Waiting[] = [];
  let inFlight = 0;

  function flush(): void {
    while (inFlight < opts.maxInFlight && queue.length > 0) {
      const batch: Waiting[] = [];
      let events = 0;
      while (queue.length > 0 && (batch.length === 0 || events + (queue[0]?.items.length ?? 0) <= opts.maxEvents)) {
        const next = queue.shift()!;
        batch.push(next);
        events += next.items.length;
      }
      inFlight++;
      // Two batches in flight may carry the same provider event (a duplicate delivery) and deadlock on its unique
      // key; storing again is safe (a stored event is a no-op).
      withDeadlockRetry(() => storeInboundEvents(ex, batch.flatMap((w) => w.items)))
        .then(
          (stored) => {
            for (const w of batch) {
              w.resolve(stored);
            }
          },
          (err: unknown) => {
            for (const w of batch) {
              w.reject(err);
            }
          },
        )
        .finally(() => {
          inFlight--;
          flush();
        });
    }
  }

  return {
    store(items) {
      if (items.length === 0) {
        return Promise.resolve(0);
      }
      return new Promise<number>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        flush();
      });
    },
  };
}


