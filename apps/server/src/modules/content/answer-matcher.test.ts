import { describe, expect, it } from 'vitest';
import { createAnswerMatcher, type MatchableItem } from './answer-matcher.js';

const items: MatchableItem[] = [
  {
    id: 'side-effects',
    title: { de: 'Nebenwirkungen melden', en: 'Reporting side effects' },
    body: { de: 'Wenden Sie sich an Ihre Ärztin oder Ihren Arzt.', en: 'Please contact your doctor.' },
    keywords: { de: ['Nebenwirkung'], en: ['side effect'] },
    synonyms: { de: ['unerwünschte Wirkung'], en: ['adverse reaction'] },
    questions: { de: ['Ich habe Kopfschmerzen seit der Einnahme, was tun?'], en: ['I get headaches since I started, what should I do?'] },
  },
  {
    id: 'storage',
    title: { de: 'Aufbewahrung', en: 'Storage' },
    body: { de: 'Im Kühlschrank bei 2–8 °C lagern.', en: 'Store in the fridge at 2–8 °C.' },
    keywords: { de: ['Lagerung', 'Kühlschrank'], en: ['storage', 'fridge'] },
    questions: { de: ['Muss das Inhalationsgerät in den Kühlschrank?'], en: ['Does the inhaler need to go in the fridge?'] },
  },
  {
    id: 'missed-dose',
    title: { de: 'Dosis vergessen', en: 'Missed dose' },
    body: { de: 'Holen Sie die Anwendung nach, sobald Sie es bemerken.', en: 'Take it as soon as you remember.' },
    keywords: { de: ['vergessen'], en: ['missed dose'] },
    questions: { de: ['Ich habe meine Anwendung vergessen'], en: ['I forgot to take my dose'] },
  },
  {
    id: 'leaflet',
    title: { de: 'Packungsbeilage', en: 'Package leaflet' },
    body: { de: 'Die Packungsbeilage finden Sie hier.', en: 'Find the package leaflet here.' },
    keywords: { de: ['Packungsbeilage'], en: ['leaflet'] },
    synonyms: { de: ['Beipackzettel'], en: ['package insert'] },
  },
  {
    id: 'brochure',
    title: { de: 'Broschüre bestellen', en: 'Order a brochure' },
    keywords: { de: ['Broschüre'], en: ['brochure'] },
  },
];
const matcher = createAnswerMatcher(items, { languages: ['de', 'en'] });

describe('answer matching', () => {
  it.each([
    ['Nebenwirkung', 'de', 'side-effects'],
    ['beipackzettel', 'de', 'leaflet'],
    ['Unerwünschte Wirkung', 'de', 'side-effects'],
    ['Side effect', 'en', 'side-effects'],
  ])('answers an exact keyword or synonym at once: %s', (q, lang, id) => {
    expect(matcher.match(q, lang)).toMatchObject({ kind: 'answer', itemId: id, via: 'keyword', confidence: 1 });
  });

  it.each([
    ['Wo finde ich den Beipackzettel?', 'de', 'leaflet'],
    ['Welche Nebenwirkungen gibt es?', 'de', 'side-effects'],
    ['Muss ich das im Kuehlschrank lagern?', 'de', 'storage'],
    ['nebenwirkunen', 'de', 'side-effects'],
    ['Ich hab meine Anwendung vergesen', 'de', 'missed-dose'],
    ['where do I store it, fridge?', 'en', 'storage'],
  ])('ranks the right item first and offers it for a question in other words, with typos and inflections: %s', (q, lang, id) => {
    // Answered at once when confident, else offered first among "Meinten Sie …?" (calibrated to avoid wrong answers).
    const decision = matcher.match(q, lang);
    expect(decision.kind).not.toBe('unknown');
    expect(decision.candidates[0]?.itemId).toBe(id);
  });

  it('finds the answer in the other language when the user writes it', () => {
    expect(matcher.match('Where is the package insert?', 'de')).toMatchObject({ kind: 'answer', itemId: 'leaflet' });
  });

  it.each(['Was kostet ein neues Fahrrad?', 'Wie wird das Wetter morgen?', 'hallo', '👍'])('does not answer what the library does not cover: %s', (q) => {
    expect(matcher.match(q, 'de').kind).not.toBe('answer');
  });

  it('offers candidates instead of guessing when a keyword belongs to two items', () => {
    const ambiguous = createAnswerMatcher(
      [
        { id: 'a', title: { de: 'Termin vereinbaren' }, keywords: { de: ['Termin'] } },
        { id: 'b', title: { de: 'Termin absagen' }, keywords: { de: ['Termin'] } },
      ],
      { languages: ['de'] },
    );
    const decision = ambiguous.match('Termin', 'de');
    expect(decision.kind).toBe('suggest');
    expect(decision.candidates.map((c) => c.itemId).sort()).toEqual(['a', 'b']);
  });

  it('gives up on questions made only of stop words', () => {
    expect(matcher.match('was ist das?', 'de')).toMatchObject({ kind: 'unknown', candidates: [] });
  });
});

describe('answer decision thresholds', () => {
  const library: MatchableItem[] = [
    { id: 'pharmacy', title: { de: 'Lumerra in der Apotheke' }, keywords: { de: ['Apotheke', 'lieferbar'] } },
    { id: 'copay', title: { de: 'Zuzahlung' }, keywords: { de: ['Zuzahlung', 'zahlen'] } },
    { id: 'storage', title: { de: 'Lagerung im Kühlschrank' }, keywords: { de: ['Lagerung', 'Kühlschrank'] } },
    { id: 'vaccines', title: { de: 'Impfungen' }, keywords: { de: ['Impfung'] }, questions: { de: ['Darf ich mich gegen Grippe impfen lassen?'] } },
  ];
  const m = createAnswerMatcher(library, { languages: ['de'] });

  it('answers when the item explains every content word and nothing competes', () => {
    expect(m.match('Wie lange ist die Lagerung im Kühlschrank?', 'de')).toMatchObject({ kind: 'answer', itemId: 'storage', via: 'search' });
  });

  it('answers a compound the library only has in parts (Gelbfieberimpfung → Impfung)', () => {
    const withFever = createAnswerMatcher([...library, { id: 'travel', title: { de: 'Reisen' }, keywords: { de: ['Gelbfieber', 'Reise'] } }], { languages: ['de'] });
    expect(withFever.match('Geht eine Gelbfieberimpfung?', 'de').candidates.map((c) => c.itemId)).toEqual(expect.arrayContaining(['vaccines', 'travel']));
  });

  it('offers instead of answering when another item explains a word the best one leaves out', () => {
    const decision = m.match('Muss ich in der Apotheke was dazuzahlen?', 'de');
    expect(decision.kind).toBe('suggest');
    expect(decision.candidates.map((c) => c.itemId)).toEqual(expect.arrayContaining(['pharmacy', 'copay']));
  });

  it('does not answer when most of the question is words the library does not know', () => {
    expect(m.match('Wann hat die Apotheke am Bahnhof sonntags offen, und gibt es dort Parkplätze?', 'de').kind).not.toBe('answer');
  });

  it('an unknown everyday word costs less than an unknown noun', () => {
    const everyday = m.match('Lagerung im Kühlschrank, geht das heute?', 'de');
    const noun = m.match('Lagerung im Kühlschrank neben dem Aquarium?', 'de');
    expect(everyday.candidates[0]!.confidence).toBeGreaterThan(noun.candidates[0]!.confidence);
  });

  it('an unknown word written as a German noun (the question’s subject) weighs more than the same word in lower case', () => {
    // "Aquarium" capitalised inside the sentence is a noun: the library knows the storage, not the aquarium.
    const asNoun = m.match('Lagerung im Kühlschrank, geht das neben dem Aquarium?', 'de').candidates[0]!.confidence;
    const lower = m.match('Lagerung im Kühlschrank, geht das neben dem aquarium?', 'de').candidates[0]!.confidence;
    expect(asNoun).toBeLessThan(lower);
    // The first word of a sentence is capitalised anyway: no noun evidence there.
    const first = m.match('Aquarium: Lagerung im Kühlschrank?', 'de').candidates[0]!.confidence;
    const firstLower = m.match('aquarium: Lagerung im Kühlschrank?', 'de').candidates[0]!.confidence;
    expect(first).toBe(firstLower);
  });

  it('never ranks an item named by another number than the question ("LUMEN-2" is not LUMEN-1)', () => {
    const studies = createAnswerMatcher(
      [
        { id: 'one', title: { de: 'LUMEN-1 in einfacher Sprache' }, keywords: { de: ['LUMEN-1'] }, questions: { de: ['Worum ging es in der Studie LUMEN-1?'] } },
        { id: 'two', title: { de: 'LUMEN-2 in einfacher Sprache' }, keywords: { de: ['LUMEN-2'] } },
        { id: 'overview', title: { de: 'Welche Studien es gibt' }, keywords: { de: ['Studien'] } },
      ],
      { languages: ['de'] },
    );
    const two = studies.match('Worum ging es bei der Studie LUMEN 2?', 'de');
    expect(two.candidates[0]!.itemId).toBe('two');
    expect(two.candidates.map((c) => c.itemId)).not.toContain('one');
    expect(studies.match('Was kam bei LUMEN-1 heraus?', 'de').candidates[0]!.itemId).toBe('one');
    // Without a number, both studies stay candidates.
    expect(studies.match('Was kam bei LUMEN heraus?', 'de').candidates.map((c) => c.itemId)).toEqual(expect.arrayContaining(['one', 'two']));
  });

  it('offers rather than answers an item whose evidence is pieces of different phrases, none of them complete', () => {
    const question = 'any videos showing the injection?';
    const nurse = { id: 'nurse', title: { en: 'A nurse visit' }, synonyms: { en: ['video call', 'show the steps', 'injection training'] } };
    // At a threshold its confidence would meet, the pieced item is still only offered …
    const confidence = createAnswerMatcher([nurse], { languages: ['en'] }).match(question, 'en').candidates[0]!.confidence;
    const pieced = createAnswerMatcher([nurse], { languages: ['en'], answerThreshold: confidence }).match(question, 'en');
    expect(pieced).toMatchObject({ kind: 'suggest', candidates: [{ itemId: 'nurse', confidence }] });
    // … and answered once one of its phrases is complete in the question.
    const whole = { ...nurse, synonyms: { en: ['video', 'show the steps', 'injection training'] } };
    expect(createAnswerMatcher([whole], { languages: ['en'], answerThreshold: confidence }).match(question, 'en')).toMatchObject({ kind: 'answer', itemId: 'nurse' });
  });

  it('finds a hyphenated keyword written as one word ("copay" for "co-pay", "Checkup" for "Check-up")', () => {
    const costs = createAnswerMatcher(
      [
        { id: 'copay', title: { en: 'Costs', de: 'Kosten' }, keywords: { en: ['co-pay'], de: ['Zuzahlung'] } },
        { id: 'visit', title: { en: 'Doctor visits', de: 'Arztbesuche' }, keywords: { en: ['appointment'], de: ['Check-up'] } },
      ],
      { languages: ['en', 'de'] },
    );
    expect(costs.match('whats the copay per box', 'en').candidates[0]!.itemId).toBe('copay');
    expect(costs.match('Checkup', 'de')).toMatchObject({ kind: 'answer', itemId: 'visit', via: 'keyword' });
    expect(costs.match('co-pay', 'en')).toMatchObject({ kind: 'answer', itemId: 'copay', via: 'keyword' });
  });

  it('counts a word of a longer keyword phrase for less than the phrase ("warm" is not "warm geworden")', () => {
    const heat = createAnswerMatcher([{ id: 'heat', title: { de: 'Außerhalb des Kühlschranks' }, synonyms: { de: ['warm geworden'] } }], { languages: ['de'] });
    const phrase = heat.match('Ist es warm geworden?', 'de').candidates[0]!.confidence;
    const word = heat.match('Ist es warm?', 'de').candidates[0]!.confidence;
    expect(phrase).toBeGreaterThan(word);
  });

  it('does not answer on words shared only with an example question', () => {
    const leaflet = createAnswerMatcher(
      [{ id: 'leaflet', title: { de: 'Packungsbeilage' }, keywords: { de: ['Beipackzettel'] }, questions: { de: ['Ich habe den Zettel verloren'] } }],
      { languages: ['de'] },
    );
    expect(leaflet.match('Ich habe meine Brille verloren', 'de').kind).not.toBe('answer');
    expect(leaflet.match('Beipackzettel verloren', 'de')).toMatchObject({ kind: 'answer', itemId: 'leaflet' });
  });

  it('prefers the item that negates a word the question negates ("ohne Kühlung" → ungekühlt)', () => {
    const cold = createAnswerMatcher(
      [
        { id: 'fridge', title: { de: 'Lagerung im Kühlschrank' }, keywords: { de: ['kühlen', 'Pen lagern'] } },
        { id: 'room', title: { de: 'Außerhalb des Kühlschranks' }, keywords: { de: ['ungekühlt', 'Pen nicht gekühlt'] } },
      ],
      { languages: ['de'] },
    );
    expect(cold.match('Wie lange hält der Pen ohne Kühlung?', 'de').candidates[0]!.itemId).toBe('room');
    expect(cold.match('Wie lange hält der Pen mit Kühlung?', 'de').candidates[0]!.itemId).toBe('fridge');
  });

  it('offers both items of a near tie instead of answering the one the library lists first', () => {
    const twins = createAnswerMatcher(
      [
        { id: 'first', title: { de: 'Erstes Heft' }, keywords: { de: ['Pen Anleitung'] } },
        { id: 'second', title: { de: 'Zweites Heft' }, keywords: { de: ['Pen Anleitung'] } },
      ],
      { languages: ['de'] },
    );
    const decision = twins.match('Gibt es eine Pen Anleitung?', 'de');
    expect(decision.kind).toBe('suggest');
    expect(decision.candidates.map((c) => c.itemId).sort()).toEqual(['first', 'second']);
  });

  it('offers candidates best first, the first never less confident than the next', () => {
    for (const q of ['Muss ich in der Apotheke was dazuzahlen?', 'Lagerung Apotheke Impfung', 'Kühlschrank in der Apotheke']) {
      const confidences = m.match(q, 'de').candidates.map((c) => c.confidence);
      expect(confidences).toEqual([...confidences].sort((x, y) => y - x));
    }
  });

  it('answers at the configured threshold and not below it', () => {
    const confidence = m.match('Wie lange ist die Lagerung im Kühlschrank?', 'de').candidates[0]!.confidence;
    const strict = createAnswerMatcher(library, { languages: ['de'], answerThreshold: confidence + 0.01 });
    const lenient = createAnswerMatcher(library, { languages: ['de'], answerThreshold: confidence });
    expect(strict.match('Wie lange ist die Lagerung im Kühlschrank?', 'de').kind).toBe('suggest');
    expect(lenient.match('Wie lange ist die Lagerung im Kühlschrank?', 'de').kind).toBe('answer');
  });
});
