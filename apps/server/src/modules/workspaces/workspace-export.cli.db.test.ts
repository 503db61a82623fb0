/**
 * `parley export` as a command: usage errors (exit 2), straight on the database (PostgreSQL, or PGlite without a
 * server), and through a running server's admin API (PGlite held by the server: the lock file names it).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { lockFilePath } from '../../platform/data-dir-lock.js';
import { createTestDatabase, isPostgresRun, type TestDatabase } from '../../test/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { applyWorkspace } from './workspace-apply.service.js';
import { useCliTestKit } from '../../test/cli.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
const { tempDir, closers, capture, serverDataDir } = useCliTestKit('export-cli');

/** A clean store: a PGlite data dir, or a fresh PostgreSQL clone when DATABASE_URL is set. */
async function freshEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent', PARLEY_SECRET_KEY: randomBytes(32).toString('hex') };
  if (isPostgresRun()) {
    const db: TestDatabase = await createTestDatabase();
    closers.push(db);
    env.DATABASE_URL = db.url!;
  }
  return env;
}

const listFiles = (dir: string, sub: string) => readdirSync(join(dir, sub)).sort();

describe('parley export (CLI)', () => {
  it('exits 2 with a readable message for a missing or extra directory, an unknown option, or a non-empty directory', async () => {
    const env = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent' };
    for (const argv of [['export'], ['export', 'a', 'b'], ['export', tempDir(), '--overwrite']]) {
      const c = capture();
      expect(await runCli(argv, env, c.out), argv.join(' ')).toBe(2);
      expect(c.errors[0]).toMatch(/^parley: (usage: parley export <dir> \[--force\] \[--json\]|Unknown option '--overwrite')/);
    }
    const full = tempDir();
    writeFileSync(join(full, 'notes.txt'), 'meine Notizen\n');
    const c = capture();
    expect(await runCli(['export', full], env, c.out)).toBe(2);
    expect(c.errors[0]).toMatch(/^parley: .+ is not empty \(1 entry\); export into an empty directory, or add --force/);
    expect(readdirSync(full)).toEqual(['notes.txt']);
  });

  it('exports straight from the database; the export applies as a no-op, and --force rewrites it byte for byte', async () => {
    const env = await freshEnv();
    expect(await runCli(['apply', demo], env, capture().out)).toBe(0);
    const out = join(tempDir(), 'workspace');
    const c = capture();
    expect(await runCli(['export', out], env, c.out)).toBe(0);
    expect(c.lines.join('\n')).toMatch(/^Exported the workspace to .+:\ntopics: 13, items: \d+, flows: 8 \(\d+ files\)$/);
    expect(listFiles(out, 'flows')).toEqual(listFiles(demo, 'flows'));
    expect(listFiles(out, 'content/items')).toEqual(listFiles(demo, 'content/items'));

    const again = capture();
    expect(await runCli(['apply', out, '--json'], env, again.out)).toBe(0);
    const summary = (JSON.parse(again.lines.join('\n')) as { summary: Record<string, Record<string, number>> }).summary;
    for (const kind of ['topics', 'items', 'flows']) {
      expect(summary[kind], kind).toMatchObject({ created: 0, updated: 0, new_version: 0 });
    }

    const before = readFileSync(join(out, 'flows/main-menu.yaml'), 'utf8');
    writeFileSync(join(out, 'flows/old-flow.yaml'), 'id: old-flow\n');
    const forced = capture();
    expect(await runCli(['export', out, '--force', '--json'], env, forced.out)).toBe(0);
    const report = JSON.parse(forced.lines.join('\n')) as { files: string[]; leftAlone: string[]; warnings: string[] };
    expect(report).toMatchObject({ leftAlone: ['flows/old-flow.yaml'], warnings: [] });
    expect(report.files).toContain('flows/main-menu.yaml');
    expect(readFileSync(join(out, 'flows/main-menu.yaml'), 'utf8')).toBe(before);
    expect(readFileSync(join(out, 'flows/old-flow.yaml'), 'utf8')).toBe('id: old-flow\n');
  }, 120_000); // four commands, each opening the embedded database anew

  it('goes through the running server’s admin API while it holds the embedded database', async () => {
    const h: Harness = await createHarness();
    closers.push(h);
    expect(await applyWorkspace(h.database.db, h.deps.workspace.id, demo)).toMatchObject({ ok: true });
    const url = await h.listen();
    // The lock a server writes; our own pid is alive, so the CLI takes it for a running server.
    const dataDir = serverDataDir(url, h.adminToken);
    const env = { PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const out = join(tempDir(), 'live');
    const c = capture();
    expect(await runCli(['export', out], env, c.out)).toBe(0);
    expect(c.lines.join('\n')).toMatch(/topics: 13, items: \d+, flows: 8/);
    await expect(applyWorkspace(h.database.db, h.deps.workspace.id, out)).resolves.toMatchObject({ ok: true, summary: { items: { created: 0, new_version: 0 } } });

    writeFileSync(lockFilePath(dataDir), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), adminUrl: url, adminToken: 'wrong' }));
    const denied = capture();
    expect(await runCli(['export', join(tempDir(), 'denied')], env, denied.out)).toBe(1);
    expect(denied.errors[0]).toMatch(/^parley: A valid admin token is required/);
  });
});
