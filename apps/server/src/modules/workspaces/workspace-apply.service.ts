/**
 * `parley apply <dir>`: imports a workspace directory in ONE transaction — topics, content item versions, flow
 * versions — idempotently (unchanged files change nothing). A workspace with any problem changes nothing.
 */
import { canonicalJson, sha256Hex } from '../../platform/canonical.js';
import type { Db, Tx } from '../../platform/db.js';
import { type AuditContext, type AuditEntryInput, appendAudit, SYSTEM_AUDIT } from '../audit/index.js';
import { type ApplyOutcome, applyContentItem, upsertTopic } from '../content/index.js';
import { publishFlowVersion } from '../flows/index.js';
import { consentTextHash, storeConsentText } from '../consent/index.js';
import { applyDesiredTemplates } from '../templates/index.js';
import { loadWorkspaceDir, type WorkspaceFiles, type WorkspaceProblem } from './workspace-files.js';
import { readWorkspaceSettings, storeWorkspaceSettings } from './workspace.store.js';

export type OutcomeCounts = Record<ApplyOutcome, number>;

export interface ApplySummary {
  /** workspace.yaml: stored anew, the same as stored, or not in the directory (stored settings stay). */
  settings: 'updated' | 'unchanged' | 'absent';
  topics: OutcomeCounts;
  items: OutcomeCounts;
  flows: OutcomeCounts;
  /** templates/*.yaml stored as the workspace's desired WhatsApp templates; absent when the directory has none. */
  templates?: OutcomeCounts;
  /** consent/*.yaml: consent text versions stored; absent when the directory has none. */
  consentTexts?: OutcomeCounts;
}

export type ApplyResult = { ok: true; summary: ApplySummary } | { ok: false; problems: WorkspaceProblem[] };

/** Problems only the database can find (a template's channel): thrown to roll the transaction back. */
class ApplyProblems extends Error {
  constructor(readonly problems: WorkspaceProblem[]) {
    super('workspace problems');
  }
}

/**
 * Applies `dir` to the workspace; every object it changes leaves one audit entry in the same transaction (AUD-01,
 * AUD-06), attributed to `audit.actor` (the CLI, the admin API, or the system for the demo).
 */
export async function applyWorkspace(db: Db, workspaceId: string, dir: string, audit: AuditContext = SYSTEM_AUDIT): Promise<ApplyResult> {
  const ws = loadWorkspaceDir(dir);
  if (ws.problems.length > 0) {
    return { ok: false, problems: ws.problems };
  }
  const counts = (): OutcomeCounts => ({ created: 0, updated: 0, new_version: 0, unchanged: 0 });
  const summary: ApplySummary = { settings: 'absent', topics: counts(), items: counts(), flows: counts(), ...(ws.templates.length > 0 ? { templates: counts() } : {}), ...(ws.consentTexts.length > 0 ? { consentTexts: counts() } : {}) };
  try {
    await db.transaction((tx) => applyInTx(tx, ws, summary));
  } catch (err) {
    if (err instanceof ApplyProblems) {
      return { ok: false, problems: err.problems };
    }
    throw err;
  }
  return { ok: true, summary };

  async function applyInTx(tx: Tx, ws: WorkspaceFiles, summary: ApplySummary): Promise<void> {
    const entries: AuditEntryInput[] = [];
    const record = (action: string, object: AuditEntryInput['object'], after: unknown, before?: unknown) =>
      entries.push({ workspaceId, ...audit, action, object, after, before });
    const templates = await applyDesiredTemplates(tx, workspaceId, ws.templates, audit);
    if (!templates.ok) {
      throw new ApplyProblems(templates.problems);
    }
    if (summary.templates) {
      Object.assign(summary.templates, templates.counts);
    }
    entries.push(...templates.audit);
    if (ws.settings) {
      const before = await readWorkspaceSettings(tx, workspaceId);
      summary.settings = await storeWorkspaceSettings(tx, workspaceId, ws.settings);
      if (summary.settings === 'updated') {
        record('workspace_settings.updated', { type: 'workspace_settings', id: workspaceId }, ws.settings, before);
      }
    }
    for (const text of ws.consentTexts) {
      const outcome = await storeConsentText(tx, workspaceId, text);
      if (typeof outcome === 'object') {
        throw new ApplyProblems([{ file: ws.consentTextFiles[text.id] ?? `consent/${text.id}.yaml`, path: 'version', message: outcome.conflict }]);
      }
      summary.consentTexts![outcome]++;
      if (outcome === 'created') {
        record('consent_text.created', { type: 'consent_text', id: text.id, version: text.version }, { purpose: text.purpose, hashes: Object.fromEntries(Object.entries(text.text).map(([l, t]) => [l, consentTextHash(t)])) });
      }
    }
    for (const topic of ws.topics) {
      const outcome = await upsertTopic(tx, workspaceId, topic);
      summary.topics[outcome]++;
      if (outcome !== 'unchanged') {
        record(`topic.${outcome === 'created' ? 'created' : 'updated'}`, { type: 'topic', id: topic.id }, topic);
      }
    }
    for (const item of ws.items) {
      const outcome = await applyContentItem(tx, workspaceId, item);
      summary.items[outcome]++;
      if (outcome !== 'unchanged') {
        // The version row keeps the wording; the entry names it by the same content hash (content.store.ts).
        record('content_version.created', { type: 'content_item', id: item.id }, { hash: sha256Hex(canonicalJson(item)), status: item.status, topic: item.topic, audience: item.audience });
      }
    }
    for (const flow of ws.flows) {
      const outcome = await publishFlowVersion(tx, workspaceId, flow, ws.flowFiles[flow.id] ?? flow.id);
      summary.flows[outcome]++;
      if (outcome !== 'unchanged') {
        const { status = 'published', ...definition } = flow;
        record(status === 'draft' ? 'flow_version.draft_saved' : 'flow_version.published', { type: 'flow', id: flow.id, version: flow.version }, { hash: sha256Hex(canonicalJson(definition)), status, outcome });
      }
    }
    await appendAudit(tx, entries);
  }
}

/** One line per kind: "items: 3 created, 1 new version, 50 unchanged". */
export function formatSummary(s: ApplySummary): string {
  const line = (name: string, c: OutcomeCounts) =>
    `${name}: ${[`${c.created} created`, c.updated ? `${c.updated} updated` : '', c.new_version ? `${c.new_version} new version${c.new_version === 1 ? '' : 's'}` : '', `${c.unchanged} unchanged`].filter(Boolean).join(', ')}`;
  return [`settings: ${s.settings === 'absent' ? 'no workspace.yaml (stored settings kept)' : s.settings}`, line('topics', s.topics), line('items', s.items), line('flows', s.flows), ...(s.templates ? [line('templates', s.templates)] : []), ...(s.consentTexts ? [line('consent texts', s.consentTexts)] : [])].join('\n');
}
