/**
 * The embedded database's lock and the CLI's way through a running server (issue #2, deliverables 2 and 3).
 * PGlite only: with PostgreSQL there is no data directory to hold.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { loadConfig } from './config.js';
import { type Parley, startParley } from './server.js';
import { isPostgresRun } from './test/db.js';

const bin = new URL('../bin/parley.mjs', import.meta.url).pathname;
let dir: string;
let parley: Parley | undefined;
let env: Record<string, string>;

describe.skipIf(isPostgresRun())('embedded database lock', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-lock-'));
    env = { PARLEY_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PARLEY_DEMO: 'false' };
    parley = await startParley(loadConfig(env));
  }, 60_000);
  afterAll(async () => {
    await parley?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second process on the same data directory exits with a clear message', async () => {
    const child = spawn(process.execPath, [bin, 'start'], { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain(`is in use by another Parley process (pid ${process.pid})`);
    expect(stderr).toContain('PARLEY_DATA_DIR');
  }, 60_000);

  it('CLI commands go through the running server’s admin API', async () => {
    const lines: string[] = [];
    const out = { log: (s: string) => lines.push(s), error: (s: string) => lines.push(`ERR ${s}`) };
    const add = ['channel', 'add', 'whatsapp', '--slug', 'live', '--phone-number-id', '1234567', '--access-token', 'tok-12345678', '--app-secret', 'sec-12345678', '--verify-token', 'ver-12345678', '--json'];
    // A different pid than ours, as a real CLI would have, so the lock is seen as held by the server.
    const child = spawn(process.execPath, [bin, ...add], { env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ slug: 'live', kind: 'whatsapp' });
    const channels = await parley!.deps.channels.listChannels();
    expect(channels.map((c) => c.slug)).toContain('live');
    expect(await runCli(['help'], env, out)).toBe(0);
  }, 60_000);

  it('answers /readyz once started', async () => {
    const res = await parley!.app!.inject({ method: 'GET', url: '/readyz' });
    expect(res.json()).toMatchObject({ status: 'ready', database: 'pglite' });
  });
});
