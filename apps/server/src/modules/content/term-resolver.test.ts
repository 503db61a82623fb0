import { describe, expect, it } from 'vitest';
import { createTermResolver } from './term-resolver.js';
import { words } from './text-normalise.js';

const de = createTermResolver(
  [
    { own: words('Nebenwirkungen melden · Meldung'), other: words('Wie melde ich eine Nebenwirkung?') },
    { own: words('Impfungen · Gelbfieber'), other: [] },
    { own: words('Zuzahlung · zahlen'), other: [] },
    { own: words('Lagerung im Kühlschrank · Injektionsstelle'), other: words('Wo ist die Stelle? Eine Injektion') },
    { own: words('Reisebescheinigung'), other: [] },
    { own: words('was mitnehmen'), other: [] },
  ],
  'de',
);

describe('resolving question words onto the library', () => {
  it('takes a known word as it is', () => {
    expect(de.resolve('nebenwirkung')).toMatchObject({ via: 'exact', quality: 1 });
  });

  it('splits a compound the library does not have into parts it has', () => {
    expect(de.resolve('gelbfieberimpfung')).toMatchObject({ via: 'compound', terms: ['gelbfieb', 'impfung'] });
  });

  it('finds the verb of a German past participle', () => {
    expect(de.resolve('gelagert')).toMatchObject({ via: 'exact', terms: ['lager'] });
  });

  it('finds the verb behind a separable prefix', () => {
    const resolved = de.resolve('dazuzahlen');
    expect(resolved).toMatchObject({ via: 'compound', terms: ['zahl'], quality: 0.8 });
    expect(resolved.partial).toBeUndefined();
  });

  it('corrects typos within the budget, an adjacent swap counting as one edit', () => {
    expect(de.resolve('reisebescheinigng')).toMatchObject({ via: 'typo', terms: ['reisebeschein'] });
    expect(de.resolve('mledung')).toMatchObject({ via: 'typo', terms: ['meldung'] });
  });

  it('prefers an adjacent swap to a word one substitution away', () => {
    const studies = createTermResolver([{ own: words('Studien'), other: [] }, { own: words('Stunden'), other: [] }], 'de');
    // "stuiden" is one substitution from "stunden" and one swap from "studien": the swap keeps every letter typed.
    expect(studies.resolve('stuiden')).toMatchObject({ via: 'typo', terms: ['studi'] });
    expect(studies.resolve('stunten')).toMatchObject({ via: 'typo', terms: ['stund'] });
  });

  it('does not correct a different first letter or a short word', () => {
    expect(de.resolve('kagerung').via).toBe('unknown');
    expect(de.resolve('melx').via).toBe('unknown');
  });

  it('keeps only the head of a compound with an unknown modifier, as partial evidence', () => {
    expect(de.resolve('koerperstelle')).toMatchObject({ via: 'compound', terms: ['stell'], partial: true });
  });

  it('indexes a library compound under its stem, and gives its parts when all are library words', () => {
    expect(de.indexTerms('injektionsstelle')).toEqual(['injektionsstell']);
    expect(de.compoundParts('injektionsstelle')).toEqual(['injektion', 'stell']);
    expect(de.compoundParts('kuehlschrank')).toEqual([]);
  });

  it('joins a separated verb particle back to its verb when the library knows the verb', () => {
    expect(de.joinParticles(words('Was nehme ich zum Termin mit?'))).toEqual(['was', 'mitnehme', 'ich', 'zum', 'termin', 'mit']);
    expect(de.joinParticles(words('Was ich mit dem Pen mache'))).toEqual(['was', 'ich', 'mit', 'dem', 'pen', 'mache']);
  });

  it('takes a German noun in -ung for the verb the library has, and the reverse', () => {
    const verbs = createTermResolver([{ own: words('kühlen · zuschicken'), other: [] }, { own: words('Meldung'), other: [] }], 'de');
    expect(verbs.resolve('kuehlung')).toMatchObject({ via: 'derived', terms: ['kuehl'], quality: 0.9 });
    expect(verbs.resolve('melden')).toMatchObject({ via: 'derived', terms: ['meldung'] });
  });

  it('finds a library verb with a separable prefix from the bare verb (schickt → zuschicken)', () => {
    const verbs = createTermResolver([{ own: words('zuschicken · wegschmeißen'), other: [] }], 'de');
    expect(verbs.resolve('schickt')).toMatchObject({ via: 'derived', terms: ['zuschick'], quality: 0.8 });
    expect(verbs.resolve('schmeiss')).toMatchObject({ via: 'derived', terms: ['wegschmeiss'] });
  });

  it('does not correct a word known to be spelt right', () => {
    const scale = (isWord: (w: string) => boolean) => createTermResolver([{ own: words('einschätzen'), other: [] }], 'de', isWord);
    expect(scale(() => false).resolve('einschalten').via).toBe('typo');
    expect(scale((w) => w === 'einschalten').resolve('einschalten').via).toBe('unknown');
  });

  it('reports words the library does not know', () => {
    expect(de.resolve('wetter')).toEqual({ word: 'wetter', via: 'unknown', terms: [], quality: 0 });
  });
});
