import { createContext, createElement, useContext, useMemo, useState, type ReactNode } from 'react';
import { composerDe, composerEn } from './inbox/i18n-composer';
import { deliveryDe, deliveryEn } from './inbox/i18n-delivery';
import { inboxDe, inboxEn } from './inbox/i18n-inbox';
import { staffDe, staffEn } from './i18n-staff';
import { privacyDe, privacyEn } from './admin/i18n-privacy';

/** Languages the web app speaks. */
export type Language = 'de' | 'en';

/** The languages in the order the switcher offers them. */
export const languages: readonly Language[] = ['de', 'en'];

const en = {
  'app.name': 'Parley',
  'app.section': 'Phone simulator',
  'language.label': 'Language',
  'language.de': 'Deutsch',
  'language.en': 'English',
  'state.loading': 'Loading …',
  'state.unreachable': 'The Parley server cannot be reached.',
  'action.retry': 'Try again',
  'action.cancel': 'Cancel',
  'action.close': 'Close',
  'demoOff.title': 'Demo mode is off',
  'demoOff.text':
    'This Parley server runs without the simulated WhatsApp API, so there is no phone to chat with here. Start Parley in demo mode to try it without a Meta account, or connect a real WhatsApp number in the settings.',
  'demoOff.noChannels': 'Demo mode is on, but no simulated WhatsApp channel is set up yet.',
  'panel.title': 'What is this?',
  'panel.intro':
    "You are chatting as a WhatsApp user with a simulated WhatsApp Cloud API; everything goes through Parley's real webhook path.",
  'panel.details':
    'Your messages reach Parley as signed webhooks, exactly as Meta would send them. Parley answers through the simulated Graph API, and the phone shows each answer with its delivery status. Messages you can see while this tab has focus are marked as read.',
  'panel.legend': 'Ticks under Parley’s messages',
  'panel.channel': 'Channel',
  'panel.identity': 'You as a WhatsApp user',
  'panel.identityHint': 'Use another number to simulate another user.',
  'identity.waId': 'WhatsApp number (wa_id, digits only)',
  'identity.name': 'Profile name',
  'identity.apply': 'Apply',
  'identity.invalid': 'Enter 6 to 15 digits without “+”.',
  'panel.reset': 'Reset chat',
  'panel.resetHint': 'Only clears this view. Parley keeps the conversation.',
  'phone.label': 'Simulated phone',
  'phone.business': 'Business account',
  'chat.label': 'Chat history',
  'chat.empty': 'Say hello, or tap a suggestion below.',
  'chat.offline': 'Live updates interrupted — checking every 2 seconds.',
  'chat.you': 'You',
  'composer.label': 'Write a message',
  'composer.placeholder': 'Message',
  'composer.send': 'Send',
  'composer.more': 'More options',
  'composer.chips': 'Suggestions',
  'chip.menu': 'Menu',
  'chip.help': 'Help',
  'chip.agent': 'Agent',
  'location.open': 'Send location',
  'location.title': 'Send a location',
  'location.name': 'Place name',
  'location.latitude': 'Latitude',
  'location.longitude': 'Longitude',
  'location.send': 'Send location',
  'location.invalid': 'Latitude −90…90, longitude −180…180.',
  'out.sending': 'Sending …',
  'out.failed': 'Not sent.',
  'out.retry': 'Send again',
  'msg.replyTo': 'Reply to',
  'msg.template': 'Template',
  'msg.unknown': 'Message of type “{type}”',
  'msg.image': 'Image',
  'msg.video': 'Video',
  'msg.document': 'Document',
  'msg.audio': 'Audio',
  'msg.sticker': 'Sticker',
  'msg.mediaId': 'Media ID {id}',
  'msg.location': 'Location',
  'msg.openMap': 'Open map',
  'msg.contacts': 'Contact',
  'msg.reacted': 'Reacted {emoji} to a message',
  'msg.reaction': 'Reaction',
  'list.title': 'Choose an option',
  'tick.accepted': 'Accepted',
  'tick.sent': 'Sent',
  'tick.delivered': 'Delivered',
  'tick.read': 'Read',
  'tick.failed': 'Failed',
  'error.code': 'Error {code}',
  'error.131047': 'outside the 24-hour window — a template is required',
  'error.131026': 'not deliverable',
  'error.generic': 'delivery failed',
  'flows.title': 'Try a flow',
  'flows.intro': 'Start any version of a flow, published or draft, in your conversation. Its messages arrive in the phone like any other.',
  'flows.flow': 'Flow',
  'flows.version': 'Version',
  'flows.start': 'Start',
  'flows.starting': 'Starting …',
  'flows.started': 'Started {flow} v{version}.',
  'flows.reload': 'Reload list',
  'flows.none': 'There are no flows in this workspace yet.',
  'flows.draft': 'draft',
  'flows.published': 'published',
  'flows.live': 'live',
  'flows.liveHint': '“live” is the version that keywords start.',
  'flows.loadFailed': 'The flows could not be loaded.',
  'flows.error.noConversation': 'Write a message in the phone first: the flow starts in your conversation, and there is none yet.',
  'flows.error.flowNotFound': 'This flow version does not exist (any more). Reload the list.',
  'flows.error.network': 'The Parley server cannot be reached.',
  'flows.error.unavailable': 'This server does not offer the flow simulator yet.',
  'flows.error.unexpected': 'Something went wrong.',
  'flows.error.server': 'The server answered: {message} ({code})',
  'flows.error.requestId': 'Request ID {id}.',
  'run.title': 'Run state',
  'run.empty.noConversation': 'No conversation yet — write a message.',
  'run.empty.noRun': 'No flow running.',
  'run.refreshFailed': 'Could not refresh: {error}',
  'run.flow': 'Flow',
  'run.status': 'Status',
  'run.node': 'Current node',
  'run.waiting': 'Waits for',
  'run.ownership': 'Conversation',
  'run.language': 'Language',
  'run.attributes': 'Attributes',
  'run.attributesEmpty': 'No attributes yet.',
  'run.attributeName': 'Name',
  'run.attributeValue': 'Value (JSON)',
  'run.summary': 'Flow {flow} v{version}: {status}, at node {node}. Conversation: {ownership}.',
  'run.summary.ownership': 'Conversation: {ownership}.',
  'runStatus.active': 'active',
  'runStatus.ended': 'ended',
  'runStatus.handed_off': 'handed off',
  'runStatus.failed': 'failed',
  'runStatus.unknown': 'unknown',
  'ownership.bot': 'bot',
  'ownership.queued': 'queued for an agent',
  'ownership.agent': 'with an agent',
  'ownership.resolved': 'resolved',
  'ownership.unknown': 'unknown',
  'waiting.input': 'input from the user',
  'waiting.call': 'an HTTP call',
  'waiting.timer': 'a timer',
  'waiting.none': 'nothing',
  ...staffEn,
  ...inboxEn,
  ...privacyEn,
  ...deliveryEn,
  ...composerEn,
} as const;

/** Every text the web app shows. */
export type MessageKey = keyof typeof en;

const de: Record<MessageKey, string> = {
  'app.name': 'Parley',
  'app.section': 'Telefon-Simulator',
  'language.label': 'Sprache',
  'language.de': 'Deutsch',
  'language.en': 'English',
  'state.loading': 'Wird geladen …',
  'state.unreachable': 'Der Parley-Server ist nicht erreichbar.',
  'action.retry': 'Erneut versuchen',
  'action.cancel': 'Abbrechen',
  'action.close': 'Schließen',
  'demoOff.title': 'Der Demo-Modus ist aus',
  'demoOff.text':
    'Dieser Parley-Server läuft ohne die simulierte WhatsApp-API, daher gibt es hier kein Telefon zum Chatten. Starte Parley im Demo-Modus, um es ohne Meta-Konto auszuprobieren, oder verbinde in den Einstellungen eine echte WhatsApp-Nummer.',
  'demoOff.noChannels': 'Der Demo-Modus ist an, aber es ist noch kein simulierter WhatsApp-Kanal eingerichtet.',
  'panel.title': 'Was ist das?',
  'panel.intro':
    'Du chattest als WhatsApp-Nutzer mit einer simulierten WhatsApp Cloud API; alles läuft über Parleys echten Webhook-Weg.',
  'panel.details':
    'Deine Nachrichten erreichen Parley als signierte Webhooks, genau wie von Meta. Parley antwortet über die simulierte Graph API, und das Telefon zeigt jede Antwort mit ihrem Zustellstatus. Nachrichten, die du siehst, während dieser Tab aktiv ist, werden als gelesen markiert.',
  'panel.legend': 'Haken unter Parleys Nachrichten',
  'panel.channel': 'Kanal',
  'panel.identity': 'Du als WhatsApp-Nutzer',
  'panel.identityHint': 'Mit einer anderen Nummer simulierst du einen weiteren Nutzer.',
  'identity.waId': 'WhatsApp-Nummer (wa_id, nur Ziffern)',
  'identity.name': 'Profilname',
  'identity.apply': 'Übernehmen',
  'identity.invalid': 'Bitte 6 bis 15 Ziffern ohne „+“ eingeben.',
  'panel.reset': 'Chat zurücksetzen',
  'panel.resetHint': 'Leert nur diese Ansicht. Parley behält die Unterhaltung.',
  'phone.label': 'Simuliertes Telefon',
  'phone.business': 'Unternehmenskonto',
  'chat.label': 'Chatverlauf',
  'chat.empty': 'Sag Hallo oder tippe unten auf einen Vorschlag.',
  'chat.offline': 'Live-Aktualisierung unterbrochen – prüfe alle 2 Sekunden.',
  'chat.you': 'Du',
  'composer.label': 'Nachricht schreiben',
  'composer.placeholder': 'Nachricht',
  'composer.send': 'Senden',
  'composer.more': 'Weitere Optionen',
  'composer.chips': 'Vorschläge',
  'chip.menu': 'Menü',
  'chip.help': 'Hilfe',
  'chip.agent': 'Mitarbeiter',
  'location.open': 'Standort senden',
  'location.title': 'Einen Standort senden',
  'location.name': 'Name des Ortes',
  'location.latitude': 'Breitengrad',
  'location.longitude': 'Längengrad',
  'location.send': 'Standort senden',
  'location.invalid': 'Breitengrad −90…90, Längengrad −180…180.',
  'out.sending': 'Wird gesendet …',
  'out.failed': 'Nicht gesendet.',
  'out.retry': 'Erneut senden',
  'msg.replyTo': 'Antwort auf',
  'msg.template': 'Vorlage',
  'msg.unknown': 'Nachricht vom Typ „{type}“',
  'msg.image': 'Bild',
  'msg.video': 'Video',
  'msg.document': 'Dokument',
  'msg.audio': 'Audio',
  'msg.sticker': 'Sticker',
  'msg.mediaId': 'Medien-ID {id}',
  'msg.location': 'Standort',
  'msg.openMap': 'Karte öffnen',
  'msg.contacts': 'Kontakt',
  'msg.reacted': 'Hat mit {emoji} auf eine Nachricht reagiert',
  'msg.reaction': 'Reaktion',
  'list.title': 'Option auswählen',
  'tick.accepted': 'Angenommen',
  'tick.sent': 'Gesendet',
  'tick.delivered': 'Zugestellt',
  'tick.read': 'Gelesen',
  'tick.failed': 'Fehlgeschlagen',
  'error.code': 'Fehler {code}',
  'error.131047': 'außerhalb des 24-Stunden-Fensters – eine Vorlage ist erforderlich',
  'error.131026': 'nicht zustellbar',
  'error.generic': 'Zustellung fehlgeschlagen',
  'flows.title': 'Flow ausprobieren',
  'flows.intro': 'Starte eine beliebige Version eines Flows, veröffentlicht oder Entwurf, in deiner Unterhaltung. Seine Nachrichten kommen wie alle anderen im Telefon an.',
  'flows.flow': 'Flow',
  'flows.version': 'Version',
  'flows.start': 'Starten',
  'flows.starting': 'Wird gestartet …',
  'flows.started': '{flow} v{version} gestartet.',
  'flows.reload': 'Liste neu laden',
  'flows.none': 'In diesem Arbeitsbereich gibt es noch keine Flows.',
  'flows.draft': 'Entwurf',
  'flows.published': 'veröffentlicht',
  'flows.live': 'live',
  'flows.liveHint': '„live“ ist die Version, die Stichwörter starten.',
  'flows.loadFailed': 'Die Flows konnten nicht geladen werden.',
  'flows.error.noConversation': 'Schreib zuerst eine Nachricht im Telefon: Der Flow startet in deiner Unterhaltung, und die gibt es noch nicht.',
  'flows.error.flowNotFound': 'Diese Flow-Version gibt es nicht (mehr). Lade die Liste neu.',
  'flows.error.network': 'Der Parley-Server ist nicht erreichbar.',
  'flows.error.unavailable': 'Dieser Server bietet den Flow-Simulator noch nicht an.',
  'flows.error.unexpected': 'Etwas ist schiefgegangen.',
  'flows.error.server': 'Der Server antwortete: {message} ({code})',
  'flows.error.requestId': 'Anfrage-ID {id}.',
  'run.title': 'Zustand des Laufs',
  'run.empty.noConversation': 'Noch keine Unterhaltung – schreib eine Nachricht.',
  'run.empty.noRun': 'Es läuft kein Flow.',
  'run.refreshFailed': 'Aktualisierung fehlgeschlagen: {error}',
  'run.flow': 'Flow',
  'run.status': 'Status',
  'run.node': 'Aktueller Knoten',
  'run.waiting': 'Wartet auf',
  'run.ownership': 'Unterhaltung',
  'run.language': 'Sprache',
  'run.attributes': 'Attribute',
  'run.attributesEmpty': 'Noch keine Attribute.',
  'run.attributeName': 'Name',
  'run.attributeValue': 'Wert (JSON)',
  'run.summary': 'Flow {flow} v{version}: {status}, bei Knoten {node}. Unterhaltung: {ownership}.',
  'run.summary.ownership': 'Unterhaltung: {ownership}.',
  'runStatus.active': 'aktiv',
  'runStatus.ended': 'beendet',
  'runStatus.handed_off': 'übergeben',
  'runStatus.failed': 'fehlgeschlagen',
  'runStatus.unknown': 'unbekannt',
  'ownership.bot': 'Bot',
  'ownership.queued': 'wartet auf Mitarbeiter',
  'ownership.agent': 'bei einem Mitarbeiter',
  'ownership.resolved': 'erledigt',
  'ownership.unknown': 'unbekannt',
  'waiting.input': 'eine Eingabe des Nutzers',
  'waiting.call': 'einen HTTP-Aufruf',
  'waiting.timer': 'einen Timer',
  'waiting.none': 'nichts',
  ...staffDe,
  ...inboxDe,
  ...privacyDe,
  ...deliveryDe,
  ...composerDe,
};

/** Catalogs by language; English is complete and the fallback for anything missing elsewhere. */
export type Catalogs = { en: Record<MessageKey, string> } & Partial<Record<Language, Partial<Record<MessageKey, string>>>>;

/** Looks up a text and fills `{name}` placeholders. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The built-in texts. */
export const catalogs = { en, de } satisfies Catalogs;

/**
 * Builds the translate function for one language: the language's text, else the English one, else the key itself.
 * @example createTranslator('de')('error.code', { code: 131047 }) // 'Fehler 131047'
 */
export function createTranslator(language: Language, source: Catalogs = catalogs): Translate {
  return (key, params) => {
    const template = source[language]?.[key] ?? source.en[key] ?? key;
    return params ? template.replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match)) : template;
  };
}

/**
 * German when the browser's preferred language is German (`de`, `de-AT`, …), otherwise English.
 * @example pickLanguage(['de-CH', 'en']) // 'de'
 */
export function pickLanguage(preferred: readonly string[]): Language {
  return preferred[0]?.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** Narrows a stored value to a language. */
export function isLanguage(value: unknown): value is Language {
  return value === 'de' || value === 'en';
}

type I18nValue = { language: Language; setLanguage: (language: Language) => void; t: Translate };

const I18nContext = createContext<I18nValue>({ language: 'en', setLanguage: () => undefined, t: createTranslator('en') });

const storageKey = 'parley.language';

/** Provides the language (from the user's earlier choice, else the browser) and `t` to the tree below. */
export function I18nProvider({ children }: { children: ReactNode }): ReactNode {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const value = useMemo<I18nValue>(() => {
    const setLanguage = (next: Language): void => {
      setLanguageState(next);
      safeStorage()?.setItem(storageKey, next);
    };
    return { language, setLanguage, t: createTranslator(language) };
  }, [language]);
  return createElement(I18nContext.Provider, { value }, children);
}

/** The translate function of the current language. */
export function useT(): Translate {
  return useContext(I18nContext).t;
}

/** The current language and a setter (the choice is remembered in localStorage). */
export function useLanguage(): Pick<I18nValue, 'language' | 'setLanguage'> {
  const { language, setLanguage } = useContext(I18nContext);
  return { language, setLanguage };
}

function initialLanguage(): Language {
  const stored = safeStorage()?.getItem(storageKey);
  if (isLanguage(stored)) {
    return stored;
  }
  const preferred = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return pickLanguage(preferred);
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Storage can be disabled (privacy settings); the app then simply forgets the choice.
    return undefined;
  }
}
