/**
 * SQL of the data-subject rights (GDPR-17, GDPR-20..23): restrictions, legal holds and request cases. Every
 * function takes the caller's executor, so a service runs them in its transaction with the audit entry.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';

/** A restriction in force (alias `r`): a request not lifted, or a retention duty not yet over. */
const IN_FORCE = sql`r.lifted_at is null and (r.until is null or r.until > now())`;

/** Which of these contacts are restricted now (Art. 18): a request not lifted, or a retention duty not yet over. */
export async function activeRestrictions(ex: Executor, workspaceId: string, contactIds: string[]): Promise<Set<string>> {
  if (contactIds.length === 0) {
    return new Set();
  }
  const rows = await query<{ contactId: string }>(
    ex,
    sql`select distinct r.contact_id as "contactId" from contact_restrictions r
        where r.workspace_id = ${workspaceId} and r.contact_id = any(${toPgArray([...new Set(contactIds)])}::uuid[]) and ${IN_FORCE}`,
  );
  return new Set(rows.map((r) => r.contactId));
}

/**
 * The same rule as a condition for other modules' queries: true when the contact `contactId` (a column, e.g.
 * sql`c.contact_id`) is restricted now. The inbox hides such contacts from agents (GDPR-20).
 *
 * @example sql`select … from conversations c where not ${isRestrictedSql(workspaceId, sql`c.contact_id`)}`
 */
export function isRestrictedSql(workspaceId: string, contactId: SQL): SQL {
  return sql`exists (select 1 from contact_restrictions r where r.workspace_id = ${workspaceId} and r.contact_id = ${contactId} and ${IN_FORCE})`;
}

export type RestrictionRow = { id: string; basis: string; reason: string | null; dataClasses: string[]; until: string | null; createdAt: string };

export async function listRestrictions(ex: Executor, workspaceId: string, contactId: string): Promise<RestrictionRow[]> {
  return query<RestrictionRow>(
    ex,
    sql`select id, basis, reason, data_classes as "dataClasses", until::text as until, created_at::text as "createdAt" from contact_restrictions
        where workspace_id = ${workspaceId} and contact_id = ${contactId} and lifted_at is null order by created_at`,
  );
}

export async function insertRestriction(ex: Executor, r: { workspaceId: string; contactId: string; basis: 'request' | 'retention'; reason?: string; dataClasses: string[]; until?: Date }): Promise<string> {
  const [row] = await query<{ id: string }>(
    ex,
    sql`insert into contact_restrictions (workspace_id, contact_id, basis, reason, data_classes, until)
        values (${r.workspaceId}, ${r.contactId}, ${r.basis}, ${r.reason ?? null}, ${JSON.stringify(r.dataClasses)}::jsonb, ${r.until?.toISOString() ?? null}::timestamptz)
        returning id`,
  );
  return row!.id;
}

/** Lifts the contact's open restrictions of one basis; returns how many. */
export async function liftRestrictions(ex: Executor, workspaceId: string, contactId: string, basis: 'request' | 'retention'): Promise<number> {
  const rows = await query<{ id: string }>(
    ex,
    sql`update contact_restrictions set lifted_at = now()
        where workspace_id = ${workspaceId} and contact_id = ${contactId} and basis = ${basis} and lifted_at is null returning id`,
  );
  return rows.length;
}

export type HoldRow = {
  id: string;
  contactId: string;
  reason: string;
  reference: string | null;
  requestedBy: string;
  approvedBy: string | null;
  liftRequestedBy: string | null;
  liftedAt: string | null;
};

const HOLD_COLUMNS = sql`id, contact_id as "contactId", reason, reference, requested_by as "requestedBy", approved_by as "approvedBy",
                          lift_requested_by as "liftRequestedBy", lifted_at::text as "liftedAt"`;

export async function findHold(ex: Executor, workspaceId: string, holdId: string): Promise<HoldRow | undefined> {
  const rows = await query<HoldRow>(ex, sql`select ${HOLD_COLUMNS} from legal_holds where workspace_id = ${workspaceId} and id = ${holdId} for update`);
  return rows[0];
}

/** The contact's holds that are not lifted (requested ones too: a hold waiting for approval already stops deletion). */
export async function openHolds(ex: Executor, workspaceId: string, contactIds: string[]): Promise<HoldRow[]> {
  if (contactIds.length === 0) {
    return [];
  }
  return query<HoldRow>(
    ex,
    sql`select ${HOLD_COLUMNS} from legal_holds
        where workspace_id = ${workspaceId} and contact_id = any(${toPgArray([...new Set(contactIds)])}::uuid[]) and lifted_at is null order by requested_at`,
  );
}

export async function insertHold(ex: Executor, h: { workspaceId: string; contactId: string; reason: string; reference?: string; requestedBy: string }): Promise<string> {
  const [row] = await query<{ id: string }>(
    ex,
    sql`insert into legal_holds (workspace_id, contact_id, reason, reference, requested_by)
        values (${h.workspaceId}, ${h.contactId}, ${h.reason}, ${h.reference ?? null}, ${h.requestedBy}) returning id`,
  );
  return row!.id;
}

export async function approveHold(ex: Executor, holdId: string, by: string): Promise<void> {
  await ex.execute(sql`update legal_holds set approved_by = ${by}, approved_at = now() where id = ${holdId}`);
}

export async function requestHoldLift(ex: Executor, holdId: string, by: string, reason: string): Promise<void> {
  await ex.execute(sql`update legal_holds set lift_requested_by = ${by}, lift_requested_at = now(), lift_reason = ${reason} where id = ${holdId}`);
}

export async function liftHold(ex: Executor, holdId: string, by: string): Promise<void> {
  await ex.execute(sql`update legal_holds set lifted_by = ${by}, lifted_at = now() where id = ${holdId}`);
}

export type RequestKind = 'access' | 'erasure' | 'restriction' | 'objection';

/** Opens a request case (GDPR-17): due one month after receipt. */
export async function insertRequest(ex: Executor, r: { workspaceId: string; contactId: string; kind: RequestKind; status: string; outcome: Record<string, unknown>; requestedBy: string; done: boolean }): Promise<string> {
  const [row] = await query<{ id: string }>(
    ex,
    sql`insert into privacy_requests (workspace_id, contact_id, kind, due_at, status, completed_at, outcome, requested_by)
        values (${r.workspaceId}, ${r.contactId}, ${r.kind}, now() + interval '1 month', ${r.status}, ${r.done ? sql`now()` : sql`null`},
                ${JSON.stringify(r.outcome)}::jsonb, ${r.requestedBy}) returning id`,
  );
  return row!.id;
}

export async function updateRequest(ex: Executor, id: string, status: string, outcome: Record<string, unknown>, done: boolean): Promise<void> {
  await ex.execute(
    sql`update privacy_requests set status = ${status}, outcome = ${JSON.stringify(outcome)}::jsonb, completed_at = ${done ? sql`now()` : sql`null`} where id = ${id}`,
  );
}

/** Erasure cases the sweep must look at again: kept back by a retention duty or a legal hold. */
export async function openErasures(ex: Executor, workspaceId: string): Promise<Array<{ id: string; contactId: string }>> {
  return query(
    ex,
    sql`select id, contact_id as "contactId" from privacy_requests
        where workspace_id = ${workspaceId} and kind = 'erasure' and status in ('partial', 'held') order by received_at`,
  );
}
