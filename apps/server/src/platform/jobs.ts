/**
 * The transactional job queue (ARCHITECTURE §9): jobs are rows enqueued in the same transaction as the domain
 * write that causes them, claimed with FOR UPDATE SKIP LOCKED, leased to one worker, retried with backoff and
 * dead-lettered after `max_attempts`. Jobs sharing an `ordering_key` run strictly one at a time in id order:
 * only the oldest unfinished job of a key is claimable.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from './db.js';

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

export interface Job {
  id: number;
  queue: string;
  payload: Record<string, unknown>;
  orderingKey: string | null;
  attempts: number;
  maxAttempts: number;
  workspaceId: string | null;
}

export interface EnqueueInput {
  queue: string;
  payload: Record<string, unknown>;
  workspaceId?: string | null;
  orderingKey?: string | null;
  /** A second enqueue with the same (queue, key) is a no-op, even after the first one finished. */
  idempotencyKey?: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

/** Channel the database NOTIFYs when jobs become claimable. */
export const JOBS_CHANNEL = 'parley_jobs';

/** Enqueues jobs; returns the ids of those inserted (duplicates by idempotency key are skipped). */
export async function enqueueJobs(ex: Executor, inputs: EnqueueInput[]): Promise<number[]> {
  if (inputs.length === 0) {
    return [];
  }
  const rows = inputs.map(
    (j) =>
      sql`(${j.workspaceId ?? null}::uuid, ${j.queue}::text, ${JSON.stringify(j.payload)}::jsonb, ${j.orderingKey ?? null}::text, ${j.idempotencyKey ?? null}::text, ${(j.runAt ?? null)?.toISOString() ?? null}::timestamptz, ${j.maxAttempts ?? 10}::int)`,
  );
  const inserted = await query<{ id: string | number }>(
    ex,
    sql`insert into jobs (workspace_id, queue, payload, ordering_key, idempotency_key, run_at, max_attempts)
        select w, q, p, o, i, coalesce(r, now()), m from (values ${sql.join(rows, sql`, `)}) as v(w, q, p, o, i, r, m)
        on conflict (queue, idempotency_key) do nothing
        returning id`,
  );
  return inserted.map((r) => Number(r.id));
}

/** Claims up to `limit` claimable jobs of the given queues for `workerId`, leasing them for `leaseSeconds`. */
export async function claimJobs(ex: Executor, opts: { queues: string[]; limit: number; workerId: string; leaseSeconds: number }): Promise<Job[]> {
  const rows = await query<RawJob>(
    ex,
    sql`update jobs set status = 'running', attempts = attempts + 1, locked_by = ${opts.workerId},
               locked_until = now() + make_interval(secs => ${opts.leaseSeconds})
        where id in (
          select j.id from jobs j
          where j.status = 'pending' and j.run_at <= now() and j.queue = any(${toPgArray(opts.queues)}::text[])
            and (j.ordering_key is null or not exists (
              select 1 from jobs p where p.ordering_key = j.ordering_key and p.id < j.id and p.status in ('pending', 'running')))
          order by j.id
          limit ${opts.limit}
          for update skip locked)
        returning id, queue, payload, ordering_key, attempts, max_attempts, workspace_id`,
  );
  return rows.map(toJob).sort((a, b) => a.id - b.id);
}

/** Marks jobs done in one statement (batch handlers, inside their transaction). */
export async function completeJobs(ex: Executor, jobIds: number[]): Promise<void> {
  await ex.execute(sql`update jobs set status = 'done', finished_at = now(), locked_until = null, locked_by = null where id = any(${toPgArray(jobIds)}::bigint[])`);
}

/** Marks a job done; call it inside the handler's own transaction to make the work and its completion atomic. */
export async function completeJob(ex: Executor, jobId: number): Promise<void> {
  await ex.execute(sql`update jobs set status = 'done', finished_at = now(), locked_until = null, locked_by = null where id = ${jobId}`);
}

/** Puts a job back to wait until `runAt` without counting the attempt (rate limits, waiting for a peer). */
export async function deferJob(ex: Executor, jobId: number, runAt: Date): Promise<void> {
  await ex.execute(
    sql`update jobs set status = 'pending', attempts = greatest(attempts - 1, 0), run_at = ${runAt.toISOString()}::timestamptz,
               locked_until = null, locked_by = null where id = ${jobId}`,
  );
}

/** Records a failure: retried with exponential backoff, or dead-lettered once attempts are used up. */
export async function failJob(ex: Executor, job: Job, error: string, opts: { retryable: boolean; retryAt?: Date }): Promise<JobStatus> {
  const dead = !opts.retryable || job.attempts >= job.maxAttempts;
  const runAt = opts.retryAt ?? new Date(Date.now() + backoffMs(job.attempts));
  await ex.execute(
    sql`update jobs set status = ${dead ? 'dead' : 'pending'}, last_error = ${error.slice(0, 2000)},
               run_at = ${runAt.toISOString()}::timestamptz, locked_until = null, locked_by = null,
               finished_at = ${dead ? sql`now()` : sql`null`}
        where id = ${job.id}`,
  );
  return dead ? 'dead' : 'pending';
}

/** 1 s, 2 s, 4 s … capped at 10 minutes, with ±20 % jitter so retries of a burst spread out. */
export function backoffMs(attempt: number): number {
  const base = Math.min(600_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Returns running jobs to the queue whose lease ran out or whose worker stopped sending heartbeats.
 * `deadWorkerSeconds` is how stale a heartbeat must be.
 */
export async function recoverExpiredLeases(ex: Executor, deadWorkerSeconds: number): Promise<number> {
  const rows = await query<{ id: number }>(
    ex,
    sql`update jobs set status = 'pending', locked_until = null, locked_by = null
        where status = 'running' and (locked_until < now() or locked_by not in (
          select id from workers where heartbeat_at > now() - make_interval(secs => ${deadWorkerSeconds})))
        returning id`,
  );
  return rows.length;
}

/** Extends the leases of the jobs a live worker holds (called with its heartbeat). */
export async function extendLeases(ex: Executor, workerId: string, leaseSeconds: number): Promise<number> {
  const rows = await query<{ id: number }>(
    ex,
    sql`update jobs set locked_until = now() + make_interval(secs => ${leaseSeconds})
        where status = 'running' and locked_by = ${workerId}
        returning id`,
  );
  return rows.length;
}

/** Deletes finished jobs older than the retention (idempotency keys live as long as their job row). */
export async function purgeFinishedJobs(ex: Executor, olderThanSeconds: number): Promise<number> {
  const rows = await query<{ id: number }>(
    ex,
    sql`delete from jobs where status = 'done' and finished_at < now() - make_interval(secs => ${olderThanSeconds}) returning id`,
  );
  return rows.length;
}

export interface JobCounts {
  pending: number;
  running: number;
  done: number;
  dead: number;
}

export async function countJobs(ex: Executor, queue?: string): Promise<JobCounts> {
  const filter: SQL = queue ? sql`where queue = ${queue}` : sql``;
  const rows = await query<{ status: JobStatus; n: string | number }>(ex, sql`select status, count(*) as n from jobs ${filter} group by status`);
  const counts: JobCounts = { pending: 0, running: 0, done: 0, dead: 0 };
  for (const r of rows) {
    counts[r.status] = Number(r.n);
  }
  return counts;
}

interface RawJob {
  id: string | number;
  queue: string;
  payload: Record<string, unknown>;
  ordering_key: string | null;
  attempts: number;
  max_attempts: number;
  workspace_id: string | null;
}

function toJob(r: RawJob): Job {
  return {
    id: Number(r.id),
    queue: r.queue,
    payload: r.payload,
    orderingKey: r.ordering_key,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    workspaceId: r.workspace_id,
  };
}
