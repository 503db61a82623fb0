/**
 * Double opt-in (GDPR-10/11/12), the pure part: the words and buttons that confirm or decline a pending consent, the
 * confirmation request's wording — sender, what is asked (the consent text's version and wording), how to confirm,
 * how to decline, nothing promotional — and the one short answer to a confirmation, in German or English.
 */
import { DEFAULT_COMMAND_WORDS, DEFAULT_PENDING_CONSENT_DAYS, type OutboundContent, type Purpose, type WorkspaceSettings } from '@parley/contracts';

export type DoubleOptInAnswerKind = 'confirm' | 'decline';

/** Parley's words for an answer to a confirmation request; `doubleOptIn.confirmWords`/`declineWords` replace them. */
export const DEFAULT_DOUBLE_OPT_IN_WORDS: Record<DoubleOptInAnswerKind, Record<string, string[]>> = {
  confirm: { de: ['JA', 'BESTÄTIGEN'], en: ['YES', 'CONFIRM'] },
  decline: { de: ['NEIN', 'ABLEHNEN'], en: ['NO', 'DECLINE'] },
};

/** The titles of the request's two buttons (≤ 20 characters: WhatsApp's reply-button limit). */
export const DOUBLE_OPT_IN_BUTTONS: Record<DoubleOptInAnswerKind, Record<'de' | 'en', string>> = {
  confirm: { de: 'Ja, bestätigen', en: 'Yes, confirm' },
  decline: { de: 'Nein', en: 'No' },
};

/**
 * The longest request body that still goes out as one message with buttons on every channel (WhatsApp's
 * interactive body holds 1,024 characters); a longer consent wording is sent as a message of its own first.
 */
const BUTTON_BODY_MAX = 1024;

/** The words of one answer kind per language: the workspace's (replacing all defaults) or Parley's. */
export function doubleOptInWords(settings: WorkspaceSettings, kind: DoubleOptInAnswerKind): Record<string, string[]> {
  const own = kind === 'confirm' ? settings.doubleOptIn?.confirmWords : settings.doubleOptIn?.declineWords;
  return own ?? DEFAULT_DOUBLE_OPT_IN_WORDS[kind];
}

/** After how many days a pending consent counts as expired (GDPR-12). */
export function doubleOptInExpiryDays(settings: WorkspaceSettings): number {
  return settings.doubleOptIn?.expiresAfterDays ?? DEFAULT_PENDING_CONSENT_DAYS;
}

/** The reply id of a request button, naming the purpose it answers: `doi:confirm:newsletter`. */
export function doubleOptInButtonId(kind: DoubleOptInAnswerKind, purpose: string): string {
  return `doi:${kind}:${purpose}`;
}

/** The answer and purpose a tapped request button names, or undefined for any other reply id. */
export function parseDoubleOptInButtonId(replyId: string): { kind: DoubleOptInAnswerKind; purpose: string } | undefined {
  const match = /^doi:(confirm|decline):(.+)$/s.exec(replyId);
  return match ? { kind: match[1] as DoubleOptInAnswerKind, purpose: match[2]! } : undefined;
}

/** The two languages Parley writes its own texts in; anything else gets German, as the runner's texts do. */
export function doubleOptInLanguage(language: string | null | undefined): 'de' | 'en' {
  return language === 'en' ? 'en' : 'de';
}

/** How a purpose is named to the contact: its description in their language, else its id. */
export function purposeLabel(purpose: Pick<Purpose, 'id' | 'description'> | undefined, id: string, language: string): string {
  const description = purpose?.description;
  return description?.[language] ?? description?.de ?? description?.en ?? id;
}

export interface DoubleOptInRequestInput {
  /** Who asks: the organisation (workspace) name. */
  sender: string;
  purpose: string;
  purposeLabel: string;
  /** The wording version asked for; `wording` is the stored text (shown in full). */
  text: { slug: string; version: number; wording: string | undefined };
  language: string;
  expiresAfterDays: number;
  /** Whether the channel shows two reply buttons; without them the request names the words to reply. */
  buttons: boolean;
  settings: WorkspaceSettings;
}

/**
 * The confirmation request as free-form content (GDPR-11): one message — or, when the consent wording is long, the
 * wording first and the ask second. The ask is always the last message (the one the ledger names).
 *
 * @example doubleOptInRequest({ sender: 'Praxis Dr. Weber', purpose: 'newsletter', purposeLabel: 'Newsletter', text: { slug: 'news', version: 2, wording: '…' }, language: 'de', expiresAfterDays: 7, buttons: true, settings: {} })
 */
export function doubleOptInRequest(input: DoubleOptInRequestInput): OutboundContent[] {
  const lang = doubleOptInLanguage(input.language);
  const words = (kind: DoubleOptInAnswerKind) => doubleOptInWords(input.settings, kind)[lang]?.[0] ?? DEFAULT_DOUBLE_OPT_IN_WORDS[kind][lang]![0]!;
  const t = REQUEST_TEXTS[lang];
  const ask = t.ask(input.sender, input.purposeLabel);
  const wording = input.text.wording === undefined ? t.version(input.text.slug, input.text.version) : `${t.version(input.text.slug, input.text.version)}:\n${input.text.wording}`;
  const how = input.buttons ? t.howButtons(words('confirm'), words('decline')) : t.howWords(words('confirm'), words('decline'));
  const tail = `${how}\n\n${t.expiry(input.expiresAfterDays)}`;
  const whole = [ask, wording, tail].join('\n\n');
  const toAsk = (body: string): OutboundContent =>
    input.buttons
      ? {
          type: 'menu',
          body,
          options: (['confirm', 'decline'] as const).map((kind) => ({ id: doubleOptInButtonId(kind, input.purpose), title: DOUBLE_OPT_IN_BUTTONS[kind][lang] })),
        }
      : { type: 'text', text: body };
  if (whole.length <= BUTTON_BODY_MAX) {
    return [toAsk(whole)];
  }
  return [{ type: 'text', text: `${ask}\n\n${wording}`.slice(0, 4096) }, toAsk(`${t.askShort(input.sender, input.purposeLabel)}\n\n${tail}`)];
}

/** The one short answer to a confirmation or a decline, in the contact's language. */
export function doubleOptInReply(kind: DoubleOptInAnswerKind, input: { language: string; purposeLabel: string; settings: WorkspaceSettings }): string {
  const lang = doubleOptInLanguage(input.language);
  if (kind === 'decline') {
    return REPLY_TEXTS[lang].declined(input.purposeLabel);
  }
  const stop = input.settings.commands?.stop?.[lang]?.[0] ?? DEFAULT_COMMAND_WORDS.stop[lang]![0]!;
  return REPLY_TEXTS[lang].confirmed(input.purposeLabel, stop);
}

const REQUEST_TEXTS = {
  de: {
    ask: (sender: string, label: string) => `${sender} bittet Sie um eine Bestätigung: Dürfen wir Ihnen hier Nachrichten zum Thema „${label}“ schicken?`,
    askShort: (sender: string, label: string) => `${sender}: Bitte bestätigen Sie Ihre Einwilligung zum Thema „${label}“ (Wortlaut oben).`,
    version: (slug: string, version: number) => `Einwilligungstext „${slug}“, Version ${version}`,
    howButtons: (yes: string, no: string) => `Zum Bestätigen tippen Sie auf „${DOUBLE_OPT_IN_BUTTONS.confirm.de}“ oder antworten Sie ${yes}. Zum Ablehnen tippen Sie auf „${DOUBLE_OPT_IN_BUTTONS.decline.de}“ oder antworten Sie ${no}; dann schreiben wir Ihnen dazu nichts.`,
    howWords: (yes: string, no: string) => `Zum Bestätigen antworten Sie ${yes}. Zum Ablehnen antworten Sie ${no}; dann schreiben wir Ihnen dazu nichts.`,
    expiry: (days: number) => `Ohne Ihre Antwort verfällt diese Anfrage nach ${days} ${days === 1 ? 'Tag' : 'Tagen'}, und wir fragen nicht noch einmal.`,
  },
  en: {
    ask: (sender: string, label: string) => `${sender} asks for your confirmation: may we send you messages about "${label}" here?`,
    askShort: (sender: string, label: string) => `${sender}: please confirm your consent to "${label}" (wording above).`,
    version: (slug: string, version: number) => `Consent text "${slug}", version ${version}`,
    howButtons: (yes: string, no: string) => `To confirm, tap "${DOUBLE_OPT_IN_BUTTONS.confirm.en}" or reply ${yes}. To decline, tap "${DOUBLE_OPT_IN_BUTTONS.decline.en}" or reply ${no}; then we will not message you about it.`,
    howWords: (yes: string, no: string) => `To confirm, reply ${yes}. To decline, reply ${no}; then we will not message you about it.`,
    expiry: (days: number) => `Without your answer this request expires after ${days} ${days === 1 ? 'day' : 'days'}, and we will not ask again.`,
  },
} as const;

const REPLY_TEXTS = {
  de: {
    confirmed: (label: string, stop: string) => `Danke, bestätigt: Sie erhalten Nachrichten zum Thema „${label}“. Mit ${stop} melden Sie sich jederzeit ab.`,
    declined: (label: string) => `In Ordnung: Sie erhalten von uns keine Nachrichten zum Thema „${label}“.`,
  },
  en: {
    confirmed: (label: string, stop: string) => `Thank you, confirmed: you will receive messages about "${label}". Reply ${stop} at any time to unsubscribe.`,
    declined: (label: string) => `Understood: we will not send you messages about "${label}".`,
  },
} as const;
