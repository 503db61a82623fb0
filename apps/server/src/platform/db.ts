/**
 * The database client: PGlite in the data directory, or PostgreSQL via DATABASE_URL — one drizzle type,
 * one SQL dialect (PostgreSQL 15, ARCHITECTURE §9). Only platform code constructs clients.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from '../db/schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that runs a query: the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Subscribe to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  notify(channel: string): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a gzipped tarball (tests clone a migrated template from it). */
  dump?(): Promise<Blob>;
}

/**
 * Runs a raw SQL query and returns its rows. Both drivers return `{ rows }`; the row type is the caller's
 * promise about its own SELECT list.
 */
export async function query<T>(ex: Executor, q: SQL): Promise<T[]> {
  const result = (await ex.execute(q)) as unknown as { rows: T[] };
  return result.rows;
}

/** Like `query`, for statements that must return exactly one row. */
export async function queryOne<T>(ex: Executor, q: SQL): Promise<T> {
  const rows = await query<T>(ex, q);
  const row = rows[0];
  if (row === undefined) {
    throw new Error('expected one row, got none');
  }
  return row;
}

export interface PgliteOptions {
  dataDir?: string;
  /** A data directory dump (from `dumpDataDir`) to start from, used by tests to clone a migrated template. */
  loadDataDir?: Blob | File;
}

export async function openPglite(opts: PgliteOptions): Promise<Database> {
  let dir: string | undefined;
  if (opts.dataDir !== undefined) {
    dir = join(opts.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
  }
  const client = new PGlite({ ...(dir ? { dataDir: dir } : {}), ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async listen(channel, onNotify) {
      const unsub = await client.listen(channel, () => onNotify());
      return async () => unsub();
    },
    async notify(channel) {
      await client.query(`select pg_notify($1, '')`, [channel]);
    },
    async close() {
      await client.close();
    },
    async dump() {
      return client.dumpDataDir('gzip');
    },
  };
}

export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'parley' });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const probe = await pool.connect();
  probe.release();
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<() => void>>();
  return {
    db,
    kind: 'postgres',
    async listen(channel, onNotify) {
      if (!listener) {
        listener = new pg.Client({ connectionString: url, application_name: 'parley-listen' });
        listener.on('error', () => undefined);
        await listener.connect();
        listener.on('notification', (n) => handlers.get(n.channel)?.forEach((h) => h()));
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`listen "${channel.replace(/"/g, '')}"`);
      }
      set.add(onNotify);
      return async () => {
        set.delete(onNotify);
      };
    },
    async notify(channel) {
      await pool.query(`select pg_notify($1, '')`, [channel]);
    },
    async close() {
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/**
 * A PostgreSQL array literal (`'{"a","b",NULL}'`) for `= any(${…}::text[])` or `unnest(…)`: one parameter
 * whatever the number of elements, so batch statements keep a fixed shape. Elements are quoted and escaped.
 */
export function toPgArray(values: ReadonlyArray<string | number | null>): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}


/**
 * Runs `fn` again when PostgreSQL aborted it as a deadlock victim (SQLSTATE 40P01), up to `attempts` times. Only
 * for work that is safe to repeat (idempotent inserts, a whole transaction).
 */
export async function withDeadlockRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: string; cause?: { code?: string } };
      if ((e.cause?.code ?? e.code) !== '40P01' || attempt >= attempts) {
        throw err;
      }
    }
  }
}

class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super('dry run: rolled back');
  }
}

/**
 * Runs `fn` in a transaction; with `dryRun` it returns what `fn` returned and rolls everything back — the same
 * code computes a preview and does the real thing (erasure, retention sweep).
 */
export async function transactionOrDryRun<T>(db: Db, dryRun: boolean, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      const result = await fn(tx);
      if (dryRun) {
        throw new RolledBack(result);
      }
      return result;
    });
  } catch (err) {
    if (err instanceof RolledBack) {
      return err.result as T;
    }
    throw err;
  }
}

/** How many rows a DELETE or UPDATE (without its own RETURNING) touched: the same count on both drivers. */
export async function countAffected(ex: Executor, statement: SQL): Promise<number> {
  const [row] = await query<{ n: number | string }>(ex, sql`with d as (${statement} returning 1) select count(*) as n from d`);
  return Number(row?.n ?? 0);
}
