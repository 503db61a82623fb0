/**
 * Runs job handlers in a worker process: claims batches, runs them concurrently, and sleeps until a NOTIFY,
 * a local enqueue or the poll interval wakes it. Handlers decide the outcome; the runner records it.
 */
import type { Database } from './db.js';
import { type Job, JOBS_CHANNEL, claimJobs, completeJob, deferJob, failJob, recoverExpiredLeases } from './jobs.js';
import type { Logger } from './logger.js';

/** Workers beat every 2 s; one silent this long is gone and its leases are void. */
const DEAD_WORKER_SECONDS = 10;
/** How often an idle batch queue is asked for work; statuses may wait this long, claims stay few. */
const BATCH_CLAIM_MS = 10;
/** Batches of one queue in flight at once per process (the claim never gives two of one conversation). */
const BATCHES_PER_QUEUE = 2;
/** After a claim that left slots free, wait this long so the next claim fills several at once. */
const CLAIM_GATHER_MS = 2;

export type JobOutcome =
  /** The handler finished; `completedInTx` when it already called completeJob inside its own transaction. */
  | { kind: 'done'; completedInTx?: boolean }
  /** Not now (rate limit, waiting for a peer): run again at `runAt`, not counted as an attempt. */
  | { kind: 'defer'; runAt: Date }
  | { kind: 'retry'; error: string; runAt?: Date }
  | { kind: 'fail'; error: string };

export type JobHandler = (job: Job) => Promise<JobOutcome>;

/**
 * Handles many jobs of one queue at once. Either it completes them in its own transaction (completeJobs) and
 * returns nothing, or it returns each job's outcome for the runner to record.
 */
export interface BatchJobHandler {
  size: number;
  handle(jobs: Job[]): Promise<Map<number, JobOutcome> | void>;
  /** When a batch fails, its jobs run through this one by one, so one bad job does not hold back the others. */
  single?: JobHandler;
}

export interface JobRunnerOptions {
  database: Database;
  handlers: Record<string, JobHandler>;
  /** Queues whose jobs are handled in batches; a batch takes one concurrency slot. */
  batchHandlers?: Record<string, BatchJobHandler>;
  workerId: string;
  concurrency: number;
  leaseSeconds: number;
  logger: Logger;
  pollIntervalMs?: number;
}

export interface JobRunner {
  start(): Promise<void>;
  /** Wakes the loop now (called after a local enqueue). */
  wake(): void;
  stop(): Promise<void>;
}

export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const { database, handlers, logger } = opts;
  const queues = Object.keys(handlers);
  const batchQueues = Object.entries(opts.batchHandlers ?? {});
  const pollMs = opts.pollIntervalMs ?? 250;
  let running = false;
  let inFlight = 0;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  const active = new Set<Promise<void>>();
  const batchRunning = new Map<string, number>();
  const lastBatchClaim = new Map<string, number>();

  const wake = () => {
    const w = wakeUp;
    wakeUp = undefined;
    w?.();
  };

  async function runOne(job: Job, handler: JobHandler | undefined = handlers[job.queue]): Promise<void> {
    let outcome: JobOutcome;
    try {
      outcome = handler ? await handler(job) : { kind: 'fail', error: `no handler for queue ${job.queue}` };
    } catch (err) {
      outcome = { kind: 'retry', error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    await recordOutcome(job, outcome);
  }

  async function recordOutcome(job: Job, outcome: JobOutcome): Promise<void> {
    try {
      switch (outcome.kind) {
        case 'done':
          if (!outcome.completedInTx) {
            await completeJob(database.db, job.id);
          }
          break;
        case 'defer':
          await deferJob(database.db, job.id, outcome.runAt);
          break;
        case 'retry':
        case 'fail': {
          const status = await failJob(database.db, job, outcome.error, outcome.kind === 'retry' ? { retryable: true, ...(outcome.runAt ? { retryAt: outcome.runAt } : {}) } : { retryable: false });
          logger[status === 'dead' ? 'error' : 'warn']({ jobId: job.id, queue: job.queue, attempts: job.attempts, status, error: outcome.error.split('\n')[0] }, status === 'dead' ? 'job dead-lettered' : 'job will be retried');
          break;
        }
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    } catch (err) {
      // The lease will expire and the job runs again; handlers are idempotent.
      logger.error({ err, jobId: job.id }, 'could not record job outcome');
    }
  }

  async function runBatch(handler: BatchJobHandler, jobs: Job[]): Promise<void> {
    try {
      const outcomes = await handler.handle(jobs);
      if (outcomes) {
        for (const job of jobs) {
          await recordOutcome(job, outcomes.get(job.id) ?? { kind: 'retry', error: 'the batch handler reported no outcome for this job' });
        }
      }
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      // drizzle wraps the database's own message as the cause of "Failed query: …"
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
      logger.warn({ queue: jobs[0]?.queue, jobs: jobs.length, error: error.split('\n')[0], ...(cause ? { cause } : {}) }, 'job batch failed');
      for (const job of jobs) {
        if (handler.single && jobs.length > 1) {
          await runOne(job, handler.single);
        } else {
          await failJob(database.db, job, error, { retryable: true }).catch(() => undefined);
        }
      }
    }
  }

  function track(p: Promise<void>): void {
    inFlight++;
    const tracked = p.finally(() => {
      inFlight--;
      active.delete(tracked);
      wake();
    });
    active.add(tracked);
  }

  async function mainLoop(): Promise<void> {
    let lastRecovery = 0;
    while (running) {
      if (Date.now() - lastRecovery > 5000) {
        lastRecovery = Date.now();
        const recovered = await recoverExpiredLeases(database.db, DEAD_WORKER_SECONDS).catch(() => 0);
        if (recovered > 0) {
          logger.warn({ recovered }, 'returned jobs of stopped workers to the queue');
        }
      }
      let claimed: Job[] = [];
      // A wake-up inside a batch queue's claim interval must not wait a whole poll interval for it.
      let sleepMs = pollMs;
      try {
        // Batch queues: one claim at most every BATCH_CLAIM_MS, and at most BATCHES_PER_QUEUE batches in flight.
        for (const [queue, handler] of batchQueues) {
          const sinceClaim = Date.now() - (lastBatchClaim.get(queue) ?? 0);
          const running = batchRunning.get(queue) ?? 0;
          if (sinceClaim < BATCH_CLAIM_MS && running < BATCHES_PER_QUEUE) {
            sleepMs = Math.min(sleepMs, BATCH_CLAIM_MS - sinceClaim);
          }
          if (opts.concurrency - inFlight > 0 && running < BATCHES_PER_QUEUE && sinceClaim >= BATCH_CLAIM_MS) {
            lastBatchClaim.set(queue, Date.now());
            const batch = await claimJobs(database.db, { queues: [queue], limit: handler.size, workerId: opts.workerId, leaseSeconds: opts.leaseSeconds });
            if (batch.length > 0) {
              batchRunning.set(queue, running + 1);
              track(runBatch(handler, batch).finally(() => batchRunning.set(queue, (batchRunning.get(queue) ?? 1) - 1)));
              claimed = claimed.concat(batch);
            }
          }
        }
        const free = opts.concurrency - inFlight;
        if (free > 0 && queues.length > 0) {
          const single = await claimJobs(database.db, { queues, limit: free, workerId: opts.workerId, leaseSeconds: opts.leaseSeconds });
          for (const job of single) {
            track(runOne(job));
          }
          claimed = claimed.concat(single);
        }
      } catch (err) {
        logger.error({ err }, 'claiming jobs failed');
      }
      if (claimed.length > 0 && inFlight < opts.concurrency) {
        // Let a few more jobs finish before the next claim, so one query fills several slots.
        await new Promise((r) => setTimeout(r, CLAIM_GATHER_MS));
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wakeUp = undefined;
          resolve();
        }, sleepMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    async start() {
      running = true;
      unlisten = await database.listen(JOBS_CHANNEL, wake);
      loop = mainLoop();
    },
    wake,
    async stop() {
      running = false;
      wake();
      await loop;
      await Promise.allSettled([...active]);
      await unlisten?.();
    },
  };
}
