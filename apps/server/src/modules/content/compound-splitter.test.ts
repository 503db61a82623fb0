import { describe, expect, it } from 'vitest';
import { createCompoundSplitter } from './compound-splitter.js';
import { toTerm } from './text-normalise.js';

const vocabulary = ['neben', 'wirkung', 'meldung', 'impfung', 'gelbfieber', 'chat', 'nachricht', 'stelle', 'injektion', 'pen', 'spritzen', 'tag'];
const splitter = createCompoundSplitter(vocabulary, { stem: (w) => toTerm(w, 'de') ?? w });

describe('compound splitting with the library vocabulary', () => {
  it.each([
    ['nebenwirkungsmeldung', ['neben', 'wirkung', 'meldung']],
    ['gelbfieberimpfung', ['gelbfieber', 'impfung']],
    // Linking -s- between the parts.
    ['injektionsstelle', ['injektion', 'stelle']],
    // An inflected last part counts through its stem ("Nachrichten" for "Nachricht").
    ['chatnachrichten', ['chat', 'nachrichten']],
    // A known stem counts as a part ("spritz" of "spritzen").
    ['spritztag', ['spritz', 'tag']],
  ])('splits %s into known words', (word, parts) => {
    expect(splitter.split(word)).toEqual(parts);
  });

  it.each(['koerperstelle', 'wetterbericht', 'pen', 'tagung'])('does not split %s when a part is unknown or it is too short', (word) => {
    expect(splitter.split(word)).toBeUndefined();
  });

  it('splits a word that is itself in the vocabulary (a library compound)', () => {
    expect(createCompoundSplitter(['injektion', 'stelle', 'injektionsstelle']).split('injektionsstelle')).toEqual(['injektion', 'stelle']);
  });

  it('prefers the fewest parts', () => {
    const s = createCompoundSplitter(['haut', 'arzt', 'hautarzt', 'termin']);
    expect(s.split('hautarzttermin')).toEqual(['hautarzt', 'termin']);
  });

  it('finds the known head of a compound with an unknown modifier, and none without one', () => {
    expect(splitter.head('koerperstelle')).toBe('stelle');
    expect(splitter.head('wetterbericht')).toBeUndefined();
  });
});
