/**
 * Data-subject requests besides access (GDPR-15, GDPR-16, GDPR-20, GDPR-21, GDPR-23): objection to direct
 * marketing, restriction of processing, legal holds and erasure. Each is one transaction with its audit entry
 * and its request case; a request for a contact that does not exist is refused with `contact.not_found` and
 * audited as an attempt.
 */
import { promotionalPurposes, storedSettings } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { type Db, type Executor, query, transactionOrDryRun } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import { insertConsentEvents } from '../consent/index.js';
import { resolveContactRef } from './contact-ref.js';
import { type ErasureOutcome, eraseContactData } from './erasure.service.js';
import * as rights from './rights.store.js';
import { hashAddress, type KeyedHash, suppressAddresses } from './suppression.store.js';

export interface RightsDeps {
  db: Db;
  workspaceId: string;
  keyedHash: KeyedHash;
}

/** Who acts: the audit context plus, where two people must agree, the named person (`by`). */
export interface RightsActor {
  audit: AuditContext;
  /** The authorised person's name or id; required for legal holds (two people), else the audit actor. */
  by?: string;
}

/** The name a case records for who acted: the named person, else the audit actor. */
export const actorName = (a: RightsActor) => a.by ?? String(a.audit.actor.id ?? a.audit.actor.kind);

/**
 * An objection to direct marketing (Art. 21(2)/(3), GDPR-15/16): every promotional purpose is withdrawn on every
 * channel, and every address of the contact goes on the suppression list, so no later import re-enables it.
 */
export async function objectToMarketing(deps: RightsDeps, ref: string, actor: RightsActor & { evidence?: Record<string, unknown> }) {
  const { contactId } = await resolveContactRef(deps.db, deps.workspaceId, ref, { audit: actor.audit, attemptAction: 'contact.objection_attempted' });
  return deps.db.transaction(async (tx) => {
    const [ws] = await query<{ settings: unknown }>(tx, sql`select settings from workspaces where id = ${deps.workspaceId}`);
    const purposes = promotionalPurposes(storedSettings(ws?.settings));
    const events = await insertConsentEvents(
      tx,
      purposes.map((purpose) => ({ workspaceId: deps.workspaceId, contactId, purpose, channelId: null, decision: 'withdrawn' as const, method: 'agent' as const, evidence: { objection: true, ...actor.evidence }, actor: { ...actor.audit.actor } })),
    );
    const addresses = await contactAddresses(tx, contactId);
    const suppressed = await suppressAddresses(tx, deps.workspaceId, addresses.map((a) => hashAddress(deps.keyedHash, a)), 'objection');
    const requestId = await rights.insertRequest(tx, { workspaceId: deps.workspaceId, contactId, kind: 'objection', status: 'done', outcome: { purposes, addresses: addresses.length }, requestedBy: actorName(actor), done: true });
    await appendAudit(tx, [{ workspaceId: deps.workspaceId, ...actor.audit, action: 'contact.objected', object: { type: 'contact', id: contactId }, after: { request: requestId, purposes, consentEvents: events.map((e) => e.id), suppressedAddresses: addresses.length } }]);
    return { contactId, requestId, purposes, suppressedAddresses: addresses.length, newlySuppressed: suppressed };
  });
}

/** Restriction of processing at the contact's request (Art. 18, GDPR-21): until lifted, nothing but legally required notices reaches them. */
export async function restrictContact(deps: RightsDeps, ref: string, actor: RightsActor & { reason: string }) {
  const { contactId } = await resolveContactRef(deps.db, deps.workspaceId, ref, { audit: actor.audit, attemptAction: 'contact.restriction_attempted' });
  return deps.db.transaction(async (tx) => {
    const open = (await rights.listRestrictions(tx, deps.workspaceId, contactId)).find((r) => r.basis === 'request');
    if (open) {
      return { contactId, restrictionId: open.id, created: false };
    }
    const restrictionId = await rights.insertRestriction(tx, { workspaceId: deps.workspaceId, contactId, basis: 'request', reason: actor.reason, dataClasses: ['profile', 'messages', 'conversationState'] });
    await rights.insertRequest(tx, { workspaceId: deps.workspaceId, contactId, kind: 'restriction', status: 'done', outcome: { restriction: restrictionId }, requestedBy: actorName(actor), done: true });
    await appendAudit(tx, [{ workspaceId: deps.workspaceId, ...actor.audit, action: 'contact.restricted', object: { type: 'contact', id: contactId }, reason: actor.reason, after: { restriction: restrictionId } }]);
    return { contactId, restrictionId, created: true };
  });
}

export async function liftRestriction(deps: RightsDeps, ref: string, actor: RightsActor & { reason: string }) {
  const { contactId } = await resolveContactRef(deps.db, deps.workspaceId, ref, { audit: actor.audit, attemptAction: 'contact.restriction_lift_attempted' });
  return deps.db.transaction(async (tx) => {
    const lifted = await rights.liftRestrictions(tx, deps.workspaceId, contactId, 'request');
    if (lifted > 0) {
      await appendAudit(tx, [{ workspaceId: deps.workspaceId, ...actor.audit, action: 'contact.restriction_lifted', object: { type: 'contact', id: contactId }, reason: actor.reason, after: { lifted } }]);
    }
    return { contactId, lifted };
  });
}

/** Asks for a legal hold (GDPR-23); it already stops deletion, and becomes approved when a second person confirms. */
export async function requestLegalHold(deps: RightsDeps, ref: string, actor: RightsActor & { reason: string; reference?: string }) {
  const by = requireBy(actor);
  const { contactId } = await resolveContactRef(deps.db, deps.workspaceId, ref, { audit: actor.audit, attemptAction: 'legal_hold.request_attempted' });
  return deps.db.transaction(async (tx) => {
    const holdId = await rights.insertHold(tx, { workspaceId: deps.workspaceId, contactId, reason: actor.reason, requestedBy: by, ...(actor.reference ? { reference: actor.reference } : {}) });
    await appendAudit(tx, [{ workspaceId: deps.workspaceId, ...actor.audit, actor: { ...actor.audit.actor, onBehalfOf: by }, action: 'legal_hold.requested', object: { type: 'legal_hold', id: holdId }, reason: actor.reason, after: { contact: contactId, reference: actor.reference ?? null } }]);
    return { holdId, contactId, status: 'requested' as const };
  });
}

/**
 * The second person's step (GDPR-23: setting and lifting a hold need two authorised people): `approve` confirms a
 * requested hold; `lift` asks to lift an approved one; `confirm-lift` lifts it. Each step by someone other than
 * the one before.
 */
export async function advanceLegalHold(deps: RightsDeps, holdId: string, step: 'approve' | 'lift' | 'confirm-lift', actor: RightsActor & { reason?: string }) {
  const by = requireBy(actor);
  return deps.db.transaction(async (tx) => {
    const hold = await rights.findHold(tx, deps.workspaceId, holdId);
    if (!hold) {
      throw new AppError('legal_hold.not_found', `There is no legal hold ${holdId}.`);
    }
    const state = hold.liftedAt ? 'lifted' : hold.liftRequestedBy ? 'lift_requested' : hold.approvedBy ? 'active' : 'requested';
    const expected = { approve: 'requested', lift: 'active', 'confirm-lift': 'lift_requested' }[step];
    if (state !== expected) {
      throw new AppError('legal_hold.wrong_state', `The hold is ${state.replace('_', ' ')}; "${step}" needs it ${expected.replace('_', ' ')}.`);
    }
    const previous = step === 'approve' ? hold.requestedBy : step === 'confirm-lift' ? hold.liftRequestedBy : undefined;
    if (previous !== undefined && previous === by) {
      throw new AppError('legal_hold.same_person', `${by} took the previous step; a second authorised person must ${step === 'approve' ? 'approve the hold' : 'confirm the lift'}.`);
    }
    if (step === 'lift' && !actor.reason) {
      throw new AppError('validation.failed', 'Lifting a legal hold needs a reason.');
    }
    if (step === 'approve') {
      await rights.approveHold(tx, holdId, by);
    } else if (step === 'lift') {
      await rights.requestHoldLift(tx, holdId, by, actor.reason!);
    } else {
      await rights.liftHold(tx, holdId, by);
    }
    const action = { approve: 'legal_hold.approved', lift: 'legal_hold.lift_requested', 'confirm-lift': 'legal_hold.lifted' }[step];
    await appendAudit(tx, [{ workspaceId: deps.workspaceId, ...actor.audit, actor: { ...actor.audit.actor, onBehalfOf: by }, action, object: { type: 'legal_hold', id: holdId }, ...(actor.reason ? { reason: actor.reason } : {}), after: { contact: hold.contactId } }]);
    return { holdId, contactId: hold.contactId, status: { approve: 'active', lift: 'lift_requested', 'confirm-lift': 'lifted' }[step] };
  });
}

/**
 * Erasure at the contact's request (Art. 17, GDPR-20): see erasure.service.ts. `dryRun` computes the same outcome
 * in a transaction that is rolled back — nothing is deleted, nothing audited.
 */
export async function eraseContact(deps: RightsDeps, ref: string, actor: RightsActor & { dryRun?: boolean }): Promise<ErasureOutcome & { dryRun: boolean }> {
  const { contactId } = await resolveContactRef(deps.db, deps.workspaceId, ref, { audit: actor.audit, attemptAction: 'contact.erasure_attempted' });
  const outcome = await transactionOrDryRun(deps.db, actor.dryRun === true, (tx) =>
    eraseContactData(tx, deps.workspaceId, contactId, { audit: actor.audit, keyedHash: deps.keyedHash, now: new Date(), reason: 'request', requestedBy: actorName(actor) }),
  );
  if (!outcome) {
    throw new AppError('contact.not_found', `There is no contact ${contactId}.`);
  }
  return { ...outcome, dryRun: actor.dryRun === true };
}

/**
 * The authorised person taking a step: a signed-in user is who the session says (a `by` they send is ignored, so
 * nobody can approve their own hold under another name); the admin token's holder must name the person.
 */
function requireBy(actor: RightsActor): string {
  if (actor.audit.actor.kind === 'user' && actor.audit.actor.id) {
    return String(actor.audit.actor.id);
  }
  if (!actor.by || actor.by.trim().length === 0) {
    throw new AppError('validation.failed', 'Name the authorised person taking this step ("by"): a legal hold needs two different people.');
  }
  return actor.by.trim();
}

async function contactAddresses(ex: Executor, contactId: string): Promise<string[]> {
  const rows = await query<{ address: string }>(
    ex,
    sql`select address from contact_identities where contact_id = ${contactId} union select address from conversations where contact_id = ${contactId}`,
  );
  return rows.map((r) => r.address);
}
