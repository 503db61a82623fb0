/**
 * How the words around a question's topic count: prepositions, numbers and everyday words say little about what
 * is asked; a word the library does not know says that the question may not be about it.
 */
import { describe, expect, it } from 'vitest';
import { createAnswerMatcher, type MatchableItem } from './answer-matcher.js';
import { isCommonWord } from './common-words.js';
import { createTermResolver } from './term-resolver.js';
import { toTerm, words } from './text-normalise.js';

const library: MatchableItem[] = [
  { id: 'kidney', title: { de: 'Dosierung bei Nierenschwäche', en: 'Dosing in renal impairment' }, keywords: { de: ['eGFR'], en: ['eGFR'] } },
  { id: 'costs', title: { de: 'Zuzahlung', en: 'Co-payment' }, keywords: { de: ['Kosten', 'Zuzahlung'], en: ['costs', 'co-payment'] } },
  { id: 'storage', title: { de: 'Lagerung', en: 'Storage' }, keywords: { de: ['Kühlschrank', 'Gefrierfach'], en: ['fridge', 'freezer'] } },
];
const m = createAnswerMatcher(library, { languages: ['de', 'en'] });

describe('words around the topic', () => {
  it('drops prepositions, their contractions and quantity determiners', () => {
    for (const w of ['ins', 'beim', 'fuers', 'unter', 'jede']) {
      expect(toTerm(w, 'de')).toBeUndefined();
    }
    for (const w of ['while', 'into', 'every']) {
      expect(toTerm(w, 'en')).toBeUndefined();
    }
  });

  it('answers a preposition-framed question as confidently as the bare one', () => {
    expect(m.match('Darf das ins Gefrierfach?', 'de').candidates[0]).toEqual(m.match('Darf das Gefrierfach?', 'de').candidates[0]);
  });

  it('weighs a number like an everyday word, not like an unknown noun', () => {
    const number = m.match('eGFR 30, welche Dosierung?', 'de').candidates[0]!;
    const noun = m.match('eGFR Zahnarzt, welche Dosierung?', 'de').candidates[0]!;
    expect(number.itemId).toBe('kidney');
    expect(number.confidence).toBeGreaterThan(noun.confidence);
  });

  it('knows degree words, "safe" and "selbst" as everyday words', () => {
    expect(isCommonWord('kaum', 'de')).toBe(true);
    expect(isCommonWord('selbst', 'de')).toBe(true);
    expect(isCommonWord('safe', 'en')).toBe(true);
  });
});

describe('German participles in the library', () => {
  const de = createTermResolver([{ own: words('Spritztag ändern · spritzen'), other: words('Ich habe nicht gespritzt') }], 'de');

  it('index a library participle under its verb, so a question with the verb meets it', () => {
    expect(de.indexTerms('gespritzt')).toEqual(de.indexTerms('spritzen'));
    expect(de.resolve('gespritzt')).toMatchObject({ via: 'exact', terms: de.indexTerms('spritzen') });
  });
});
