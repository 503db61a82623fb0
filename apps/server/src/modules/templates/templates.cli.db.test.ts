/**
 * `parley template sync|list` as commands: exit 2 for bad usage; sync and list through a running server's admin API
 * (the path the CLI takes while a server holds the embedded database), against the WhatsApp fake.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { lockFilePath } from '../../platform/data-dir-lock.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';

const WABA = '880011223344556';
let wa: WhatsAppHarness;
let dataDir: string;
beforeAll(async () => {
  wa = await createWhatsAppHarness({
    phoneNumberId: '109876543210888',
    slug: 'tplcli',
    fake: { wabaId: WABA, templates: [{ name: 'hello', language: 'en_US', category: 'UTILITY', components: [{ type: 'body', text: 'Hi {{1}}' }] }] },
  });
  dataDir = mkdtempSync(join(tmpdir(), 'parley-template-cli-'));
  writeFileSync(lockFilePath(dataDir), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), adminUrl: wa.h.url, adminToken: wa.h.adminToken }));
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await wa?.close();
});

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { out: { log: (s: string) => lines.push(s), error: (s: string) => errors.push(s) }, lines, errors };
}

describe('parley template (CLI)', () => {
  it('exits 2 for a missing subcommand, a bad --waba or an unknown option', async () => {
    const env = { PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const cases: Array<[string[], RegExp]> = [
      [['template'], /template needs a subcommand: sync or list/],
      [['template', 'sync', '--waba', 'abc'], /--waba takes the digits/],
      [['template', 'list', '--all'], /Unknown option '--all'/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCli(argv, env, c.out), argv.join(' ')).toBe(2);
      expect(c.errors[0]).toMatch(message);
    }
  });

  it('syncs and lists through the running server', async () => {
    const env = { PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const sync = capture();
    expect(await runCli(['template', 'sync', '--channel', 'tplcli', '--waba', WABA], env, sync.out)).toBe(0);
    expect(sync.lines).toEqual(['tplcli: 1 new, 0 changed, 0 unchanged, 0 gone']);
    const list = capture();
    expect(await runCli(['template', 'list'], env, list.out)).toBe(0);
    expect(list.lines).toEqual(['tplcli\thello\ten_US\tUTILITY\tAPPROVED\tbody:1']);
    const json = capture();
    expect(await runCli(['template', 'list', '--json'], env, json.out)).toBe(0);
    expect(JSON.parse(json.lines[0] ?? '[]')).toMatchObject([{ name: 'hello', status: 'APPROVED', variables: { body: { params: ['1'] } } }]);
    const noWaba = capture();
    expect(await runCli(['template', 'sync'], env, noWaba.out)).toBe(1);
    expect(noWaba.errors[0]).toMatch(/names no WhatsApp Business Account id/);
  });
});
