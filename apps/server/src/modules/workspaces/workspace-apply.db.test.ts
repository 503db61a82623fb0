import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { applyWorkspace } from './workspace-apply.service.js';
import { loadWorkspaceDir } from './workspace-files.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await createHarness();
  dir = mkdtempSync(join(tmpdir(), 'parley-apply-'));
  cpSync(demo, dir, { recursive: true });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await h.close();
});

const count = async (table: 'topics' | 'content_versions' | 'flow_versions') =>
  (await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from ${sql.raw(table)}`))[0]?.n;
/** The database's own message: drizzle wraps it as the cause of "Failed query: …". */
const dbError = (p: Promise<unknown>) => p.then(() => 'no error', (e: { message?: string; cause?: { message?: string } }) => e.cause?.message ?? e.message ?? String(e));
const flow = `id: kurz
version: 1
name: Kurz
defaultLanguage: de
languages: [de, en]
triggers: [{ type: new_conversation }]
start: hallo
nodes:
  hallo: { type: say, text: { de: Hallo, en: Hello } }
`;

describe('parley apply', () => {
  it('imports the demo workspace, then a second apply changes nothing', async () => {
    const files = loadWorkspaceDir(dir);
    const first = await applyWorkspace(h.database.db, h.deps.workspace.id, dir);
    expect(first).toMatchObject({ ok: true, summary: { settings: 'updated', topics: { created: files.topics.length }, items: { created: files.items.length }, flows: { created: files.flows.length } } });
    const again = await applyWorkspace(h.database.db, h.deps.workspace.id, dir);
    expect(again).toMatchObject({ ok: true, summary: { settings: 'unchanged', topics: { unchanged: files.topics.length, created: 0 }, items: { unchanged: files.items.length, created: 0, new_version: 0 } } });
    expect(await count('content_versions')).toBe(files.items.length);
  });

  it('stores an edited item as a new version and keeps the approved one as it was (MLR-02)', async () => {
    const file = join(dir, 'content/items/kontakt.yaml');
    const list = parse(readFileSync(file, 'utf8')) as Array<{ body: { de: string } }>;
    list[0]!.body.de = `${list[0]!.body.de} Neu.`;
    writeFileSync(file, stringify(list));
    const result = await applyWorkspace(h.database.db, h.deps.workspace.id, dir);
    expect(result.ok ? undefined : result.problems).toBeUndefined();
    expect(result).toMatchObject({ ok: true, summary: { items: { new_version: 1 } } });
    const versions = await query<{ version: number; body: string }>(
      h.database.db,
      sql`select v.version, v.data->'body'->>'de' as body from content_versions v join content_items i on i.id = v.item_id
          where i.slug = (select i2.slug from content_items i2 join content_versions v2 on v2.item_id = i2.id where v2.version = 2 limit 1) order by v.version`,
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]?.body).toContain('Neu.');
    expect(versions[0]?.body).not.toContain('Neu.');
  });

  it('the database refuses to change an approved version’s wording, but lets it be withdrawn (MLR-02)', async () => {
    expect(await dbError(h.database.db.execute(sql`update content_versions set data = jsonb_set(data, '{body,de}', '"geändert"') where version = 1 and status = 'approved'`))).toMatch(/approved and cannot be changed/);
    await h.database.db.execute(sql`update content_versions set status = 'withdrawn' where id = (select id from content_versions where version = 1 limit 1)`);
    const [row] = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from content_versions where status = 'withdrawn'`);
    expect(row?.n).toBe(1);
  });

  it('refuses other content under a published flow version, and then applies nothing at all', async () => {
    mkdirSync(join(dir, 'flows'), { recursive: true });
    writeFileSync(join(dir, 'flows/kurz.yaml'), flow);
    expect(await applyWorkspace(h.database.db, h.deps.workspace.id, dir)).toMatchObject({ ok: true });
    const topicsBefore = await count('topics');
    writeFileSync(join(dir, 'content/topics.yaml'), `${readFileSync(join(dir, 'content/topics.yaml'), 'utf8')}\n- id: neu\n  title: { de: Neu, en: New }\n`);
    writeFileSync(join(dir, 'flows/kurz.yaml'), flow.replace('Hallo', 'Guten Tag'));
    await expect(applyWorkspace(h.database.db, h.deps.workspace.id, dir)).rejects.toThrow(/version 1 is published already with other content; raise its version/);
    expect(await count('topics')).toBe(topicsBefore);
    writeFileSync(join(dir, 'flows/kurz.yaml'), flow.replace('Hallo', 'Guten Tag').replace('version: 1', 'version: 2'));
    expect(await applyWorkspace(h.database.db, h.deps.workspace.id, dir)).toMatchObject({ ok: true, summary: { flows: { new_version: 1 }, topics: { created: 1 } } });
    expect(await dbError(h.database.db.execute(sql`update flow_versions set definition = '{}'::jsonb`))).toMatch(/cannot be changed/);
  });

  it('an invalid workspace changes nothing and names every problem', async () => {
    const before = await count('content_versions');
    writeFileSync(join(dir, 'content/items/kaputt.yaml'), `- id: kaputt\n  topic: gibt-es-nicht\n  title: { de: x }\n  body: { de: y }\n`);
    const result = await applyWorkspace(h.database.db, h.deps.workspace.id, dir);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatchObject({ file: 'content/items/kaputt.yaml', line: 2 });
    expect(await count('content_versions')).toBe(before);
  });

  it('stores workspace.yaml, and a changed one is an update the runtime reads', async () => {
    const own = mkdtempSync(join(tmpdir(), 'parley-apply-settings-'));
    cpSync(demo, own, { recursive: true });
    const settingsFile = join(own, 'workspace.yaml');
    const original = readFileSync(settingsFile, 'utf8');
    writeFileSync(settingsFile, original.replace('handoffQueue: patient-service', 'handoffQueue: hcp-service'));
    try {
      expect(await applyWorkspace(h.database.db, h.deps.workspace.id, own)).toMatchObject({ ok: true, summary: { settings: 'updated' } });
      const [row] = await query<{ queue: string }>(h.database.db, sql`select settings->>'handoffQueue' as queue from workspaces where id = ${h.deps.workspace.id}`);
      expect(row?.queue).toBe('hcp-service');
      h.deps.runtimes.invalidate(h.deps.workspace.id);
      expect((await h.deps.runtimes.get(h.deps.workspace.id)).handoffQueue).toBe('hcp-service');
      writeFileSync(settingsFile, original);
      expect(await applyWorkspace(h.database.db, h.deps.workspace.id, own)).toMatchObject({ ok: true, summary: { settings: 'updated' } });
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('stores a draft that may change, publishes it once, and treats "status: published" written out as the same version', async () => {
    const own = mkdtempSync(join(tmpdir(), 'parley-apply-draft-'));
    const file = join(own, 'flows', 'probe.yaml');
    mkdirSync(join(own, 'flows'), { recursive: true });
    const probe = flow.replace('id: kurz', 'id: probe').replace('triggers: [{ type: new_conversation }]', 'triggers: []');
    const statusOf = async () =>
      (await query<{ status: string; text: string }>(h.database.db, sql`select v.status, v.definition->'nodes'->'hallo'->'text'->>'de' as text from flow_versions v join flows f on f.id = v.flow_id where f.slug = 'probe'`))[0];
    try {
      writeFileSync(file, `${probe}status: draft\n`);
      expect(await applyWorkspace(h.database.db, h.deps.workspace.id, own)).toMatchObject({ ok: true, summary: { flows: { created: 1 } } });
      writeFileSync(file, `${probe.replace('Hallo', 'Moin')}status: draft\n`);
      expect(await applyWorkspace(h.database.db, h.deps.workspace.id, own)).toMatchObject({ ok: true, summary: { flows: { updated: 1 } } });
      expect(await statusOf()).toEqual({ status: 'draft', text: 'Moin' });
      writeFileSync(file, probe.replace('Hallo', 'Moin'));
      expect(await applyWorkspace(h.database.db, h.deps.workspace.id, own)).toMatchObject({ ok: true, summary: { flows: { created: 1 } } });
      expect(await statusOf()).toEqual({ status: 'published', text: 'Moin' });
      writeFileSync(file, `${probe.replace('Hallo', 'Moin')}status: published\n`);
      expect(await applyWorkspace(h.database.db, h.deps.workspace.id, own)).toMatchObject({ ok: true, summary: { flows: { unchanged: 1 } } });
      // Published is final: neither back to draft nor other content under the same version.
      writeFileSync(file, `${probe}status: draft\n`);
      await expect(applyWorkspace(h.database.db, h.deps.workspace.id, own)).rejects.toMatchObject({ code: 'flow.version_published' });
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('GDPR-08 stores consent text versions once: the same version with other wording is refused with its file, nothing changes', async () => {
    const own = mkdtempSync(join(tmpdir(), 'parley-apply-consent-'));
    cpSync(demo, own, { recursive: true });
    const file = join(own, 'consent', 'diary-reminders.yaml');
    try {
      expect(await applyWorkspace(h.database.db, h.deps.workspace.id, own)).toMatchObject({ ok: true, summary: { consentTexts: { unchanged: 2 } } });
      writeFileSync(file, readFileSync(file, 'utf8').replace('einmal pro Woche', 'zweimal pro Woche'));
      const refused = await applyWorkspace(h.database.db, h.deps.workspace.id, own);
      expect(refused).toMatchObject({ ok: false, problems: [{ file: 'consent/diary-reminders.yaml', message: expect.stringContaining('raise its version') }] });
      writeFileSync(file, readFileSync(file, 'utf8').replace('version: 1', 'version: 2'));
      expect(await applyWorkspace(h.database.db, h.deps.workspace.id, own)).toMatchObject({ ok: true, summary: { consentTexts: { created: 1, unchanged: 1 } } });
      const versions = await query<{ version: number; n: number }>(h.database.db, sql`select version, count(*)::int as n from consent_texts where slug = 'diary-reminders' group by version order by version`);
      expect(versions).toEqual([{ version: 1, n: 2 }, { version: 2, n: 2 }]);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
