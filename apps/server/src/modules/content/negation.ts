/**
 * Negation for answer matching. "Wie lange hält der Pen ohne Kühlung?" shares "Kühlung" with the fridge item but
 * asks the opposite: it belongs to the item that speaks of "ungekühlt" and "nicht gekühlt". A question word is
 * negated when a negator stands at most two words before it; an item's negated terms are those its own phrases
 * negate the same way, or by an un- prefix ("ungekühlt", "unrefrigerated"). Folded words, as text-normalise.ts
 * produces them.
 */

const NEGATORS: Record<string, ReadonlySet<string>> = {
  de: new Set(['nicht', 'kein', 'keine', 'keinen', 'keiner', 'keinem', 'keines', 'ohne', 'nie', 'niemals', 'nix', 'nichts']),
  en: new Set(['not', 'no', 'without', 'never', 'dont', 'doesnt', 'didnt', 'cant', 'wont', 'isnt', 'wasnt', 'arent', 'havent', 'hasnt']),
};
/** How far a negator reaches: "nicht mehr gekühlt", "not properly refrigerated". */
const SCOPE = 2;

/** Whether a folded word negates what follows; "didn't" arrives as "didn" + "t". */
function isNegator(ws: readonly string[], i: number, language: string): boolean {
  const w = ws[i]!;
  return (NEGATORS[language]?.has(w) ?? false) || (language === 'en' && ws[i + 1] === 't' && w.endsWith('n'));
}

/**
 * The words of a text that a negator governs.
 *
 * @example negatedWords(['pen', 'ohne', 'kuehlung'], 'de') // Set { 'kuehlung' }
 */
export function negatedWords(ws: readonly string[], language: string): Set<string> {
  const negated = new Set<string>();
  let reach = 0;
  ws.forEach((w, i) => {
    if (isNegator(ws, i, language)) {
      reach = SCOPE;
    } else if (reach > 0 && !(w === 't' && language === 'en')) {
      negated.add(w);
      reach--;
    }
  });
  return negated;
}

/**
 * The words an item's phrase negates: those a negator governs, and words with an un- prefix, taken off where that
 * leaves at least five letters ("ungekuehlt" → "gekuehlt"); the caller resolves them onto terms.
 *
 * @example phraseNegations(['nicht', 'gekuehlt'], 'de') // ['gekuehlt']
 */
export function phraseNegations(ws: readonly string[], language: string): string[] {
  // "unter-" and "under-" are prepositions, not negations ("unterbrochen", "understand").
  const prefixed = ws.filter((w) => w.startsWith('un') && w.length >= 7 && !/^unte?r/.test(w)).map((w) => w.slice(2));
  return [...negatedWords(ws, language), ...prefixed];
}
