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
import { enqueueJobs, type Job } from '../../platform/jobs.js';
import type { JobOutcome } from '../../platform/job-runner.js';
import type { Logger } from '../../platform/logger.js';
import type { ChannelService, InboundEvent, ResolvedChannel } from '../channels/index.js';
import { applyStatusEvents, enqueueOutbound, type OutboundInput, toStatusInput } from '../outbound/index.js';
import { type InboundMessageInput, receiveInboundMessages } from './conversation.store.js';
import { appendAudit } from '../audit/index.js';
import { applyTemplateStatus, templateRefreshJob } from '../templates/index.js';
import { applyProviderPreference, consentAuditEntries, doubleOptInExpiryDays, findOpenDoubleOptIns } from '../consent/index.js';
import { consentCommand, conversationsAwaitingCall, doubleOptInAnswer, handoffOf, mayAnswerDoubleOptIn, type RuntimeLoader, toReply, runTurn, type TurnWrite, type WorkspaceRuntime, writeTurns } from '../flows/index.js';
import { reopenConversations } from '../inbox/index.js';

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
    // A message sent while the flow waits for its HTTP call waits too: the call's result is answered first. Events
    // of no conversation (a template's status, an account error) have no ordering key and never wait.
    const ofConversations = claimed.flatMap((j) => {
      const [, channelId, address] = /^in:([^:]+):(.*)$/s.exec(j.orderingKey ?? '') ?? [];
      return channelId && address ? [{ job: j, channelId, address }] : [];
    });
    const waitingIndexes = await conversationsAwaitingCall(database.db, ofConversations.map(({ channelId, address }) => ({ channelId, address })));
    const waiting = new Set(ofConversations.filter((_, i) => waitingIndexes.has(i)).map((c) => c.job));
    const jobs = claimed.filter((j) => {
      if (waiting.has(j)) {
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
      // Only a message that could answer a confirmation request (a request button, a confirm or decline word) makes
      // the ledger look for open double opt-ins of its conversation (GDPR-10).
      const openDoubleOptIns = await findOpenDoubleOptIns(
        tx,
        received.flatMap((r, i) => {
          const e = messages[i]!;
          const runtime = runtimes.get(e.workspaceId)!;
          return r?.messageId && mayAnswerDoubleOptIn(runtime, e.payload.content) ? [{ conversationId: r.conversationId, expiresAfterDays: doubleOptInExpiryDays(runtime.settings) }] : [];
        }),
      );
      const replies: OutboundInput[] = [];
      const turns: TurnWrite[] = [];
      // Resolved conversations whose contact writes again are the bot's again (ARCHITECTURE §6), before the turn.
      const reopen: string[] = [];
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
        // An answer to an open double opt-in is recorded and confirmed once, whoever owns the conversation; no flow runs.
        const confirmation = doubleOptInAnswer(runtime, e.payload.content, openDoubleOptIns.get(r.conversationId) ?? [], r.contactLanguage ?? runtime.defaultLanguage);
        if (confirmation) {
          confirmation.outputs.forEach(reply);
          turns.push({ ...owner, flowState: r.flowState, doubleOptIn: { ...confirmation.answer, providerMessageId: e.payload.providerMessageId } });
          return;
        }
        const botOwns = r.state === 'bot' || r.state === 'resolved';
        if (r.state === 'resolved') {
          reopen.push(r.conversationId);
        }
        if (!botOwns || runtime.flows.size === 0) {
          // No flow answers here (a person owns the conversation — queued or with an agent —, or the workspace has
          // none): STOP and START still change consent at once and are confirmed (GDPR-13); anything else gets the
          // silence or the auto-reply.
          const command = consentCommand(runtime, e.payload.content, r.contactLanguage ?? runtime.defaultLanguage);
          if (command?.consent) {
            command.outputs.forEach(reply);
            turns.push({ ...owner, flowState: r.flowState, consent: { ...command.consent, evidence } });
            return;
          }
          const autoReply = channelOf(e).settings.autoReply;
          if (botOwns && typeof autoReply === 'string' && autoReply && ANSWERABLE.has(e.payload.content.type)) {
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
        const handoff = handoffOf(turn);
        turns.push({
          ...owner,
          effects: turn.effects,
          ...(turn.consent ? { consent: { ...turn.consent, evidence } } : {}),
          ...(turn.consentRecords ? { consentRecords: { records: turn.consentRecords, evidence } } : {}),
          lastMenu: turn.lastMenu,
          flowState: turn.state,
          ...(handoff ? { handoff } : {}),
          ...(turn.language ? { contactLanguage: turn.language } : {}),
          ...(turn.unanswered ? { unanswered: turn.unanswered } : {}),
          ...(turn.followUp ? { followUp: turn.followUp } : {}),
        });
      });
      // Order of the history: the message, the reopening, the bot's replies, then a hand-off's event (writeTurns).
      const reopened = await reopenConversations(tx, reopen);
      await enqueueOutbound(tx, replies, { completeJobIds: jobs.map((j) => j.id) });
      enqueued = replies.length;
      await writeTurns(tx, turns, reopened);
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
          case 'template_status': {
            // A paused, disabled or rejected template stops being sendable before the next send (validated at dispatch).
            const changed = await applyTemplateStatus(tx, { workspaceId: e.workspaceId, channelId: e.channelId, templateId: event.templateId, name: event.name, language: event.language, event: event.event, reason: event.reason });
            await appendAudit(tx, changed.map((t) => ({
              workspaceId: e.workspaceId,
              actor: { kind: 'system', id: 'provider' },
              action: 'template.status_changed',
              // The same object id as the sync's entries (channel/name/language), so one template's history reads as one.
              object: { type: 'whatsapp_template', id: `${t.channelSlug}/${t.name}/${t.language}` },
              before: { status: t.before },
              after: { status: t.after, event: event.event, reason: event.reason },
            })));
            // Webhooks may be late or out of order: a refresh then reads what the provider holds now.
            if (event.templateId) {
              await enqueueJobs(tx, [templateRefreshJob({ workspaceId: e.workspaceId, channelId: e.channelId, templateId: event.templateId, eventId: event.providerEventId })]);
            }
            break;
          }
          case 'other':
            // Stored in inbound_events (account and quality updates …); nothing acts on them yet.
            break;
          default: {
            const never: never = event;
            throw new Error(`unknown event ${JSON.stringify(never)}`);
          }
        }
      }
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
