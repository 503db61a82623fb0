/**
 * `parley user add|list|roles|disable|enable|password` (issue #5 item 1): straight on the database and through a
 * running server's admin API; generated passwords printed once; bad usage exits 2.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { commandUser } from '../../cli-users.js';
import { loadConfig } from '../../config.js';
import { useCliTestKit } from '../../test/cli.js';
import { createTestDatabase, isPostgresRun } from '../../test/db.js';
import { createHarness } from '../../test/harness.js';
import { createStaffKit } from './users.fixtures.js';

const { tempDir, closers, capture, serverDataDir } = useCliTestKit('users-cli');
const bin = new URL('../../../bin/parley.mjs', import.meta.url).pathname;

describe('parley user (CLI)', () => {
  it('exits 2 for bad usage: no subcommand, no roles, an unknown role, a bad e-mail address, a short password', async () => {
    const env = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent' };
    const cases: Array<[string[], RegExp]> = [
      [['user'], /user needs a subcommand/],
      [['user', 'add', 'a@example.org', '--name', 'A'], /needs --name and --role/],
      [['user', 'add', 'a@example.org', '--name', 'A', '--role', 'agent,root'], /unknown role\(s\) root; roles are admin, agent, editor, approver, compliance/],
      [['user', 'add', 'not-an-address', '--name', 'A', '--role', 'agent'], /email: must be an e-mail address/],
      [['user', 'roles', 'a@example.org'], /needs --set/],
      [['user', 'disable'], /usage: parley user disable <email>/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCli(argv, env, c.out), argv.join(' ')).toBe(2);
      expect(c.errors[0]).toMatch(message);
    }
    const short = capture();
    const config = loadConfig(env);
    const tools = { withDatabase: () => Promise.reject(new Error('not reached')), callAdmin: () => Promise.reject(new Error('not reached')), usageError: (m: string) => new Error(m), readStdin: async () => 'short\n' };
    await expect(commandUser(['add', 'a@example.org', '--name', 'A', '--role', 'agent', '--password-stdin'], config, short.out, tools)).rejects.toThrow(/password: at least 12 characters/);
  });

  it('adds, lists, changes roles, disables and resets straight on the database (PGlite without a server, or PostgreSQL)', async () => {
    const env: Record<string, string> = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent', PARLEY_SECRET_KEY: randomBytes(32).toString('hex') };
    if (isPostgresRun()) {
      const db = await createTestDatabase();
      closers.push(db);
      env.DATABASE_URL = db.url ?? '';
    }
    const add = capture();
    expect(await runCli(['user', 'add', 'Eva@Example.org', '--name', 'Eva Admin', '--role', 'admin,compliance'], env, add.out)).toBe(0);
    expect(add.lines[0]).toBe('User eva@example.org added with the role(s) admin, compliance.');
    expect(add.lines[1]).toMatch(/^Password \(shown only now; pass it on safely\): [a-km-zA-HJ-NP-Z2-9]{20}$/);
    expect(await runCli(['user', 'add', 'otto@example.org', '--name', 'Otto', '--role', 'agent'], env, capture().out)).toBe(0);
    const taken = capture();
    expect(await runCli(['user', 'add', 'eva@example.org', '--name', 'Eva 2', '--role', 'agent'], env, taken.out)).toBe(1);
    expect(taken.errors[0]).toMatch(/already a user with the e-mail address eva@example.org/);

    const roles = capture();
    expect(await runCli(['user', 'roles', 'otto@example.org', '--set', 'agent,editor'], env, roles.out)).toBe(0);
    expect(roles.lines[0]).toBe('otto@example.org now has the role(s) agent, editor.');
    expect(await runCli(['user', 'disable', 'otto@example.org'], env, capture().out)).toBe(0);
    const lastAdmin = capture();
    expect(await runCli(['user', 'disable', 'eva@example.org'], env, lastAdmin.out)).toBe(1);
    expect(lastAdmin.errors[0]).toMatch(/last active admin/);
    const reset = capture();
    expect(await runCli(['user', 'password', 'otto@example.org'], env, reset.out)).toBe(0);
    expect(reset.lines[0]).toMatch(/^New password for otto@example.org \(shown only now\): .{20}$/);

    const list = capture();
    expect(await runCli(['user', 'list'], env, list.out)).toBe(0);
    expect(list.lines).toEqual(['eva@example.org\tEva Admin\tadmin,compliance\tactive', 'otto@example.org\tOtto\tagent,editor\tdisabled']);
    const json = capture();
    expect(await runCli(['user', 'list', '--json'], env, json.out)).toBe(0);
    expect(JSON.stringify(JSON.parse(json.lines[0] ?? '[]'))).not.toContain('scrypt');
  }, 120_000); // several commands, each opening the embedded database anew

  it('goes through the running server while it holds the embedded database, and takes a password on stdin', async () => {
    const h = await createHarness();
    closers.push(h);
    const url = await h.listen();
    const dataDir = serverDataDir(url, h.adminToken);
    const env = { PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    expect(await runCli(['user', 'add', 'remote@example.org', '--name', 'Remote', '--role', 'agent'], env, capture().out)).toBe(0);
    // A real process with a pipe on stdin, as an operator would run it.
    const child = spawn(process.execPath, [bin, 'user', 'password', 'remote@example.org', '--password-stdin'], { env: { ...process.env, ...env, DATABASE_URL: '' } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.end('ein-langes-Passwort-2026\n');
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
    expect(stdout).toContain('Password of remote@example.org set.');
    const login = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'remote@example.org', password: 'ein-langes-Passwort-2026' } });
    expect(login.statusCode).toBe(200);
    const users = await createStaffKit(h.deps, h.app).users.listUsers();
    expect(users.map((u) => u.email)).toEqual(['remote@example.org']);
  });
});
