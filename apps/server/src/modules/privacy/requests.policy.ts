/**
 * The rules of an access-request case (GDPR-17, Art. 12(3)), pure: which step a case in a given state allows. The
 * service applies them inside the transaction that takes the step.
 */

export { VERIFICATION_METHODS, type VerificationMethod } from '@parley/contracts';

/** The longest extension of the one-month deadline (Art. 12(3)). */
export const MAX_EXTENSION_MONTHS = 2;

type CaseState = { status: string; kind: string; extensionMonths: number; receivedAt: string; firstDueAt: string };

/** Why a step is refused, as an error code and a sentence; undefined when it is allowed. */
export type Refusal = { code: string; message: string } | undefined;

const closed = (c: CaseState): Refusal =>
  c.status === 'open' || c.status === 'verified' ? undefined : { code: 'privacy_request.closed', message: `The request is ${c.status} already.` };

/**
 * Verifying the requester's identity: once, on an open case.
 * @example verifyRefusal({ status: 'verified', … }) // { code: 'privacy_request.already_verified', … }
 */
export function verifyRefusal(c: CaseState): Refusal {
  if (c.status === 'verified') {
    return { code: 'privacy_request.already_verified', message: 'The requester’s identity was verified already.' };
  }
  return closed(c);
}

/**
 * Extending the deadline (Art. 12(3)): by one or two months in all, and only while the first month runs — the
 * requester must be told, with the reasons, within it (so `notifiedAt` lies between receipt and the first deadline).
 */
export function extendRefusal(c: CaseState, months: number, notifiedAt: Date, now: Date): Refusal {
  const refused = closed(c);
  if (refused) {
    return refused;
  }
  if (c.extensionMonths + months > MAX_EXTENSION_MONTHS) {
    return { code: 'privacy_request.extension_limit', message: `The deadline can be extended by ${MAX_EXTENSION_MONTHS} months at most; ${c.extensionMonths} already used.` };
  }
  const firstDue = Date.parse(c.firstDueAt);
  if (now.getTime() > firstDue) {
    return { code: 'privacy_request.extension_too_late', message: 'An extension must be decided and told to the requester within the first month.' };
  }
  if (notifiedAt.getTime() > firstDue || notifiedAt.getTime() < Date.parse(c.receivedAt) || notifiedAt.getTime() > now.getTime()) {
    return { code: 'privacy_request.notice_date', message: 'The requester must have been told between receipt and the first deadline, and not in the future.' };
  }
  return undefined;
}

/** Refusing a request (identity not established, manifestly unfounded — Art. 12(5)): a case not yet answered. */
export function refuseRefusal(c: CaseState): Refusal {
  return closed(c);
}

/** Answering an access request with the export: only once the identity is verified, never twice. */
export function answerRefusal(c: CaseState, contactId: string, caseContactId: string): Refusal {
  if (c.kind !== 'access') {
    return { code: 'privacy_request.not_access', message: 'Only an access request is answered with the export.' };
  }
  if (caseContactId !== contactId) {
    return { code: 'privacy_request.other_contact', message: 'The request is about another contact.' };
  }
  if (c.status === 'open') {
    return { code: 'privacy_request.not_verified', message: 'Verify the requester’s identity before anything is disclosed (GDPR-17).' };
  }
  return closed(c);
}
