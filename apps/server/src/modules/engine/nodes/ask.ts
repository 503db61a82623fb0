/**
 * `ask` nodes: ask, validate the reply for its input kind, save it, or re-prompt with the allowed format.
 */
import type { FlowNodeOf } from '@parley/contracts';
import { builtinTexts, output, pickText, rejectReply, sayText, setAttribute, waitFor } from '../engine.run.js';
import type { Run, StepResult } from '../engine.types.js';
import { parseAskInput, type Reply } from '../input-parse.js';
import { renderMenu } from './menu.js';

/** Asks the question (as a menu for `choice` and `yes_no`) and waits. */
export function enterAsk(run: Run, node: FlowNodeOf<'ask'>): StepResult {
  showQuestion(run, node, pickText(run, node.text));
  waitFor(run, 'input');
  return { kind: 'stop' };
}

/** Saves valid input and goes on; otherwise re-prompts, and after `maxAttempts` goes to `onFail` or offers help. */
export function resumeAsk(run: Run, node: FlowNodeOf<'ask'>, reply: Exclude<Reply, { kind: 'ignore' }>): StepResult {
  if (reply.kind === 'unsupported') {
    return rejectReply(run, node, () => {
      sayText(run, builtinTexts(run).unsupportedInput);
      showQuestion(run, node, pickText(run, node.text));
    });
  }
  const parsed = parseAskInput(node.input, reply, run.ctx.now);
  if (!parsed.ok) {
    const text = node.reprompt === undefined ? builtinTexts(run).reprompt(node.input) : pickText(run, node.reprompt);
    return rejectReply(run, node, () => showQuestion(run, node, text));
  }
  setAttribute(run, node.saveAs, parsed.value);
  return { kind: 'continue', next: node.next };
}

function showQuestion(run: Run, node: FlowNodeOf<'ask'>, body: string): void {
  const input = node.input;
  if (input.kind === 'choice') {
    output(run, renderMenu(run, { options: input.choices }, body));
    return;
  }
  if (input.kind === 'yes_no') {
    const texts = builtinTexts(run);
    output(run, {
      type: 'menu',
      body,
      options: [
        { id: 'yes', title: texts.yes },
        { id: 'no', title: texts.no },
      ],
    });
    return;
  }
  sayText(run, body);
}
