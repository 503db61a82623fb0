/**
 * `parley contact export` as a command (GDPR-18, GDPR-06): exit 0 exported, 1 no such contact, 2 bad usage;
 * straight on the database and through a running server's admin API.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { createHarness } from '../../test/harness.js';
import { ensureDefaultWorkspace } from '../workspaces/index.js';
import type { ContactExport } from './index.js';
import { seedChannels, seedPerson } from './privacy.fixtures.js';
import { useCliTestKit } from '../../test/cli.js';

const { tempDir, closers, capture, directDatabase, serverDataDir } = useCliTestKit('contact-cli');

describe('parley contact export (CLI)', () => {
  it('GDPR-18: exits 2 for a missing or malformed contact, an unknown format, language or option', async () => {
    const env = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent' };
    const cases: Array<[string[], RegExp]> = [
      [['contact'], /contact needs a subcommand: export/],
      [['contact', 'frobnicate', '491512345678'], /unknown contact command "frobnicate"/],
      [['contact', 'export'], /usage: parley contact export <id\|phone>/],
      [['contact', 'export', 'erika@example.org'], /neither a contact id \(UUID\) nor a phone number/],
      [['contact', 'export', '491512345678', '--format', 'pdf'], /unknown format "pdf"/],
      [['contact', 'export', '491512345678', '--lang', 'fr'], /unknown language "fr"/],
      [['contact', 'export', '491512345678', '--all'], /Unknown option '--all'/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCli(argv, env, c.out), argv.join(' ')).toBe(2);
      expect(c.errors[0]).toMatch(message);
    }
  });

  it('GDPR-18/GDPR-06: exports straight on the database (PGlite without a server, or PostgreSQL); exit 1 for an unknown contact', async () => {
    const { database, env, handOver } = await directDatabase({ PARLEY_SECRET_KEY: randomBytes(32).toString('hex') });
    const ws = (await ensureDefaultWorkspace(database.db)).id;
    const anna = await seedPerson(database.db, ws, await seedChannels(database.db, ws), { phone: '491512345678', marker: 'ANNA' });
    await handOver();
    const json = capture();
    expect(await runCli(['contact', 'export', '+49 151 2345678'], env, json.out)).toBe(0);
    const data = JSON.parse(json.lines.join('\n')) as ContactExport;
    expect(data).toMatchObject({ schema: 'parley.contact-export/v1', contact: { id: anna.contactId }, counts: { conversations: 2, messages: 4, consentEvents: 2 } });

    const file = join(tempDir(), 'consent.html');
    const html = capture();
    expect(await runCli(['contact', 'export', anna.contactId, '--format', 'html', '--lang', 'de', '--consent-only', '--out', file], env, html.out)).toBe(0);
    expect(html.lines[0]).toBe(`Exported contact ${anna.contactId} as html (consent history only) to ${file}.`);
    expect(readFileSync(file, 'utf8')).toContain('<h1>Einwilligungshistorie</h1>');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const missing = capture();
    expect(await runCli(['contact', 'export', '491700000000'], env, missing.out)).toBe(1);
    expect(missing.errors[0]).toBe('parley: No contact has this phone number.');
  }, 120_000); // three commands, each opening the embedded database anew

  it('GDPR-18: goes through the running server while it holds the embedded database; exit 1 for an unknown contact', async () => {
    const h = await createHarness();
    closers.push(h);
    const url = await h.listen();
    const ws = h.deps.workspace.id;
    const anna = await seedPerson(h.database.db, ws, await seedChannels(h.database.db, ws), { phone: '491512345678', marker: 'ANNA' });
    const dataDir = serverDataDir(url, h.adminToken);
    const env = { PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };

    const html = capture();
    expect(await runCli(['contact', 'export', '0049 151 2345678', '--format', 'html'], env, html.out)).toBe(0);
    expect(html.lines[0]).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html.lines[0]).toContain('<section class="consent"><h2>Consent history</h2>');

    const file = join(tempDir(), 'consent.json');
    const json = capture();
    expect(await runCli(['contact', 'export', anna.contactId, '--consent-only', '--out', file], env, json.out)).toBe(0);
    expect(json.lines[0]).toBe(`Exported contact ${anna.contactId} as json (consent history only) to ${file}.`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ schema: 'parley.consent-history/v1', contact: { id: anna.contactId } });

    const missing = capture();
    expect(await runCli(['contact', 'export', '00000000-0000-4000-8000-000000000001'], env, missing.out)).toBe(1);
    expect(missing.errors[0]).toBe('parley: There is no contact 00000000-0000-4000-8000-000000000001.');
  });
});
