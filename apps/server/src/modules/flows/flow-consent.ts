/**
 * The runner's part of consent (issue #4): the exact wording a consent node shows and the decision recorded with
 * it (GDPR-05/07), and STOP/START anywhere (GDPR-13) — also where no flow answers.
 */
import { type FlowRunState, type InboundContent, needsConsent, type OutboundContent, purposesOf } from '@parley/contracts';
import { DOUBLE_OPT_IN_BUTTONS, type DoubleOptInAnswer, type DoubleOptInAnswerKind, doubleOptInReply, doubleOptInWords, type OpenDoubleOptIn, parseDoubleOptInButtonId, purposeLabel } from '../consent/index.js';
import { runnerText } from './flow-texts.js';
import { commandKey, type WorkspaceRuntime } from './flow-runtime.js';
import type { TurnResult } from './flow-turn.js';

export interface ConsentRecord {
  purpose: string;
  decision: 'granted' | 'denied';
  text: { slug: string; version: number; language: string; hash: string };
}

/** Where a run keeps which wording it showed, until the contact decides: the proof must name what was shown. */
const SHOWN_CONSENT = '_consentShown';

export function shownConsent(state: FlowRunState): Record<string, Omit<ConsentRecord, 'decision'>> {
  const value = state.attributes[SHOWN_CONSENT];
  return typeof value === 'object' && value !== null ? (value as Record<string, Omit<ConsentRecord, 'decision'>>) : {};
}

/** Outputs the current wording of a consent text and remembers its version and hash in the run. */
export function showConsent(runtime: WorkspaceRuntime, state: FlowRunState, slug: string, language: string, result: TurnResult): void {
  const text = runtime.consentTexts.get(slug);
  const lang = text ? (text.text[language] !== undefined ? language : (Object.keys(text.text)[0] ?? language)) : language;
  const wording = text?.text[lang];
  if (!text || wording === undefined) {
    return; // validation keeps this from happening; without wording no decision can be recorded either
  }
  result.outputs.push({ type: 'text', text: wording });
  state.attributes[SHOWN_CONSENT] = { ...shownConsent(state), [slug]: { purpose: text.purpose, text: { slug, version: text.version, language: lang, hash: text.hashes[lang] ?? '' } } };
}

/**
 * STOP, STOPP, ABMELDEN … (GDPR-13, WA-04): withdraws every consent-based purpose on this channel, ends the run and
 * confirms once, in the contact's language. Works in every flow — and, through `consentCommand`, while a person
 * owns the conversation.
 */
export function stopTurn(runtime: WorkspaceRuntime, language: string, result: TurnResult): TurnResult {
  result.outputs.push({ type: 'text', text: runnerText(language, 'stopped', runtime.settings.texts) });
  result.consent = { kind: 'stop', purposes: consentPurposes(runtime) };
  result.state = null;
  return result;
}

/** The purposes a STOP withdraws and a START grants again: those resting on consent, and all promotional ones. */
export function consentPurposes(runtime: WorkspaceRuntime): string[] {
  return (runtime.settings.purposes ?? []).filter(needsConsent).map((p) => p.id);
}

/**
 * STOP and START where no flow runs them — while a person owns the conversation, or in a workspace without flows:
 * the consent change still happens at once (GDPR-13) and is confirmed. Undefined for any other message.
 */
export function consentCommand(runtime: WorkspaceRuntime, content: InboundContent, language: string): TurnResult | undefined {
  const text = content.type === 'text' ? content.text : content.type === 'interactive_reply' ? content.title : undefined;
  const command = text === undefined ? undefined : runtime.commands.get(commandKey(text));
  if (command === 'stop') {
    return stopTurn(runtime, language, { outputs: [], state: null, effects: [] });
  }
  if (command === 'start' && content.type === 'text') {
    return { outputs: [{ type: 'text', text: runnerText(language, 'started', runtime.settings.texts) }], state: null, effects: [], consent: { kind: 'start', purposes: consentPurposes(runtime) } };
  }
  return undefined;
}

/** The folded words that answer a confirmation request, per runtime: the workspace's words and the buttons' titles. */
const answerWords = new WeakMap<WorkspaceRuntime, Map<string, DoubleOptInAnswerKind>>();

function doubleOptInWordKeys(runtime: WorkspaceRuntime): Map<string, DoubleOptInAnswerKind> {
  let words = answerWords.get(runtime);
  if (!words) {
    words = new Map();
    for (const kind of ['confirm', 'decline'] as const) {
      // A template's quick-reply button without our payload arrives as its title: the titles count as words too.
      for (const word of [...Object.values(doubleOptInWords(runtime.settings, kind)).flat(), ...Object.values(DOUBLE_OPT_IN_BUTTONS[kind])]) {
        const key = commandKey(word);
        if (key !== '' && !words.has(key)) {
          words.set(key, kind);
        }
      }
    }
    answerWords.set(runtime, words);
  }
  return words;
}

/** What a message answers, if it could answer a confirmation request at all (a request button or a word). */
function answerOf(runtime: WorkspaceRuntime, content: InboundContent): { kind: DoubleOptInAnswerKind; purpose?: string; method: 'button' | 'keyword' } | undefined {
  if (content.type === 'interactive_reply') {
    const button = parseDoubleOptInButtonId(content.replyId);
    if (button) {
      return { ...button, method: 'button' };
    }
    const kind = doubleOptInWordKeys(runtime).get(commandKey(content.title));
    return kind ? { kind, method: 'button' } : undefined;
  }
  const kind = content.type === 'text' ? doubleOptInWordKeys(runtime).get(commandKey(content.text)) : undefined;
  return kind ? { kind, method: 'keyword' } : undefined;
}

/** Whether a message could answer a confirmation request: only then is the ledger asked for open ones (hot path). */
export function mayAnswerDoubleOptIn(runtime: WorkspaceRuntime, content: InboundContent): boolean {
  return answerOf(runtime, content) !== undefined;
}

/**
 * The answer to an open double opt-in on this conversation's channel (GDPR-10): a request button names its purpose;
 * a word answers the newest open request — one word never confirms two purposes (GDPR-07). Returns the ledger
 * decision and the one short reply (in the request's language), or undefined when the message answers nothing open (then it is a normal
 * message: after expiry, on another channel, or with nothing pending).
 */
export function doubleOptInAnswer(
  runtime: WorkspaceRuntime,
  content: InboundContent,
  open: OpenDoubleOptIn[],
  language: string,
): { answer: Omit<DoubleOptInAnswer, 'providerMessageId'>; outputs: OutboundContent[] } | undefined {
  const answer = open.length === 0 ? undefined : answerOf(runtime, content);
  const pending = answer && (answer.purpose === undefined ? open[0] : open.find((o) => o.purpose === answer.purpose));
  if (!answer || !pending) {
    return undefined;
  }
  // The answer speaks the request's language: the wording's, which the contact read.
  const lang = pending.text?.language ?? language;
  const label = purposeLabel(purposesOf(runtime.settings).get(pending.purpose), pending.purpose, lang);
  return {
    answer: { pending, decision: answer.kind === 'confirm' ? 'granted' : 'denied', method: answer.method },
    outputs: [{ type: 'text', text: doubleOptInReply(answer.kind, { language: lang, purposeLabel: label, settings: runtime.settings }) }],
  };
}
