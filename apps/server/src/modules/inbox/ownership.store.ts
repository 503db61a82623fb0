/**
 * All SQL that moves a conversation between owners. Each transition is ONE conditional UPDATE (`… where state =
 * any($from)`, ARCHITECTURE §6) in the caller's transaction, together with the system event the history shows; the
 * caller appends the returned audit entries in the same transaction. Hand-offs from the bot are set-based (a batch of
 * inbound turns) and may auto-assign by least load under a per-workspace lock, so two hand-offs never pick from
 * stale counts.
 */
import { type ConversationState, type QueueDefinition, storedSettings } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import type { AuditActor, AuditEntryInput } from '../audit/index.js';
import { type Executor, query, toPgArray } from '../../platform/db.js';
import { type OwnershipAction, TRANSITIONS } from './ownership.js';

/** Who owns a conversation, as stored. */
export interface OwnershipRow {
  id: string;
  workspaceId: string;
  channelId: string;
  state: ConversationState;
  queue: string | null;
  assigneeId: string | null;
}

/** Why the bot handed over: a global command, a flow's hand-off node, or the contact's tap after a question it could not answer. */
export type HandoffReason = 'command' | 'flow' | 'escalated';

export interface TransitionInput {
  workspaceId: string;
  conversationId: string;
  action: OwnershipAction;
  /** Only while it is still with this agent (null: with nobody) — the owner the decision was made for. */
  expectAssignee?: string | null;
  /** The queue afterwards; undefined keeps it. */
  queue?: string | null;
  /** The agent afterwards; undefined keeps it. */
  assigneeId?: string | null;
}

const COLUMNS = sql`c.id, c.workspace_id as "workspaceId", c.channel_id as "channelId", c.state, c.queue, c.assigned_user_id as "assigneeId"`;

/**
 * Applies one transition if the conversation is still in a state it starts from (and with `expectAssignee`);
 * returns the ownership before and after, or undefined when the UPDATE matched nothing (someone was first).
 */
export async function transitionConversation(ex: Executor, input: TransitionInput): Promise<{ before: OwnershipRow; after: OwnershipRow } | undefined> {
  const t = TRANSITIONS[input.action];
  const assigneeGuard = input.expectAssignee === undefined ? sql`` : sql`and assigned_user_id is not distinct from ${input.expectAssignee}::uuid`;
  const rows = await query<OwnershipRow & { fromState: ConversationState; fromQueue: string | null; fromAssignee: string | null }>(
    ex,
    sql`with old as (
          select id, state, queue, assigned_user_id from conversations
          where id = ${input.conversationId} and workspace_id = ${input.workspaceId} and state = any(${toPgArray([...t.from])}::text[]) ${assigneeGuard}
          for update)
        update conversations c set
          state = ${t.to},
          queue = ${input.queue === undefined ? sql`c.queue` : sql`${input.queue}::text`},
          assigned_user_id = ${input.assigneeId === undefined ? sql`c.assigned_user_id` : sql`${input.assigneeId}::uuid`},
          ${timestamps(t.to)}
        from old where c.id = old.id and c.state = old.state
        returning ${COLUMNS}, old.state as "fromState", old.queue as "fromQueue", old.assigned_user_id as "fromAssignee"`,
  );
  const row = rows[0];
  if (!row) {
    return undefined;
  }
  const { fromState, fromQueue, fromAssignee, ...after } = row;
  return { before: { ...after, state: fromState, queue: fromQueue, assigneeId: fromAssignee }, after };
}

/** What the times say after entering `to`: when it was queued, assigned, resolved (and nothing stale). */
function timestamps(to: ConversationState) {
  switch (to) {
    case 'queued':
      return sql`queued_at = now(), assigned_at = null, resolved_at = null`;
    case 'agent':
      return sql`assigned_at = now(), resolved_at = null`;
    case 'resolved':
      return sql`resolved_at = now()`;
    case 'bot':
      return sql`queued_at = null, assigned_at = null, resolved_at = null`;
    default: {
      const never: never = to;
      throw new Error(`unknown state ${String(never)}`);
    }
  }
}

/** A transition as the history shows it and the audit trail records it. */
export interface OwnershipChange {
  before: OwnershipRow;
  after: OwnershipRow;
  event: string;
  actor: AuditActor;
  reason?: string;
  correlationId?: string;
  source?: AuditEntryInput['source'];
}

/**
 * Stores each change as a system event in its conversation's history (direction `event`, type `system`; staff by id
 * only) and returns the audit entries for the caller to append in the same transaction (AUD-06).
 */
export async function recordOwnershipChanges(ex: Executor, changes: OwnershipChange[]): Promise<AuditEntryInput[]> {
  if (changes.length === 0) {
    return [];
  }
  const content = (c: OwnershipChange) =>
    JSON.stringify({
      type: 'system',
      event: c.event,
      state: c.after.state,
      queue: c.after.queue,
      assigneeId: c.after.assigneeId,
      previous: { state: c.before.state, queue: c.before.queue, assigneeId: c.before.assigneeId },
      by: { kind: c.actor.kind, ...(c.actor.kind === 'user' && c.actor.id ? { id: c.actor.id } : {}) },
      ...(c.reason ? { reason: c.reason } : {}),
    });
  await ex.execute(
    sql`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, status)
        select ws, conv, ch, 'event', 'system', content::jsonb, 'recorded'
        from unnest(${toPgArray(changes.map((c) => c.after.workspaceId))}::uuid[], ${toPgArray(changes.map((c) => c.after.id))}::uuid[],
                    ${toPgArray(changes.map((c) => c.after.channelId))}::uuid[], ${toPgArray(changes.map(content))}::text[]) with ordinality as x(ws, conv, ch, content, ord)
        order by ord`,
  );
  const view = (o: OwnershipRow) => ({ state: o.state, queue: o.queue, assigneeId: o.assigneeId });
  return changes.map((c) => ({
    workspaceId: c.after.workspaceId,
    actor: c.actor,
    action: c.event,
    object: { type: 'conversation', id: c.after.id },
    before: view(c.before),
    after: view(c.after),
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.source ? { source: c.source } : {}),
    ...(c.correlationId ? { correlationId: c.correlationId } : {}),
  }));
}

export interface HandoffInput {
  workspaceId: string;
  conversationId: string;
  queue: string;
  reason: HandoffReason;
}

/**
 * Moves bot conversations into their queues (bot → queued, one statement for the batch; one that is not with the
 * bot any more is left alone), records the events, and auto-assigns where the queue asks for it. Returns the audit
 * entries to append.
 */
export async function handOffConversations(ex: Executor, handoffs: HandoffInput[]): Promise<AuditEntryInput[]> {
  if (handoffs.length === 0) {
    return [];
  }
  const rows = await query<OwnershipRow & { reason: HandoffReason }>(
    ex,
    sql`update conversations c set state = 'queued', queue = x.queue, assigned_user_id = null, ${timestamps('queued')}
        from unnest(${toPgArray(handoffs.map((h) => h.conversationId))}::uuid[], ${toPgArray(handoffs.map((h) => h.queue))}::text[],
                    ${toPgArray(handoffs.map((h) => h.reason))}::text[]) as x(id, queue, reason)
        where c.id = x.id and c.state = 'bot'
        returning ${COLUMNS}, x.reason`,
  );
  const changes: OwnershipChange[] = rows.map(({ reason, ...after }) => ({
    before: { ...after, state: 'bot', queue: null, assigneeId: null },
    after,
    event: TRANSITIONS.handoff.event,
    // The contact asked (a command, a tap); a flow's node is the workspace's design.
    actor: reason === 'flow' ? { kind: 'system', id: 'flow' } : { kind: 'contact' },
    reason,
  }));
  const entries = await recordOwnershipChanges(ex, changes);
  return [...entries, ...(await autoAssign(ex, changes.map((c) => c.after)))];
}

/**
 * Gives each queued conversation whose queue has `autoAssign` to the queue's member with the fewest open (`agent`)
 * conversations — enabled accounts with the agent or admin role; ties go to whoever was assigned least recently.
 * Serialised per workspace (a transaction-scoped advisory lock), so concurrent hand-offs see each other's counts.
 */
export async function autoAssign(ex: Executor, queued: OwnershipRow[]): Promise<AuditEntryInput[]> {
  const byWorkspace = new Map<string, OwnershipRow[]>();
  for (const c of queued) {
    byWorkspace.set(c.workspaceId, [...(byWorkspace.get(c.workspaceId) ?? []), c]);
  }
  const entries: AuditEntryInput[] = [];
  for (const [workspaceId, conversations] of byWorkspace) {
    const auto = new Set((await listQueueDefinitions(ex, workspaceId)).filter((q) => q.autoAssign).map((q) => q.id));
    const candidates = conversations.filter((c) => c.queue !== null && auto.has(c.queue));
    if (candidates.length === 0) {
      continue;
    }
    await ex.execute(sql`select pg_advisory_xact_lock(hashtext('parley.inbox.assign'), hashtext(${workspaceId}))`);
    const changes: OwnershipChange[] = [];
    for (const c of candidates) {
      const [pick] = await query<{ userId: string }>(
        ex,
        sql`select m.user_id as "userId" from queue_members m join users u on u.id = m.user_id
            where m.workspace_id = ${workspaceId} and m.queue = ${c.queue} and u.disabled_at is null and u.roles && array['agent', 'admin']::text[]
            order by (select count(*) from conversations o where o.workspace_id = ${workspaceId} and o.assigned_user_id = m.user_id and o.state = 'agent'),
                     (select max(o.assigned_at) from conversations o where o.workspace_id = ${workspaceId} and o.assigned_user_id = m.user_id) nulls first,
                     m.user_id
            limit 1`,
      );
      if (!pick) {
        continue; // nobody to give it to: it waits in the queue
      }
      const moved = await transitionConversation(ex, { workspaceId, conversationId: c.id, action: 'assign', expectAssignee: null, assigneeId: pick.userId });
      if (moved) {
        changes.push({ ...moved, event: TRANSITIONS.assign.event, actor: { kind: 'system', id: 'auto-assign' }, reason: 'least_load' });
      }
    }
    entries.push(...(await recordOwnershipChanges(ex, changes)));
  }
  return entries;
}

/**
 * Gives resolved conversations whose contact wrote again back to the bot (resolved → bot). Returns the audit
 * entries to append.
 */
export async function reopenConversations(ex: Executor, conversationIds: string[]): Promise<AuditEntryInput[]> {
  if (conversationIds.length === 0) {
    return [];
  }
  const rows = await query<OwnershipRow & { fromQueue: string | null; fromAssignee: string | null }>(
    ex,
    sql`with old as (select id, queue, assigned_user_id from conversations where id = any(${toPgArray(conversationIds)}::uuid[]) and state = 'resolved' for update)
        update conversations c set state = 'bot', queue = null, assigned_user_id = null, ${timestamps('bot')}
        from old where c.id = old.id and c.state = 'resolved'
        returning ${COLUMNS}, old.queue as "fromQueue", old.assigned_user_id as "fromAssignee"`,
  );
  return recordOwnershipChanges(
    ex,
    rows.map(({ fromQueue, fromAssignee, ...after }) => ({
      before: { ...after, state: 'resolved', queue: fromQueue, assigneeId: fromAssignee },
      after,
      event: TRANSITIONS.reopen.event,
      actor: { kind: 'contact' },
      reason: 'contact_wrote',
    })),
  );
}

/** The queues a workspace defines (workspace.yaml); none when it defines none. */
export async function listQueueDefinitions(ex: Executor, workspaceId: string): Promise<QueueDefinition[]> {
  const [row] = await query<{ settings: unknown }>(ex, sql`select settings from workspaces where id = ${workspaceId}`);
  return storedSettings(row?.settings).queues ?? [];
}

/** A conversation's owner now, with the agent's name (for a refusal that says who has it). */
export async function findOwnership(ex: Executor, workspaceId: string, conversationId: string): Promise<(OwnershipRow & { assigneeName: string | null }) | undefined> {
  const [row] = await query<OwnershipRow & { assigneeName: string | null }>(
    ex,
    sql`select ${COLUMNS}, u.name as "assigneeName" from conversations c left join users u on u.id = c.assigned_user_id
        where c.id = ${conversationId} and c.workspace_id = ${workspaceId}`,
  );
  return row;
}
