/**
 * The nightly retention sweep (GDPR-12, GDPR-20, GDPR-22, GDPR-23): per workspace, in one transaction with its
 * report in the audit trail (the hash chain makes the deletion report tamper-evident):
 *   1. erasure cases kept back by a retention duty or a legal hold are run again — what is free now is deleted;
 *   2. pending double opt-ins past `doubleOptIn.expiresAfterDays` get their `expired` event (GDPR-12);
 *   3. storage limitation: messages (with their statuses, raw events and unanswered questions) older than the
 *      `messages` rule, run state of conversations quiet longer than the `conversationState` rule, and contacts
 *      inactive longer than the `profile` rule are deleted — never anything of a contact under a legal hold.
 * It runs as the job `privacy.sweep`, one per day (the idempotency key is the date), and on demand with
 * `parley retention sweep [--dry-run]`.
 */
import { DEFAULT_PENDING_CONSENT_DAYS, storedSettings } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { countAffected, type Db, type Executor, query, transactionOrDryRun, type Tx } from '../../platform/db.js';
import type { JobHandler } from '../../platform/job-runner.js';
import { enqueueJobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import { retentionRules } from './data-classes.js';
import { eraseContactData } from './erasure.service.js';
import * as rights from './rights.store.js';
import type { KeyedHash } from './suppression.store.js';

export const PRIVACY_QUEUE = 'privacy.sweep';
const SWEEP_AUDIT: AuditContext = { actor: { kind: 'system', id: 'retention-sweep' } };

export interface SweepReport {
  workspaceId: string;
  erasures: { resumed: number; done: number };
  expiredPending: number;
  messages: number;
  statusEvents: number;
  rawEvents: number;
  unansweredQuestions: number;
  runStates: number;
  contactsErased: number;
}

export async function sweepWorkspace(tx: Tx, workspaceId: string, opts: { now: Date; keyedHash: KeyedHash }): Promise<SweepReport> {
  const [ws] = await query<{ settings: unknown }>(tx, sql`select settings from workspaces where id = ${workspaceId}`);
  const settings = storedSettings(ws?.settings);
  const rules = retentionRules(settings);
  const report: SweepReport = { workspaceId, erasures: { resumed: 0, done: 0 }, expiredPending: 0, messages: 0, statusEvents: 0, rawEvents: 0, unansweredQuestions: 0, runStates: 0, contactsErased: 0 };
  const erase = { audit: SWEEP_AUDIT, keyedHash: opts.keyedHash, now: opts.now };

  for (const open of await rights.openErasures(tx, workspaceId)) {
    const outcome = await eraseContactData(tx, workspaceId, open.contactId, { ...erase, reason: 'request', requestId: open.id });
    if (!outcome) {
      await rights.updateRequest(tx, open.id, 'done', { note: 'the contact no longer exists' }, true);
    }
    report.erasures.resumed += 1;
    report.erasures.done += !outcome || outcome.status === 'done' ? 1 : 0;
  }

  const pendingDays = settings.doubleOptIn?.expiresAfterDays ?? DEFAULT_PENDING_CONSENT_DAYS;
  report.expiredPending = await countAffected(tx,
    sql`insert into consent_events (workspace_id, contact_id, purpose, channel_id, decision, text_slug, text_version, text_language, text_hash, method, evidence, actor)
        select workspace_id, contact_id, purpose, channel_id, 'expired', text_slug, text_version, text_language, text_hash, 'expiry',
               jsonb_build_object('pendingEvent', id, 'afterDays', ${pendingDays}::int), '{"kind":"system","id":"retention-sweep"}'::jsonb
        from (select distinct on (contact_id, purpose, channel_id) * from consent_events where workspace_id = ${workspaceId}
              order by contact_id, purpose, channel_id, id desc) latest
        where decision = 'pending' and at < ${opts.now.toISOString()}::timestamptz - make_interval(days => ${pendingDays}::int)`,
  );

  // Nothing of a contact under a legal hold (GDPR-23), requested holds included.
  const held = sql`(select c.id from conversations c join legal_holds h on h.contact_id = c.contact_id and h.lifted_at is null where c.workspace_id = ${workspaceId})`;
  const messagesBefore = sql`${opts.now.toISOString()}::timestamptz - make_interval(days => ${rules.messages.days}::int)`;
  const old = sql`select id from messages where workspace_id = ${workspaceId} and created_at < ${messagesBefore} and conversation_id not in ${held}`;
  report.statusEvents = await countAffected(tx, sql`delete from message_status_events where message_id in (${old})`);
  report.messages = await countAffected(tx, sql`delete from messages where id in (${old})`);
  report.unansweredQuestions = await countAffected(tx, sql`delete from unanswered_questions where workspace_id = ${workspaceId} and created_at < ${messagesBefore} and conversation_id not in ${held}`);
  report.rawEvents = await countAffected(tx,
    sql`delete from inbound_events e where e.workspace_id = ${workspaceId} and e.received_at < ${messagesBefore}
          and not exists (select 1 from conversations c where c.id in ${held} and c.channel_id = e.channel_id and c.address = e.payload->>'address')`,
  );
  report.runStates = await countAffected(tx,
    sql`update conversations c set flow_state = null, last_menu = null
        where c.workspace_id = ${workspaceId} and (c.flow_state is not null or c.last_menu is not null)
          and coalesce(c.last_message_at, c.created_at) < ${opts.now.toISOString()}::timestamptz - make_interval(days => ${rules.conversationState.days}::int)
          and c.id not in ${held}
          and not exists (select 1 from jobs j where j.payload->>'conversationId' = c.id::text and j.status in ('pending', 'running'))`,
  );

  const inactive = await query<{ id: string }>(
    tx,
    sql`select ct.id from contacts ct
        where ct.workspace_id = ${workspaceId}
          and greatest(ct.updated_at, (select max(coalesce(c.last_message_at, c.created_at)) from conversations c where c.contact_id = ct.id))
              < ${opts.now.toISOString()}::timestamptz - make_interval(days => ${rules.profile.days}::int)
          and not exists (select 1 from legal_holds h where h.contact_id = ct.id and h.lifted_at is null)
          and not exists (select 1 from privacy_requests r where r.contact_id = ct.id and r.kind = 'erasure' and r.status in ('partial', 'held'))
          and not exists (select 1 from contact_restrictions r where r.contact_id = ct.id and r.basis = 'retention' and r.lifted_at is null)
        order by ct.id`,
  );
  for (const contact of inactive) {
    const outcome = await eraseContactData(tx, workspaceId, contact.id, { ...erase, reason: 'retention', requestedBy: 'retention-sweep' });
    report.contactsErased += outcome?.status === 'done' ? 1 : 0;
  }
  await appendAudit(tx, [{ workspaceId, ...SWEEP_AUDIT, action: 'retention.swept', object: { type: 'workspace', id: workspaceId }, after: { ...report, rules } }]);
  return report;
}

/**
 * Sweeps every workspace, each in its own transaction. `dryRun` reports the same figures from transactions that
 * are rolled back: nothing is deleted, nothing audited.
 */
export async function runSweep(db: Db, opts: { now: Date; keyedHash: KeyedHash; dryRun?: boolean }): Promise<{ dryRun: boolean; reports: SweepReport[] }> {
  const workspaces = await query<{ id: string }>(db, sql`select id from workspaces order by created_at`);
  const reports: SweepReport[] = [];
  for (const ws of workspaces) {
    reports.push(await transactionOrDryRun(db, opts.dryRun === true, (tx) => sweepWorkspace(tx, ws.id, opts)));
  }
  return { dryRun: opts.dryRun === true, reports };
}

/** The next sweep at 02:30 UTC after `now`; one job per date, however many schedulers ask. */
export async function scheduleSweep(ex: Executor, now: Date): Promise<void> {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2, 30));
  if (next <= now) {
    next.setUTCDate(next.getUTCDate() + 1);
  }
  await enqueueJobs(ex, [{ queue: PRIVACY_QUEUE, payload: { date: next.toISOString().slice(0, 10) }, idempotencyKey: `sweep:${next.toISOString().slice(0, 10)}`, runAt: next, maxAttempts: 3 }]);
}

export function createSweepJobHandler(deps: { db: Db; keyedHash: KeyedHash; logger: Logger }): JobHandler {
  return async () => {
    const { reports } = await runSweep(deps.db, { now: new Date(), keyedHash: deps.keyedHash });
    deps.logger.info({ reports }, 'retention sweep done');
    await scheduleSweep(deps.db, new Date());
    return { kind: 'done' };
  };
}
