import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { acquireDataDirLock } from './platform/data-dir-lock.js';
import { createTestDatabase, isPostgresRun, type TestDatabase } from './test/db.js';

const dirs: string[] = [];
const dbs: TestDatabase[] = [];
afterAll(async () => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  for (const d of dbs) {
    await d.close();
  }
});

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { out: { log: (s: string) => lines.push(s), error: (s: string) => errors.push(s) }, lines, errors };
}

/** A clean store per test: a PGlite data dir, or a fresh PostgreSQL clone when DATABASE_URL is set. */
async function freshEnv(opts: { empty?: boolean } = {}): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  dirs.push(dir);
  const env: Record<string, string> = { PARLEY_DATA_DIR: dir, LOG_LEVEL: 'silent', PARLEY_SECRET_KEY: randomBytes(32).toString('hex') };
  if (isPostgresRun()) {
    const db = await createTestDatabase(opts);
    dbs.push(db);
    env.DATABASE_URL = db.url!;
  }
  return env;
}

const ADD = ['channel', 'add', 'whatsapp', '--slug', 'praxis', '--phone-number-id', '109876543210987', '--access-token', 'tok-12345678', '--app-secret', 'sec-12345678', '--verify-token', 'ver-12345678'];

describe('parley CLI', () => {
  it('exits 2 with a readable message for unknown commands and bad arguments', async () => {
    const env = await freshEnv();
    for (const argv of [['frobnicate'], [], ['channel'], ['channel', 'add', 'telegraph'], ['channel', 'add', 'whatsapp', '--slug', 'x'], ['channel', 'list', '--colour'], [...ADD, '--mps', 'fast']]) {
      const c = capture();
      expect(await runCli(argv, env, c.out)).toBe(2);
      expect(c.errors.join('\n')).toMatch(/^parley: /);
    }
    const missing = capture();
    await runCli(['channel', 'add', 'whatsapp', '--slug', 'x'], env, missing.out);
    expect(missing.errors[0]).toContain('--phone-number-id, --access-token, --app-secret, --verify-token');
  });

  it('exits 2 and names every configuration problem', async () => {
    const c = capture();
    expect(await runCli(['migrate'], { PORT: 'x', ROLES: 'chef' }, c.out)).toBe(2);
    expect(c.errors[0]).toContain('PORT');
    expect(c.errors[0]).toContain('ROLES');
  });

  it('migrates a new database, then says it is up to date', async () => {
    const env = await freshEnv({ empty: true });
    const first = capture();
    expect(await runCli(['migrate'], env, first.out)).toBe(0);
    expect(first.lines[0]).toMatch(/^applied: 0000_init/);
    const second = capture();
    expect(await runCli(['migrate'], env, second.out)).toBe(0);
    expect(second.lines[0]).toBe('database is up to date');
  });

  it('adds and lists a WhatsApp channel directly on the database (JSON and text)', async () => {
    const env = await freshEnv();
    const add = capture();
    expect(await runCli([...ADD, '--json', '--mps', '200'], env, add.out)).toBe(0);
    const channel = JSON.parse(add.lines.join('\n'));
    expect(channel).toMatchObject({ slug: 'praxis', kind: 'whatsapp', settings: { phoneNumberId: '109876543210987', mps: 200 } });
    expect(add.lines.join('\n')).not.toContain('sec-12345678');
    const list = capture();
    expect(await runCli(['channel', 'list', '--json'], env, list.out)).toBe(0);
    expect(JSON.parse(list.lines.join('\n'))).toHaveLength(1);
    const text = capture();
    expect(await runCli(['channel', 'list'], env, text.out)).toBe(0);
    expect(text.lines[0]).toContain('praxis');
    const again = capture();
    expect(await runCli(ADD, env, again.out)).toBe(1);
    expect(again.errors[0]).toContain('exists already');
  });

  it('parley apply imports a workspace and reports it; a second apply changes nothing', async () => {
    const env = await freshEnv();
    const demo = new URL('../../../examples/demo', import.meta.url).pathname;
    const first = capture();
    expect(await runCli(['apply', demo], env, first.out)).toBe(0);
    expect(first.lines.join('\n')).toMatch(/items: \d+ created, 0 unchanged/);
    const second = capture();
    expect(await runCli(['apply', demo, '--json'], env, second.out)).toBe(0);
    expect(JSON.parse(second.lines.join('\n'))).toMatchObject({ ok: true, summary: { items: { created: 0 } } });
    expect(await runCli(['apply', '/nonexistent-dir'], env, capture().out)).toBe(2);
  });

  it.runIf(!isPostgresRun())('says what to do when another process holds the embedded database without an API', async () => {
    const env = await freshEnv();
    const lock = acquireDataDirLock(env.PARLEY_DATA_DIR!);
    try {
      const c = capture();
      expect(await runCli(['channel', 'list'], env, c.out)).toBe(1);
      expect(c.errors[0]).toContain(`pid ${process.pid}`);
    } finally {
      lock.release();
    }
  });
});
