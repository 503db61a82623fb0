/**
 * What the runner needs of a workspace, built once and cached: the latest published version of every flow (and
 * every version, for runs that started on an older one), the content the bot may show now — approved, valid
 * today, for every audience (hcp and rx-promo reach no one until HCP verification exists, HWG-01) — and the
 * answer matcher over it. Pure: built from plain lists, so tests build it from workspace files.
 */
import { type ConsentTextFile, type ContentItem, DEFAULT_COMMAND_WORDS, type Flow, type GlobalCommand, type Topic, type WorkspaceSettings } from '@parley/contracts';
import { consentTextHash } from '../consent/index.js';
import { foldText } from '../content/index.js';
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
  settings: WorkspaceSettings;
  /** Global command by its folded word, in every language (workspace words or Parley's defaults). */
  commands: Map<string, GlobalCommand>;
  /** The flow MENU and START open, if there is one. */
  menuFlow: Flow | undefined;
  handoffQueue: string;
  /** The current version of every consent text, by id. */
  consentTexts: Map<string, RuntimeConsentText>;
}

export interface RuntimeConsentText {
  version: number;
  purpose: string;
  /** Wording per language, and the SHA-256 of each. */
  text: Record<string, string>;
  hashes: Record<string, string>;
}

export const DEFAULT_HANDOFF_QUEUE = 'patient-service';

/** How a command word is compared: folded (case, accents, ß), punctuation dropped. */
export function commandKey(text: string): string {
  return foldText(text).replace(/[^\p{L}\p{N} ]/gu, '').replace(/\s+/g, ' ').trim();
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

export function createWorkspaceRuntime(input: {
  flows: Flow[];
  items: ContentItem[];
  topics: Topic[];
  defaultLanguage: string;
  now: Date;
  settings?: WorkspaceSettings;
  /** The current version of each consent text. */
  consentTexts?: ConsentTextFile[];
}): WorkspaceRuntime {
  const settings = input.settings ?? {};
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
    defaultLanguage: settings.defaultLanguage ?? input.defaultLanguage,
    settings,
    commands: commandWords(settings),
    menuFlow: settings.menuFlow !== undefined ? flows.get(settings.menuFlow) : [...flows.values()].find((f) => f.triggers.some((t) => t.type === 'new_conversation')),
    handoffQueue: settings.handoffQueue ?? DEFAULT_HANDOFF_QUEUE,
    consentTexts: new Map(
      (input.consentTexts ?? []).map((t) => [
        t.id,
        { version: t.version, purpose: t.purpose, text: t.text, hashes: Object.fromEntries(Object.entries(t.text).map(([lang, wording]) => [lang, consentTextHash(wording)])) },
      ]),
    ),
  };
}

function commandWords(settings: WorkspaceSettings): Map<string, GlobalCommand> {
  const words = new Map<string, GlobalCommand>();
  for (const command of Object.keys(DEFAULT_COMMAND_WORDS) as GlobalCommand[]) {
    for (const list of Object.values(settings.commands?.[command] ?? DEFAULT_COMMAND_WORDS[command])) {
      for (const word of list) {
        const key = commandKey(word);
        if (key !== '') {
          words.set(key, command); // a word of only punctuation would match every emoji
        }
      }
    }
  }
  return words;
}
