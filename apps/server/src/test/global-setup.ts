/**
 * Migrates once into a template (STYLE.md test tier 2): a PGlite data-directory dump by default, or a
 * PostgreSQL template database when DATABASE_URL is set. Test files clone it (test/db.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../platform/db.js';
import { migrate } from '../platform/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: { kind: 'pglite'; dumpPath: string } | { kind: 'postgres'; adminUrl: string; template: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `parley_tpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${template}`);
    const database = await openPostgres(withDatabase(url, template), 2);
    await migrate(database.db);
    await database.close();
    project.provide('dbTemplate', { kind: 'postgres', adminUrl: url, template });
    return async () => {
      // Drop the template and every clone the run made (clones are named after it).
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${template}%`]);
      for (const r of rows.reverse()) {
        await admin.query(`drop database if exists ${r.datname} with (force)`);
      }
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-tpl-'));
  const database = await openPglite({});
  await migrate(database.db);
  if (!database.dump) {
    throw new Error('PGlite database has no dump()');
  }
  const dump = await database.dump();
  const dumpPath = join(dir, 'template.tar.gz');
  writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('dbTemplate', { kind: 'pglite', dumpPath });
  return async () => rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
