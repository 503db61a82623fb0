import { WorkspaceSettings } from '@parley/contracts';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { applyWorkspace, type ApplyResult } from './workspace-apply.service.js';
import { exportWorkspace, findExportTargetProblem, writeWorkspaceExport } from './workspace-export.service.js';
import { loadWorkspaceDir } from './workspace-files.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
const dirs: string[] = [];
const harnesses: Harness[] = [];
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  harnesses.push(h);
  expect(await applyWorkspace(h.database.db, h.deps.workspace.id, demo)).toMatchObject({ ok: true });
});
afterAll(async () => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  for (const x of harnesses) {
    await x.close();
  }
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-export-'));
  dirs.push(dir);
  return dir;
}

async function exportTo(harness: Harness): Promise<{ dir: string; files: Record<string, string> }> {
  const dir = tempDir();
  const { files, warnings } = await exportWorkspace(harness.database.db, harness.deps.workspace.id);
  expect(warnings).toEqual([]);
  writeWorkspaceExport(dir, files);
  return { dir, files };
}

function expectNothingChanged(result: ApplyResult, counts: { settings: 'unchanged' | 'absent'; topics: number; items: number; flows: number; consentTexts?: number }): void {
  expect(result.ok ? undefined : result.problems).toBeUndefined();
  const none = (n: number) => ({ created: 0, updated: 0, new_version: 0, unchanged: n });
  const consent = counts.consentTexts ? { consentTexts: none(counts.consentTexts) } : {};
  expect(result).toEqual({ ok: true, summary: { settings: counts.settings, topics: none(counts.topics), items: none(counts.items), flows: none(counts.flows), ...consent } });
}

describe('parley export', () => {
  it('writes the demo workspace in its own layout, and applying the export changes nothing', async () => {
    const { dir, files } = await exportTo(h);
    const demoFiles = (sub: string) => readdirSync(join(demo, sub)).filter((f) => f.endsWith('.yaml')).map((f) => `${sub}/${f}`);
    expect(Object.keys(files).sort()).toEqual(['workspace.yaml', 'content/topics.yaml', ...demoFiles('content/items'), ...demoFiles('flows'), ...demoFiles('consent')].sort());
    // The same settings (defaults written out, e.g. promotional: false).
    expect(WorkspaceSettings.parse(parse(files['workspace.yaml']!))).toEqual(WorkspaceSettings.parse(parse(readFileSync(join(demo, 'workspace.yaml'), 'utf8'))));
    const original = loadWorkspaceDir(demo);
    const exported = loadWorkspaceDir(dir);
    expect(exported.problems).toEqual([]);
    expect(new Set(exported.items.map((i) => i.id))).toEqual(new Set(original.items.map((i) => i.id)));
    expectNothingChanged(await applyWorkspace(h.database.db, h.deps.workspace.id, dir), { settings: 'unchanged', topics: original.topics.length, items: original.items.length, flows: original.flows.length, consentTexts: original.consentTexts.length });
  });

  it('is deterministic, and a fresh database applied from the export exports the very same bytes', async () => {
    const first = await exportTo(h);
    expect((await exportTo(h)).files).toEqual(first.files);
    const fresh = await createHarness();
    harnesses.push(fresh);
    expect(await applyWorkspace(fresh.database.db, fresh.deps.workspace.id, first.dir)).toMatchObject({ ok: true });
    const again = await exportTo(fresh);
    for (const [path, text] of Object.entries(first.files)) {
      expect(readFileSync(join(again.dir, path), 'utf8'), path).toBe(text);
    }
    expect(Object.keys(again.files)).toEqual(Object.keys(first.files));
  });

  it('exports an empty workspace as an empty topic list that applies cleanly', async () => {
    const empty = await createHarness();
    harnesses.push(empty);
    const { dir, files } = await exportTo(empty);
    expect(files).toEqual({ 'content/topics.yaml': '[]\n' });
    expectNothingChanged(await applyWorkspace(empty.database.db, empty.deps.workspace.id, dir), { settings: 'absent', topics: 0, items: 0, flows: 0 });
  });

  it('reads like the hand-written files: ids first, translations on one line, items in their top-level topic’s file', async () => {
    const { files } = await exportTo(h);
    const kontakt = files['content/items/kontakt.yaml']!;
    expect(kontakt).toMatch(/^- id: [a-z0-9-]+\n {2}topic: [a-z0-9-]+\n {2}audience: \w+\n {2}status: \w+\n/);
    expect(kontakt).toContain('  validFrom: 2025-12-01\n  validUntil: 2025-12-31\n');
    expect(kontakt).toMatch(/\n\n- id: /);
    expect(files['content/topics.yaml']).toMatch(/^- id: materialien\n {2}order: 1\n {2}title: \{ de: Materialien, en: Materials \}\n/);
    const flow = files['flows/order-status.yaml']!;
    expect(flow).toMatch(/^id: order-status\nversion: 1\nname: .+\ndescription: .+\ndefaultLanguage: de\nlanguages: \[ de, en \]\n/);
    // Nodes in the order a conversation meets them, not the database's.
    const nodes = Object.keys((parse(flow) as { nodes: Record<string, unknown> }).nodes);
    expect(nodes.slice(0, 4)).toEqual(['ask_order', 'reset_status', 'lookup', 'by_status']);
  });

  it('exports the latest version of an item whatever its status, and only the latest published flow version', async () => {
    const dir = tempDir();
    cpSync(demo, dir, { recursive: true });
    const file = join(dir, 'content/items/kontakt.yaml');
    const list = parse(readFileSync(file, 'utf8')) as Array<{ id: string; status: string; body: { de: string } }>;
    list[0]!.status = 'draft';
    list[0]!.body.de = 'Entwurf: neue Servicezeiten.';
    writeFileSync(file, stringify(list));
    const flowFile = join(dir, 'flows/order-status.yaml');
    writeFileSync(flowFile, readFileSync(flowFile, 'utf8').replace('version: 1', 'version: 2').replace('timeoutMs: 5000', 'timeoutMs: 4000'));
    expect(await applyWorkspace(h.database.db, h.deps.workspace.id, dir)).toMatchObject({ ok: true, summary: { items: { new_version: 1 }, flows: { new_version: 1 } } });

    const { files } = await exportTo(h);
    const items = parse(files['content/items/kontakt.yaml']!) as Array<{ id: string; status: string; body: { de: string } }>;
    expect(items.find((i) => i.id === list[0]!.id)).toMatchObject({ status: 'draft', body: { de: 'Entwurf: neue Servicezeiten.' } });
    expect(parse(files['flows/order-status.yaml']!)).toMatchObject({ version: 2, nodes: { lookup: { timeoutMs: 4000 } } });
  });

  it('warns when an item’s status was changed in the database, because re-applying stores it as a new version', async () => {
    const [row] = await query<{ slug: string }>(h.database.db, sql`select i.slug from content_items i join content_versions v on v.item_id = i.id
        where i.workspace_id = ${h.deps.workspace.id} and v.status = 'approved' order by i.slug limit 1`);
    await h.database.db.execute(sql`update content_versions set status = 'withdrawn' where item_id = (select id from content_items where slug = ${row!.slug} and workspace_id = ${h.deps.workspace.id})`);
    const { files, warnings } = await exportWorkspace(h.database.db, h.deps.workspace.id);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^item "${row!.slug}" version 1 was changed in the database after it was applied \\(status now "withdrawn"\\)`))]);
    expect(Object.values(files).join('\n')).toMatch(new RegExp(`- id: ${row!.slug}\\n(.+\\n)*? {2}status: withdrawn\\n`));
  });
});

describe('the export directory', () => {
  it('must be missing or empty unless --force; --force overwrites only the exported files and names stale ones', () => {
    const dir = tempDir();
    expect(findExportTargetProblem(join(dir, 'neu'), false)).toBeUndefined();
    expect(findExportTargetProblem(dir, false)).toBeUndefined();
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'flows/alt.yaml'), 'id: alt\n');
    writeFileSync(join(dir, 'README.md'), 'Unser Workspace\n');
    expect(findExportTargetProblem(dir, false)).toMatch(/is not empty \(2 entries\); export into an empty directory, or add --force/);
    expect(findExportTargetProblem(dir, true)).toBeUndefined();
    expect(findExportTargetProblem(join(dir, 'README.md'), true)).toMatch(/is not a directory/);

    const result = writeWorkspaceExport(dir, { 'content/topics.yaml': '[]\n', 'flows/neu.yaml': 'id: neu\n' });
    expect(result).toEqual({ written: ['content/topics.yaml', 'flows/neu.yaml'], leftAlone: ['flows/alt.yaml'] });
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('Unser Workspace\n');
    expect(existsSync(join(dir, 'flows/alt.yaml'))).toBe(true);
    expect(readFileSync(join(dir, 'flows/neu.yaml'), 'utf8')).toBe('id: neu\n');
  });
});
