import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.js';
import { openPostgres, query } from './db.js';
import { claimJobs, completeJob, countJobs, deferJob, enqueueJobs, extendLeases, failJob, recoverExpiredLeases } from './jobs.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

let n = 0;
/** Every test uses its own queue names, so tests never see each other's jobs. */
const q = (name: string) => `${name}.${++n}`;
const claim = (queues: string[], limit = 10, workerId = 'w1') => claimJobs(database.db, { queues, limit, workerId, leaseSeconds: 30 });

describe('job queue', () => {
  it('claims a job once and not again while it is leased', async () => {
    const queue = q('once');
    await enqueueJobs(database.db, [{ queue, payload: { a: 1 } }]);
    const first = await claim([queue]);
    expect(first).toHaveLength(1);
    expect(first[0]?.payload).toEqual({ a: 1 });
    expect(first[0]?.attempts).toBe(1);
    expect(await claim([queue])).toHaveLength(0);
    await completeJob(database.db, first[0]!.id);
    expect(await countJobs(database.db, queue)).toMatchObject({ done: 1, pending: 0, running: 0 });
  });

  it('runs jobs with the same ordering key strictly one after another, in id order', async () => {
    const queue = q('ordered');
    await enqueueJobs(database.db, [
      { queue, payload: { i: 1 }, orderingKey: 'conv-a' },
      { queue, payload: { i: 2 }, orderingKey: 'conv-a' },
      { queue, payload: { i: 3 }, orderingKey: 'conv-b' },
    ]);
    const firstRound = await claim([queue]);
    // Only the head of each key is claimable: 1 (conv-a) and 3 (conv-b), never 2 before 1 finished.
    expect(firstRound.map((j) => j.payload.i)).toEqual([1, 3]);
    expect(await claim([queue])).toHaveLength(0);
    await completeJob(database.db, firstRound[0]!.id);
    const second = await claim([queue]);
    expect(second.map((j) => j.payload.i)).toEqual([2]);
  });

  it('ignores a second enqueue with the same idempotency key, even after the first finished', async () => {
    const queue = q('idem');
    const a = await enqueueJobs(database.db, [{ queue, payload: {}, idempotencyKey: 'k1' }]);
    const jobs = await claim([queue]);
    await completeJob(database.db, jobs[0]!.id);
    const b = await enqueueJobs(database.db, [{ queue, payload: {}, idempotencyKey: 'k1' }]);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(0);
  });

  it('does not run a job before its run_at', async () => {
    const queue = q('later');
    await enqueueJobs(database.db, [{ queue, payload: {}, runAt: new Date(Date.now() + 60_000) }]);
    expect(await claim([queue])).toHaveLength(0);
  });

  it('retries with backoff and dead-letters after max attempts; a dead job no longer blocks its key', async () => {
    const queue = q('retry');
    await enqueueJobs(database.db, [
      { queue, payload: { i: 1 }, orderingKey: 'k', maxAttempts: 2 },
      { queue, payload: { i: 2 }, orderingKey: 'k' },
    ]);
    const [job] = await claim([queue]);
    expect(await failJob(database.db, job!, 'boom', { retryable: true, retryAt: new Date(Date.now() - 1) })).toBe('pending');
    const [again] = await claim([queue]);
    expect(again?.id).toBe(job!.id);
    expect(again?.attempts).toBe(2);
    expect(await failJob(database.db, again!, 'boom again', { retryable: true })).toBe('dead');
    const rows = await query<{ status: string; last_error: string }>(database.db, sql`select status, last_error from jobs where id = ${job!.id}`);
    expect(rows[0]).toEqual({ status: 'dead', last_error: 'boom again' });
    const next = await claim([queue]);
    expect(next.map((j) => j.payload.i)).toEqual([2]);
  });

  it('a deferred job does not count the attempt', async () => {
    const queue = q('defer');
    await enqueueJobs(database.db, [{ queue, payload: {} }]);
    const [job] = await claim([queue]);
    await deferJob(database.db, job!.id, new Date(Date.now() - 1));
    const [again] = await claim([queue]);
    expect(again?.attempts).toBe(1);
  });

  it('returns jobs of a worker without heartbeat to the queue', async () => {
    const queue = q('lease');
    await enqueueJobs(database.db, [{ queue, payload: {} }]);
    const [job] = await claim([queue], 1, 'gone-worker');
    expect(job).toBeDefined();
    expect(await recoverExpiredLeases(database.db, 10)).toBeGreaterThanOrEqual(1);
    const [again] = await claim([queue], 1, 'w2');
    expect(again?.id).toBe(job!.id);
  });

  it('keeps a live worker’s jobs past their lease when its heartbeat extends them', async () => {
    const queue = q('extend');
    await enqueueJobs(database.db, [{ queue, payload: {} }]);
    await database.db.execute(sql`insert into workers (id, roles, pid, host) values ('alive', 'worker', 1, 'test') on conflict (id) do update set heartbeat_at = now()`);
    const [job] = await claimJobs(database.db, { queues: [queue], limit: 1, workerId: 'alive', leaseSeconds: 1 });
    // The lease runs out …
    await database.db.execute(sql`update jobs set locked_until = now() - interval '1 second' where id = ${job!.id}`);
    // … but the heartbeat renews it before recovery looks.
    expect(await extendLeases(database.db, 'alive', 30)).toBe(1);
    await recoverExpiredLeases(database.db, 10);
    expect(await claimJobs(database.db, { queues: [queue], limit: 1, workerId: 'other', leaseSeconds: 30 })).toHaveLength(0);
  });

  it('never hands the same job to two concurrent claimers', async () => {
    const queue = q('race');
    const total = 300;
    await enqueueJobs(database.db, Array.from({ length: total }, (_, i) => ({ queue, payload: { i } })));
    // On PostgreSQL: separate pools = separate sessions racing for rows. On PGlite: concurrent calls on one instance.
    const others = database.url ? await Promise.all([1, 2, 3].map(() => openPostgres(database.url!, 2))) : [];
    const executors = [database, ...others];
    const seen: number[] = [];
    await Promise.all(
      executors.flatMap((ex, w) =>
        [0, 1].map(async (k) => {
          for (;;) {
            const jobs = await claimJobs(ex.db, { queues: [queue], limit: 7, workerId: `w${w}-${k}`, leaseSeconds: 30 });
            if (jobs.length === 0) {
              return;
            }
            for (const j of jobs) {
              seen.push(j.id);
              await completeJob(ex.db, j.id);
            }
          }
        }),
      ),
    );
    await Promise.all(others.map((o) => o.close()));
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});
