/**
 * Records a consent decision that did not happen in a chat (GDPR-16: an agent writes down a withdrawal by phone or
 * letter; an import or API brings numbers collected elsewhere). Everything is checked before anything is written:
 * an unknown contact, channel, purpose or wording version is refused with a clear error and nothing is recorded.
 * A grant that arrives by import or API is not a consent yet — the number must confirm on the same channel first
 * (GDPR-10) — so those methods may only record `pending`, `denied` or `withdrawn`.
 */
import { purposesOf, storedSettings } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, query } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import { consentAuditEntries } from './consent.audit.js';
import { insertConsentEvents, type StoredConsentEvent } from './consent.store.js';

export const RecordConsentBody = z
  .object({
    contactId: z.uuid(),
    /** The channel's slug: consent is channel-scoped (GDPR-03); omit only for a withdrawal on every channel. */
    channel: z.string().min(1).max(100).optional(),
    purpose: z.string().min(1).max(100),
    decision: z.enum(['pending', 'granted', 'denied', 'withdrawn']),
    method: z.enum(['import', 'api', 'agent', 'web_form_doi']),
    /** The wording the person agreed to; required for `granted` and `pending`. */
    text: z.object({ id: z.string().min(1), version: z.number().int().min(1), language: z.string().min(2).max(10) }).strict().optional(),
    /** What proves it: a form URL and version, a letter's reference, the agent's note … */
    evidence: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type RecordConsentBody = z.infer<typeof RecordConsentBody>;

export async function recordConsent(db: Db, workspaceId: string, body: RecordConsentBody, audit: AuditContext): Promise<StoredConsentEvent> {
  if ((body.method === 'import' || body.method === 'api') && body.decision === 'granted') {
    throw new AppError('consent.confirmation_required', 'A number that arrives by import or API is pending until it confirms on the same channel (double opt-in, GDPR-10): record "pending".');
  }
  if ((body.decision === 'granted' || body.decision === 'pending') && !body.text) {
    throw new AppError('validation.failed', 'A grant or pending consent names the wording shown: { "text": { "id", "version", "language" } }.');
  }
  if (body.channel === undefined && body.decision !== 'withdrawn') {
    throw new AppError('validation.failed', 'Consent is per channel (GDPR-03): give "channel"; only a withdrawal may apply to every channel.');
  }
  return db.transaction(async (tx) => {
    const [contact] = await query<{ id: string }>(tx, sql`select id from contacts where id = ${body.contactId} and workspace_id = ${workspaceId}`);
    if (!contact) {
      throw new AppError('contact.not_found', `There is no contact ${body.contactId}.`);
    }
    let channelId: string | null = null;
    if (body.channel !== undefined) {
      const [channel] = await query<{ id: string }>(tx, sql`select id from channels where slug = ${body.channel} and workspace_id = ${workspaceId}`);
      if (!channel) {
        throw new AppError('channel.not_found', `There is no channel "${body.channel}".`);
      }
      channelId = channel.id;
    }
    const [workspace] = await query<{ settings: unknown }>(tx, sql`select settings from workspaces where id = ${workspaceId}`);
    if (!purposesOf(storedSettings(workspace?.settings)).has(body.purpose)) {
      throw new AppError('consent.unknown_purpose', `The workspace has no purpose "${body.purpose}" (workspace.yaml purposes).`);
    }
    let text: StoredConsentEvent['text'];
    if (body.text) {
      const [row] = await query<{ hash: string; purposes: string[] }>(
        tx,
        sql`select hash, purposes from consent_texts where workspace_id = ${workspaceId} and slug = ${body.text.id} and version = ${body.text.version} and language = ${body.text.language}`,
      );
      if (!row) {
        throw new AppError('consent.unknown_text', `There is no consent text "${body.text.id}" version ${body.text.version} in "${body.text.language}".`);
      }
      if (!row.purposes.includes(body.purpose)) {
        throw new AppError('consent.unknown_text', `Consent text "${body.text.id}" asks for ${row.purposes.join(', ')}, not for "${body.purpose}".`);
      }
      text = { slug: body.text.id, version: body.text.version, language: body.text.language, hash: row.hash };
    }
    const [event] = await insertConsentEvents(tx, [
      {
        workspaceId,
        contactId: contact.id,
        purpose: body.purpose,
        channelId,
        decision: body.decision,
        ...(text ? { text } : {}),
        method: body.method,
        evidence: body.evidence,
        actor: { ...audit.actor },
      },
    ]);
    await appendAudit(tx, consentAuditEntries([event!]).map((e) => ({ ...e, actor: audit.actor, ...(audit.source ? { source: audit.source } : {}) })));
    return event!;
  });
}
