/**
 * Applies the generated SQL migrations (db/migrations, from drizzle-kit) in order, once each, under an
 * advisory lock so several processes starting together on one PostgreSQL do not race.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Db, query } from './db.js';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'db', 'migrations');
const MIGRATION_LOCK = 727_001;

interface Journal {
  entries: Array<{ idx: number; tag: string }>;
}

export function listMigrations(): Array<{ tag: string; statements: string[] }> {
  const journal = JSON.parse(readFileSync(join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as Journal;
  return journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map((e) => ({
      tag: e.tag,
      statements: readFileSync(join(migrationsDir, `${e.tag}.sql`), 'utf8')
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean),
    }));
}

/** Applies pending migrations; returns the tags it applied. */
export async function migrate(db: Db): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(sql`create table if not exists parley_migrations (tag text primary key, applied_at timestamptz not null default now())`);
    const done = new Set((await query<{ tag: string }>(tx, sql`select tag from parley_migrations`)).map((r) => r.tag));
    for (const m of listMigrations()) {
      if (done.has(m.tag)) {
        continue;
      }
      for (const statement of m.statements) {
        await tx.execute(sql.raw(statement));
      }
      await tx.execute(sql`insert into parley_migrations (tag) values (${m.tag})`);
      applied.push(m.tag);
    }
  });
  return applied;
}

/** The tags not yet applied (for /readyz). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const exists = await query<{ ok: boolean }>(db, sql`select to_regclass('parley_migrations') is not null as ok`);
  const done = exists[0]?.ok ? new Set((await query<{ tag: string }>(db, sql`select tag from parley_migrations`)).map((r) => r.tag)) : new Set<string>();
  return listMigrations().map((m) => m.tag).filter((t) => !done.has(t));
}
