/**
 * An agent's reply and internal notes (issue #5 items 4 and 6). A reply goes through the ONE outbound pipeline
 * (modules/outbound `queueMessages`, audited `message.queued` with the agent as actor) and meets the same send gate
 * at dispatch as a bot reply or an API send; the request waits briefly for the gate's decision and returns it — a
 * block as the gate's code (`send.window_closed`, `send.restricted`, `send.content_not_approved` …) with the blocked
 * message's id; nothing leaves. What can be refused before anything is stored is refused then: a template whose
 * form does not fit the registry, an item that is not in the approved library now, an unknown canned answer, a
 * purpose agents do not send for. A note is stored in the history and never sent.
 */
import type { AgentMessageBody, AgentSendResult, NoteView } from '@parley/contracts';
import type { Db, Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { appendAudit } from '../audit/index.js';
import { type RuntimeLoader, renderContent, toReply, type WorkspaceRuntime } from '../flows/index.js';
import { type InboxActor, seesRestricted } from '../inbox/index.js';
import { awaitGateDecisions, blockedSendError, type OutboundInput, queueMessages } from '../outbound/index.js';
import { findTemplate } from '../templates/index.js';
import { agentPurposes, sendRefusal } from './composer.policy.js';
import { type ConversationFacts, findConversationFacts, findUserName, insertNote } from './composer.store.js';
import { localized } from './library.js';
import { toTemplateContent } from './template-form.js';

export interface ReplyServiceDeps {
  db: Db;
  runtimes: RuntimeLoader;
  /** Wakes this process's workers after a commit, so the dispatcher decides at once. */
  wake: () => void;
  /** How long a send waits for the gate's decision (default 5 s); undecided → `decided: false` (202). */
  waitMs?: number;
}

export interface ReplyService {
  /** Sends as `actor`; `decided` false when the gate had not decided within the wait. */
  send(workspaceId: string, conversationId: string, body: AgentMessageBody, actor: InboxActor): Promise<{ decided: boolean; result: AgentSendResult }>;
  addNote(workspaceId: string, conversationId: string, text: string, actor: InboxActor): Promise<NoteView>;
}

/** @example const replies = createReplyService({ db, runtimes, wake }); await replies.send(ws, id, { kind: 'text', text: 'Hallo' }, actor); */
export function createReplyService(deps: ReplyServiceDeps): ReplyService {
  const { db } = deps;

  /** The messages a request stands for, checked as far as they can be before anything is stored. */
  async function compose(runtime: WorkspaceRuntime, facts: ConversationFacts, body: AgentMessageBody, purpose: string): Promise<OutboundInput[]> {
    const to = { workspaceId: facts.workspaceId, conversationId: facts.id, channelId: facts.channelId };
    const language = ('language' in body ? body.language : undefined) ?? facts.language ?? runtime.defaultLanguage;
    switch (body.kind) {
      case 'text':
        return [{ ...to, content: { type: 'text', text: body.text }, purpose }];
      case 'canned': {
        const canned = runtime.settings.cannedAnswers?.find((a) => a.id === body.id);
        if (!canned) {
          throw new AppError('canned.not_found', `There is no canned answer "${body.id}" (workspace.yaml cannedAnswers).`, { id: body.id });
        }
        return [{ ...to, content: { type: 'text', text: localized(canned.text, language) }, purpose }];
      }
      case 'item':
        // The bot's library: approved, valid today, for an open audience (MLR-01, HWG-01). Rendered exactly as the
        // bot renders it, each part carrying the item's ref, so the gate checks the item again at dispatch.
        if (!runtime.items.has(body.itemId)) {
          throw new AppError('content.not_available', `"${body.itemId}" is not an approved library item that may be sent now.`, { itemId: body.itemId });
        }
        return renderContent(runtime, { item: body.itemId }, language).map((content) => toReply(to, content, purpose));
      case 'template': {
        const entry = await findTemplate(db, facts.channelId, body.name, body.language);
        const outcome = toTemplateContent(entry, body.name, body.language, body.params);
        if (!outcome.ok) {
          throw new AppError(outcome.code, outcome.message, { errors: outcome.errors });
        }
        return [{ ...to, content: outcome.content, purpose }];
      }
      default: {
        const never: never = body;
        throw new Error(`unknown message kind ${JSON.stringify(never)}`);
      }
    }
  }

  return {
    async send(workspaceId, conversationId, body, actor) {
      const facts = await findVisibleFacts(db, workspaceId, conversationId, actor);
      assertMaySend(facts, actor);
      const runtime = await deps.runtimes.get(workspaceId);
      const purpose = body.purpose ?? 'service';
      const allowed = agentPurposes(runtime.settings).map((p) => p.id);
      if (!allowed.includes(purpose)) {
        throw new AppError('message.purpose_not_allowed', `Agents send for ${allowed.join(', ')}; not for "${purpose}".`, { purpose, allowed });
      }
      const messages = await compose(runtime, facts, body, purpose);
      const ids = await db.transaction(async (tx) => {
        // Again under the row's lock: a transfer that committed since is seen, and none commits before this does.
        assertMaySend(await findVisibleFacts(tx, workspaceId, conversationId, actor, { lock: true }), actor);
        return queueMessages(tx, messages, actor.audit);
      });
      deps.wake();
      const sent = await awaitGateDecisions(db, ids, deps.waitMs ?? 5000);
      const blocked = blockedSendError(sent);
      if (blocked) {
        throw blocked;
      }
      return { decided: sent.every((m) => m.gateReason !== null || m.status === 'failed'), result: { message: sent[0]!, messages: sent } };
    },

    async addNote(workspaceId, conversationId, text, actor) {
      const facts = await findVisibleFacts(db, workspaceId, conversationId, actor);
      const note = await db.transaction(async (tx) => {
        const stored = await insertNote(tx, { workspaceId, conversationId, channelId: facts.channelId, text, authorId: actor.userId ?? null });
        // Ids only, never the note's text (AUD-07).
        await appendAudit(tx, [{ workspaceId, ...actor.audit, action: 'note.added', object: { type: 'message', id: stored.id }, after: { conversation: conversationId } }]);
        return stored;
      });
      const name = actor.userId ? ((await findUserName(db, actor.userId)) ?? null) : null;
      return { id: note.id, seq: note.seq, conversationId, text, by: { id: actor.userId ?? null, name }, createdAt: note.createdAt };
    },
  };
}

/**
 * The conversation, or `conversation.not_found` — also when its contact is restricted and the actor may not see it
 * (GDPR-20), so an agent cannot tell the two apart.
 */
export async function findVisibleFacts(ex: Executor, workspaceId: string, id: string, actor: { admin: boolean }, opts: { lock?: boolean } = {}): Promise<ConversationFacts> {
  const facts = await findConversationFacts(ex, workspaceId, id, opts);
  if (!facts || (facts.restricted && !seesRestricted(actor))) {
    throw new AppError('conversation.not_found', `There is no conversation ${id}.`);
  }
  return facts;
}

function assertMaySend(facts: ConversationFacts, actor: InboxActor): void {
  const refusal = sendRefusal(facts, actor);
  const assignee = facts.assigneeId ? { id: facts.assigneeId, name: facts.assigneeName ?? 'another agent' } : null;
  if (refusal === 'conversation.not_owner') {
    throw new AppError(refusal, `This conversation is with ${assignee?.name ?? 'another agent'}: only they or an admin can reply.`, { state: facts.state, assignee });
  }
  if (refusal === 'conversation.wrong_state') {
    throw new AppError(refusal, `Nobody has taken this conversation (it is ${facts.state === 'bot' ? 'with the bot' : facts.state}): take it before replying.`, { state: facts.state, assignee });
  }
}
