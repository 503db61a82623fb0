/**
 * Records a consent decision that did not happen in a chat (GDPR-16: an agent writes down a withdrawal by phone or
 * letter; an import or API brings numbers collected elsewhere). Everything is checked before anything is written:
 * an unknown contact, channel, purpose or wording version is refused with a clear error and nothing is recorded.
 * A grant that arrives by import or API is not a consent yet — the number must confirm on the same channel first
 * (GDPR-10) — so those methods may only record `pending`, `denied` or `withdrawn`. A `pending` consent is a
 * double opt-in request (`DoubleOptInRequests`: pending event and confirmation request together), never recorded here.
 */
import { type Purpose, purposesOf, storedSettings, type WorkspaceSettings } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { type Db, type Executor, query } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import { consentAuditEntries } from './consent.audit.js';
import type { RecordConsentBody } from './consent.schemas.js';
import { insertConsentEvents, type StoredConsentEvent } from './consent.store.js';

export async function recordConsent(db: Db, workspaceId: string, body: RecordConsentBody, audit: AuditContext): Promise<StoredConsentEvent> {
  if ((body.method === 'import' || body.method === 'api') && body.decision === 'granted') {
    throw new AppError('consent.confirmation_required', 'A number that arrives by import or API is pending until it confirms on the same channel (double opt-in, GDPR-10): record "pending".');
  }
  if (body.decision === 'granted' && !body.text) {
    throw new AppError('validation.failed', 'A grant or pending consent names the wording shown: { "text": { "id", "version", "language" } }.');
  }
  if (body.channel === undefined && body.decision !== 'withdrawn') {
    throw new AppError('validation.failed', 'Consent is per channel (GDPR-03): give "channel"; only a withdrawal may apply to every channel.');
  }
  if (body.decision === 'pending' || body.contactId === undefined) {
    throw new AppError('validation.failed', 'A pending consent is a double opt-in request: it goes through requestConfirmation.');
  }
  const contactId = body.contactId;
  return db.transaction(async (tx) => {
    const [contact] = await query<{ id: string }>(tx, sql`select id from contacts where id = ${contactId} and workspace_id = ${workspaceId}`);
    if (!contact) {
      throw new AppError('contact.not_found', `There is no contact ${contactId}.`);
    }
    const channelId = body.channel === undefined ? null : (await findConsentChannel(tx, workspaceId, body.channel)).id;
    await findConsentPurpose(tx, workspaceId, body.purpose);
    const text = body.text ? await findConsentText(tx, workspaceId, body.text, body.purpose) : undefined;
    const [event] = await insertConsentEvents(tx, [
      {
        workspaceId,
        contactId: contact.id,
        purpose: body.purpose,
        channelId,
        decision: body.decision,
        ...(text ? { text: { slug: text.slug, version: text.version, language: text.language, hash: text.hash } } : {}),
        method: body.method,
        evidence: body.evidence,
        actor: { ...audit.actor },
      },
    ]);
    await appendAudit(tx, consentAuditEntries([event!]).map((e) => ({ ...e, actor: audit.actor, ...(audit.source ? { source: audit.source } : {}) })));
    return event!;
  });
}

/** A channel of the workspace by slug, or `channel.not_found`. */
export async function findConsentChannel(ex: Executor, workspaceId: string, slug: string): Promise<{ id: string; kind: string }> {
  const [channel] = await query<{ id: string; kind: string }>(ex, sql`select id, kind from channels where slug = ${slug} and workspace_id = ${workspaceId}`);
  if (!channel) {
    throw new AppError('channel.not_found', `There is no channel "${slug}".`);
  }
  return channel;
}

/** The workspace's purpose by id (GDPR-01) with the workspace's settings, or `consent.unknown_purpose`. */
export async function findConsentPurpose(ex: Executor, workspaceId: string, id: string): Promise<{ purpose: Purpose; settings: WorkspaceSettings }> {
  const [workspace] = await query<{ settings: unknown }>(ex, sql`select settings from workspaces where id = ${workspaceId}`);
  const settings = storedSettings(workspace?.settings);
  const purpose = purposesOf(settings).get(id);
  if (!purpose) {
    throw new AppError('consent.unknown_purpose', `The workspace has no purpose "${id}" (workspace.yaml purposes).`);
  }
  return { purpose, settings };
}

export interface ConsentTextVersion {
  slug: string;
  version: number;
  language: string;
  hash: string;
  /** The wording as stored (and shown). */
  wording: string;
}

/**
 * A consent text version for a purpose, or `consent.unknown_text`. Without a language: the first of `preferred` the
 * version has, else any of its languages — an import names the version, each row gets it in its own language.
 */
export async function findConsentText(
  ex: Executor,
  workspaceId: string,
  ref: { id: string; version: number; language?: string },
  purpose: string,
  preferred: Array<string | null | undefined> = [],
): Promise<ConsentTextVersion> {
  const byLanguage = ref.language === undefined ? sql`` : sql`and language = ${ref.language}`;
  const rows = await query<{ language: string; hash: string; purposes: string[]; text: string }>(
    ex,
    sql`select language, hash, purposes, text from consent_texts where workspace_id = ${workspaceId} and slug = ${ref.id} and version = ${ref.version} ${byLanguage} order by language`,
  );
  const row = preferred.map((l) => rows.find((r) => r.language === l)).find((r) => r !== undefined) ?? rows[0];
  if (!row) {
    throw new AppError('consent.unknown_text', `There is no consent text "${ref.id}" version ${ref.version}${ref.language === undefined ? '' : ` in "${ref.language}"`}.`);
  }
  if (!row.purposes.includes(purpose)) {
    throw new AppError('consent.unknown_text', `Consent text "${ref.id}" asks for ${row.purposes.join(', ')}, not for "${purpose}".`);
  }
  return { slug: ref.id, version: ref.version, language: row.language, hash: row.hash, wording: row.text };
}
