/**
 * Applies delivery statuses from the status queue in batches: one transaction reads the stored events, applies
 * them set-based and completes their jobs (ARCHITECTURE §3, outbound step 3).
 */
import { sql } from 'drizzle-orm';
import { promotionalPurposes, storedSettings } from '@parley/contracts';
import type { Database, Tx } from '../../platform/db.js';
import { query, toPgArray } from '../../platform/db.js';
import { appendAudit } from '../audit/index.js';
import { consentAuditEntries, withdrawOnProviderOptOut } from '../consent/index.js';
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
      const statuses = stored.flatMap((s) => toStatusInput(s.workspaceId, s.channelId, s.payload));
      await applyStatusEvents(tx, statuses);
      await recordProviderOptOuts(tx, statuses);
      await completeJobs(tx, jobs.map((j) => j.id));
    });
  };
}

/** WA-04: a send that failed with 131050 means the user stopped marketing messages on WhatsApp — the ledger learns it. */
async function recordProviderOptOuts(tx: Tx, statuses: StatusEventInput[]): Promise<void> {
  const optOuts = statuses.filter((s) => s.status === 'failed' && s.error?.code === PROVIDER_MARKETING_OPT_OUT);
  if (optOuts.length === 0) {
    return;
  }
  const workspaceIds = [...new Set(optOuts.map((s) => s.workspaceId))];
  const rows = await query<{ id: string; settings: unknown }>(tx, sql`select id, settings from workspaces where id = any(${toPgArray(workspaceIds)}::uuid[])`);
  const promotional = new Map(rows.map((r) => [r.id, promotionalPurposes(storedSettings(r.settings))]));
  const events = await withdrawOnProviderOptOut(tx, optOuts, (workspaceId) => promotional.get(workspaceId) ?? []);
  await appendAudit(tx, consentAuditEntries(events));
}

/** WhatsApp's error for a marketing message to a user who stopped marketing messages (providers.md §4.7). */
const PROVIDER_MARKETING_OPT_OUT = '131050';

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
