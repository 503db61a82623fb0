/**
 * `parley request` (GDPR-17) as a command: an access request is logged, its requester verified, the export answers
 * it with `parley contact export --request`; nothing goes out before the verification. Through the running server's
 * admin API (the server holds the embedded database) and straight on the database.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { createHarness } from '../../test/harness.js';
import { useCliTestKit } from '../../test/cli.js';
import { ensureDefaultWorkspace } from '../workspaces/index.js';
import { seedChannels, seedPerson } from './privacy.fixtures.js';

const { tempDir, closers, capture, directDatabase, serverDataDir } = useCliTestKit('request-cli');

describe('parley request (CLI)', () => {
  it('GDPR-17 logs, verifies and answers an access request through the running server; refuses the export before', async () => {
    const h = await createHarness();
    closers.push(h);
    const url = await h.listen();
    const ws = h.deps.workspace.id;
    const anna = await seedPerson(h.database.db, ws, await seedChannels(h.database.db, ws), { phone: '491512345670', marker: 'ANNA' });
    const env = { PARLEY_DATA_DIR: serverDataDir(url, h.adminToken), LOG_LEVEL: 'silent' };

    const opened = capture();
    expect(await runCli(['request', 'open', '+49 151 2345670', '--received', '2026-11-20T09:30:00Z', '--by', 'dpo', '--json'], env, opened.out)).toBe(0);
    const request = (JSON.parse(opened.lines.join('\n')) as { request: { id: string; status: string; dueAt: string } }).request;
    expect(request).toMatchObject({ status: 'open', dueAt: '2026-12-20T09:30:00.000Z' });

    const listed = capture();
    expect(await runCli(['request', 'list'], env, listed.out)).toBe(0);
    expect(listed.lines.join('\n')).toMatch(new RegExp(`^${request.id}  contact ${anna.contactId}  open      received 2026-11-20  due 2026-12-20`, 'm'));

    const file = join(tempDir(), 'anna.json');
    const early = capture();
    expect(await runCli(['contact', 'export', anna.contactId, '--request', request.id, '--out', file], env, early.out)).toBe(1);
    expect(early.errors[0]).toContain('Verify the requester’s identity before anything is disclosed');

    const verified = capture();
    expect(await runCli(['request', 'verify', request.id, '--method', 'in_chat_code', '--by', 'dpo'], env, verified.out)).toBe(0);
    expect(verified.lines[0]).toContain(`answer it: parley contact export ${anna.contactId} --request ${request.id} --out FILE`);

    const answered = capture();
    expect(await runCli(['contact', 'export', anna.contactId, '--request', request.id, '--out', file], env, answered.out)).toBe(0);
    expect(answered.lines[0]).toBe(`Exported contact ${anna.contactId} as json to ${file}; request ${request.id} is answered.`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ contact: { id: anna.contactId } });

    const none = capture();
    expect(await runCli(['request', 'list'], env, none.out)).toBe(0);
    expect(none.lines).toEqual(['No access request waits for an answer.']);
  });

  it('GDPR-17 works straight on the database; bad usage exits 2', async () => {
    const { database, env, handOver } = await directDatabase({ PARLEY_SECRET_KEY: randomBytes(32).toString('hex') });
    const ws = (await ensureDefaultWorkspace(database.db)).id;
    await seedPerson(database.db, ws, await seedChannels(database.db, ws), { phone: '491512345671', marker: 'BEN' });
    await handOver();
    const opened = capture();
    expect(await runCli(['request', 'open', '491512345671', '--json'], env, opened.out)).toBe(0);
    const id = (JSON.parse(opened.lines.join('\n')) as { request: { id: string } }).request.id;
    const extended = capture();
    expect(await runCli(['request', 'extend', id, '--months', '2', '--reason', 'viele Systeme'], env, extended.out)).toBe(0);
    expect(extended.lines[0]).toMatch(/extended by 2 month\(s\)/);

    const cases: Array<[string[], RegExp]> = [
      [['request', 'verify', id], /needs --method known_channel\|in_chat_code/],
      [['request', 'extend', id, '--months', '3', '--reason', 'x'], /needs --months 1 or 2/],
      [['request', 'refuse', id], /needs a --reason/],
      [['request', 'open', '491512345671', '--received', 'gestern'], /--received takes an ISO 8601 time/],
      [['request', 'frobnicate', id], /usage:/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCli(argv, env, c.out), argv.join(' ')).toBe(2);
      expect(c.errors[0]).toMatch(message);
    }
  }, 120_000);
});
