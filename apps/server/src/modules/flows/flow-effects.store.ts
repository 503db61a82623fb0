/**
 * Stores a turn's effects in the turn's own transaction (crash-safe like the rest of the message path): an HTTP
 * call becomes a job keyed by `callOrderingKey` — while it is pending or running, the conversation's next
 * messages wait (see `conversationsAwaitingCall`) — a timer becomes a job due at its time (no key: a wait of
 * days must not hold back the messages meanwhile; the token decides whether it still counts), and a subscription
 * is an upsert per contact and topic.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';
import { type EnqueueInput, enqueueJobs } from '../../platform/jobs.js';
import type { HttpRequestSpec } from '../engine/index.js';
import type { PendingEffect } from './flow-turn.js';

/** The queue of flow work outside a turn: HTTP calls, timers, simulator starts. */
export const FLOW_QUEUE = 'flow.resume';

export type FlowJobPayload =
  | { kind: 'call'; conversationId: string; token: string; request: HttpRequestSpec }
  | { kind: 'timer'; conversationId: string; token: string }
  /** Start a flow version (drafts included) in the conversation: the simulator's picker. */
  | { kind: 'start'; conversationId: string; flowId: string; version: number };

export interface EffectOwner {
  workspaceId: string;
  conversationId: string;
  channelId: string;
  address: string;
}

/** The key of a conversation's HTTP call jobs (one at a time; found by it while the conversation waits). */
export function callOrderingKey(conversationId: string): string {
  return `call:${conversationId}`;
}

/**
 * Which of these (channel, address) conversations wait for an HTTP call that is still to come: their messages
 * must wait too, or a message sent during the call would be answered before the call's result. A call job that
 * died does not hold anything back. Returns the indexes of the waiting ones.
 */
export async function conversationsAwaitingCall(ex: Executor, who: Array<{ channelId: string; address: string }>): Promise<Set<number>> {
  if (who.length === 0) {
    return new Set();
  }
  const rows = await query<{ ord: number }>(
    ex,
    sql`select x.ord::int as ord
        from unnest(${toPgArray(who.map((w) => w.channelId))}::uuid[], ${toPgArray(who.map((w) => w.address))}::text[]) with ordinality as x(ch, address, ord)
        join conversations c on c.channel_id = x.ch and c.address = x.address
        where c.flow_state->>'waiting' = 'call' and exists (
          select 1 from jobs j where j.ordering_key = 'call:' || c.id::text and j.status in ('pending', 'running'))`,
  );
  return new Set(rows.map((r) => Number(r.ord) - 1));
}

export async function storeEffects(ex: Executor, turns: Array<EffectOwner & { effects: PendingEffect[] }>): Promise<void> {
  const jobs = turns.flatMap((t) =>
    t.effects.flatMap((e): EnqueueInput[] => {
      if (e.type === 'call') {
        const payload: FlowJobPayload = { kind: 'call', conversationId: t.conversationId, token: e.token, request: e.request };
        return [{ queue: FLOW_QUEUE, workspaceId: t.workspaceId, orderingKey: callOrderingKey(t.conversationId), payload, maxAttempts: 5 }];
      }
      if (e.type === 'timer') {
        const payload: FlowJobPayload = { kind: 'timer', conversationId: t.conversationId, token: e.token };
        return [{ queue: FLOW_QUEUE, workspaceId: t.workspaceId, payload, runAt: new Date(e.at), maxAttempts: 10 }];
      }
      return [];
    }),
  );
  await enqueueJobs(ex, jobs);
  const subscriptions = turns.flatMap((t) => t.effects.flatMap((e) => (e.type === 'subscribe' || e.type === 'unsubscribe' ? [{ conversationId: t.conversationId, topic: e.topic, active: e.type === 'subscribe' }] : [])));
  if (subscriptions.length === 0) {
    return;
  }
  // The last change per contact and topic wins (a flow may subscribe and unsubscribe in one turn).
  const last = [...new Map(subscriptions.map((s) => [`${s.conversationId}|${s.topic}`, s])).values()];
  await ex.execute(
    sql`insert into topic_subscriptions (workspace_id, contact_id, topic_slug, status, conversation_id, subscribed_at, ended_at)
        select c.workspace_id, c.contact_id, x.topic, case when x.active then 'active' else 'ended' end, c.id,
               case when x.active then now() end, case when x.active then null else now() end
        from unnest(${toPgArray(last.map((s) => s.conversationId))}::uuid[], ${toPgArray(last.map((s) => s.topic))}::text[], ${toPgArray(last.map((s) => String(s.active)))}::boolean[]) as x(conv, topic, active)
        join conversations c on c.id = x.conv
        on conflict (workspace_id, contact_id, topic_slug) do update set
          status = excluded.status, conversation_id = excluded.conversation_id, updated_at = now(),
          subscribed_at = case when excluded.status = 'active' and topic_subscriptions.status <> 'active' then now() else topic_subscriptions.subscribed_at end,
          ended_at = case when excluded.status = 'active' then null when topic_subscriptions.status = 'active' then now() else topic_subscriptions.ended_at end`,
  );
}
