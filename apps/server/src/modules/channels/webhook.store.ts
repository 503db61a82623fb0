import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';
import type { InboundEvent } from './channel.port.js';

export const INBOUND_QUEUE = 'inbound.process';

/** Conversation events share one ordering key, so a worker sees them strictly in arrival order. */
export function inboundOrderingKey(channelId: string, event: InboundEvent): string | null {
  return 'address' in event && event.address ? `in:${channelId}:${event.address}` : null;
}

/**
 * Stores the events of one webhook and enqueues their processing in ONE statement (so in one transaction,
 * ARCHITECTURE §3 step 2). An event already stored under its provider id inserts nothing and enqueues nothing.
 * Returns how many events were new.
 */
export async function storeInboundEvents(ex: Executor, channel: { id: string; workspaceId: string }, events: InboundEvent[]): Promise<number> {
  if (events.length === 0) {
    return 0;
  }
  const ids = events.map((e) => e.providerEventId);
  const kinds = events.map((e) => e.kind);
  const keys = events.map((e) => inboundOrderingKey(channel.id, e));
  const payloads = events.map((e) => JSON.stringify(e));
  const rows = await query<{ n: string | number }>(
    ex,
    sql`with ev as (
          select * from unnest(${pgArray(ids)}::text[], ${pgArray(kinds)}::text[], ${pgArray(keys)}::text[], ${pgArray(payloads)}::text[])
            with ordinality as e(provider_event_id, kind, ordering_key, payload, ord)),
        ins as (
          insert into inbound_events (workspace_id, channel_id, provider_event_id, kind, payload)
          select ${channel.workspaceId}, ${channel.id}, provider_event_id, kind, payload::jsonb from ev order by ord
          on conflict (channel_id, provider_event_id) do nothing
          returning id, provider_event_id),
        queued as (
          insert into jobs (workspace_id, queue, ordering_key, payload, max_attempts)
          select ${channel.workspaceId}, ${INBOUND_QUEUE}, ev.ordering_key, jsonb_build_object('eventId', ins.id), 20
          from ins join ev using (provider_event_id) order by ins.id
          returning id)
        select count(*) as n from queued`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * A Postgres array literal, so the statement has a fixed number of parameters whatever the batch size.
 * Elements are quoted and escaped; null stays NULL.
 */
function pgArray(values: Array<string | null>): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}
