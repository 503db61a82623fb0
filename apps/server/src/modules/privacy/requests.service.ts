/**
 * Access requests as cases (GDPR-17, Art. 15 and 12(3)): a request is opened with the time it was received and is
 * due one month later; the requester's identity is verified before anything is disclosed; the deadline can be
 * extended by up to two months when the requester is told why within the first month; the export answers it (or it
 * is refused with a reason). Every step is one transaction with its audit entry; the trail holds ids, never content.
 */
import type { Db, Executor, Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import { resolveContactRef } from './contact-ref.js';
import { answerRefusal, extendRefusal, type Refusal, refuseRefusal, type VerificationMethod, verifyRefusal } from './requests.policy.js';
import * as cases from './requests.store.js';
import { actorName, type RightsActor } from './rights.service.js';

export type { RequestCase } from './requests.store.js';

export interface RequestDeps {
  db: Db;
  workspaceId: string;
}

/** Opens an access request for a contact, received at `receivedAt` (default now; never in the future). */
export async function openAccessRequest(deps: RequestDeps, ref: string, actor: RightsActor & { receivedAt?: Date }): Promise<cases.RequestCase> {
  const receivedAt = actor.receivedAt ?? new Date();
  if (receivedAt.getTime() > Date.now() + 60_000) {
    throw new AppError('privacy_request.received_at', 'A request cannot have been received in the future.');
  }
  const { contactId } = await resolveContactRef(deps.db, deps.workspaceId, ref, { audit: actor.audit, attemptAction: 'privacy_request.open_attempted' });
  return deps.db.transaction(async (tx) => {
    const opened = await cases.insertAccessRequest(tx, { workspaceId: deps.workspaceId, contactId, receivedAt, requestedBy: actorName(actor) });
    await appendAudit(tx, [entry(deps, actor.audit, 'privacy_request.opened', opened.id, { contactId, kind: 'access', receivedAt: opened.receivedAt, dueAt: opened.dueAt })]);
    return opened;
  });
}

/** The workspace's request cases, nearest deadline first; `open` only those not answered yet. */
export async function listRequestCases(deps: RequestDeps, opts: { open: boolean }): Promise<cases.RequestCase[]> {
  return cases.listRequests(deps.db, deps.workspaceId, opts);
}

export async function getRequestCase(deps: RequestDeps, id: string): Promise<cases.RequestCase> {
  return found(await cases.findRequest(deps.db, deps.workspaceId, id), id);
}

/** Records how the requester's identity was checked (GDPR-17): from now on the export may answer the request. */
export async function verifyRequest(deps: RequestDeps, id: string, actor: RightsActor & { method: VerificationMethod }): Promise<cases.RequestCase> {
  return step(deps, id, actor.audit, (c) => verifyRefusal(c), async (tx) => {
    await cases.markVerified(tx, id, { by: actorName(actor), method: actor.method });
    return { action: 'privacy_request.verified', after: { method: actor.method, by: actorName(actor) } };
  });
}

/** Extends the deadline by `months` (Art. 12(3)); `notifiedAt`: when the requester was told why (default now). */
export async function extendRequest(deps: RequestDeps, id: string, actor: RightsActor & { months: number; reason: string; notifiedAt?: Date }): Promise<cases.RequestCase> {
  const notifiedAt = actor.notifiedAt ?? new Date();
  return step(deps, id, actor.audit, (c) => extendRefusal(c, actor.months, notifiedAt, new Date()), async (tx) => {
    await cases.markExtended(tx, id, { months: actor.months, reason: actor.reason, notifiedAt });
    return { action: 'privacy_request.extended', after: { months: actor.months, notifiedAt: notifiedAt.toISOString() }, reason: actor.reason };
  });
}

/** Refuses a request that is not answered yet (identity not established, manifestly unfounded), with the reason. */
export async function refuseRequest(deps: RequestDeps, id: string, actor: RightsActor & { reason: string }): Promise<cases.RequestCase> {
  return step(deps, id, actor.audit, (c) => refuseRefusal(c), async (tx) => {
    await cases.markRefused(tx, id, actor.reason);
    return { action: 'privacy_request.refused', after: { by: actorName(actor) }, reason: actor.reason };
  });
}

/**
 * Marks an access request answered by the export about `contactId`, inside the export's transaction; refuses when
 * the identity is not verified or the case is about someone else (nothing is disclosed then).
 */
export async function answerAccessRequest(tx: Tx, workspaceId: string, id: string, contactId: string, audit: AuditContext, outcome: Record<string, unknown>): Promise<void> {
  const c = found(await cases.findRequest(tx, workspaceId, id, true), id);
  raise(answerRefusal(c, contactId, c.contactId));
  await cases.markAnswered(tx, id, outcome);
  await appendAudit(tx, [entry({ workspaceId }, audit, 'privacy_request.answered', id, outcome)]);
}

async function step(
  deps: RequestDeps,
  id: string,
  audit: AuditContext,
  check: (c: cases.RequestCase) => Refusal,
  apply: (tx: Executor) => Promise<{ action: string; after: Record<string, unknown>; reason?: string }>,
): Promise<cases.RequestCase> {
  return deps.db.transaction(async (tx) => {
    const c = found(await cases.findRequest(tx, deps.workspaceId, id, true), id);
    raise(check(c));
    const { action, after, reason } = await apply(tx);
    await appendAudit(tx, [{ ...entry(deps, audit, action, id, after), ...(reason ? { reason } : {}) }]);
    return found(await cases.findRequest(tx, deps.workspaceId, id), id);
  });
}

function found(c: cases.RequestCase | undefined, id: string): cases.RequestCase {
  if (!c) {
    throw new AppError('privacy_request.not_found', `There is no request case ${id}.`);
  }
  return c;
}

function raise(refusal: Refusal): void {
  if (refusal) {
    throw new AppError(refusal.code, refusal.message);
  }
}

function entry(deps: { workspaceId: string }, audit: AuditContext, action: string, id: string, after: Record<string, unknown>) {
  return { workspaceId: deps.workspaceId, ...audit, action, object: { type: 'privacy_request', id }, after };
}
