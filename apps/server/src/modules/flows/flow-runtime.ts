/**
 * What the runner needs of a workspace, built once and cached: the latest published version of every flow (and
 * every version, for runs that started on an older one), the content the bot may show now — approved, valid
 * today, for every audience (hcp and rx-promo reach no one until HCP verification exists, HWG-01) — and the
 * answer matcher over it. Pure: built from plain lists, so tests build it from workspace files.
 */
import type { ContentItem, Flow, Topic } from '@parley/contracts';
import { type AnswerMatcher, createAnswerMatcher } from '../content/index.js';

export interface WorkspaceRuntime {
  /** Latest published version per flow id: what triggers start. */
  flows: Map<string, Flow>;
  /** Every stored version, drafts included (the simulator runs them), by `id@version`. */
  versions: Map<string, Flow>;
  items: Map<string, ContentItem>;
  topics: Map<string, Topic>;
  matcher: AnswerMatcher;
  defaultLanguage: string;
}

const OPEN_AUDIENCES = new Set(['public', 'patient-programme']);

/** Whether an item may be shown now: approved and inside its validity window (MLR-01), for an audience without a gate (HWG-01). */
export function isShowable(item: ContentItem, now: Date): boolean {
  const today = now.toISOString().slice(0, 10);
  return (
    item.status === 'approved' &&
    OPEN_AUDIENCES.has(item.audience) &&
    (!item.validFrom || item.validFrom <= today) &&
    (!item.validUntil || item.validUntil >= today)
  );
}

export function createWorkspaceRuntime(input: { flows: Flow[]; items: ContentItem[]; topics: Topic[]; defaultLanguage: string; now: Date }): WorkspaceRuntime {
  const versions = new Map(input.flows.map((f) => [`${f.id}@${f.version}`, f]));
  const flows = new Map<string, Flow>();
  for (const f of input.flows) {
    if (f.status === 'draft') {
      continue;
    }
    const current = flows.get(f.id);
    if (!current || current.version < f.version) {
      flows.set(f.id, f);
    }
  }
  const items = input.items.filter((i) => isShowable(i, input.now));
  const languages = [...new Set(input.flows.flatMap((f) => f.languages).concat(['de', 'en']))];
  return {
    flows,
    versions,
    items: new Map(items.map((i) => [i.id, i])),
    topics: new Map(input.topics.map((t) => [t.id, t])),
    matcher: createAnswerMatcher(items, { languages }),
    defaultLanguage: input.defaultLanguage,
  };
}
