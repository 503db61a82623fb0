/**
 * The inbox's use cases (issue #5 items 2–3): list and open conversations, and move them between owners — take,
 * assign, transfer, resolve, return to the bot — each ONE conditional UPDATE with its system event and audit entry in
 * one transaction. A refusal says why: who has the conversation (`conversation.taken`), that only its agent or an
 * admin may do this (`conversation.not_owner`), that the target person cannot take conversations (`user.unavailable`).
 * Nothing here sends a message: agents' replies go through the outbound pipeline and its send gate.
 */
import type { ConversationDetail, ConversationSummary, ConversationHistoryQuery, ListConversationsQuery, QueueDefinition, TransferBody } from '@parley/contracts';
import { type AuditContext, appendAudit } from '../audit/index.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { seesRestricted } from './inbox.policy.js';
import { findTemplate, renderTemplateText, type TemplateContent } from '../templates/index.js';
import { findVisibility, listConversationRows, listHistoryRows, listStatusRows, listUserNames, markRead, type MessageRow } from './inbox.store.js';
import { decodeCursor, encodeCursor } from './inbox.schemas.js';
import { toSummary } from './inbox.view.js';
import { decideTransition, type Ownership, type OwnershipAction, type OwnershipActor, TRANSITIONS } from './ownership.js';
import { autoAssign, findOwnership, listQueueDefinitions, recordOwnershipChanges, transitionConversation } from './ownership.store.js';
import { findUserForAssignment } from './queues.store.js';

export interface InboxServiceDeps {
  db: Db;
  /** The clock for waiting times (tests fix it). */
  now?: () => Date;
}

/** Who acts: the audit context, and the signed-in user (undefined for the admin token, which acts as admin). */
export interface InboxActor {
  audit: AuditContext;
  userId: string | undefined;
  admin: boolean;
}

export interface InboxService {
  listConversations(workspaceId: string, q: ListConversationsQuery, actor: InboxActor): Promise<{ conversations: ConversationSummary[]; nextCursor: string | null }>;
  /** Throws `conversation.not_found` (also for a restricted contact the actor may not see, GDPR-20). */
  getConversation(workspaceId: string, id: string, opts: ConversationHistoryQuery, actor: InboxActor): Promise<ConversationDetail>;
  take(workspaceId: string, id: string, actor: InboxActor): Promise<ConversationSummary>;
  assign(workspaceId: string, id: string, userId: string, actor: InboxActor): Promise<ConversationSummary>;
  transfer(workspaceId: string, id: string, to: TransferBody, actor: InboxActor): Promise<ConversationSummary>;
  resolve(workspaceId: string, id: string, actor: InboxActor): Promise<ConversationSummary>;
  returnToBot(workspaceId: string, id: string, actor: InboxActor): Promise<ConversationSummary>;
  /** Marks the conversation read up to `seq` (default: all); returns the read position. */
  markRead(workspaceId: string, id: string, seq: number | undefined, actor: InboxActor): Promise<{ readSeq: number }>;
}

/** @example const inbox = createInboxService({ db }); await inbox.take(workspaceId, conversationId, actor); */
export function createInboxService(deps: InboxServiceDeps): InboxService {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const queueMap = async (ex: Executor, workspaceId: string) => new Map((await listQueueDefinitions(ex, workspaceId)).map((q): [string, QueueDefinition] => [q.id, q]));

  async function summaryOf(workspaceId: string, id: string, actor: InboxActor): Promise<ConversationSummary> {
    const [row] = await listConversationRows(db, { workspaceId, view: 'all', userId: undefined, sort: 'recent', limit: 1, ids: [id], hideRestricted: !seesRestricted(actor) });
    if (!row) {
      throw notFound(id);
    }
    return toSummary(row, await queueMap(db, workspaceId), now());
  }

  /** Runs one transition: decide, check the target, the conditional UPDATE, event + audit — or explain the refusal. */
  async function move(workspaceId: string, id: string, action: OwnershipAction, actor: InboxActor, target: { userId?: string; queue?: string }, set: { queue?: string | null; assigneeId?: string | null }) {
    await db.transaction(async (tx) => {
      const who = ownershipActor(actor);
      const current = await findOwnership(tx, workspaceId, id);
      if (!current) {
        throw notFound(id);
      }
      await assertVisible(tx, workspaceId, id, actor);
      const decision = decideTransition(action, current, who, target);
      if (!decision.ok) {
        throw refusal(decision.code, current, action);
      }
      if ('unchanged' in decision) {
        return;
      }
      if (target.userId !== undefined) {
        await assertCanTake(tx, target.userId);
      }
      if (target.queue !== undefined) {
        await assertQueue(tx, workspaceId, target.queue);
      }
      // Take and assign start from states without an owner; the others act for the owner the decision saw.
      const guard = action === 'take' || action === 'assign' ? {} : { expectAssignee: current.assigneeId };
      const moved = await transitionConversation(tx, { workspaceId, conversationId: id, action, ...guard, ...set });
      if (!moved) {
        // Someone was first: say who has it now.
        const fresh = (await findOwnership(tx, workspaceId, id)) ?? current;
        const again = decideTransition(action, fresh, who, target);
        throw refusal(again.ok ? 'conversation.taken' : again.code, fresh, action);
      }
      const entries = await recordOwnershipChanges(tx, [{ ...moved, event: TRANSITIONS[action].event, actor: actor.audit.actor, source: actor.audit.source, correlationId: actor.audit.correlationId }]);
      if (moved.after.state === 'queued') {
        entries.push(...(await autoAssign(tx, [moved.after])));
      }
      await appendAudit(tx, entries);
    });
    return summaryOf(workspaceId, id, actor);
  }

  return {
    async listConversations(workspaceId, q, actor) {
      const rows = await listConversationRows(db, {
        workspaceId,
        view: q.view,
        userId: actor.userId,
        sort: q.sort,
        limit: q.limit,
        hideRestricted: !seesRestricted(actor),
        ...(q.queue !== undefined ? { queue: q.queue } : {}),
        ...(q.channel !== undefined ? { channel: q.channel } : {}),
        ...(q.q !== undefined ? { q: q.q } : {}),
        ...(q.cursor !== undefined ? { after: decodeCursor(q.cursor) } : {}),
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const queues = await queueMap(db, workspaceId);
      const at = now();
      return {
        conversations: page.map((r) => toSummary(r, queues, at)),
        nextCursor: rows.length > q.limit && last ? encodeCursor({ key: last.sortKey, id: last.id }) : null,
      };
    },

    async getConversation(workspaceId, id, opts, actor) {
      const conversation = await summaryOf(workspaceId, id, actor);
      const rows = await listHistoryRows(db, workspaceId, id, opts);
      const page = rows.slice(0, opts.limit).reverse();
      const statuses = await listStatusRows(db, workspaceId, page.filter((m) => m.direction === 'out').map((m) => m.id));
      const byMessage = new Map<string, ConversationDetail['messages'][number]['statuses']>();
      for (const s of statuses) {
        byMessage.set(s.messageId, [...(byMessage.get(s.messageId) ?? []), { status: s.status, at: s.at, errorCode: s.errorCode, errorReason: s.errorReason }]);
      }
      const mentioned = new Set<string>(conversation.assignee ? [conversation.assignee.id] : []);
      // Agents' replies name their author.
      for (const m of page) {
        if (m.author?.userId) {
          mentioned.add(m.author.userId);
        }
      }
      // System events name staff by id, and so do notes (their author).
      for (const m of page.filter((r) => r.direction === 'event' || r.direction === 'note')) {
        const c = m.content as { assigneeId?: unknown; previous?: { assigneeId?: unknown }; by?: { id?: unknown } };
        for (const value of [c.assigneeId, c.previous?.assigneeId, c.by?.id]) {
          if (typeof value === 'string') {
            mentioned.add(value);
          }
        }
      }
      const templateTexts = await renderTemplates(db, conversation.channel.id, page);
      return {
        conversation,
        messages: page.map((m) => ({ ...m, templateText: templateTexts.get(m.id) ?? null, statuses: byMessage.get(m.id) ?? [] })),
        hasMore: rows.length > opts.limit,
        people: await listUserNames(db, [...mentioned]),
      };
    },

    take(workspaceId, id, actor) {
      if (!actor.userId) {
        throw new AppError('conversation.take_needs_user', 'Only a signed-in person can take a conversation; with the admin token, assign it to someone.');
      }
      return move(workspaceId, id, 'take', actor, { userId: actor.userId }, { assigneeId: actor.userId });
    },

    assign(workspaceId, id, userId, actor) {
      return move(workspaceId, id, 'assign', actor, { userId }, { assigneeId: userId });
    },

    transfer(workspaceId, id, to, actor) {
      return 'userId' in to
        ? move(workspaceId, id, 'transfer_to_agent', actor, { userId: to.userId }, { assigneeId: to.userId })
        : move(workspaceId, id, 'transfer_to_queue', actor, { queue: to.queue }, { queue: to.queue, assigneeId: null });
    },

    resolve(workspaceId, id, actor) {
      return move(workspaceId, id, 'resolve', actor, {}, {});
    },

    returnToBot(workspaceId, id, actor) {
      return move(workspaceId, id, 'return_to_bot', actor, {}, { queue: null, assigneeId: null });
    },

    async markRead(workspaceId, id, seq, actor) {
      await assertVisible(db, workspaceId, id, actor);
      const readSeq = await markRead(db, workspaceId, id, seq);
      if (readSeq === undefined) {
        throw notFound(id);
      }
      return { readSeq };
    },
  };
}

/**
 * Throws `conversation.not_found` when there is no such conversation, or its contact is restricted and the actor
 * may not see it (GDPR-20) — the same answer, so an agent cannot tell the two apart.
 */
export async function assertVisible(ex: Executor, workspaceId: string, id: string, actor: { admin: boolean }): Promise<void> {
  const visibility = await findVisibility(ex, workspaceId, id);
  if (!visibility || (visibility.restricted && !seesRestricted(actor))) {
    throw notFound(id);
  }
}

/**
 * Template messages of a history page as the contact read them: each distinct template looked up once in the
 * channel's registry. A template the registry no longer holds keeps its name and values only (the view shows those).
 */
async function renderTemplates(ex: Executor, channelId: string, page: MessageRow[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const entries = new Map<string, Awaited<ReturnType<typeof findTemplate>>>();
  for (const m of page) {
    const content = m.content as Partial<TemplateContent>;
    if (m.type !== 'template' || typeof content.name !== 'string' || typeof content.language !== 'string') {
      continue;
    }
    const key = `${content.name}\u0000${content.language}`;
    if (!entries.has(key)) {
      entries.set(key, await findTemplate(ex, channelId, content.name, content.language));
    }
    const entry = entries.get(key);
    if (entry) {
      texts.set(m.id, renderTemplateText(entry, content as TemplateContent));
    }
  }
  return texts;
}

function ownershipActor(actor: InboxActor): OwnershipActor {
  return actor.userId ? { kind: 'user', userId: actor.userId, admin: actor.admin } : { kind: 'system' };
}

function notFound(id: string): AppError {
  return new AppError('conversation.not_found', `There is no conversation ${id}.`);
}

const STATE_WORDS: Record<Ownership['state'], string> = { bot: 'with the bot', queued: 'waiting in a queue', agent: 'with an agent', resolved: 'resolved' };
const ACTION_WORDS: Record<OwnershipAction, string> = {
  handoff: 'handed over',
  take: 'taken',
  assign: 'assigned',
  transfer_to_agent: 'transferred',
  transfer_to_queue: 'transferred',
  resolve: 'resolved',
  return_to_bot: 'returned to the bot',
  reopen: 'reopened',
};

function refusal(code: 'conversation.taken' | 'conversation.not_owner' | 'conversation.wrong_state', current: Ownership & { assigneeName?: string | null }, action: OwnershipAction): AppError {
  const owner = current.assigneeId ? { id: current.assigneeId, name: current.assigneeName ?? 'another agent' } : null;
  const state = { state: current.state, queue: current.queue, assignee: owner };
  switch (code) {
    case 'conversation.taken':
      return new AppError(code, `${owner?.name ?? 'Another agent'} has already taken this conversation.`, state);
    case 'conversation.not_owner':
      return new AppError(code, `This conversation is with ${owner?.name ?? 'another agent'}: only they or an admin can have it ${ACTION_WORDS[action]}.`, state);
    case 'conversation.wrong_state':
      return new AppError(code, `This conversation is ${STATE_WORDS[current.state]}${current.queue && current.state === 'queued' ? ` (${current.queue})` : ''}: it cannot be ${ACTION_WORDS[action]} now.`, state);
    default: {
      const never: never = code;
      throw new Error(`unknown refusal ${String(never)}`);
    }
  }
}

/** The target of an assignment must be an enabled account with the agent or admin role (locked until commit). */
async function assertCanTake(ex: Executor, userId: string): Promise<void> {
  const user = await findUserForAssignment(ex, userId);
  if (!user) {
    throw new AppError('user.unavailable', `There is no user ${userId}: the conversation stays where it was.`, { userId, reason: 'unknown' });
  }
  if (user.disabled) {
    throw new AppError('user.unavailable', `${user.name} can no longer take conversations (the account is disabled): the conversation stays where it was.`, { userId, reason: 'disabled' });
  }
  if (!user.roles.includes('agent') && !user.roles.includes('admin')) {
    throw new AppError('user.unavailable', `${user.name} does not work in the inbox (needs the agent role): the conversation stays where it was.`, { userId, reason: 'not_an_agent' });
  }
}

/** A queue the workspace defines; a workspace without queues takes any id (hand-offs name queues freely then). */
async function assertQueue(ex: Executor, workspaceId: string, queue: string): Promise<void> {
  const queues = await listQueueDefinitions(ex, workspaceId);
  if (queues.length > 0 && !queues.some((q) => q.id === queue)) {
    throw new AppError('queue.not_found', `There is no queue "${queue}" (workspace.yaml queues: ${queues.map((q) => q.id).join(', ')}).`, { queue });
  }
}
