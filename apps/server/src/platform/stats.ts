import { sql } from 'drizzle-orm';
import { type Executor, query } from './db.js';

export interface InstallationStats {
  /** Jobs by queue and status: the queue depth an operator watches. */
  jobs: Record<string, Record<string, number>>;
  /** Messages by direction and status. */
  messages: Record<string, Record<string, number>>;
}

/** Counts for operators (`GET /api/admin/stats`) and the benchmarks. */
export async function readStats(ex: Executor): Promise<InstallationStats> {
  const jobs = await query<{ queue: string; status: string; n: number }>(ex, sql`select queue, status, count(*)::int as n from jobs group by queue, status`);
  const messages = await query<{ direction: string; status: string; n: number }>(ex, sql`select direction, status, count(*)::int as n from messages group by direction, status`);
  const nest = (rows: Array<{ key: string; status: string; n: number }>) => {
    const out: Record<string, Record<string, number>> = {};
    for (const r of rows) {
      (out[r.key] ??= {})[r.status] = r.n;
    }
    return out;
  };
  return {
    jobs: nest(jobs.map((r) => ({ key: r.queue, status: r.status, n: r.n }))),
    messages: nest(messages.map((r) => ({ key: r.direction, status: r.status, n: r.n }))),
  };
}
