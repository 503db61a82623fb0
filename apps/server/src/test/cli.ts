/**
 * What the CLI tests share: temporary data directories removed after the file, things to close, and a captured
 * console (`runCli(args, env, kit.capture().out)`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { lockFilePath } from '../platform/data-dir-lock.js';
import { type Database, openPglite } from '../platform/db.js';
import { migrate } from '../platform/migrate.js';
import { createTestDatabase, isPostgresRun } from './db.js';

export interface CliTestKit {
  /** A fresh directory, removed after the test file. */
  tempDir(): string;
  /** Servers, harnesses … closed after the test file. */
  closers: Array<{ close(): Promise<void> }>;
  capture(): { out: { log: (s: string) => void; error: (s: string) => void }; lines: string[]; errors: string[] };
  /**
   * A migrated database for the CLI to open straight (no server): a PostgreSQL clone when the suite runs on
   * PostgreSQL, else PGlite in a fresh data directory. Seed it through `database`, then call `handOver()` before
   * running the CLI (PGlite's directory can have one owner only); `env` points the CLI at it.
   */
  /**
   * A data directory whose lock names a live server (this process's pid) at `adminUrl`: the CLI then goes through
   * that server's admin API with `adminToken`, as it does while `parley start` holds the embedded database.
   */
  serverDataDir(adminUrl: string, adminToken: string): string;
  directDatabase(env: Record<string, string>): Promise<{ database: Database; env: Record<string, string>; handOver(): Promise<void> }>;
}

/** Call once at the top of a test file. */
export function useCliTestKit(prefix: string): CliTestKit {
  const dirs: string[] = [];
  const closers: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const c of closers) {
      await c.close();
    }
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), `parley-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
  return {
    tempDir,
    serverDataDir(adminUrl, adminToken) {
      const dir = tempDir();
      writeFileSync(lockFilePath(dir), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), adminUrl, adminToken }));
      return dir;
    },
    async directDatabase(base) {
      const env: Record<string, string> = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent', ...base };
      if (isPostgresRun()) {
        const db = await createTestDatabase();
        closers.push(db);
        return { database: db, env: { ...env, DATABASE_URL: db.url ?? '' }, handOver: async () => undefined };
      }
      const database = await openPglite({ dataDir: env.PARLEY_DATA_DIR! });
      await migrate(database.db);
      return { database, env, handOver: () => database.close() };
    },
    closers,
    capture() {
      const lines: string[] = [];
      const errors: string[] = [];
      return { out: { log: (s: string) => lines.push(s), error: (s: string) => errors.push(s) }, lines, errors };
    },
  };
}
