/**
 * `consent` nodes (GDPR-07): the intro, the exact wording of a consent text (the runner inserts it through the
 * `show_consent` effect), then a question with two buttons — neither pre-selected — and the decision recorded
 * through `record_consent`. A yes goes to `next`, a no to `onDeclined` (or `next`): the service goes on either way.
 */
import type { FlowNodeOf, OutboundContent } from '@parley/contracts';
import { builtinTexts, emit, output, pickText, rejectReply, setAttribute, waitFor } from '../engine.run.js';
import type { Run, StepResult } from '../engine.types.js';
import { type Reply, yesNo } from '../input-parse.js';

export function enterConsent(run: Run, node: FlowNodeOf<'consent'>): StepResult {
  if (node.intro) {
    output(run, { type: 'text', text: pickText(run, node.intro) });
  }
  emit(run, { type: 'show_consent', consentText: node.consentText, language: run.state.language });
  output(run, question(run, node, node.question ? pickText(run, node.question) : builtinTexts(run).consentQuestion));
  waitFor(run, 'input');
  return { kind: 'stop' };
}

/** A tap on a button, or a typed yes/no (ja, nein, 1, 2 …); anything else asks again. */
export function resumeConsent(run: Run, node: FlowNodeOf<'consent'>, reply: Exclude<Reply, { kind: 'ignore' }>): StepResult {
  const decision = reply.kind === 'text' ? decide(reply) : undefined;
  if (decision === undefined) {
    const texts = builtinTexts(run);
    return rejectReply(run, node, () => output(run, question(run, node, reply.kind === 'unsupported' ? texts.unsupportedInputMenu : texts.notUnderstoodMenu)));
  }
  run.state.waiting = null;
  emit(run, { type: 'record_consent', consentText: node.consentText, decision: decision ? 'granted' : 'denied', language: run.state.language });
  if (node.saveAs !== undefined) {
    setAttribute(run, node.saveAs, decision);
  }
  return { kind: 'continue', next: decision ? node.next : (node.onDeclined ?? node.next) };
}

function decide(reply: { text: string; replyId?: string }): boolean | undefined {
  if (reply.replyId === 'consent:yes') {
    return true;
  }
  if (reply.replyId === 'consent:no') {
    return false;
  }
  const typed = reply.text.trim();
  return typed === '1' ? true : typed === '2' ? false : yesNo(typed);
}

function question(run: Run, node: FlowNodeOf<'consent'>, body: string): OutboundContent {
  const texts = builtinTexts(run);
  return {
    type: 'menu',
    body,
    options: [
      { id: 'consent:yes', title: node.accept ? pickText(run, node.accept) : texts.consentAccept },
      { id: 'consent:no', title: node.decline ? pickText(run, node.decline) : texts.consentDecline },
    ],
  };
}
