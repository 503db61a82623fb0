import { describe, expect, it } from 'vitest';
import { createTermIndex, FIELD } from './term-index.js';

const boost = { keywords: 3, title: 2, questions: 1.5, parts: 1 };
const index = createTermIndex(
  [
    { title: ['lager'], keywords: ['kuehlschrank'] },
    { questions: ['lager', 'reis'] },
    { keywords: ['reis', 'flug'], parts: ['lager'] },
    {},
  ],
  boost,
);

describe('term index', () => {
  it('ranks the items by their strongest field for each term, rarer terms weighing more', () => {
    expect(index.rank(new Map([['lager', 1]]), 3).map((r) => r.item)).toEqual([0, 1, 2]);
    expect(index.rank(new Map([['reis', 1], ['flug', 1]]), 3).map((r) => r.item)).toEqual([2, 1]);
  });

  it('weights each term as asked (a typo counts less than a word typed right)', () => {
    const full = index.rank(new Map([['kuehlschrank', 1]]), 1)[0]!.score;
    const typo = index.rank(new Map([['kuehlschrank', 0.8]]), 1)[0]!.score;
    expect(typo).toBeCloseTo(full * 0.8);
  });

  it('returns at most the limit, ties in library order, and nothing for unknown terms', () => {
    const tied = createTermIndex([{ keywords: ['a1'] }, { keywords: ['a1'] }, { keywords: ['a1'] }], boost);
    expect(tied.rank(new Map([['a1', 1]]), 2).map((r) => r.item)).toEqual([0, 1]);
    expect(index.rank(new Map([['wetter', 1]]), 3)).toEqual([]);
  });

  it('does not carry scores over from one question to the next', () => {
    const first = index.rank(new Map([['lager', 1]]), 3);
    index.rank(new Map([['reis', 1]]), 3);
    expect(index.rank(new Map([['lager', 1]]), 3)).toEqual(first);
  });

  it('tells in which fields an item uses a term, and how many items use it', () => {
    expect(index.fieldsOf('lager', 0)).toBe(FIELD.title);
    expect(index.fieldsOf('lager', 2)).toBe(FIELD.parts);
    expect(index.fieldsOf('lager', 3)).toBe(0);
    expect(index.itemCount('lager')).toBe(3);
    expect(index.itemCount('wetter')).toBe(0);
  });
});
