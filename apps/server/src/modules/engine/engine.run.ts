/**
 * Helpers that node handlers use on the working set of one `advance` call: texts in the run's language, outputs,
 * effects, attributes, wait tokens and the shared "wrong reply" handling.
 */
import type { LocalizedText, OutboundContent } from '@parley/contracts';
import { getEngineTexts, type EngineTexts } from './engine.texts.js';
import type { EngineEffectBody, Run, StepResult } from './engine.types.js';
import { interpolate } from './templates.js';

/** Default failures before `onFail` or the help offer. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** `text` in the run's language (else the flow's default, else any), with placeholders filled in. */
export function pickText(run: Run, text: LocalizedText): string {
  const raw = text[run.state.language] ?? text[run.flow.defaultLanguage] ?? Object.values(text)[0] ?? '';
  return interpolate(raw, run.state.attributes);
}

/** The engine's built-in texts in the run's language. */
export function builtinTexts(run: Run): EngineTexts {
  return getEngineTexts(run.state.language);
}

/**
 * Adds an output. Empty texts are dropped (a template whose attributes are all missing says nothing); filled-in
 * templates are clipped to the limits of `OutboundContent`, so that an output never fails the outbox's validation.
 */
export function output(run: Run, content: OutboundContent): void {
  if (content.type === 'text') {
    if (content.text.trim() !== '') {
      run.outputs.push({ ...content, text: clip(content.text, 4096) });
    }
    return;
  }
  if (content.type === 'menu') {
    if (content.body.trim() !== '') {
      run.outputs.push({
        ...content,
        body: clip(content.body, 4096),
        ...(content.button === undefined ? {} : { button: clip(content.button, 20) }),
        options: content.options.map((o) => ({ ...o, title: clip(o.title, 200) })),
      });
    }
    return;
  }
  run.outputs.push(content);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Adds a text output. */
export function sayText(run: Run, text: string): void {
  output(run, { type: 'text', text });
}

/** Adds an effect at the current output position. */
export function emit(run: Run, effect: EngineEffectBody): void {
  run.effects.push({ ...effect, outputIndex: run.outputs.length });
}

/** Sets an attribute; `language` with one of the flow's languages also switches the run's language. */
export function setAttribute(run: Run, name: string, value: unknown): void {
  run.state.attributes = { ...run.state.attributes, [name]: value };
  if (name === 'language' && typeof value === 'string' && run.flow.languages.includes(value) && value !== run.state.language) {
    run.state.language = value;
    emit(run, { type: 'language_changed', language: value });
  }
}

/** Makes the run wait for `what`; returns the new wait token for `call` and `timer` waits. */
export function waitFor(run: Run, what: 'input' | 'call' | 'timer'): string {
  run.state.waiting = what;
  if (what === 'input') {
    run.state.waitToken = null;
    return '';
  }
  run.state.seq += 1;
  const token = `${run.flow.id}@${run.flow.version}/${run.state.nodeId ?? ''}#${run.state.seq}`;
  run.state.waitToken = token;
  return token;
}

/** Ends the run normally. */
export function endRun(run: Run): StepResult {
  run.state.status = 'ended';
  run.state.nodeId = null;
  run.state.waiting = null;
  run.state.waitToken = null;
  return { kind: 'stop' };
}

/** Stops a broken run: drops this call's outputs and effects, apologises, reports `flow_error`. */
export function failRun(run: Run, reason: 'loop' | 'unknown_node' | 'invalid_state', message: string, nodeId?: string): StepResult {
  run.outputs = [];
  run.effects = [];
  sayText(run, builtinTexts(run).flowError);
  emit(run, { type: 'flow_error', reason, message, ...(nodeId === undefined ? {} : { nodeId }) });
  run.state.status = 'failed';
  run.state.waiting = null;
  run.state.waitToken = null;
  return { kind: 'stop' };
}

/**
 * Counts a wrong reply at a node that waits for input. Before the last attempt, `reask` outputs the re-prompt and the
 * run keeps waiting; after `maxAttempts` failures the run goes to `onFail`, or, without one, says so, emits
 * `offer_help` and ends.
 */
export function rejectReply(run: Run, node: { maxAttempts?: number; onFail?: string }, reask: () => void): StepResult {
  run.state.attempts += 1;
  if (run.state.attempts < (node.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
    reask();
    return { kind: 'stop' };
  }
  if (node.onFail !== undefined) {
    return { kind: 'continue', next: node.onFail };
  }
  const nodeId = run.state.nodeId ?? '';
  sayText(run, builtinTexts(run).gaveUp);
  emit(run, { type: 'offer_help', nodeId, reason: 'max_attempts' });
  return endRun(run);
}
