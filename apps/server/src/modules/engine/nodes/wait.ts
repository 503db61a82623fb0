/**
 * `wait` nodes: pause the run until a time (effect `schedule_wake`), resumed by the runner's `timer` input.
 */
import type { FlowNodeOf } from '@parley/contracts';
import { emit, waitFor } from '../engine.run.js';
import type { Run, StepResult } from '../engine.types.js';
import { getAttribute } from '../templates.js';

/**
 * Schedules the wake-up and waits. A time that has already passed — or an `untilAttribute` that holds no date —
 * does not wait at all: a reminder for a bad date is not worth a stuck conversation.
 */
export function enterWait(run: Run, node: FlowNodeOf<'wait'>): StepResult {
  const at = wakeTime(run, node);
  if (at === undefined || at <= run.ctx.now.getTime()) {
    return { kind: 'continue', next: node.next };
  }
  const token = waitFor(run, 'timer');
  emit(run, { type: 'schedule_wake', token, at: new Date(at).toISOString() });
  return { kind: 'stop' };
}

/** The timer came due: go on. */
export function resumeWait(run: Run, node: FlowNodeOf<'wait'>): StepResult {
  run.state.waiting = null;
  run.state.waitToken = null;
  return { kind: 'continue', next: node.next };
}

function wakeTime(run: Run, node: FlowNodeOf<'wait'>): number | undefined {
  if (node.delaySeconds !== undefined) {
    return run.ctx.now.getTime() + node.delaySeconds * 1000;
  }
  const raw = node.until ?? (node.untilAttribute === undefined ? undefined : getAttribute(run.state.attributes, node.untilAttribute));
  if (typeof raw !== 'string') {
    return undefined;
  }
  const time = Date.parse(raw);
  return Number.isNaN(time) ? undefined : time;
}
