import type { WorkspaceSettings } from '@parley/contracts';

/** The runner's own texts (commands, answers it could not find), in the languages Parley ships. */
const TEXTS = {
  de: {
    handoff: 'Ich verbinde Sie mit unserem Service-Team. Eine Mitarbeiterin oder ein Mitarbeiter meldet sich hier im Chat.',
    handoffClosed: 'Ich habe Ihre Anfrage an unser Service-Team weitergegeben. Gerade ist niemand im Dienst – wir melden uns hier im Chat {when}.',
    talkToPerson: 'Service-Team fragen',
    help: 'So finden Sie sich zurecht: MENÜ zeigt alle Themen, eine Frage in eigenen Worten beantworte ich aus unseren freigegebenen Informationen, MITARBEITER verbindet Sie mit einer Person.',
    noAnswer: 'Dazu habe ich leider keine freigegebene Antwort. Schreiben Sie MENÜ für alle Themen oder MITARBEITER, um mit einer Person zu sprechen.',
    didYouMean: 'Meinten Sie eines dieser Themen?',
    onlyText: 'Das kann ich leider nicht lesen. Schreiben Sie mir bitte in Worten, oder MENÜ für alle Themen.',
    topicPrompt: 'Bitte wählen Sie:',
    choose: 'Auswählen',
    more: 'Weitere …',
    stopped: 'Sie sind abgemeldet: Wir schicken Ihnen von uns aus nichts mehr. Wenn Sie uns schreiben, antworten wir weiterhin. Mit START melden Sie sich wieder an.',
    started: 'Willkommen zurück: Sie sind wieder angemeldet. Mit STOP melden Sie sich jederzeit ab.',
  },
  en: {
    handoff: 'I am connecting you with our service team. A member of the team will reply here in the chat.',
    handoffClosed: 'I have passed your request to our service team. Nobody is on duty right now – we will reply here in the chat {when}.',
    talkToPerson: 'Talk to a person',
    help: 'How to find your way: MENU shows all topics, a question in your own words I answer from our approved information, AGENT connects you with a person.',
    noAnswer: 'I am sorry, I have no approved answer to that. Write MENU for all topics or AGENT to talk to a person.',
    didYouMean: 'Did you mean one of these topics?',
    onlyText: 'I am sorry, I cannot read that. Please write to me in words, or MENU for all topics.',
    topicPrompt: 'Please choose:',
    choose: 'Choose',
    more: 'More …',
    stopped: 'You are unsubscribed: we will not message you on our own any more. If you write to us, we still answer. Write START to subscribe again.',
    started: 'Welcome back: you are subscribed again. Write STOP at any time to unsubscribe.',
  },
} as const;

export type RunnerText = keyof (typeof TEXTS)['de'];

/** A runner text in the contact's language: the workspace's own wording (workspace.yaml `texts`) or Parley's. */
export function runnerText(language: string, key: RunnerText, own?: WorkspaceSettings['texts']): string {
  return own?.[key]?.[language] ?? (language === 'en' ? TEXTS.en : TEXTS.de)[key];
}
