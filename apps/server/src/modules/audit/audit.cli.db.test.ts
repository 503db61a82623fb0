/**
 * `parley audit verify|export` as commands (AUD-04, AUD-08): exit 0 intact, 1 broken, 2 bad usage; straight on
 * the database and through a running server's admin API.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { createTestDatabase, isPostgresRun } from '../../test/db.js';
import { createHarness } from '../../test/harness.js';
import { useCliTestKit } from '../../test/cli.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
const { tempDir, closers, capture, serverDataDir } = useCliTestKit('audit-cli');

describe('parley audit (CLI)', () => {
  it('exits 2 for a missing subcommand, a bad format or date, or an unknown option', async () => {
    const env = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent' };
    const cases: Array<[string[], RegExp]> = [
      [['audit'], /audit needs a subcommand: verify, export or checkpoint/],
      [['audit', 'export'], /--format is required: jsonl or csv/],
      [['audit', 'export', '--format', 'pdf'], /unknown format "pdf"/],
      [['audit', 'export', '--format', 'csv', '--since', 'yesterday'], /--since takes an ISO 8601 date/],
      [['audit', 'verify', '--all'], /Unknown option '--all'/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCli(argv, env, c.out), argv.join(' ')).toBe(2);
      expect(c.errors[0]).toMatch(message);
    }
  });

  it('verifies and exports straight on the database (PGlite without a server, or PostgreSQL)', async () => {
    const env: Record<string, string> = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent', PARLEY_SECRET_KEY: randomBytes(32).toString('hex') };
    if (isPostgresRun()) {
      const db = await createTestDatabase();
      closers.push(db);
      env.DATABASE_URL = db.url ?? '';
    }
    expect(await runCli(['apply', demo], env, capture().out)).toBe(0);
    const ok = capture();
    expect(await runCli(['audit', 'verify'], env, ok.out)).toBe(0);
    expect(ok.lines[0]).toMatch(/^audit trail of default: ok, \d+ entries, head \d+ [0-9a-f]{16}…, no signed checkpoint yet$/);
    const file = join(tempDir(), 'trail.csv');
    const exported = capture();
    expect(await runCli(['audit', 'export', '--format', 'csv', '--action', 'flow_version.', '--out', file], env, exported.out)).toBe(0);
    expect(exported.lines[0]).toMatch(/^\d+ audit entries exported as csv to .*trail\.csv\.$/);
    const csv = readFileSync(file, 'utf8').split('\r\n');
    expect(csv[2]).toBe('# verification: ok, the chain is intact');
    expect(csv.slice(4).filter(Boolean).every((row) => row.split(',')[2] === 'flow_version.published')).toBe(true);
  }, 120_000); // three commands, each opening the embedded database anew

  it('goes through the running server and exits 1 naming the entry a superuser changed', async () => {
    const h = await createHarness();
    closers.push(h);
    const url = await h.listen();
    const dataDir = serverDataDir(url, h.adminToken);
    const env = { PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    expect(await runCli(['apply', demo], env, capture().out)).toBe(0);
    expect(await runCli(['audit', 'verify', '--workspace', 'default'], env, capture().out)).toBe(0);
    const signed = capture();
    expect(await runCli(['audit', 'checkpoint'], env, signed.out)).toBe(0);
    expect(signed.lines[0]).toMatch(/^signed entry \d+ of [0-9a-f-]{36} \(key [0-9a-f]{16}\)$/);
    expect(signed.lines.at(-1)).toContain('BEGIN PUBLIC KEY');
    const checked = capture();
    expect(await runCli(['audit', 'verify'], env, checked.out)).toBe(0);
    expect(checked.lines[0]).toMatch(/1 signed checkpoint hold \(latest at entry \d+\)$/);

    await h.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger user`);
      await tx.execute(sql`update audit_log set after = jsonb_set(after, '{status}', '"draft"') where seq = 3`);
      await tx.execute(sql`alter table audit_log enable trigger user`);
    });
    const broken = capture();
    expect(await runCli(['audit', 'verify'], env, broken.out)).toBe(1);
    expect(broken.errors[0]).toMatch(/^audit trail of default: BROKEN at entry 3 \(id [0-9a-f-]{36}\): entry 3 \(.+\) was changed after it was written/);

    const jsonl = capture();
    expect(await runCli(['audit', 'export', '--format', 'jsonl'], env, jsonl.out)).toBe(1);
    const header = JSON.parse(jsonl.lines[0]?.split('\n')[0] ?? '{}') as { auditExport: { verification: { ok: boolean; chains: Array<{ firstBreak: { seq: number } }> } } };
    expect(header.auditExport.verification).toMatchObject({ ok: false, chains: [{ firstBreak: { seq: 3 } }] });
    expect(jsonl.errors.join('\n')).toMatch(/BROKEN at entry 3/);
  });
});
