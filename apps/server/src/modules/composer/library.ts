/**
 * The composer's pickers (pure): the approved library an agent may send from — exactly the items the bot may show
 * now (approved, valid today, for an open audience: MLR-01, HWG-01) — and the workspace's canned answers, each
 * searchable by words in any of their languages (case, accents and ß folded).
 */
import type { CannedAnswer, CannedAnswerView, ContentItem, LibraryEntry, Topic } from '@parley/contracts';
import { foldText } from '../content/index.js';
import { isShowable } from '../flows/index.js';

const SNIPPET_CHARS = 160;
const MAX_RESULTS = 50;

/**
 * A text in `language`, else German, else English, else any — the fallback the bot's runner uses.
 *
 * @example localized({ de: 'Hallo', en: 'Hello' }, 'fr') // 'Hallo'
 */
export function localized(text: Record<string, string>, language: string): string {
  return text[language] ?? text.de ?? text.en ?? Object.values(text)[0] ?? '';
}

/**
 * Library items that match every word of `q` (all when empty), titles matching first, then by title; at most 50.
 *
 * @example listLibrary({ items, topics }, 'beipack', 'de', new Date())[0]?.id // 'packungsbeilage'
 */
export function listLibrary(library: { items: ReadonlyMap<string, ContentItem>; topics: ReadonlyMap<string, Topic> }, q: string | undefined, language: string, now: Date): LibraryEntry[] {
  const words = wordsOf(q);
  const entries = [...library.items.values()]
    .filter((item) => isShowable(item, now))
    .flatMap((item) => {
      const title = localized(item.title, language);
      const vocabulary = [item.keywords, item.synonyms, item.questions].flatMap((w) => Object.values(w).flat());
      const haystack = foldText([...Object.values(item.title), ...Object.values(item.body), ...vocabulary, item.id].join(' '));
      if (!words.every((w) => haystack.includes(w))) {
        return [];
      }
      const topic = library.topics.get(item.topic);
      const entry: LibraryEntry = {
        id: item.id,
        topic: { id: item.topic, title: topic ? localized(topic.title, language) : null },
        title,
        snippet: snippet(localized(item.body, language)),
        audience: item.audience,
        validUntil: item.validUntil ?? null,
        media: item.media.length,
      };
      return [{ entry, titleHit: words.length > 0 && words.every((w) => foldText(Object.values(item.title).join(' ')).includes(w)) }];
    });
  return entries
    .sort((a, b) => Number(b.titleHit) - Number(a.titleHit) || a.entry.title.localeCompare(b.entry.title, language))
    .slice(0, MAX_RESULTS)
    .map((e) => e.entry);
}

/** Canned answers that match every word of `q` (all when empty), in their workspace.yaml order, in `language`. */
export function listCanned(answers: readonly CannedAnswer[], q: string | undefined, language: string): CannedAnswerView[] {
  const words = wordsOf(q);
  return answers
    .filter((a) => {
      const haystack = foldText([a.id, ...Object.values(a.title), ...Object.values(a.text)].join(' '));
      return words.every((w) => haystack.includes(w));
    })
    .map((a) => ({ id: a.id, title: localized(a.title, language), text: localized(a.text, language) }));
}

function wordsOf(q: string | undefined): string[] {
  return foldText(q ?? '')
    .split(/\s+/)
    .filter((w) => w !== '');
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS - 1)}…` : flat;
}
