/**
 * Types of the pure dialog engine: what goes in (`EngineInput`, `EngineContext`) and what comes out (`EngineResult`).
 */
import type { ContentRef, Flow, FlowRunState, InboundContent, OutboundContent } from '@parley/contracts';

/** What the engine reacts to. */
export type EngineInput =
  /** Begin the run at the flow's `start` (or at `nodeId`, e.g. after a `goto` to a node of another flow). */
  | { type: 'start'; nodeId?: string }
  /** A message of the contact. */
  | { type: 'message'; content: InboundContent }
  /** The outcome of a `call_http` effect; `token` is the effect's token. */
  | { type: 'call_result'; token: string; ok: true; status: number; body: unknown }
  | { type: 'call_result'; token: string; ok: false; reason: 'timeout' | 'network' | 'blocked' | 'invalid_response'; status?: number }
  /** A `schedule_wake` effect came due; `token` is the effect's token. */
  | { type: 'timer'; token: string };

/** What the engine needs from the outside world, passed in so that it stays pure. */
export type EngineContext = {
  /** The current time. */
  now: Date;
  /** Node steps per `advance` before the run is stopped as a loop (default 50). */
  maxSteps?: number;
};

/** Why an input changed nothing. */
export type IgnoredReason = 'not_active' | 'handed_off' | 'waiting_for_call' | 'waiting_for_timer' | 'stale_token' | 'not_waiting' | 'no_content';

/** Why a run failed. */
export type FlowErrorReason = 'version_mismatch' | 'loop' | 'unknown_node' | 'invalid_state';

/**
 * Work the runner must do. Every effect carries `outputIndex`: the number of `outputs` produced before it, so that the
 * runner can keep the order (send `outputs[0 .. outputIndex-1]`, then run the effect, then the rest).
 */
export type EngineEffect = EngineEffectBody & { outputIndex: number };

/** An effect without its position; see `EngineEffect`. */
export type EngineEffectBody =
  | { type: 'send_content'; ref: ContentRef; language: string }
  | { type: 'answer_question'; question: string; language: string }
  | { type: 'subscribe'; topic: string }
  | { type: 'unsubscribe'; topic: string }
  /** Move the conversation to the human queue; the run is `handed_off` and the bot stays silent. */
  | { type: 'handoff'; queue: string }
  /** Perform the request (SSRF guard, `timeoutMs`) and answer with a `call_result` input carrying `token`. */
  | { type: 'call_http'; token: string; request: HttpRequestSpec }
  /** Answer with a `timer` input carrying `token` at `at` (ISO date-time). */
  | { type: 'schedule_wake'; token: string; at: string }
  /** This run ended; start `flowId` (its current published version) at `nodeId` or its start, keeping attributes and language. */
  | { type: 'goto_flow'; flowId: string; nodeId?: string }
  /** The contact failed `maxAttempts` times; offer the main menu or a human (the engine already sent a text saying so). */
  | { type: 'offer_help'; nodeId: string; reason: 'max_attempts' }
  /** Show the current wording of consent text `consentText` here (the runner renders it and remembers its version). */
  | { type: 'show_consent'; consentText: string; language: string }
  /** Record the contact's decision on consent text `consentText` — for the version that was shown — in the ledger. */
  | { type: 'record_consent'; consentText: string; decision: 'granted' | 'denied'; language: string }
  /** The conversation's language changed; keep it for the contact. */
  | { type: 'language_changed'; language: string }
  /** The input changed nothing (state is unchanged); the runner may route it elsewhere (answers, global commands). */
  | { type: 'input_ignored'; reason: IgnoredReason }
  /** The run could not go on; see `reason`. */
  | { type: 'flow_error'; reason: FlowErrorReason; message: string; nodeId?: string };
export type EngineEffectType = EngineEffect['type'];

/** A request the runner performs for a `call` node; templates are already filled in. */
export type HttpRequestSpec = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** JSON-serialisable body, absent for none. */
  body?: unknown;
  timeoutMs: number;
};

/** What `advance` returns. `state` is a new object; the input state is never mutated. */
export type EngineResult = {
  state: FlowRunState;
  outputs: OutboundContent[];
  effects: EngineEffect[];
};

/** Mutable working set of one `advance` call (internal to the engine). */
export type Run = {
  flow: Flow;
  ctx: EngineContext;
  state: FlowRunState;
  outputs: OutboundContent[];
  effects: EngineEffect[];
  steps: number;
};

/** What entering or resuming a node leads to. */
export type StepResult =
  /** Go on at `next`; `undefined` ends the flow. */
  | { kind: 'continue'; next: string | undefined }
  /** The run waits (for input, a call result or a timer) or stopped (ended, handed off, failed). */
  | { kind: 'stop' };
