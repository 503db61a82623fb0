/**
 * A compact inverted index for answer matching: for each library term, the items that use it and in which fields,
 * as sorted typed arrays. Ranking a question is one pass over its terms' postings into a reused score buffer,
 * which keeps matching under 1 ms per question at 5,000 items (bench/matching.bench.ts); MiniSearch's BM25 walk
 * over the same postings, with a result map per term, was the bulk of the time.
 */

/** The fields an item's terms come from, as bits. */
export const FIELD = { title: 1, keywords: 2, questions: 4, parts: 8 } as const;
export type FieldName = keyof typeof FIELD;

export interface RankedItem {
  /** The item's position in the list the index was built from. */
  item: number;
  score: number;
}

export interface TermIndex {
  /** The items with the highest scores for these terms (each weighted), best first; ties keep library order. */
  rank(terms: ReadonlyMap<string, number>, limit: number): RankedItem[];
  /** The fields (FIELD bits) in which an item uses a term; 0 when it does not. */
  fieldsOf(term: string, item: number): number;
  /** How many items use a term. */
  itemCount(term: string): number;
}

interface Postings {
  items: Int32Array;
  fields: Uint8Array;
  idf: number;
}

/**
 * @param itemTerms for each item, its terms by field.
 * @param boost how much a term counts in each field (the strongest field of an item counts).
 * @example createTermIndex([{ keywords: ['lager'] }], { title: 2, keywords: 3, questions: 1.5, parts: 1 }).rank(new Map([['lager', 1]]), 3)
 */
export function createTermIndex(itemTerms: Array<Partial<Record<FieldName, string[]>>>, boost: Record<FieldName, number>): TermIndex {
  const building = new Map<string, Map<number, number>>();
  itemTerms.forEach((fields, item) => {
    for (const [field, terms] of Object.entries(fields) as Array<[FieldName, string[]]>) {
      for (const term of terms) {
        let byItem = building.get(term);
        if (!byItem) {
          byItem = new Map();
          building.set(term, byItem);
        }
        byItem.set(item, (byItem.get(item) ?? 0) | FIELD[field]);
      }
    }
  });
  const n = Math.max(1, itemTerms.length);
  const postings = new Map<string, Postings>();
  for (const [term, byItem] of building) {
    const items = Int32Array.from([...byItem.keys()].sort((a, b) => a - b));
    const fields = Uint8Array.from(items, (i) => byItem.get(i)!);
    postings.set(term, { items, fields, idf: Math.log(1 + n / items.length) });
  }
  // The strongest boost of each field combination, so scoring a posting is one lookup.
  const maskBoost = Float64Array.from({ length: 16 }, (_, mask) =>
    Math.max(0, ...(Object.keys(FIELD) as FieldName[]).filter((f) => mask & FIELD[f]).map((f) => boost[f])),
  );
  const scores = new Float64Array(itemTerms.length);
  const touched: number[] = [];

  return {
    rank(terms, limit) {
      for (const [term, weight] of terms) {
        const p = postings.get(term);
        if (!p) {
          continue;
        }
        const w = p.idf * weight;
        for (let k = 0; k < p.items.length; k++) {
          const item = p.items[k]!;
          if (scores[item] === 0) {
            touched.push(item);
          }
          scores[item]! += w * maskBoost[p.fields[k]!]!;
        }
      }
      // The best `limit` by insertion: thousands of items may be touched, only a handful are wanted.
      const best: RankedItem[] = [];
      for (const item of touched) {
        const score = scores[item]!;
        scores[item] = 0;
        if (best.length === limit && score <= best[limit - 1]!.score) {
          continue;
        }
        let at = best.length;
        while (at > 0 && (best[at - 1]!.score < score || (best[at - 1]!.score === score && best[at - 1]!.item > item))) {
          at--;
        }
        best.splice(at, 0, { item, score });
        if (best.length > limit) {
          best.pop();
        }
      }
      touched.length = 0;
      return best;
    },
    fieldsOf(term, item) {
      const p = postings.get(term);
      if (!p) {
        return 0;
      }
      let lo = 0;
      let hi = p.items.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = p.items[mid]!;
        if (at === item) {
          return p.fields[mid]!;
        }
        if (at < item) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return 0;
    },
    itemCount: (term) => postings.get(term)?.items.length ?? 0,
  };
}
