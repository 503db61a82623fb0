/**
 * Processes stored inbound events (ARCHITECTURE §3 step 3). A batch holds events of different conversations
 * (only the oldest unfinished job of a conversation is ever claimed), so one transaction can apply them all:
 * receive every message set-based, queue every reply and complete every job — a crash repeats nothing and
 * loses nothing, and a conversation's events still apply strictly in order.
 */
import { FlowRunState, type InboundContent, type OutboundContent, promotionalPurposes } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db.js';
import { query, toPgArray } from '../../platform/db.js';
import { type Job } from '../../platform/jobs.js';
import type { JobOutcome } from '../../platform/job-runner.js';
import type { Logger } from '../../platform/logger.js';
import type { ChannelService, InboundEvent, ResolvedChannel } from '../channels/index.js';
import { applyStatusEvents, enqueueOutbound, type OutboundInput, toStatusInput } from '../outbound/index.js';
import { type InboundMessageInput, receiveInboundMessages } from './conversation.store.js';
import { appendAudit } from '../audit/index.js';
import { applyProviderPreference, consentAuditEntries } from '../consent/index.js';
import { consentCommand, conversationsAwaitingCall, type RuntimeLoader, toReply, runTurn, type TurnWrite, type WorkspaceRuntime, writeTurns } from '../flows/index.js';

export interface InboundDeps {
  database: Database;
  channels: ChannelService;
  runtimes: RuntimeLoader;
  logger: Logger;
  /** Called after a transaction enqueued outbound work (wakes local dispatchers). */
  onEnqueued: () => void;
}

/** Content the bot answers; reactions, system notices and the like get no reply (no loops). */
const ANSWERABLE = new Set<InboundContent['type']>(['text', 'interactive_reply', 'media', 'location', 'contacts', 'order', 'unsupported', 'unknown']);

interface StoredEvent {
  id: number;
  channelId: string;
  workspaceId: string;
  payload: InboundEvent;
}

/** How long a message waits before it is tried again while its conversation waits for a flow's HTTP call. */
const CALL_WAIT_RETRY_MS = 100;

export function createInboundBatchProcessor(deps: InboundDeps): (jobs: Job[]) => Promise<Map<number, JobOutcome>> {
  const { database, channels, logger } = deps;

  return async function processInbound(claimed: Job[]): Promise<Map<number, JobOutcome>> {
    const outcomes = new Map<number, JobOutcome>();
    // A message sent while the flow waits for its HTTP call waits too: the call's result is answered first.
    const waiting = await conversationsAwaitingCall(
      database.db,
      claimed.map((j) => {
        const [, channelId = '', address = ''] = /^in:([^:]+):(.*)$/s.exec(j.orderingKey ?? '') ?? [];
        return { channelId, address };
      }),
    );
    const jobs = claimed.filter((j, i) => {
      if (waiting.has(i)) {
        outcomes.set(j.id, { kind: 'defer', runAt: new Date(Date.now() + CALL_WAIT_RETRY_MS) });
        return false;
      }
      outcomes.set(j.id, { kind: 'done', completedInTx: true });
      return true;
    });
    if (jobs.length === 0) {
      return outcomes;
    }
    const eventIds = jobs.map((j) => Number(j.payload.eventId));
    const stored = await query<StoredEvent>(
      database.db,
      sql`select id, channel_id as "channelId", workspace_id as "workspaceId", payload from inbound_events where id = any(${toPgArray(eventIds)}::bigint[])`,
    );
    const byId = new Map(stored.map((e) => [Number(e.id), e]));
    const events = eventIds.map((id) => byId.get(id)).filter((e): e is StoredEvent => e !== undefined);
    // Resolve before the transaction: on PGlite a query outside an open transaction waits for it to end.
    const resolved = new Map<string, ResolvedChannel>();
    for (const channelId of new Set(events.map((e) => e.channelId))) {
      resolved.set(channelId, await channels.getById(channelId));
    }
    const channelOf = (e: StoredEvent) => resolved.get(e.channelId)!;
    const runtimes = new Map<string, WorkspaceRuntime>();
    for (const workspaceId of new Set(events.map((e) => e.workspaceId))) {
      runtimes.set(workspaceId, await deps.runtimes.get(workspaceId));
    }
    const now = new Date();

    let enqueued = 0;
    await database.db.transaction(async (tx) => {
      const messages = events.filter((e): e is StoredEvent & { payload: Extract<InboundEvent, { kind: 'message' }> } => e.payload.kind === 'message');
      const received = await receiveInboundMessages(tx, messages.map((e) => toMessageInput(e, channelOf(e))));
      const replies: OutboundInput[] = [];
      const turns: TurnWrite[] = [];
      received.forEach((r, i) => {
        const e = messages[i]!;
        if (!r) {
          throw new Error('a contact identity was created concurrently; retrying');
        }
        if (!r.messageId) {
          return; // a redelivery
        }
        const runtime = runtimes.get(e.workspaceId)!;
        const reply = (content: OutboundContent) => replies.push(toReply({ workspaceId: e.workspaceId, conversationId: r.conversationId, channelId: e.channelId }, content));
        const evidence = { providerMessageId: e.payload.providerMessageId, method: e.payload.content.type };
        const owner = { workspaceId: e.workspaceId, conversationId: r.conversationId, channelId: e.channelId, address: e.payload.address, effects: [] };
        if (r.state !== 'bot' || runtime.flows.size === 0) {
          // No flow answers here (a person owns the conversation, or the workspace has none): STOP and START still
          // change consent at once and are confirmed (GDPR-13); anything else gets the silence or the auto-reply.
          const command = consentCommand(runtime, e.payload.content, r.contactLanguage ?? runtime.defaultLanguage);
          if (command?.consent) {
            command.outputs.forEach(reply);
            turns.push({ ...owner, flowState: r.flowState, handoff: false, consent: { ...command.consent, evidence } });
            return;
          }
          const autoReply = channelOf(e).settings.autoReply;
          if (r.state === 'bot' && typeof autoReply === 'string' && autoReply && ANSWERABLE.has(e.payload.content.type)) {
            reply({ type: 'text', text: autoReply });
          }
          return;
        }
        const parsedState = FlowRunState.safeParse(r.flowState);
        const turn = runTurn({
          runtime,
          state: parsedState.success ? parsedState.data : null,
          isNewConversation: r.isNew,
          content: e.payload.content,
          language: r.contactLanguage ?? runtime.defaultLanguage,
          now,
          lastMenu: r.lastMenu,
        });
        turn.outputs.forEach(reply);
        turns.push({
          ...owner,
          effects: turn.effects,
          ...(turn.consent ? { consent: { ...turn.consent, evidence } } : {}),
          ...(turn.consentRecords ? { consentRecords: { records: turn.consentRecords, evidence } } : {}),
          lastMenu: turn.lastMenu,
          flowState: turn.state,
          handoff: turn.handoff !== undefined,
          ...(turn.language ? { contactLanguage: turn.language } : {}),
          ...(turn.unanswered ? { unanswered: turn.unanswered } : {}),
        });
      });
      await writeTurns(tx, turns);
      for (const e of events) {
        const event = e.payload;
        switch (event.kind) {
          case 'message':
            break;
          case 'status':
            // Statuses normally go to the status queue in batches; one stored before that split still applies here.
            await applyStatusEvents(tx, toStatusInput(e.workspaceId, e.channelId, event));
            break;
          case 'error':
            logger.warn({ channel: channelOf(e).row.slug, errors: event.errors }, 'provider reported an error for the channel');
            break;
          case 'preference': {
            // WA-04: "stop marketing messages" withdraws every promotional purpose on this channel before the next send.
            const runtime = runtimes.get(e.workspaceId)!;
            const promotional = promotionalPurposes(runtime.settings);
            if (event.category === 'marketing_messages' && promotional.length > 0) {
              const written = await applyProviderPreference(tx, { workspaceId: e.workspaceId, channelId: e.channelId, address: event.address, value: event.value, purposes: promotional, evidence: { providerEventId: event.providerEventId, category: event.category, value: event.value } });
              await appendAudit(tx, consentAuditEntries(written));
            }
            break;
          }
          case 'other':
            // Stored in inbound_events; template status handling arrives with the template registry.
            break;
          default: {
            const never: never = event;
            throw new Error(`unknown event ${JSON.stringify(never)}`);
          }
        }
      }
      await enqueueOutbound(tx, replies, { completeJobIds: jobs.map((j) => j.id) });
      enqueued = replies.length;
    });
    if (enqueued > 0) {
      deps.onEnqueued();
    }
    return outcomes;
  };
}

/** The same processing for one job (the fallback when a batch fails, so a bad event fails alone). */
export function createInboundProcessor(deps: InboundDeps): (job: Job) => Promise<JobOutcome> {
  const batch = createInboundBatchProcessor(deps);
  return async (job) => (await batch([job])).get(job.id) ?? { kind: 'done', completedInTx: true };
}

function toMessageInput(e: StoredEvent & { payload: Extract<InboundEvent, { kind: 'message' }> }, channel: ResolvedChannel): InboundMessageInput {
  const m = e.payload;
  return {
    workspaceId: e.workspaceId,
    channelId: e.channelId,
    kind: channel.row.kind,
    address: m.address,
    providerMessageId: m.providerMessageId,
    content: m.content,
    providerTimestamp: new Date(m.timestamp),
    ...(m.profileName ? { profileName: m.profileName } : {}),
    ...(m.replyToProviderId ? { replyToProviderId: m.replyToProviderId } : {}),
  };
}
