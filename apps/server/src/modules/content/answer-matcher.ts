/**
 * Decides which approved library item answers a free-text question (ARCHITECTURE §5): exact keyword or synonym
 * → stemmed, typo-tolerant full-text search → confidence → answer, offer the top 3, or give up (the caller offers
 * a human and keeps the question for the content team). It never writes an answer: it names an item, whose text
 * is sent verbatim. Pure: build it from the items that are approved and valid now; rebuild when they change.
 */
import type { LocalizedText } from '@parley/contracts';
import MiniSearch from 'minisearch';
import { terms, toTerm, words } from './text-normalise.js';

export interface MatchableItem {
  id: string;
  title: LocalizedText;
  body?: LocalizedText;
  keywords?: Record<string, string[]>;
  synonyms?: Record<string, string[]>;
  questions?: Record<string, string[]>;
}

export interface Candidate {
  itemId: string;
  confidence: number;
}

export type AnswerDecision =
  | { kind: 'answer'; itemId: string; confidence: number; via: 'keyword' | 'search'; candidates: Candidate[] }
  | { kind: 'suggest'; candidates: Candidate[] }
  | { kind: 'unknown'; candidates: Candidate[] };

export interface MatcherOptions {
  languages: string[];
  /** Confidence from which the best item is the answer. */
  answerThreshold?: number;
  /** Confidence from which candidates are offered as "Did you mean …?". */
  suggestThreshold?: number;
  /** The coverage a keyword or title hit counts as at least. */
  keywordEvidence?: number;
}

export interface AnswerMatcher {
  match(question: string, language: string): AnswerDecision;
}

interface Doc {
  id: string;
  title: string;
  keywords: string;
  questions: string;
}

/**
 * Calibrated on the demo library (bench/answers.eval.ts, 200 questions): a wrong confident answer is the worse
 * error for an organisation that must answer only what it approved, so below 0.6 the user is offered the top 3.
 */
export const DEFAULT_ANSWER_THRESHOLD = 0.6;
export const DEFAULT_SUGGEST_THRESHOLD = 0.2;
/** The coverage a keyword or title hit counts as at least (evaluated: 0.5 keeps wrong answers at 1 %). */
export const DEFAULT_KEYWORD_EVIDENCE = 0.5;

export function createAnswerMatcher(items: MatchableItem[], opts: MatcherOptions): AnswerMatcher {
  const answerAt = opts.answerThreshold ?? DEFAULT_ANSWER_THRESHOLD;
  const suggestAt = opts.suggestThreshold ?? DEFAULT_SUGGEST_THRESHOLD;
  const keywordEvidence = opts.keywordEvidence ?? DEFAULT_KEYWORD_EVIDENCE;
  const exact = new Map<string, Set<string>>();
  const indexes = new Map<string, MiniSearch<Doc>>();

  for (const language of opts.languages) {
    const addExact = (phrase: string, id: string) => {
      for (const key of [words(phrase).join(' '), terms(phrase, language).join(' ')]) {
        if (key) {
          exact.set(`${language}:${key}`, (exact.get(`${language}:${key}`) ?? new Set()).add(id));
        }
      }
    };
    const index = new MiniSearch<Doc>({
      // Bodies are not indexed: an item's vocabulary is its keywords, title and example questions; a body's
      // incidental words add false matches and double the search time (bench/matching.bench.ts).
      fields: ['title', 'keywords', 'questions'],
      storeFields: [],
      tokenize: (text) => words(text),
      processTerm: (term) => toTerm(term, language) ?? null,
    });
    index.addAll(
      items.map((item) => {
        const kw = [...(item.keywords?.[language] ?? []), ...(item.synonyms?.[language] ?? [])];
        kw.forEach((k) => addExact(k, item.id));
        const title = item.title[language] ?? '';
        if (title) {
          addExact(title, item.id);
        }
        return { id: item.id, title, keywords: kw.join(' · '), questions: (item.questions?.[language] ?? []).join(' · ') };
      }),
    );
    indexes.set(language, index);
  }

  /**
   * Exact (stemmed) terms first — fast. The typo-tolerant pass runs only when a word of the question matched
   * nothing (a typo is a word the library does not know) and the first pass found no confident answer.
   */
  function search(question: string, language: string, allowTypos: boolean): Candidate[] {
    const exactPass = searchOnce(question, language, false);
    if (!allowTypos || (exactPass.candidates[0]?.confidence ?? 0) >= answerAt || exactPass.unmatched === 0) {
      return exactPass.candidates;
    }
    return better(exactPass.candidates, searchOnce(question, language, true).candidates);
  }

  function searchOnce(question: string, language: string, tolerant: boolean): { candidates: Candidate[]; unmatched: number } {
    const index = indexes.get(language);
    const queryTerms = new Set(terms(question, language));
    if (!index || queryTerms.size === 0) {
      return { candidates: [], unmatched: 0 };
    }
    const results = index.search(question, {
      boost: { keywords: 3, title: 2, questions: 1.5, body: 0.5 },
      // Typo tolerance on longer words only: short words have too many neighbours.
      fuzzy: tolerant ? (term) => (term.length >= 9 ? 2 : term.length >= 5 ? 1 : false) : false,
      prefix: tolerant ? (term) => term.length >= 6 : false,
      combineWith: 'OR',
    });
    const matched = new Set(results.flatMap((r) => r.queryTerms));
    const unmatched = [...queryTerms].filter((t) => !matched.has(t)).length;
    const top = results[0];
    if (!top) {
      return { candidates: [], unmatched };
    }
    const second = results[1]?.score ?? 0;
    const candidates = results.slice(0, 3).map((r, i) => {
      // How much of the question the item explains, and how clearly it beats the runner-up. A word that is one
      // of the item's keywords (or in its title) is strong evidence even among other words ("Wo finde ich den
      // Beipackzettel?").
      const keywordHit = Object.values(r.match).some((fields) => fields.includes('keywords') || fields.includes('title'));
      const coverage = Math.max(Math.min(1, new Set(r.queryTerms).size / queryTerms.size), keywordHit ? keywordEvidence : 0);
      const margin = i === 0 ? (top.score - second) / top.score : 0;
      return { itemId: String(r.id), confidence: round(coverage * (0.55 + 0.45 * margin) * (r.score / top.score)) };
    });
    return { candidates, unmatched };
  }

  return {
    match(question, language) {
      const languages = [language, ...opts.languages.filter((l) => l !== language)];
      for (const lang of languages) {
        for (const key of [words(question).join(' '), terms(question, lang).join(' ')]) {
          const hits = key ? exact.get(`${lang}:${key}`) : undefined;
          if (hits?.size === 1) {
            const [itemId] = [...hits];
            return { kind: 'answer', itemId: itemId!, confidence: 1, via: 'keyword', candidates: [{ itemId: itemId!, confidence: 1 }] };
          }
          if (hits && hits.size > 1) {
            return { kind: 'suggest', candidates: [...hits].slice(0, 3).map((itemId) => ({ itemId, confidence: 0.5 })) };
          }
        }
      }
      // The conversation's language first; another language only when it is clearly better (mixed-language users).
      let best: Candidate[] = search(question, language, true);
      // Another language (exact words only) when the conversation's language found nothing worth offering.
      for (const lang of (best[0]?.confidence ?? 0) >= suggestAt ? [] : languages.slice(1)) {
        const other = search(question, lang, false);
        if ((other[0]?.confidence ?? 0) > (best[0]?.confidence ?? 0) + 0.15) {
          best = other;
        }
      }
      const top = best[0];
      if (top && top.confidence >= answerAt) {
        return { kind: 'answer', itemId: top.itemId, confidence: top.confidence, via: 'search', candidates: best };
      }
      if (top && top.confidence >= suggestAt) {
        return { kind: 'suggest', candidates: best.filter((c) => c.confidence >= suggestAt / 2) };
      }
      return { kind: 'unknown', candidates: best };
    },
  };
}

function better(a: Candidate[], b: Candidate[]): Candidate[] {
  return (b[0]?.confidence ?? 0) > (a[0]?.confidence ?? 0) ? b : a;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

