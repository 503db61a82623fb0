import { describe, expect, it } from 'vitest';
import { createAnswerMatcher, type MatchableItem } from './answer-matcher.js';
import { everydayEquivalents } from './everyday-lexicon.js';

describe('everyday-language lexicon', () => {
  it('gives the standard words for a colloquial one, and back, in inflected forms too', () => {
    expect(everydayEquivalents('kopfweh', 'de')).toContain('kopfschmerzen');
    expect(everydayEquivalents('kopfschmerzen', 'de')).toContain('kopfweh');
    expect(everydayEquivalents('jabs', 'en')).toContain('injection');
    expect(everydayEquivalents('tummy', 'en')).toContain('stomach');
  });

  it('knows nothing of words outside its groups', () => {
    expect(everydayEquivalents('iphone', 'en')).toEqual([]);
  });
});

describe('answer matching with the everyday-language lexicon', () => {
  const items: MatchableItem[] = [
    {
      id: 'headache',
      title: { de: 'Kopfschmerzen', en: 'Headache' },
      keywords: { de: ['Kopfschmerzen'], en: ['headache'] },
    },
    {
      id: 'injection',
      title: { de: 'Injektion', en: 'Injection' },
      keywords: { de: ['Injektion'], en: ['injection'] },
    },
    {
      id: 'reschedule',
      title: { de: 'Termin verschieben', en: 'Postpone an appointment' },
      keywords: { de: ['Termin verschieben'], en: ['postpone appointment'] },
    },
  ];
  const matcher = createAnswerMatcher(items, { languages: ['de', 'en'] });

  it.each([
    ['Kopfweh', 'de', 'headache'],
    ['wie geht der pieks', 'de', 'injection'],
    ['Termin umlegen', 'de', 'reschedule'],
    ['how does the jab work', 'en', 'injection'],
    ['reschedule my appointment', 'en', 'reschedule'],
  ])('reads a colloquial word as its standard one: %s', (q, lang, id) => {
    const d = matcher.match(q, lang);
    expect(d.kind).not.toBe('unknown');
    expect(d.candidates[0]?.itemId).toBe(id);
  });

  it('counts an equivalent for less than the word itself', () => {
    const own = matcher.match('Kopfschmerzen heute', 'de').candidates[0]!.confidence;
    const equivalent = matcher.match('Kopfweh heute', 'de').candidates[0]!.confidence;
    expect(equivalent).toBeGreaterThan(0);
    expect(equivalent).toBeLessThan(own);
  });
});
