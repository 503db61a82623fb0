/**
 * SQL of access-request cases (GDPR-17): opening one, listing them with their deadlines, and the steps of a case.
 * Times come from the database clock; the deadline is `received_at + (1 + extension_months) months`.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';

/** A request case as the API shows it. */
export type RequestCase = {
  id: string;
  contactId: string;
  kind: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  /** The deadline before any extension: one month after receipt. */
  firstDueAt: string;
  completedAt: string | null;
  requestedBy: string;
  verifiedAt: string | null;
  verifiedBy: string | null;
  verificationMethod: string | null;
  extensionMonths: number;
  extensionReason: string | null;
  extensionNotifiedAt: string | null;
  refusalReason: string | null;
  /** Whole days until the deadline (negative when past it). */
  daysLeft: number;
  /** Still unanswered after its deadline. */
  overdue: boolean;
};

const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const COLUMNS = sql`id, contact_id as "contactId", kind, status, ${iso('received_at')} as "receivedAt", ${iso('due_at')} as "dueAt",
  ${iso("(received_at + interval '1 month')")} as "firstDueAt", ${iso('completed_at')} as "completedAt", requested_by as "requestedBy",
  ${iso('verified_at')} as "verifiedAt", verified_by as "verifiedBy", verification_method as "verificationMethod",
  extension_months as "extensionMonths", extension_reason as "extensionReason", ${iso('extension_notified_at')} as "extensionNotifiedAt",
  refusal_reason as "refusalReason", floor(extract(epoch from due_at - now()) / 86400)::int as "daysLeft",
  (status in ('open', 'verified') and due_at < now()) as overdue`;

/** Opens an access request received at `receivedAt`: `open`, due one month later. */
export async function insertAccessRequest(ex: Executor, r: { workspaceId: string; contactId: string; receivedAt: Date; requestedBy: string }): Promise<RequestCase> {
  const [row] = await query<RequestCase>(
    ex,
    sql`insert into privacy_requests (workspace_id, contact_id, kind, received_at, due_at, status, requested_by)
        values (${r.workspaceId}, ${r.contactId}, 'access', ${r.receivedAt.toISOString()}::timestamptz, ${r.receivedAt.toISOString()}::timestamptz + interval '1 month', 'open', ${r.requestedBy})
        returning ${COLUMNS}`,
  );
  return row!;
}

/** One case of the workspace, locked for a step when `forUpdate`. */
export async function findRequest(ex: Executor, workspaceId: string, id: string, forUpdate = false): Promise<RequestCase | undefined> {
  const [row] = await query<RequestCase>(
    ex,
    sql`select ${COLUMNS} from privacy_requests where workspace_id = ${workspaceId} and id = ${id} ${forUpdate ? sql`for update` : sql``}`,
  );
  return row;
}

/** The workspace's cases, the nearest deadline first; `open`: only those not yet answered. */
export async function listRequests(ex: Executor, workspaceId: string, opts: { open: boolean }): Promise<RequestCase[]> {
  return query<RequestCase>(
    ex,
    sql`select ${COLUMNS} from privacy_requests where workspace_id = ${workspaceId} ${opts.open ? sql`and status in ('open', 'verified')` : sql``}
        order by (status in ('open', 'verified')) desc, due_at, received_at limit 500`,
  );
}

export async function markVerified(ex: Executor, id: string, v: { by: string; method: string }): Promise<void> {
  await ex.execute(sql`update privacy_requests set status = 'verified', verified_at = now(), verified_by = ${v.by}, verification_method = ${v.method} where id = ${id}`);
}

export async function markExtended(ex: Executor, id: string, e: { months: number; reason: string; notifiedAt: Date }): Promise<void> {
  await ex.execute(
    sql`update privacy_requests set extension_months = extension_months + ${e.months}, due_at = due_at + make_interval(months => ${e.months}),
          extension_reason = ${e.reason}, extension_notified_at = ${e.notifiedAt.toISOString()}::timestamptz
        where id = ${id}`,
  );
}

export async function markRefused(ex: Executor, id: string, reason: string): Promise<void> {
  await ex.execute(sql`update privacy_requests set status = 'refused', refusal_reason = ${reason}, completed_at = now() where id = ${id}`);
}

export async function markAnswered(ex: Executor, id: string, outcome: Record<string, unknown>): Promise<void> {
  await ex.execute(sql`update privacy_requests set status = 'done', completed_at = now(), outcome = ${JSON.stringify(outcome)}::jsonb where id = ${id}`);
}
