/**
 * Maps a question's words onto the library's terms (stems) for one language: the word's own stem when the library
 * has it; else, in German, the verb of a past participle ("gelagert" → lager), a noun in -ung for its verb
 * ("Kühlung" → kühl) or the bare verb for a prefixed library verb ("schmeiß" → wegschmeißen); else its compound parts
 * (compound-splitter.ts), or the head of a compound with an unknown modifier; else the closest library word within a typo budget
 * (one edit from 5 letters, two from 9, an adjacent swap counting as one; the first letter must be right; words
 * known to be spelt right are not corrected). A word that resolves to nothing is
 * reported as unknown: unknown words are the evidence that a question is not about the library.
 */
import SearchableMap from 'minisearch/SearchableMap';
import { createCompoundSplitter } from './compound-splitter.js';
import { toTerm } from './text-normalise.js';

/**
 * How a question word reached the library's terms; `quality` discounts indirect routes. A `compound` names all
 * its parts' terms (each must be explained); `derived` (a related word form) and `typo` name alternatives.
 */
export type ResolvedWord =
  | { word: string; via: 'exact' | 'compound' | 'derived' | 'typo'; terms: string[]; quality: number; partial?: boolean }
  | { word: string; via: 'unknown'; terms: []; quality: 0; partial?: undefined };

export interface TermResolver {
  /** The library's terms of a folded, non-stop word, with how they were found. */
  resolve(word: string): ResolvedWord;
  /** Whether the library has this folded word's stem as it is (no splitting or correcting: cheap). */
  knows(word: string): boolean;
  /**
   * A German question's words with separated verb particles joined back where the library knows the verb: "Was
   * nehme ich mit?" → nehme + mit = mitnehme (the library's "mitnehmen"). Other words and languages unchanged.
   */
  joinParticles(words: string[]): string[];
  /**
   * The library terms of a word and of its related forms (a German participle's verb, a noun in -ung and its verb):
   * "gekuehlt" → gekuehlt, kuehl. For comparing what an item and a question negate, which may use different forms.
   */
  forms(word: string): string[];
  /** The term an indexed library word stands for (its stem), as a list for MiniSearch; empty for a stop word. */
  indexTerms(word: string): string[];
  /**
   * The stems of a library compound's parts, when all parts are library words; empty otherwise. For an item's own
   * vocabulary (title, keywords, synonyms) only: split everywhere, common parts would make every search walk long
   * lists of items for little gain.
   */
  compoundParts(word: string): string[];
}

/** An item's folded words: its own vocabulary (title, keywords, synonyms) and the rest (questions, body). */
export interface ItemWords {
  own: string[];
  other: string[];
}

/** Typos are discounted: a corrected word is likelier to be read wrongly than a word typed right. */
const TYPO_QUALITY = 0.8;
const COMPOUND_QUALITY = 0.9;
/** Only the head of a compound was known: the modifier narrowed it in a way the library cannot check. */
const HEAD_QUALITY = 0.3;
/** A verb with a separable prefix the library does not use ("dazuzahlen" for "zahlen"): close, not the same. */
const PREFIX_QUALITY = 0.8;
/** A German noun in -ung for the library's verb, or the reverse ("Kühlung" for "kühlen"): the same act, named. */
const NOMINAL_QUALITY = 0.9;
/** German separable-verb prefixes, longest first. */
const SEPARABLE_PREFIXES = ['zurueck', 'dazu', 'weg', 'mit', 'nach', 'auf', 'aus', 'ein', 'vor', 'zu', 'an', 'ab'];

/**
 * @param items the folded words of each item.
 * @param isWord words known to be spelt right (everyday words): never corrected as typos ("einschalten" is not a
 *   slip for the library's "einschätzen").
 * @example createTermResolver([{ own: ['impfung'], other: [] }, { own: ['gelbfieber'], other: [] }], 'de').resolve('gelbfieberimpfung').via // 'compound'
 */
export function createTermResolver(
  items: ItemWords[],
  language: string,
  isWord: (word: string) => boolean = () => false,
): TermResolver {
  const wordToTerm = new Map<string, string>();
  const stemOf = (word: string) => wordToTerm.get(word) ?? toTerm(word, language);
  for (const item of items) {
    for (const word of [...item.own, ...item.other]) {
      if (!wordToTerm.has(word)) {
        const term = toTerm(word, language);
        if (term) {
          wordToTerm.set(word, term);
        }
      }
    }
  }
  const knownTerms = new Set(wordToTerm.values());
  // A library verb with a separable prefix under its bare verb, for a question that drops or moves the prefix
  // ("wo schmeiß ich die Pens hin" for "wegschmeißen"); only where the bare verb is not a library term itself.
  const prefixedVerbs = new Map<string, string[]>();
  if (language === 'de') {
    for (const [word, term] of wordToTerm) {
      const prefix = SEPARABLE_PREFIXES.find((p) => word.startsWith(p) && word.length - p.length >= 5);
      const bare = prefix ? stemOf(word.slice(prefix.length)) : undefined;
      if (bare && !knownTerms.has(bare) && !prefixedVerbs.get(bare)?.includes(term)) {
        prefixedVerbs.set(bare, [...(prefixedVerbs.get(bare) ?? []), term]);
      }
    }
  }
  const splitter = createCompoundSplitter(wordToTerm.keys(), { stem: (w) => stemOf(w) ?? w });
  const fuzzy = new SearchableMap<string>();
  for (const [word, term] of wordToTerm) {
    fuzzy.set(word, term);
  }

  /** A German weak verb's past participle names its stem between ge- and -(e)t: gespritzt → spritz. */
  const participleStem = (word: string) => {
    const m = /^ge(\w{3,}?)e?t$/.exec(word);
    // The stemmer cuts "lager" to "lag" but "Lagerung" to "lager": the bare verb stem may itself be the term.
    return m ? [m[1]!, stemOf(m[1]!)].find((t) => t !== undefined && knownTerms.has(t)) : undefined;
  };
  /** "Kühlung" → kühl when the library has the verb; "kühlen" → kühlung when it has only the noun. */
  const nominalStem = (word: string) => {
    const noun = /^(\w{3,}?)ung(en)?$/.exec(word);
    const verb = noun ? undefined : stemOf(word);
    const candidates = noun ? [noun[1]!, stemOf(noun[1]!)] : [verb && `${verb}ung`];
    return candidates.find((t) => t !== undefined && t.length >= 4 && knownTerms.has(t));
  };
  const partTerms = (parts: string[]) => [...new Set(parts.map((p) => stemOf(p)).filter((t): t is string => t !== undefined && knownTerms.has(t)))];

  const indexTerms = (word: string): string[] => {
    const term = stemOf(word);
    return term ? [term] : [];
  };
  const partsCache = new Map<string, string[]>();
  function compoundParts(word: string): string[] {
    if (word.length < 8) {
      return [];
    }
    let cached = partsCache.get(word);
    if (!cached) {
      // Only a full split: indexing the head of every compound ("Einstichstelle" under "Stelle") was measured to
      // add more false candidates than it finds (bench/answers.eval.ts).
      const parts = splitter.split(word);
      const term = stemOf(word);
      cached = parts ? partTerms(parts).filter((t) => t !== term) : [];
      partsCache.set(word, cached);
    }
    return cached;
  }

  function closest(word: string): string[] {
    if (word.length < 5 || /^\d+$/.test(word)) {
      return [];
    }
    // An adjacent swap ("mleden", "stuiden") is one slip of the fingers that keeps every letter typed: it comes
    // before a word one substitution away ("stuiden" is "studien", not "stunden").
    const swaps = new Set<string>();
    for (let i = 0; i + 1 < word.length; i++) {
      const term = word[i] === word[i + 1] ? undefined : fuzzy.get(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
      if (term) {
        swaps.add(term);
      }
    }
    if (swaps.size > 0) {
      return swaps.size === 1 ? [...swaps] : [];
    }
    const budget = word.length >= 9 ? 2 : 1;
    let bestDistance = Infinity;
    let best: string[] = [];
    for (const [candidate, [term, distance]] of fuzzy.fuzzyGet(word, budget)) {
      // People rarely mistype the first letter, and a different first letter mostly makes a different word
      // ("better" is not "letter", "iphone" is not "phone").
      if (candidate[0] !== word[0]) {
        continue;
      }
      if (distance < bestDistance) {
        bestDistance = distance;
        best = [term];
      } else if (distance === bestDistance && !best.includes(term)) {
        best.push(term);
      }
    }
    // Several equally close words that mean different things are not a correction but a guess.
    return best.length === 1 ? best : [];
  }

  return {
    indexTerms,
    compoundParts,
    forms(word) {
      const resolved = resolve(word);
      const related = language === 'de' ? [participleStem(word), nominalStem(word)] : [];
      return [...new Set([...(resolved.partial ? [] : resolved.terms), ...related.filter((t): t is string => t !== undefined)])];
    },
    knows: (word) => knownTerms.has(stemOf(word) ?? ''),
    joinParticles(words) {
      if (language !== 'de') {
        return words;
      }
      const particles = words.filter((w) => SEPARABLE_PREFIXES.includes(w));
      if (particles.length === 0) {
        return words;
      }
      return words.map((w) => {
        const joined = particles.map((p) => p + w).find((j) => !SEPARABLE_PREFIXES.includes(w) && knownTerms.has(stemOf(j) ?? ''));
        return joined ?? w;
      });
    },
    resolve,
  };

  function resolve(word: string): ResolvedWord {
    const term = stemOf(word);
    if (term && knownTerms.has(term)) {
      return { word, via: 'exact', terms: [term], quality: 1 };
    }
    const verb = language === 'de' ? participleStem(word) : undefined;
    if (verb) {
      return { word, via: 'exact', terms: [verb], quality: 1 };
    }
    const nominal = language === 'de' ? nominalStem(word) : undefined;
    if (nominal) {
      return { word, via: 'derived', terms: [nominal], quality: NOMINAL_QUALITY };
    }
    const prefix = language === 'de' ? SEPARABLE_PREFIXES.find((p) => word.startsWith(p) && word.length - p.length >= 4) : undefined;
    const unprefixed = prefix ? stemOf(word.slice(prefix.length)) : undefined;
    if (unprefixed && knownTerms.has(unprefixed)) {
      return { word, via: 'compound', terms: [unprefixed], quality: PREFIX_QUALITY };
    }
    // The stemmer keeps a verb's -t and -st ("schickt"); the bare verb is without them ("schick").
    const prefixed = term ? (prefixedVerbs.get(term) ?? prefixedVerbs.get(term.replace(/s?t$/, ''))) : undefined;
    if (prefixed) {
      return { word, via: 'derived', terms: prefixed, quality: PREFIX_QUALITY };
    }
    const parts = splitter.split(word);
    if (parts) {
      return { word, via: 'compound', terms: partTerms(parts), quality: COMPOUND_QUALITY };
    }
    const typo = isWord(word) ? [] : closest(word);
    if (typo.length > 0) {
      return { word, via: 'typo', terms: typo, quality: TYPO_QUALITY };
    }
    const head = word.length >= 8 ? splitter.head(word) : undefined;
    const headTerms = head ? partTerms([head]) : [];
    if (headTerms.length > 0) {
      return { word, via: 'compound', terms: headTerms, quality: HEAD_QUALITY, partial: true };
    }
    return { word, via: 'unknown', terms: [], quality: 0 };
  }
}
