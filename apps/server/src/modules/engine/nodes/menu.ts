/**
 * `menu` nodes: show options, wait, follow the picked option's `next`.
 */
import type { FlowNodeOf, OutboundContent } from '@parley/contracts';
import { builtinTexts, output, pickText, rejectReply, waitFor } from '../engine.run.js';
import type { Run, StepResult } from '../engine.types.js';
import { matchOption, type Reply } from '../input-parse.js';

/** Shows the menu and waits for a choice. */
export function enterMenu(run: Run, node: FlowNodeOf<'menu'>): StepResult {
  output(run, renderMenu(run, node, pickText(run, node.text)));
  waitFor(run, 'input');
  return { kind: 'stop' };
}

/** Follows the picked option, or re-shows the menu after a reply that picks none. */
export function resumeMenu(run: Run, node: FlowNodeOf<'menu'>, reply: Exclude<Reply, { kind: 'ignore' }>): StepResult {
  if (reply.kind === 'text') {
    const option = matchOption(node.options, reply);
    if (option !== undefined) {
      return { kind: 'continue', next: option.next };
    }
  }
  const texts = builtinTexts(run);
  const body = reply.kind === 'unsupported' ? texts.unsupportedInputMenu : texts.notUnderstoodMenu;
  return rejectReply(run, node, () => output(run, renderMenu(run, node, body)));
}

/** The channel-neutral menu; option ids are the flow's option ids, titles in the run's language. */
export function renderMenu(
  run: Run,
  node: { options: ReadonlyArray<{ id: string; label: Record<string, string> }>; button?: Record<string, string> | undefined },
  body: string,
): OutboundContent {
  return {
    type: 'menu',
    body,
    ...(node.button === undefined ? {} : { button: pickText(run, node.button) }),
    options: node.options.map((o) => ({ id: o.id, title: pickText(run, o.label) })),
  };
}
