/**
 * `parley apply <dir>`: imports a workspace directory in ONE transaction — topics, content item versions, flow
 * versions — idempotently (unchanged files change nothing). A workspace with any problem changes nothing.
 */
import type { Db } from '../../platform/db.js';
import { type ApplyOutcome, applyContentItem, upsertTopic } from '../content/index.js';
import { publishFlowVersion } from '../flows/index.js';
import { loadWorkspaceDir, type WorkspaceProblem } from './workspace-files.js';
import { storeWorkspaceSettings } from './workspace.store.js';

export type OutcomeCounts = Record<ApplyOutcome, number>;

export interface ApplySummary {
  /** workspace.yaml: stored anew, the same as stored, or not in the directory (stored settings stay). */
  settings: 'updated' | 'unchanged' | 'absent';
  topics: OutcomeCounts;
  items: OutcomeCounts;
  flows: OutcomeCounts;
}

export type ApplyResult = { ok: true; summary: ApplySummary } | { ok: false; problems: WorkspaceProblem[] };

export async function applyWorkspace(db: Db, workspaceId: string, dir: string): Promise<ApplyResult> {
  const ws = loadWorkspaceDir(dir);
  if (ws.problems.length > 0) {
    return { ok: false, problems: ws.problems };
  }
  const counts = (): OutcomeCounts => ({ created: 0, updated: 0, new_version: 0, unchanged: 0 });
  const summary: ApplySummary = { settings: 'absent', topics: counts(), items: counts(), flows: counts() };
  await db.transaction(async (tx) => {
    if (ws.settings) {
      summary.settings = await storeWorkspaceSettings(tx, workspaceId, ws.settings);
    }
    for (const topic of ws.topics) {
      summary.topics[await upsertTopic(tx, workspaceId, topic)]++;
    }
    for (const item of ws.items) {
      summary.items[await applyContentItem(tx, workspaceId, item)]++;
    }
    for (const flow of ws.flows) {
      summary.flows[await publishFlowVersion(tx, workspaceId, flow, ws.flowFiles[flow.id] ?? flow.id)]++;
    }
  });
  return { ok: true, summary };
}

/** One line per kind: "items: 3 created, 1 new version, 50 unchanged". */
export function formatSummary(s: ApplySummary): string {
  const line = (name: string, c: OutcomeCounts) =>
    `${name}: ${[`${c.created} created`, c.updated ? `${c.updated} updated` : '', c.new_version ? `${c.new_version} new version${c.new_version === 1 ? '' : 's'}` : '', `${c.unchanged} unchanged`].filter(Boolean).join(', ')}`;
  return [`settings: ${s.settings === 'absent' ? 'no workspace.yaml (stored settings kept)' : s.settings}`, line('topics', s.topics), line('items', s.items), line('flows', s.flows)].join('\n');
}
