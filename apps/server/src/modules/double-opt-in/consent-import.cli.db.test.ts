/**
 * `parley consent import` (GDPR-10/11/15, GDPR-05 import batch): every row of a file is requested, refused or
 * reported on its own — a bad line never stops the good ones and nothing is half-recorded for a row; an unknown
 * purpose or wording refuses the whole file with nothing recorded. Straight on the database (PGlite without a
 * server, or PostgreSQL) and through a running server's admin API.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli.js';
import { channels } from '../../db/schema.js';
import { createSecretBox } from '../../platform/crypto.js';
import { type Db, openPglite, query } from '../../platform/db.js';
import { useCliTestKit } from '../../test/cli.js';
import { isPostgresRun } from '../../test/db.js';
import { createHarness } from '../../test/harness.js';
import { hashAddress, type KeyedHash, suppressAddresses } from '../privacy/index.js';
import { ensureDefaultWorkspace } from '../workspaces/index.js';

const { tempDir, closers, capture, directDatabase, serverDataDir } = useCliTestKit('consent-cli');

const FILE = [
  'phone;name;language',
  '+49 171 9990001;Erika Muster;de',
  '491719990002;John Doe;en',
  '+49 171 9990003;Objected;de',
  '0171 9990004;National;de',
  '+49 171 9990005;Too;many;fields',
  '',
  '+49 171 9990001;Erika again;de',
  '491719990006;Lang;Deutsch',
].join('\n');

/** A workspace that can ask by template (no window for new numbers), with one suppressed number. */
async function seed(db: Db, workspaceId: string, keyedHash: KeyedHash): Promise<string> {
  const [channel] = await db.insert(channels).values({ workspaceId, kind: 'whatsapp', slug: 'wa-import', name: 'WhatsApp', settings: {}, secrets: 'sealed' }).returning({ id: channels.id });
  const settings = { purposes: [{ id: 'newsletter', basis: 'consent', promotional: true }], doubleOptIn: { expiresAfterDays: 14, whatsappTemplate: { name: 'doi_request', language: 'de' } } };
  await db.execute(sql`update workspaces set name = 'Praxis Dr. Weber', settings = ${JSON.stringify(settings)}::jsonb where id = ${workspaceId}`);
  await db.execute(
    sql`insert into consent_texts (workspace_id, slug, version, language, purposes, text, hash)
        values (${workspaceId}, 'news', 1, 'de', '["newsletter"]'::jsonb, 'Wortlaut', 'h-de'), (${workspaceId}, 'news', 1, 'en', '["newsletter"]'::jsonb, 'Wording', 'h-en')`,
  );
  const variables = { body: { params: ['1', '2'], text: '{{1}} bittet um Bestätigung: {{2}}' }, buttons: [{ index: 0, type: 'QUICK_REPLY', dynamic: false }, { index: 1, type: 'QUICK_REPLY', dynamic: false }] };
  await db.execute(
    sql`insert into whatsapp_templates (workspace_id, channel_id, name, language, category, components, variables, status)
        values (${workspaceId}, ${channel!.id}, 'doi_request', 'de', 'UTILITY', '[]'::jsonb, ${JSON.stringify(variables)}::jsonb, 'APPROVED')`,
  );
  await suppressAddresses(db, workspaceId, [hashAddress(keyedHash, '491719990003')], 'objection');
  return channel!.id;
}

const ARGS = (file: string) => ['consent', 'import', file, '--channel', 'wa-import', '--purpose', 'newsletter', '--text', 'news@1'];

async function recorded(db: Db): Promise<{ events: Array<{ decision: string; method: string; line: number; batch: string; source: string; language: string }>; requests: number; contacts: number }> {
  const events = await query<{ decision: string; method: string; line: number; batch: string; source: string; language: string }>(
    db,
    sql`select decision, method, (evidence->>'line')::int as line, evidence->>'importBatch' as batch, evidence->>'source' as source, text_language as language from consent_events order by id`,
  );
  const [{ requests, contacts }] = (await query<{ requests: number; contacts: number }>(
    db,
    sql`select (select count(*)::int from messages where purpose = 'consent-confirmation' and type = 'template') as requests, (select count(*)::int from contacts) as contacts`,
  )) as [{ requests: number; contacts: number }];
  return { events, requests, contacts };
}

describe('parley consent import (CLI)', () => {
  it('exits 2 for a missing option, file, text version or method', async () => {
    const env = { PARLEY_DATA_DIR: tempDir(), LOG_LEVEL: 'silent' };
    const file = join(tempDir(), 'numbers.csv');
    writeFileSync(file, FILE);
    const cases: Array<[string[], RegExp]> = [
      [['consent'], /consent needs a subcommand: import/],
      [['consent', 'export'], /unknown consent command "export"/],
      [['consent', 'import', file, '--channel', 'wa-import'], /usage: parley consent import <file.csv>/],
      [['consent', 'import', join(tempDir(), 'missing.csv'), '--channel', 'c', '--purpose', 'p', '--text', 'news@1'], /no such file/],
      [[...ARGS(file).slice(0, -1), 'news'], /--text takes the consent text and its version/],
      [[...ARGS(file), '--method', 'agent'], /--method is import or api/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCli(argv, env, c.out), argv.join(' ')).toBe(2);
      expect(c.errors[0]).toMatch(message);
    }
  });

  it('GDPR-10/11/15 imports straight on the database: a report per row, bad lines never stop good ones; an unknown purpose or text records nothing', async () => {
    const key = randomBytes(32).toString('hex');
    const { database, env, handOver } = await directDatabase({ PARLEY_SECRET_KEY: key });
    const ws = (await ensureDefaultWorkspace(database.db)).id;
    await seed(database.db, ws, createSecretBox(Buffer.from(key, 'hex')).keyedHash);
    await handOver();
    const file = join(tempDir(), 'numbers.csv');
    writeFileSync(file, FILE);

    for (const [flag, value, message] of [['--purpose', 'lottery', 'The workspace has no purpose "lottery"'], ['--text', 'news@2', 'There is no consent text "news" version 2']] as const) {
      const refused = capture();
      const argv = ARGS(file);
      argv[argv.indexOf(flag) + 1] = value;
      expect(await runCli(argv, env, refused.out)).toBe(1);
      expect(refused.errors[0]).toContain(message);
    }

    const c = capture();
    expect(await runCli(ARGS(file), env, c.out)).toBe(1);
    expect(c.lines[0]).toMatch(/^Imported numbers\.csv \(batch [0-9a-f-]{36}\): 2 requested, 0 already granted, 1 already pending, 1 suppressed, 0 expired, 3 invalid, 0 failed\.$/);
    expect([...c.lines.slice(1), ...c.errors]).toEqual([
      '  line 4: suppressed — This address is on the suppression list (objection or erasure, GDPR-15): no consent is recorded and no request is sent.',
      '  line 8: already pending',
      '  line 5: invalid — "0171 9990004" is not a phone number in international format (e.g. +49 171 1234567).',
      '  line 6: invalid — 4 fields, but the header names 3',
      '  line 9: invalid — "Deutsch" is not a language code (de, en, …)',
    ]);

    const check = isPostgresRun() ? database : await openPglite({ dataDir: env.PARLEY_DATA_DIR! });
    try {
      const { events, requests, contacts } = await recorded(check.db);
      const batch = /batch ([0-9a-f-]{36})/.exec(c.lines[0]!)![1];
      expect(events).toEqual([
        { decision: 'pending', method: 'import', line: 2, batch, source: 'numbers.csv', language: 'de' },
        { decision: 'pending', method: 'import', line: 3, batch, source: 'numbers.csv', language: 'en' },
      ]);
      // Nothing of a refused or invalid row: no contact, no request.
      expect({ requests, contacts }).toEqual({ requests: 2, contacts: 2 });
    } finally {
      if (!isPostgresRun()) {
        await check.close();
      }
    }
  }, 120_000); // four commands, each opening the embedded database anew

  it('GDPR-10 goes through the running server while it holds the embedded database (--json report)', async () => {
    const h = await createHarness();
    closers.push(h);
    const url = await h.listen();
    const ws = h.deps.workspace.id;
    await seed(h.database.db, ws, (v) => h.deps.secretBox.keyedHash(v));
    const dataDir = serverDataDir(url, h.adminToken);
    const file = join(tempDir(), 'numbers.csv');
    writeFileSync(file, FILE);

    const c = capture();
    expect(await runCli([...ARGS(file), '--method', 'api', '--json'], { PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, c.out)).toBe(1);
    const report = JSON.parse(c.lines.join('\n')) as { counts: Record<string, number>; rows: Array<{ line: number; outcome: string }> };
    expect(report.counts).toEqual({ requested: 2, already_granted: 0, already_pending: 1, suppressed: 1, expired: 0, invalid: 3, failed: 0 });
    expect(report.rows.map((r) => [r.line, r.outcome])).toEqual([[2, 'requested'], [3, 'requested'], [4, 'suppressed'], [5, 'invalid'], [6, 'invalid'], [8, 'already_pending'], [9, 'invalid']]);
    expect((await recorded(h.database.db)).events.map((e) => [e.method, e.line])).toEqual([['api', 2], ['api', 3]]);

    const refused = capture();
    expect(await runCli([...ARGS(file).slice(0, -1), 'nope@1'], { PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, refused.out)).toBe(1);
    expect(refused.errors[0]).toContain('There is no consent text "nope" version 1');
    expect((await recorded(h.database.db)).events).toHaveLength(2);
  });
});
