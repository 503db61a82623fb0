/**
 * Runs the flow work that happens between a contact's messages (FLOW_QUEUE): an HTTP call of a `call` node, a
 * `wait` node's timer, and a simulator start. The HTTP request runs outside any transaction (it may take its whole
 * timeout); its result is applied in ONE transaction with the conversation row locked — the run state, the replies
 * to send and the job's completion commit together, like an inbound turn. A result whose token no longer matches
 * the run (the contact started something else meanwhile) changes nothing, and the bot never speaks while a person
 * owns the conversation. A crash between the request and the commit repeats the request: calls are at least once.
 */
import { type Flow, FlowRunState, type OutboundContent } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../platform/db.js';
import { query } from '../../platform/db.js';
import type { JobHandler } from '../../platform/job-runner.js';
import { completeJob, type Job } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { EngineInput } from '../engine/index.js';
import { enqueueOutbound } from '../outbound/index.js';
import type { FlowJobPayload } from './flow-effects.store.js';
import type { HttpCaller } from './flow-http.js';
import type { WorkspaceRuntime } from './flow-runtime.js';
import { handoffOf } from './flow-handoff.js';
import { type RuntimeLoader, writeTurns } from './flow-runtime.store.js';
import { resumeTurn, startRun, toReply, type TurnResult } from './flow-turn.js';

export interface FlowJobDeps {
  database: Database;
  runtimes: RuntimeLoader;
  http: HttpCaller;
  logger: Logger;
  /** Called after a transaction enqueued outbound work (wakes local dispatchers). */
  onEnqueued: () => void;
}

interface ConversationRow {
  workspaceId: string;
  channelId: string;
  address: string;
  state: string;
  flowState: unknown;
  language: string | null;
}

export function createFlowJobHandler(deps: FlowJobDeps): JobHandler {
  const { database, logger } = deps;

  return async (job: Job) => {
    const payload = job.payload as FlowJobPayload;
    const before = await loadConversation(database.db, payload.conversationId, false);
    if (!before || !stillCurrent(payload, before)) {
      return { kind: 'done' }; // stale: the run moved on, or a person took the conversation
    }
    let input: Extract<EngineInput, { type: 'call_result' | 'timer' }> | undefined;
    if (payload.kind === 'call') {
      const started = Date.now();
      const outcome = await deps.http(payload.request);
      logger.info({ conversationId: payload.conversationId, method: payload.request.method, host: hostOf(payload.request.url), ms: Date.now() - started, ok: outcome.ok, ...('status' in outcome ? { status: outcome.status } : {}), ...('reason' in outcome ? { reason: outcome.reason } : {}) }, 'flow call');
      input = { type: 'call_result', token: payload.token, ...outcome };
    } else if (payload.kind === 'timer') {
      input = { type: 'timer', token: payload.token };
    }
    if (payload.kind === 'start') {
      deps.runtimes.invalidate(before.workspaceId); // a draft stored a moment ago must be found
    }
    // Before the transaction: on PGlite a query outside an open transaction waits for it to end.
    const runtime = await deps.runtimes.get(before.workspaceId);
    let enqueued = 0;
    await database.db.transaction(async (tx) => {
      const conv = await loadConversation(tx, payload.conversationId, true);
      const turn = conv && stillCurrent(payload, conv) ? runJob(runtime, payload, conv, input) : undefined;
      if (conv && turn) {
        // A call's result answers the contact's own message (a reply); after a wait the flow writes on its own, for its purpose.
        const purpose = payload.kind === 'timer' ? (waitingFlow(runtime, conv)?.purpose ?? 'service') : 'service';
        const replies = turn.outputs.map((content: OutboundContent) => toReply({ workspaceId: conv.workspaceId, conversationId: payload.conversationId, channelId: conv.channelId }, content, purpose));
        await enqueueOutbound(tx, replies, { completeJobIds: [job.id] });
        enqueued = replies.length;
        const handoff = handoffOf(turn);
        await writeTurns(tx, [
          {
            workspaceId: conv.workspaceId,
            conversationId: payload.conversationId,
            channelId: conv.channelId,
            address: conv.address,
            flowState: turn.state,
            ...(handoff ? { handoff } : {}),
            effects: turn.effects,
            lastMenu: turn.lastMenu,
            ...(turn.language ? { contactLanguage: turn.language } : {}),
            ...(turn.unanswered ? { unanswered: turn.unanswered } : {}),
          },
        ]);
      } else {
        await completeJob(tx, job.id);
      }
    });
    if (enqueued > 0) {
      deps.onEnqueued();
    }
    return { kind: 'done', completedInTx: true };
  };
}

function runJob(runtime: WorkspaceRuntime, payload: FlowJobPayload, conv: ConversationRow, input: Extract<EngineInput, { type: 'call_result' | 'timer' }> | undefined): TurnResult | undefined {
  const parsed = FlowRunState.safeParse(conv.flowState);
  const state = parsed.success ? parsed.data : null;
  const now = new Date();
  if (payload.kind === 'start') {
    const flow = runtime.versions.get(`${payload.flowId}@${payload.version}`);
    return flow ? startRun(runtime, flow, state, conv.language ?? runtime.defaultLanguage, now) : undefined;
  }
  return state && input ? resumeTurn(runtime, state, input, now) : undefined;
}

/** The flow version whose run waits in the conversation (the one a timer resumes). */
function waitingFlow(runtime: WorkspaceRuntime, conv: ConversationRow): Flow | undefined {
  const state = FlowRunState.safeParse(conv.flowState);
  return state.success ? runtime.versions.get(`${state.data.flowId}@${state.data.flowVersion}`) : undefined;
}

/** A call or timer counts only for the run still waiting with its token; nothing counts while a person owns the chat. */
function stillCurrent(payload: FlowJobPayload, conv: ConversationRow): boolean {
  if (conv.state !== 'bot') {
    return false;
  }
  if (payload.kind === 'start') {
    return true;
  }
  const state = FlowRunState.safeParse(conv.flowState);
  return state.success && state.data.status === 'active' && state.data.waitToken === payload.token;
}

async function loadConversation(ex: Executor, conversationId: string, lock: boolean): Promise<ConversationRow | undefined> {
  const [row] = await query<ConversationRow>(
    ex,
    sql`select c.workspace_id as "workspaceId", c.channel_id as "channelId", c.address, c.state, c.flow_state as "flowState", ct.language
        from conversations c join contacts ct on ct.id = c.contact_id where c.id = ${conversationId}
        ${lock ? sql`for update of c` : sql``}`,
  );
  return row;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid url)';
  }
}
