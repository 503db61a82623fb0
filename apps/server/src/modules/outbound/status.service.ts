/**
 * Applies delivery statuses from the status queue in batches: one transaction reads the stored events, applies
 * them set-based and completes their jobs (ARCHITECTURE §3, outbound step 3).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db.js';
import { query, toPgArray } from '../../platform/db.js';
import { completeJobs, type Job } from '../../platform/jobs.js';
import type { InboundEvent } from '../channels/index.js';
import { applyStatusEvents, type StatusEventInput } from './outbound.store.js';

export function createStatusBatchProcessor(deps: { database: Database }): (jobs: Job[]) => Promise<void> {
  return async function processStatuses(jobs: Job[]): Promise<void> {
    const eventIds = jobs.map((j) => Number(j.payload.eventId));
    await deps.database.db.transaction(async (tx) => {
      const stored = await query<{ channelId: string; workspaceId: string; payload: InboundEvent }>(
        tx,
        sql`select channel_id as "channelId", workspace_id as "workspaceId", payload from inbound_events where id = any(${toPgArray(eventIds)}::bigint[]) order by id`,
      );
      await applyStatusEvents(tx, stored.flatMap((s) => toStatusInput(s.workspaceId, s.channelId, s.payload)));
      await completeJobs(tx, jobs.map((j) => j.id));
    });
  };
}

export function toStatusInput(workspaceId: string, channelId: string, event: InboundEvent): StatusEventInput[] {
  if (event.kind !== 'status') {
    return [];
  }
  return [
    {
      workspaceId,
      channelId,
      providerMessageId: event.providerMessageId,
      status: event.status,
      occurredAt: new Date(event.timestamp),
      ...(event.error ? { error: event.error } : {}),
      ...(event.callbackData ? { callbackData: event.callbackData } : {}),
    },
  ];
}
