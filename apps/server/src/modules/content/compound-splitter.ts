/**
 * German compound splitting against the library's own vocabulary: "nebenwirkungsmeldung" → neben · wirkung ·
 * meldung when those words occur in the library. People write compounds the content team never wrote
 * ("Gelbfieberimpfung", "Chatnachrichten"), and content teams write compounds people split ("Injektionsstelle" vs
 * "Stelle"). Only known words are used, so nothing is guessed from a dictionary the library does not speak.
 */

export interface CompoundSplitter {
  /**
   * The parts of a folded word (lower case, transliterated) when it is made of at least two known words, each at
   * least `minPart` letters, with German linking elements (-s-, -es-, -n-, -en-, -e-, -er-) between them allowed;
   * the fewest parts win. Undefined when the word cannot be split that way.
   *
   * @example createCompoundSplitter(['impfung', 'gelbfieber']).split('gelbfieberimpfung') // ['gelbfieber', 'impfung']
   */
  split(word: string): string[] | undefined;
  /**
   * The head of a compound whose modifier the library does not know: German compounds name a kind of their last
   * part ("Körperstelle" is a "Stelle"), so the head alone still says what is asked. The longest known head of at
   * least `minPart + 1` letters after a modifier of at least `minPart`; undefined when there is none.
   *
   * @example createCompoundSplitter(['stelle']).head('koerperstelle') // 'stelle'
   */
  head(word: string): string | undefined;
}

export interface CompoundSplitterOptions {
  /** Shortest part (default 3: "pen", "tag", "arm"). */
  minPart?: number;
  /** Most parts (default 4). */
  maxParts?: number;
  /**
   * The stem of a word, so that an inflected final part counts ("chat" + "nachrichten" when the library only has
   * "Nachricht"); also, a known stem counts as a known part ("spritz" in "Spritztag").
   */
  stem?: (word: string) => string;
}

const LINKING = ['s', 'es', 'n', 'en', 'e', 'er'];

/** Builds a splitter from the library's words (folded); words shorter than `minPart` are ignored. */
export function createCompoundSplitter(vocabulary: Iterable<string>, opts: CompoundSplitterOptions = {}): CompoundSplitter {
  const minPart = opts.minPart ?? 3;
  const maxParts = opts.maxParts ?? 4;
  const stem = opts.stem;
  const known = new Set<string>();
  for (const word of vocabulary) {
    if (word.length >= minPart) {
      known.add(word);
      const s = stem?.(word);
      if (s && s.length >= minPart) {
        known.add(s);
      }
    }
  }
  const isKnown = (piece: string, final: boolean) =>
    known.has(piece) || (final && stem !== undefined && known.has(stem(piece)));

  return {
    split(word) {
      if (word.length < minPart * 2) {
        return undefined;
      }
      // best[i]: the shortest segmentation of word.slice(i), or null when there is none (memoised DP, O(n²)).
      const best = new Map<number, string[] | null>();
      const from = (i: number): string[] | null => {
        if (i === word.length) {
          return [];
        }
        const cached = best.get(i);
        if (cached !== undefined) {
          return cached;
        }
        let found: string[] | null = null;
        // Longest piece first, so among equally short segmentations the one with longer leading parts wins.
        // A part is never the whole word (a library word is in the vocabulary itself).
        for (let j = i === 0 ? word.length - minPart : word.length; j >= i + minPart; j--) {
          const piece = word.slice(i, j);
          if (!isKnown(piece, j === word.length)) {
            continue;
          }
          for (const next of [j, ...LINKING.filter((l) => word.startsWith(l, j)).map((l) => j + l.length)]) {
            if (next !== word.length && word.length - next < minPart) {
              continue;
            }
            const rest = from(next);
            if (rest && rest.length + 1 <= maxParts && (!found || rest.length + 1 < found.length)) {
              found = [piece, ...rest];
            }
          }
        }
        best.set(i, found);
        return found;
      };
      const parts = from(0);
      return parts && parts.length >= 2 ? parts : undefined;
    },
    head(word) {
      for (let i = minPart; i <= word.length - (minPart + 1); i++) {
        const piece = word.slice(i);
        if (isKnown(piece, true)) {
          return piece;
        }
      }
      return undefined;
    },
  };
}
