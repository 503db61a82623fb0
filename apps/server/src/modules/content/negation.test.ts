import { describe, expect, it } from 'vitest';
import { negatedWords, phraseNegations } from './negation.js';
import { words } from './text-normalise.js';

describe('negation', () => {
  it('marks the words a negator governs, up to two after it', () => {
    expect(negatedWords(words('Wie lange hält der Pen ohne Kühlung?'), 'de')).toEqual(new Set(['kuehlung']));
    expect(negatedWords(words('Der Pen war nicht mehr gekühlt'), 'de')).toEqual(new Set(['mehr', 'gekuehlt']));
  });

  it("reads an English contraction split at the apostrophe (didn't → didn + t)", () => {
    expect(negatedWords(words("the pen didn't click"), 'en')).toEqual(new Set(['click']));
    expect(negatedWords(words('the pen didnt click'), 'en')).toEqual(new Set(['click']));
  });

  it('leaves a question without a negator alone', () => {
    expect(negatedWords(words('Wie lagere ich den Pen im Kühlschrank?'), 'de').size).toBe(0);
  });

  it("finds what an item's phrase negates, by negator or un- prefix", () => {
    expect(phraseNegations(words('nicht gekühlt'), 'de')).toEqual(['gekuehlt']);
    expect(phraseNegations(words('ungekühlt'), 'de')).toEqual(['gekuehlt']);
    expect(phraseNegations(words('unrefrigerated'), 'en')).toEqual(['refrigerated']);
    expect(phraseNegations(words('Kühlkette unterbrochen'), 'de')).toEqual([]);
  });
});
