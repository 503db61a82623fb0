/**
 * Nodes that never wait: say, branch, set, content, subscribe, unsubscribe, handoff, goto, end.
 */
import type { FlowNodeOf } from '@parley/contracts';
import { emit, endRun, pickText, sayText, setAttribute } from '../engine.run.js';
import type { Run, StepResult } from '../engine.types.js';
import { evaluateCondition } from '../conditions.js';
import { resolveValue } from '../templates.js';

/** Sends the text. */
export function enterSay(run: Run, node: FlowNodeOf<'say'>): StepResult {
  sayText(run, pickText(run, node.text));
  return { kind: 'continue', next: node.next };
}

/** Takes the first branch whose condition holds, else `otherwise`. */
export function enterBranch(run: Run, node: FlowNodeOf<'branch'>): StepResult {
  const hit = node.conditions.find((c) => evaluateCondition(c.when, run.state.attributes));
  return { kind: 'continue', next: hit?.next ?? node.otherwise };
}

/** Sets the attribute (a lone placeholder copies the value with its type). */
export function enterSet(run: Run, node: FlowNodeOf<'set'>): StepResult {
  setAttribute(run, node.attribute, resolveValue(node.value, run.state.attributes));
  return { kind: 'continue', next: node.next };
}

/** Emits `send_content` for the runner to render from the content library. */
export function enterContent(run: Run, node: FlowNodeOf<'content'>): StepResult {
  emit(run, { type: 'send_content', ref: node.ref, language: run.state.language });
  return { kind: 'continue', next: node.next };
}

/** Emits `subscribe`. */
export function enterSubscribe(run: Run, node: FlowNodeOf<'subscribe'>): StepResult {
  emit(run, { type: 'subscribe', topic: node.topic });
  return { kind: 'continue', next: node.next };
}

/** Emits `unsubscribe`. */
export function enterUnsubscribe(run: Run, node: FlowNodeOf<'unsubscribe'>): StepResult {
  emit(run, { type: 'unsubscribe', topic: node.topic });
  return { kind: 'continue', next: node.next };
}

/** Says the message, emits `handoff` and marks the run `handed_off`: from now on the bot stays silent. */
export function enterHandoff(run: Run, node: FlowNodeOf<'handoff'>): StepResult {
  if (node.message !== undefined) {
    sayText(run, pickText(run, node.message));
  }
  emit(run, { type: 'handoff', queue: node.queue });
  run.state.status = 'handed_off';
  run.state.waiting = null;
  run.state.waitToken = null;
  return { kind: 'stop' };
}

/** Jumps inside this flow, or ends the run with `goto_flow` for the runner to start the other flow. */
export function enterGoto(run: Run, node: FlowNodeOf<'goto'>): StepResult {
  if (node.flow === run.flow.id) {
    return { kind: 'continue', next: node.node ?? run.flow.start };
  }
  emit(run, { type: 'goto_flow', flowId: node.flow, ...(node.node === undefined ? {} : { nodeId: node.node }) });
  return endRun(run);
}

/** Says the last text, if any, and ends the run. */
export function enterEnd(run: Run, node: FlowNodeOf<'end'>): StepResult {
  if (node.text !== undefined) {
    sayText(run, pickText(run, node.text));
  }
  return endRun(run);
}
