import { sql } from 'drizzle-orm';
import { type Executor, query, toPgArray as pgArray } from '../../platform/db.js';
import type { InboundEvent } from './channel.port.js';

export const INBOUND_QUEUE = 'inbound.process';
/** Delivery statuses: applied in batches, in any order (a status only moves forward, so order cannot matter). */
export const STATUS_QUEUE = 'inbound.status';

export function inboundQueue(event: InboundEvent): string {
  return event.kind === 'status' ? STATUS_QUEUE : INBOUND_QUEUE;
}

/** A conversation's events share one ordering key, so a worker sees them strictly in arrival order. */
export function inboundOrderingKey(channelId: string, event: InboundEvent): string | null {
  return event.kind !== 'status' && 'address' in event && event.address ? conversationOrderingKey(channelId, event.address) : null;
}

/** The ordering key of a conversation's inbound work (its events, and the flow's HTTP calls between them). */
export function conversationOrderingKey(channelId: string, address: string): string {
  return `in:${channelId}:${address}`;
}

export interface ChannelEvent {
  channel: { id: string; workspaceId: string };
  event: InboundEvent;
}

/**
 * Stores events and enqueues their processing in ONE statement (so in one transaction, ARCHITECTURE §3 step 2).
 * An event already stored under its provider id inserts nothing and enqueues nothing. Events keep their order.
 * Returns how many events were new.
 */
export async function storeInboundEvents(ex: Executor, items: ChannelEvent[]): Promise<number> {
  // The same event twice in one batch (a provider's duplicate delivery racing itself) must stay one event.
  const seen = new Set<string>();
  const unique = items.filter(({ channel, event }) => {
    const key = `${channel.id}\u0000${event.providerEventId}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  if (unique.length === 0) {
    return 0;
  }
  const col = <T>(f: (i: ChannelEvent) => T) => unique.map(f);
  const rows = await query<{ n: number }>(
    ex,
    sql`with ev as (
          select * from unnest(${pgArray(col((i) => i.channel.workspaceId))}::uuid[], ${pgArray(col((i) => i.channel.id))}::uuid[],
                               ${pgArray(col((i) => i.event.providerEventId))}::text[], ${pgArray(col((i) => i.event.kind))}::text[],
                               ${pgArray(col((i) => inboundOrderingKey(i.channel.id, i.event)))}::text[], ${pgArray(col((i) => JSON.stringify(i.event)))}::text[],
                               ${pgArray(col((i) => inboundQueue(i.event)))}::text[])
            with ordinality as e(workspace_id, channel_id, provider_event_id, kind, ordering_key, payload, queue, ord)),
        ins as (
          insert into inbound_events (workspace_id, channel_id, provider_event_id, kind, payload)
          select workspace_id, channel_id, provider_event_id, kind, payload::jsonb from ev order by ord
          on conflict (channel_id, provider_event_id) do nothing
          returning id, channel_id, provider_event_id),
        queued as (
          insert into jobs (workspace_id, queue, ordering_key, payload, max_attempts)
          select ev.workspace_id, ev.queue, ev.ordering_key, jsonb_build_object('eventId', ins.id), 20
          from ins join ev using (channel_id, provider_event_id) order by ins.id
          returning id)
        select count(*)::int as n from queued`,
  );
  return rows[0]?.n ?? 0;
}
