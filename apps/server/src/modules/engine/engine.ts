/**
 * The pure dialog engine (ARCHITECTURE §5): run state in, input in → new run state, outputs and effects out.
 * It imports no database, HTTP or environment; time comes in `ctx.now`; it has no randomness. The runner
 * (`modules/flows`) loads and saves the state, sends the outputs and carries out the effects.
 */
import type { Flow, FlowNode, FlowRunState } from '@parley/contracts';
import { endRun, failRun } from './engine.run.js';
import type { EngineContext, EngineInput, EngineResult, IgnoredReason, Run, StepResult } from './engine.types.js';
import { toReply, type Reply } from './input-parse.js';
import { enterAnswer, resumeAnswer } from './nodes/answer.js';
import { enterAsk, resumeAsk } from './nodes/ask.js';
import { enterCall, resumeCall } from './nodes/call.js';
import { enterConsent, resumeConsent } from './nodes/consent.js';
import { enterMenu, resumeMenu } from './nodes/menu.js';
import {
  enterBranch,
  enterContent,
  enterEnd,
  enterGoto,
  enterHandoff,
  enterSay,
  enterSet,
  enterSubscribe,
  enterUnsubscribe,
} from './nodes/simple.js';
import { enterWait, resumeWait } from './nodes/wait.js';

/** Node steps per `advance` call before a run is stopped as a loop. */
export const DEFAULT_MAX_STEPS = 50;

/**
 * Advances a run of `flow` by one input.
 *
 * - `start` (re)starts the run at `flow.start` or `input.nodeId`, keeping attributes and language.
 * - `message` answers the node the run waits at (menu, ask, answer); wrong replies re-prompt, and after `maxAttempts`
 *   the run goes to `onFail` or ends with `offer_help`.
 * - `call_result` / `timer` resume a `call` / `wait` node when their `token` matches the run's wait token.
 *
 * The run stays on its version: if `flow` is not `state.flowId`@`state.flowVersion`, nothing happens except a
 * `flow_error` (`version_mismatch`) — load the right version and call again. An input the run cannot take (it ended,
 * was handed off, waits for a call or timer, a stale token, a reaction) returns the state unchanged with an
 * `input_ignored` effect, so the runner can route it elsewhere. A run that takes more than `ctx.maxSteps` (50) steps
 * without waiting fails with `flow_error` (`loop`) and an apology instead of its outputs.
 *
 * @example
 * const state = createRunState(flow, { language: 'de' });
 * const first = advance(flow, state, { type: 'start' }, { now: new Date() });
 * const next = advance(flow, first.state, { type: 'message', content: { type: 'text', text: '2' } }, { now: new Date() });
 */
export function advance(flow: Flow, state: FlowRunState, input: EngineInput, ctx: EngineContext): EngineResult {
  if (state.flowId !== flow.id || state.flowVersion !== flow.version) {
    const message = `run is on ${state.flowId}@${state.flowVersion}, got ${flow.id}@${flow.version}`;
    return { state, outputs: [], effects: [{ type: 'flow_error', reason: 'version_mismatch', message, outputIndex: 0 }] };
  }
  const run: Run = { flow, ctx, state: structuredClone(state), outputs: [], effects: [], steps: 0 };
  const ignored = (reason: IgnoredReason): EngineResult => ({
    state,
    outputs: [],
    effects: [{ type: 'input_ignored', reason, outputIndex: 0 }],
  });

  switch (input.type) {
    case 'start':
      run.state = { ...run.state, status: 'active', waiting: null, waitToken: null, attempts: 0 };
      continueAt(run, input.nodeId ?? flow.start);
      break;
    case 'message': {
      const refusal = refuseInput(state, 'input');
      const reply = toReply(input.content);
      if (refusal !== undefined || reply.kind === 'ignore') {
        return ignored(refusal ?? 'no_content');
      }
      resumeAt(run, (node) => resumeWithReply(run, node, reply));
      break;
    }
    case 'call_result':
    case 'timer': {
      const refusal = refuseInput(state, input.type === 'timer' ? 'timer' : 'call');
      if (refusal !== undefined) {
        return ignored(refusal);
      }
      if (input.token !== state.waitToken) {
        return ignored('stale_token');
      }
      resumeAt(run, (node) => {
        if (input.type === 'call_result' && node.type === 'call') {
          return resumeCall(run, node, input);
        }
        if (input.type === 'timer' && node.type === 'wait') {
          return resumeWait(run, node);
        }
        return undefined;
      });
      break;
    }
    default:
      return assertNever(input);
  }
  return { state: run.state, outputs: run.outputs, effects: run.effects };
}

/**
 * A fresh run state for `flow`, not started yet (pass it to `advance` with `{ type: 'start' }`). The language is
 * `language` when the flow has it, else the flow's default.
 */
export function createRunState(flow: Flow, options: { language?: string; attributes?: Record<string, unknown> } = {}): FlowRunState {
  const language = options.language !== undefined && flow.languages.includes(options.language) ? options.language : flow.defaultLanguage;
  return {
    flowId: flow.id,
    flowVersion: flow.version,
    nodeId: null,
    status: 'active',
    waiting: null,
    waitToken: null,
    attempts: 0,
    seq: 0,
    language,
    attributes: { ...(options.attributes ?? {}) },
  };
}

function resumeWithReply(run: Run, node: FlowNode, reply: Exclude<Reply, { kind: 'ignore' }>): StepResult | undefined {
  switch (node.type) {
    case 'menu':
      return resumeMenu(run, node, reply);
    case 'consent':
      return resumeConsent(run, node, reply);
    case 'ask':
      return resumeAsk(run, node, reply);
    case 'answer':
      return resumeAnswer(run, node, reply);
    default:
      return undefined;
  }
}

/** Why the run cannot take an input of kind `kind` now, or `undefined` if it can. */
function refuseInput(state: FlowRunState, kind: 'input' | 'call' | 'timer'): IgnoredReason | undefined {
  if (state.status === 'handed_off') {
    return 'handed_off';
  }
  if (state.status !== 'active') {
    return 'not_active';
  }
  if (state.waiting === kind) {
    return undefined;
  }
  if (kind === 'input' && state.waiting === 'call') {
    return 'waiting_for_call';
  }
  if (kind === 'input' && state.waiting === 'timer') {
    return 'waiting_for_timer';
  }
  return 'not_waiting';
}

/** Resumes the node the run waits at; `resume` returns `undefined` if the node cannot take this input. */
function resumeAt(run: Run, resume: (node: FlowNode) => StepResult | undefined): void {
  const nodeId = run.state.nodeId;
  const node = nodeId === null ? undefined : run.flow.nodes[nodeId];
  if (nodeId === null || node === undefined) {
    failRun(run, 'unknown_node', `the run waits at node "${nodeId ?? ''}", which the flow does not have`, nodeId ?? undefined);
    return;
  }
  const result = resume(node);
  if (result === undefined) {
    failRun(run, 'invalid_state', `node "${nodeId}" (${node.type}) does not wait for this input`, nodeId);
    return;
  }
  follow(run, result);
}

function follow(run: Run, result: StepResult): void {
  if (result.kind === 'stop') {
    return;
  }
  if (result.next === undefined) {
    endRun(run);
    return;
  }
  continueAt(run, result.next);
}

/** Enters nodes from `nodeId` on until one waits or the run stops. */
function continueAt(run: Run, nodeId: string): void {
  const maxSteps = run.ctx.maxSteps ?? DEFAULT_MAX_STEPS;
  let next: string | undefined = nodeId;
  while (next !== undefined) {
    run.steps += 1;
    if (run.steps > maxSteps) {
      failRun(run, 'loop', `more than ${maxSteps} steps without waiting for input`, next);
      return;
    }
    const node: FlowNode | undefined = run.flow.nodes[next];
    if (node === undefined) {
      failRun(run, 'unknown_node', `node "${next}" does not exist`, next);
      return;
    }
    run.state.nodeId = next;
    run.state.attempts = 0;
    const result = enterNode(run, node);
    if (result.kind === 'stop') {
      return;
    }
    if (result.next === undefined) {
      endRun(run);
      return;
    }
    next = result.next;
  }
}

function enterNode(run: Run, node: FlowNode): StepResult {
  switch (node.type) {
    case 'say':
      return enterSay(run, node);
    case 'menu':
      return enterMenu(run, node);
    case 'ask':
      return enterAsk(run, node);
    case 'branch':
      return enterBranch(run, node);
    case 'set':
      return enterSet(run, node);
    case 'content':
      return enterContent(run, node);
    case 'answer':
      return enterAnswer(run, node);
    case 'subscribe':
      return enterSubscribe(run, node);
    case 'unsubscribe':
      return enterUnsubscribe(run, node);
    case 'handoff':
      return enterHandoff(run, node);
    case 'call':
      return enterCall(run, node);
    case 'consent':
      return enterConsent(run, node);
    case 'wait':
      return enterWait(run, node);
    case 'goto':
      return enterGoto(run, node);
    case 'end':
      return enterEnd(run, node);
    default:
      return assertNever(node);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
