/**
 * Naming a contact in a data-subject request: by its id, or by a phone number in any usual spelling
 * (`+49 151 2345678`, `0049151…`, `49151…`). A request that matches nobody (or several) is audited as an attempt
 * before it is refused (issue #4: "an export or erasure request for an unknown contact → 404 and an audit entry").
 */
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import * as store from './privacy.store.js';

export type ContactRef = { kind: 'id'; id: string } | { kind: 'phone'; digits: string };

/** A contact id or a phone number (digits, country code first, no `+`/`00`); undefined for anything else. */
export function parseContactRef(raw: string): ContactRef | undefined {
  const trimmed = raw.trim();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(trimmed)) {
    return { kind: 'id', id: trimmed.toLowerCase() };
  }
  if (!/^[+0-9][0-9 ()./-]*$/.test(trimmed)) {
    return undefined;
  }
  const digits = trimmed.replace(/[^0-9+]/g, '').replace(/^(\+|00)/, '');
  return /^[1-9][0-9]{5,14}$/.test(digits) ? { kind: 'phone', digits } : undefined;
}

/**
 * The one contact `contactRef` names, or an audited refusal: `validation.failed` for a ref that is neither id nor
 * number, `contact.not_found` / `contact.ambiguous` (audited as `attemptAction`, with the ref's kind only — a phone
 * number is personal data, AUD-07).
 */
export async function resolveContactRef(db: Db, workspaceId: string, contactRef: string, opts: { audit: AuditContext; attemptAction: string; details?: Record<string, unknown> }): Promise<{ contactId: string; ref: ContactRef }> {
  const ref = parseContactRef(contactRef);
  if (!ref) {
    throw new AppError('validation.failed', 'Name the contact by its id (a UUID) or by a phone number in international format.');
  }
  const ids = ref.kind === 'id' ? ((await store.findContact(db, workspaceId, ref.id)) ? [ref.id] : []) : await store.listContactIdsByPhone(db, workspaceId, ref.digits);
  if (ids.length === 1) {
    return { contactId: ids[0]!, ref };
  }
  await db.transaction(async (tx) => {
    await appendAudit(tx, [{
      workspaceId,
      ...opts.audit,
      action: opts.attemptAction,
      outcome: 'failure',
      reason: ids.length > 1 ? 'ambiguous' : 'not_found',
      object: { type: 'contact', ...(ref.kind === 'id' ? { id: ref.id } : {}) },
      after: { ref: ref.kind, matches: ids.length, ...opts.details },
    }]);
  });
  if (ids.length > 1) {
    throw new AppError('contact.ambiguous', `This phone number belongs to ${ids.length} contacts; name each by its id.`, { contactIds: ids });
  }
  throw new AppError('contact.not_found', ref.kind === 'id' ? `There is no contact ${ref.id}.` : 'No contact has this phone number.');
}
