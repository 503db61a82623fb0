/**
 * Text normalisation for answer matching, the same on both sides (library and question): lower case, German
 * transliteration (ä→ae, ö→oe, ü→ue, ß→ss — people type either), other diacritics removed, stop words dropped,
 * then the language's stemmer (Snowball via @orama/stemmers), so "Nebenwirkungen" and "nebenwirkung" meet.
 */
import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemGerman } from '@orama/stemmers/german';

const STEMMERS: Record<string, (word: string) => string> = { de: stemGerman, en: stemEnglish };

const STOP_WORDS: Record<string, ReadonlySet<string>> = {
  de: new Set(
    ('aber alle als also am an auch auf aus bei bin bis bitte da dann das dass dein deine dem den der des die dies diese dieser doch du ' +
      'ein eine einem einen einer es fuer gibt hab habe haben hallo hat hatte hier ich ihr ihre im in ist ja jetzt kann kannst ' +
      'koennen koennte man mein meine mich mir mit muss nach nicht noch nun ob oder sich sie sind so soll sollte um und uns von vor ' +
      'wann war warum was welche welcher wenn wer wie wieso worum wozu weshalb weswegen wir wird wo zu zum zur danke gerne mal eigentlich ' +
      // Chat German: contractions and fillers that carry no topic ("hab nen Schub", "gibts", "habt ihr").
      'hab habt nen ne gibts gehts dir dich euch eure euer schon einfach denn halt eben ok okay hey hi bzw usw ' +
      'werden wurde wurden waere bin bist seid sein mein meinem meinen meiner deinem ihrem ihren ihrer uns unser ' +
      // Preposition + article contractions ("ins Bein", "fürs Tagebuch"): as empty as "in das", "für das".
      'ins ans aufs beim vom fuers ums uebers durchs unters hinters vors ueberm unterm hinterm vorm ' +
      'ihnen ihm ihn durch gegen ueber unter zwischen hinter neben per pro').split(' '),
  ),
  en: new Set(
    ('a about am an and any are as at be been but by can could did do does for from get got had has have hello hi how i if in ' +
      'is it its me my of on or please should so some than thanks that the their them then there this to was we what when where ' +
      'which who why will with would you your ' +
      // Chat English: contractions and fillers ("whats", "im", "pls").
      'im ive id whats hows wheres theres dont doesnt cant isnt just pls plz ok okay hey yes yeah also really very like ' +
      // What an apostrophe leaves of a contraction ("didn't" → didn + t, "I'll" → i + ll).
      'didn doesn don isn wasn aren couldn wouldn shouldn haven hasn ll ve re after before during over under').split(' '),
  ),
};

/** Lower case, transliterated, without diacritics: for exact keyword comparison. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
}

/** Words of a text, folded, in order; letters and digits are separate words ("lumen2" = "LUMEN-2"). */
export function words(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u)
    .filter(Boolean);
}

/** A word as the index stores it: undefined for a stop word. */
export function toTerm(word: string, language: string): string | undefined {
  const folded = foldText(word);
  // Numbers stay, whatever their length ("LUMEN-1" vs "LUMEN-2"); single letters do not.
  if ((folded.length < 2 && !/^\d+$/.test(folded)) || STOP_WORDS[language]?.has(folded)) {
    return undefined;
  }
  const stem = STEMMERS[language];
  return stem ? stem(folded) : folded;
}

/** The searchable terms of a text (no stop words, stemmed). */
export function terms(text: string, language: string): string[] {
  return words(text)
    .map((w) => toTerm(w, language))
    .filter((t): t is string => t !== undefined);
}
