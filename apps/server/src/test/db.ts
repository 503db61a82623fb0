/**
 * A fresh database per test file, cloned from the migrated template: PGlite by default, PostgreSQL when
 * DATABASE_URL is set (the same tests run on both, ARCHITECTURE §9).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openPglite, openPostgres } from '../platform/db.js';
import { withDatabase } from './global-setup.js';

export interface TestDatabase extends Database {
  /** The PostgreSQL URL of this clone (undefined on PGlite). */
  url: string | undefined;
}

/** A migrated clone by default; `empty` gives a database without any table (for migration tests). */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = inject('dbTemplate');
  if (template.kind === 'pglite') {
    const database = await openPglite(opts.empty ? {} : { loadDataDir: new Blob([readFileSync(template.dumpPath)]) });
    return Object.assign(database, { url: undefined });
  }
  const name = `${template.template}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: template.adminUrl });
  await admin.connect();
  try {
    await admin.query(opts.empty ? `create database ${name}` : `create database ${name} template ${template.template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(template.adminUrl, name);
  const database = await openPostgres(url, 8);
  const close = database.close.bind(database);
  return Object.assign(database, {
    url,
    async close() {
      await close();
      const a = new pg.Client({ connectionString: template.adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await a.end();
    },
  });
}

export function isPostgresRun(): boolean {
  return inject('dbTemplate').kind === 'postgres';
}
