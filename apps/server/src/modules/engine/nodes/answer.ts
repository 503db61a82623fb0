/**
 * `answer` nodes: wait for a free-text question and hand it to the answer library (effect `answer_question`).
 */
import type { FlowNodeOf } from '@parley/contracts';
import { builtinTexts, emit, pickText, rejectReply, sayText, setAttribute, waitFor } from '../engine.run.js';
import type { Run, StepResult } from '../engine.types.js';
import type { Reply } from '../input-parse.js';

/** Shows the prompt, if any, and waits for the question. */
export function enterAnswer(run: Run, node: FlowNodeOf<'answer'>): StepResult {
  if (node.text !== undefined) {
    sayText(run, pickText(run, node.text));
  }
  waitFor(run, 'input');
  return { kind: 'stop' };
}

/** Emits `answer_question` for a text question and goes on; media get a polite re-ask. */
export function resumeAnswer(run: Run, node: FlowNodeOf<'answer'>, reply: Exclude<Reply, { kind: 'ignore' }>): StepResult {
  const question = reply.kind === 'text' ? reply.text.trim() : '';
  if (question === '') {
    return rejectReply(run, node, () => {
      sayText(run, builtinTexts(run).unsupportedInput);
      if (node.text !== undefined) {
        sayText(run, pickText(run, node.text));
      }
    });
  }
  if (node.saveAs !== undefined) {
    setAttribute(run, node.saveAs, question);
  }
  emit(run, { type: 'answer_question', question, language: run.state.language });
  return { kind: 'continue', next: node.next };
}
