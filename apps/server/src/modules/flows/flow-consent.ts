/**
 * The runner's part of consent (issue #4): the exact wording a consent node shows and the decision recorded with
 * it (GDPR-05/07), and STOP/START anywhere (GDPR-13) — also where no flow answers.
 */
import { type FlowRunState, type InboundContent, needsConsent } from '@parley/contracts';
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
