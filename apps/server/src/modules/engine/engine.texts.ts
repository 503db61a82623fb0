/**
 * Built-in texts of the engine (re-prompts, "I did not understand", the help offer), per language. A flow can
 * replace the re-prompt of an `ask` node with its own `reprompt`; the rest is fixed here. The global commands named in
 * the texts (MENÜ/MENU, MITARBEITER/AGENT) are handled by the runner (ARCHITECTURE §5).
 */
import type { AskInput } from '@parley/contracts';

/** The built-in texts of one language. */
export type EngineTexts = {
  /** After a reply that matches no menu option; followed by the options again. */
  notUnderstoodMenu: string;
  /** After a sticker, voice note, picture … where a menu choice was expected; followed by the options again. */
  unsupportedInputMenu: string;
  /** After a sticker, voice note, picture … where text was expected; followed by the question again. */
  unsupportedInput: string;
  /** After the last failed attempt, when the node has no `onFail`. */
  gaveUp: string;
  /** When the run stops because the flow is broken (e.g. loops). */
  flowError: string;
  yes: string;
  no: string;
  /** A consent node's default question and buttons (no choice is pre-selected, GDPR-07). */
  consentQuestion: string;
  consentAccept: string;
  consentDecline: string;
  /** The re-prompt after invalid input; states the allowed format. */
  reprompt: (input: AskInput) => string;
};

/** Built-in texts for `language`; English when the language has none. */
export function getEngineTexts(language: string): EngineTexts {
  const base = language.split('-')[0] ?? language;
  return base === 'de' ? DE : EN;
}

/** Languages with built-in texts. */
export const ENGINE_TEXT_LANGUAGES = ['de', 'en'] as const;

const DE: EngineTexts = {
  notUnderstoodMenu: 'Das habe ich leider nicht verstanden. Bitte wählen Sie eine der Optionen (Sie können auch die Nummer schreiben):',
  unsupportedInputMenu:
    'Danke! Bilder, Sprachnachrichten und Sticker kann ich hier leider nicht verarbeiten. Bitte wählen Sie eine der Optionen:',
  unsupportedInput: 'Danke! Bilder, Sprachnachrichten und Sticker kann ich hier leider nicht verarbeiten. Bitte antworten Sie mit Text.',
  gaveUp:
    'Das hat leider nicht geklappt. Schreiben Sie MENÜ, um zum Hauptmenü zu kommen, oder MITARBEITER, um mit einem Menschen zu sprechen.',
  flowError:
    'Entschuldigung, da ist bei uns etwas schiefgelaufen. Schreiben Sie MENÜ für das Hauptmenü oder MITARBEITER, um mit einem Menschen zu sprechen.',
  yes: 'Ja',
  no: 'Nein',
  consentQuestion: 'Sind Sie damit einverstanden? Sie können Ihre Einwilligung jederzeit mit STOP widerrufen.',
  consentAccept: 'Ja, einverstanden',
  consentDecline: 'Nein, danke',
  reprompt: (input) => {
    switch (input.kind) {
      case 'text':
        return `Bitte antworten Sie mit einem Text${lengthDe(input.min, input.max)}.`;
      case 'number':
        return `Bitte geben Sie ${input.integer === true ? 'eine ganze Zahl' : 'eine Zahl'}${rangeDe(input.min, input.max)} ein, nur die Ziffern (z. B. ${input.min ?? 12}).`;
      case 'date':
        return `Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein (z. B. 31.03.2025)${dateRangeDe(input.min, input.max)}.`;
      case 'email':
        return 'Bitte geben Sie eine gültige E-Mail-Adresse ein (z. B. name@beispiel.de).';
      case 'phone':
        return 'Bitte geben Sie eine Telefonnummer ein, am besten mit Ländervorwahl (z. B. +49 30 1234567).';
      case 'choice':
        return 'Bitte wählen Sie eine der Optionen (Sie können auch die Nummer schreiben):';
      case 'yes_no':
        return 'Bitte antworten Sie mit Ja oder Nein.';
      case 'code':
        return 'Das Format stimmt leider nicht. Bitte prüfen Sie die Eingabe und versuchen Sie es noch einmal.';
      default:
        return assertNever(input);
    }
  },
};

const EN: EngineTexts = {
  notUnderstoodMenu: 'Sorry, I did not understand that. Please choose one of the options (you can also type the number):',
  unsupportedInputMenu: "Thank you! I can't process pictures, voice messages or stickers here. Please choose one of the options:",
  unsupportedInput: "Thank you! I can't process pictures, voice messages or stickers here. Please reply with text.",
  gaveUp: 'Sorry, that did not work. Reply MENU for the main menu or AGENT to talk to a person.',
  flowError: 'Sorry, something went wrong on our side. Reply MENU for the main menu or AGENT to talk to a person.',
  yes: 'Yes',
  no: 'No',
  consentQuestion: 'Do you agree? You can withdraw your consent at any time by writing STOP.',
  consentAccept: 'Yes, I agree',
  consentDecline: 'No, thanks',
  reprompt: (input) => {
    switch (input.kind) {
      case 'text':
        return `Please reply with text${lengthEn(input.min, input.max)}.`;
      case 'number':
        return `Please enter ${input.integer === true ? 'a whole number' : 'a number'}${rangeEn(input.min, input.max)}, digits only (e.g. ${input.min ?? 12}).`;
      case 'date':
        return `Please enter a date as YYYY-MM-DD or DD.MM.YYYY (e.g. 2025-03-31)${dateRangeEn(input.min, input.max)}.`;
      case 'email':
        return 'Please enter a valid e-mail address (e.g. name@example.com).';
      case 'phone':
        return 'Please enter a phone number, ideally with the country code (e.g. +44 20 7946 0958).';
      case 'choice':
        return 'Please choose one of the options (you can also type the number):';
      case 'yes_no':
        return 'Please answer yes or no.';
      case 'code':
        return 'That is not in the expected format. Please check it and try again.';
      default:
        return assertNever(input);
    }
  },
};

function lengthDe(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) {
    return ` von ${min} bis ${max} Zeichen`;
  }
  if (max !== undefined) {
    return ` mit höchstens ${max} Zeichen`;
  }
  return min !== undefined && min > 1 ? ` mit mindestens ${min} Zeichen` : '';
}

function lengthEn(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) {
    return ` of ${min} to ${max} characters`;
  }
  if (max !== undefined) {
    return ` of at most ${max} characters`;
  }
  return min !== undefined && min > 1 ? ` of at least ${min} characters` : '';
}

function numDe(n: number): string {
  return String(n).replace('.', ',');
}

function rangeDe(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) {
    return ` zwischen ${numDe(min)} und ${numDe(max)}`;
  }
  if (min !== undefined) {
    return ` ab ${numDe(min)}`;
  }
  return max !== undefined ? ` bis ${numDe(max)}` : '';
}

function rangeEn(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) {
    return ` between ${min} and ${max}`;
  }
  if (min !== undefined) {
    return ` of at least ${min}`;
  }
  return max !== undefined ? ` of at most ${max}` : '';
}

function dateDe(d: string): string {
  if (d === 'today') {
    return 'heute';
  }
  const [y, m, day] = d.split('-');
  return `${day}.${m}.${y}`;
}

function dateRangeDe(min: string | undefined, max: string | undefined): string {
  if (min !== undefined && max !== undefined) {
    return `, frühestens ${dateDe(min)} und spätestens ${dateDe(max)}`;
  }
  if (min !== undefined) {
    return `, frühestens ${dateDe(min)}`;
  }
  return max !== undefined ? `, spätestens ${dateDe(max)}` : '';
}

function dateRangeEn(min: string | undefined, max: string | undefined): string {
  if (min !== undefined && max !== undefined) {
    return `, from ${min} to ${max}`;
  }
  if (min !== undefined) {
    return `, ${min === 'today' ? 'today or later' : `${min} or later`}`;
  }
  return max !== undefined ? `, ${max === 'today' ? 'today or earlier' : `${max} or earlier`}` : '';
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
