/**
 * `parley export <dir>`: the current state of a workspace as a workspace directory, in the format `parley apply`
 * reads — so that applying the export to the same database changes nothing, and applying it to a new one
 * reproduces the state. Exported: the settings (workspace.yaml), every topic; the LATEST version of every content
 * item, whatever its status; the latest PUBLISHED version of every flow (older versions stay in the database for
 * the conversations on them; drafts are not exported — they are work in progress of the simulator).
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ContentItem } from '@parley/contracts';
import { canonicalJson, sha256Hex } from '../../platform/canonical.js';
import type { Db } from '../../platform/db.js';
import { type AuditContext, appendAudit, SYSTEM_AUDIT } from '../audit/index.js';
import { parseFlow } from '../engine/index.js';
import { type ItemVersionRow, listLatestFlowVersions, listLatestItemVersions, listTopicRows, type TopicRow } from './workspace-export.store.js';
import { compareCodePoints, toFlowYaml, toListYaml, toMapYaml } from './workspace-yaml.js';
import { readWorkspaceSettings } from './workspace.store.js';
import { listLatestConsentTexts } from '../consent/index.js';

export interface WorkspaceExport {
  /** File path relative to the workspace directory → YAML text, in path order. */
  files: Record<string, string>;
  counts: { topics: number; items: number; flows: number };
  /** What an operator should know: e.g. an item whose re-import would not be a no-op. */
  warnings: string[];
}

/**
 * Reads the workspace in one read-only snapshot and renders its files. Deterministic: the same state gives the
 * same bytes. The export is audited (AUD-01, AUD-08) before anything is returned: no audit entry, no export.
 *
 * @example const { files } = await exportWorkspace(db, workspace.id); // { 'content/topics.yaml': '- id: …', … }
 */
export async function exportWorkspace(db: Db, workspaceId: string, audit: AuditContext = SYSTEM_AUDIT): Promise<WorkspaceExport> {
  const { settings, consentTexts, topics, items, flows } = await db.transaction(
    async (tx) => ({
      settings: await readWorkspaceSettings(tx, workspaceId),
      consentTexts: await listLatestConsentTexts(tx, workspaceId),
      topics: await listTopicRows(tx, workspaceId),
      items: await listLatestItemVersions(tx, workspaceId),
      flows: await listLatestFlowVersions(tx, workspaceId),
    }),
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const warnings: string[] = [];
  const files: Record<string, string> = {};

  if (Object.keys(settings).length > 0) {
    files['workspace.yaml'] = toMapYaml(settings);
  }
  for (const text of consentTexts) {
    files[`consent/${text.id}.yaml`] = toMapYaml({ id: text.id, version: text.version, purpose: text.purpose, text: text.text });
  }
  const tree = topicTreeOrder(topics);
  files['content/topics.yaml'] = toListYaml(tree.map(toTopicFile));

  const position = new Map(tree.map((t, i) => [t.slug, i]));
  const byFile = new Map<string, ItemVersionRow[]>();
  for (const row of items) {
    const file = `content/items/${rootTopic(row.topic, topics)}.yaml`;
    byFile.set(file, [...(byFile.get(file) ?? []), row]);
  }
  for (const [file, rows] of byFile) {
    rows.sort((a, b) => (position.get(a.topic) ?? Infinity) - (position.get(b.topic) ?? Infinity) || compareCodePoints(a.slug, b.slug));
    files[file] = toListYaml(rows.map((row) => toItemFile(row, warnings)));
  }

  for (const row of flows) {
    const parsed = parseFlow(row.definition);
    if (!parsed.ok) {
      warnings.push(`flow "${row.slug}" version ${row.version} does not pass today's checks, so apply will refuse flows/${row.slug}.yaml: ${parsed.problems[0]?.message ?? ''}`);
    }
    files[`flows/${row.slug}.yaml`] = toFlowYaml(row.definition, parsed.ok ? parsed.flow : undefined);
  }
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => compareCodePoints(a, b)));
  const counts = { topics: topics.length, items: items.length, flows: flows.length };
  // The read above is a read-only snapshot, so the entry gets its own transaction; the hash names what left.
  await db.transaction(async (tx) => {
    await appendAudit(tx, [{ workspaceId, ...audit, action: 'workspace.exported', object: { type: 'workspace', id: workspaceId }, after: { counts, files: Object.keys(sorted).length, hash: sha256Hex(canonicalJson(sorted)) } }]);
  });
  return { files: sorted, counts, warnings: warnings.sort(compareCodePoints) };
}

/**
 * Why `dir` cannot take an export, or undefined when it can: it must be a directory that is empty or missing,
 * unless `force` (then only the exported files are overwritten; nothing else is touched).
 */
export function findExportTargetProblem(dir: string, force: boolean): string | undefined {
  if (!existsSync(dir)) {
    return undefined;
  }
  if (!statSync(dir).isDirectory()) {
    return `${dir} is not a directory`;
  }
  const entries = readdirSync(dir);
  if (entries.length > 0 && !force) {
    return `${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); export into an empty directory, or add --force to overwrite the files it writes (other files are left alone)`;
  }
  return undefined;
}

export interface WrittenExport {
  written: string[];
  /** YAML files already in content/items or flows that the export did not write: `apply` would still read them. */
  leftAlone: string[];
}

/** Writes the files below `dir` (created if missing), overwriting only those; never deletes anything. */
export function writeWorkspaceExport(dir: string, files: Record<string, string>): WrittenExport {
  const written = Object.keys(files);
  const leftAlone = ['content/items', 'flows'].flatMap((sub) =>
    existsSync(join(dir, sub))
      ? readdirSync(join(dir, sub))
          .filter((f) => /\.ya?ml$/.test(f))
          .map((f) => `${sub}/${f}`)
          .filter((f) => !(f in files))
      : [],
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { written, leftAlone: leftAlone.sort(compareCodePoints) };
}

/** "topics: 17, items: 52, flows: 6 (13 files)", then each warning and each file left alone on a line. */
export function formatExportSummary(exported: WorkspaceExport, result: WrittenExport): string {
  const { topics, items, flows } = exported.counts;
  return [
    `topics: ${topics}, items: ${items}, flows: ${flows} (${result.written.length} files)`,
    ...exported.warnings.map((w) => `warning: ${w}`),
    ...result.leftAlone.map((f) => `note: ${f} was there before and is not part of this export; apply reads it too, so delete it if it is stale`),
  ].join('\n');
}

/** Parents before children; siblings by `order` (unset last), then id. Topics outside the tree (a broken parent) last. */
function topicTreeOrder(topics: TopicRow[]): TopicRow[] {
  const slugs = new Set(topics.map((t) => t.slug));
  const children = new Map<string | null, TopicRow[]>();
  for (const t of topics) {
    const parent = t.parent !== null && slugs.has(t.parent) ? t.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const out: TopicRow[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null) => {
    const list = (children.get(parent) ?? []).sort((a, b) => (a.sortOrder ?? Infinity) - (b.sortOrder ?? Infinity) || compareCodePoints(a.slug, b.slug));
    for (const t of list) {
      if (!seen.has(t.slug)) {
        seen.add(t.slug);
        out.push(t);
        visit(t.slug);
      }
    }
  };
  visit(null);
  return [...out, ...topics.filter((t) => !seen.has(t.slug)).sort((a, b) => compareCodePoints(a.slug, b.slug))];
}

/** The top-level topic above `slug`: an item's file is named after it, like the hand-written workspaces. */
function rootTopic(slug: string, topics: TopicRow[]): string {
  const parentOf = new Map(topics.map((t) => [t.slug, t.parent]));
  const seen = new Set<string>();
  let current = slug;
  for (let parent = parentOf.get(current); parent && parentOf.has(parent) && !seen.has(parent); parent = parentOf.get(current)) {
    seen.add(current);
    current = parent;
  }
  return current;
}

function toTopicFile(t: TopicRow): Record<string, unknown> {
  return {
    id: t.slug,
    ...(t.parent !== null ? { parent: t.parent } : {}),
    ...(t.sortOrder !== null ? { order: t.sortOrder } : {}),
    title: t.title,
    ...(t.description !== null ? { description: t.description } : {}),
    ...(t.keywords !== null ? { keywords: t.keywords } : {}),
  };
}

/** The item as its file wrote it; lists that are empty (the schema's defaults) are left out. */
function toItemFile(row: ItemVersionRow, warnings: string[]): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...row.data,
    id: row.slug,
    topic: row.topic,
    audience: row.audience,
    status: row.status,
    ...(row.validFrom !== null ? { validFrom: row.validFrom } : {}),
    ...(row.validUntil !== null ? { validUntil: row.validUntil } : {}),
  };
  const parsed = ContentItem.safeParse(item);
  if (!parsed.success) {
    warnings.push(`item "${row.slug}" version ${row.version} does not pass today's checks, so apply will refuse it: ${parsed.error.issues[0]?.message ?? ''}`);
  } else if (sha256Hex(canonicalJson(parsed.data)) !== row.hash) {
    // `apply` compares an item with the hash stored with its latest version; a status set in the database since
    // (a withdrawal) is not in that hash, so the exported file will be stored as one more, identical version.
    warnings.push(`item "${row.slug}" version ${row.version} was changed in the database after it was applied (status now "${row.status}"); applying this export stores it again as version ${row.version + 1}`);
  }
  return Object.fromEntries(Object.entries(item).filter(([key, v]) => !(DEFAULTED.has(key) && isEmpty(v))));
}

/** Item fields whose schema default is empty: an empty one is left out of the file and comes back as the default. */
const DEFAULTED = new Set(['keywords', 'synonyms', 'questions', 'media', 'links']);

function isEmpty(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}
