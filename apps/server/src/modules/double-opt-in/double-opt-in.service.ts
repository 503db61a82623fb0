/**
 * Double opt-in requests (GDPR-10/11/12/15): a number that arrives by import or API — or a known contact for whom a
 * pending consent is recorded — is asked on the channel itself, and only its answer there makes the consent count.
 * ONE transaction per number: the contact, identity and conversation (created when new), the `pending` event naming
 * the request message, the queued request and the audit entry — all or nothing. A suppressed address gets nothing
 * (GDPR-15); a number that confirmed already, or whose request is still open, gets nothing more; a request that
 * expired unanswered is not repeated (GDPR-12).
 */
import { LanguageCode, type Purpose, type WorkspaceSettings } from '@parley/contracts';
import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../platform/db.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import { getAdapter } from '../channels/index.js';
import {
  type ConsentImportBody,
  type ConsentImportOutcome,
  type ConsentImportReport,
  consentAuditEntries,
  consentStates,
  doubleOptInExpiryDays,
  type DoubleOptInOutcome,
  type DoubleOptInRequests,
  findConsentChannel,
  findConsentPurpose,
  findConsentText,
  insertConsentEvents,
  purposeLabel,
  type RecordConsentBody,
} from '../consent/index.js';
import { openConversations } from '../conversations/index.js';
import { enqueueOutbound } from '../outbound/index.js';
import { hashAddress, type KeyedHash, suppressedHashes } from '../privacy/index.js';
import { composeRequest } from './double-opt-in.request.js';
import { findContactAddress, findContactIdByAddress, findWorkspaceFacts } from './double-opt-in.store.js';

/** @example const doi = createDoubleOptInService({ db, keyedHash: (v) => secretBox.keyedHash(v) }); await doi.requestConfirmation(ws, body, audit); */
export function createDoubleOptInService(deps: { db: Db; keyedHash: KeyedHash }): DoubleOptInRequests {
  const { db } = deps;

  async function requestConfirmation(workspaceId: string, body: RecordConsentBody, audit: AuditContext): Promise<DoubleOptInOutcome> {
    if (body.channel === undefined || body.text === undefined) {
      throw new AppError('validation.failed', 'A pending consent is asked on one channel (GDPR-10) and names the wording: give "channel" and "text".');
    }
    if (body.decision !== 'pending') {
      throw new AppError('validation.failed', 'Only a pending consent starts a double opt-in.');
    }
    const { channel, text } = body;
    return db.transaction(async (tx) => {
      const scope = await resolveScope(tx, workspaceId, channel, body.purpose);
      await findConsentText(tx, workspaceId, text, body.purpose);
      const target = body.contactId !== undefined ? { contactId: body.contactId } : { address: toPhoneAddress(scope.channel.kind, body.address ?? ''), name: body.name, language: body.language };
      return request(tx, scope, text, target, { method: body.method, evidence: body.evidence, audit });
    });
  }

  async function importConsents(workspaceId: string, body: ConsentImportBody, audit: AuditContext): Promise<ConsentImportReport> {
    // The whole import is refused, with nothing recorded, when its channel, purpose or wording version is unknown.
    await db.transaction(async (tx) => {
      const scope = await resolveScope(tx, workspaceId, body.channel, body.purpose);
      await findConsentText(tx, workspaceId, body.text, body.purpose, [scope.workspace.defaultLanguage]);
    });
    const batch = body.batch ?? randomUUID();
    const report: ConsentImportReport = { batch, counts: { requested: 0, already_granted: 0, already_pending: 0, suppressed: 0, expired: 0, invalid: 0, failed: 0 }, rows: [] };
    for (const row of body.rows) {
      const result = await importRow(workspaceId, body, row, batch, audit);
      report.counts[result.outcome] += 1;
      report.rows.push({ line: row.line, ...result });
    }
    return report;
  }

  /** One row in its own transaction: whatever happens to it, the other rows go on (and nothing of it is half-recorded). */
  async function importRow(
    workspaceId: string,
    body: ConsentImportBody,
    row: ConsentImportBody['rows'][number],
    batch: string,
    audit: AuditContext,
  ): Promise<{ outcome: ConsentImportOutcome; reason?: string; contactId?: string; eventId?: number }> {
    const language = row.language?.trim() ? LanguageCode.safeParse(row.language.trim().toLowerCase()) : undefined;
    const name = row.name?.trim() || undefined;
    if (language && !language.success) {
      return { outcome: 'invalid', reason: `"${row.language}" is not a language code (de, en, …)` };
    }
    if (name !== undefined && name.length > 200) {
      return { outcome: 'invalid', reason: 'the name is longer than 200 characters' };
    }
    try {
      const result = await db.transaction(async (tx) => {
        const scope = await resolveScope(tx, workspaceId, body.channel, body.purpose);
        const address = toPhoneAddress(scope.channel.kind, row.address);
        const evidence = { importBatch: batch, line: row.line, ...(body.source ? { source: body.source } : {}) };
        return request(tx, scope, body.text, { address, name, language: language?.data }, { method: body.method, evidence, audit });
      });
      return result.outcome === 'requested' ? { outcome: 'requested', contactId: result.contactId, eventId: result.event.id } : { outcome: result.outcome, contactId: result.contactId };
    } catch (err) {
      if (!isAppError(err)) {
        return { outcome: 'failed', reason: err instanceof Error ? err.message : String(err) };
      }
      const outcome: ConsentImportOutcome =
        err.code === 'consent.suppressed' ? 'suppressed' : err.code === 'consent.confirmation_expired' ? 'expired' : err.code === 'validation.failed' ? 'invalid' : 'failed';
      return { outcome, reason: err.message };
    }
  }

  interface Scope {
    workspaceId: string;
    workspace: { name: string; defaultLanguage: string; settings: WorkspaceSettings };
    channel: { id: string; kind: string; slug: string };
    purpose: Purpose;
  }

  /** Channel, then purpose — checked in the order `recordConsent` checks them, so both refuse alike. */
  async function resolveScope(tx: Tx, workspaceId: string, channelSlug: string, purposeId: string): Promise<Scope> {
    const channel = await findConsentChannel(tx, workspaceId, channelSlug);
    const { purpose, settings } = await findConsentPurpose(tx, workspaceId, purposeId);
    const facts = await findWorkspaceFacts(tx, workspaceId);
    return {
      workspaceId,
      workspace: { name: facts?.name ?? '', defaultLanguage: facts?.defaultLanguage ?? 'de', settings },
      channel: { ...channel, slug: channelSlug },
      purpose,
    };
  }

  async function request(
    tx: Tx,
    scope: Scope,
    textRef: { id: string; version: number; language?: string },
    target: { contactId: string } | { address: string; name?: string | undefined; language?: string | undefined },
    how: { method: RecordConsentBody['method']; evidence: Record<string, unknown>; audit: AuditContext },
  ): Promise<DoubleOptInOutcome> {
    const { workspaceId, channel, purpose } = scope;
    const settings = scope.workspace.settings;
    const known = 'contactId' in target ? await findContactAddress(tx, workspaceId, target.contactId, channel) : undefined;
    if ('contactId' in target && !known) {
      throw new AppError('contact.not_found', `There is no contact ${target.contactId}.`);
    }
    const address = 'contactId' in target ? known?.address : target.address;
    if (!address) {
      throw new AppError('consent.no_address', `The contact has no address on a ${channel.kind} channel; give "address" instead of "contactId".`);
    }
    // GDPR-15: an address that objected or was erased never gets a pending consent or a request again.
    if ((await suppressedHashes(tx, workspaceId, [hashAddress(deps.keyedHash, address)])).size > 0) {
      throw new AppError('consent.suppressed', 'This address is on the suppression list (objection or erasure, GDPR-15): no consent is recorded and no request is sent.');
    }
    const days = doubleOptInExpiryDays(settings);
    const existing = 'contactId' in target ? target.contactId : await findContactIdByAddress(tx, workspaceId, channel.kind, address);
    if (existing) {
      const states = await consentStates(tx, workspaceId, [{ contactId: existing, purpose: purpose.id, channelId: channel.id }], { pendingDays: days });
      const state = states.get(`${existing}|${purpose.id}|${channel.id}`);
      if (state === 'granted' || state === 'pending') {
        return { outcome: state === 'granted' ? 'already_granted' : 'already_pending', contactId: existing };
      }
      if (state === 'expired') {
        throw new AppError('consent.confirmation_expired', `The number did not answer its confirmation request for "${purpose.id}" within ${days} days; it is not asked again (GDPR-12).`);
      }
    }
    const input = { workspaceId, channelId: channel.id, kind: channel.kind, address, ...('contactId' in target ? {} : { ...(target.name ? { displayName: target.name } : {}), ...(target.language ? { language: target.language } : {}) }) };
    // An identity created by a concurrent transaction comes back empty once; the second try finds it.
    const opened = (await openConversations(tx, [input]))[0] ?? (await openConversations(tx, [input]))[0];
    if (!opened) {
      throw new AppError('consent.conflict', 'The contact was changed at the same time; try again.');
    }
    // The wording in the contact's language where the version has it; the request speaks the wording's language.
    const text = await findConsentText(tx, workspaceId, textRef, purpose.id, ['contactId' in target ? undefined : target.language, opened.contactLanguage, scope.workspace.defaultLanguage]);
    const language = text.language;
    const { contents, form } = await composeRequest(tx, {
      channel,
      lastInboundAt: opened.lastInboundAt,
      now: new Date(),
      sender: settings.organisation ?? scope.workspace.name,
      purpose: purpose.id,
      purposeLabel: purposeLabel(purpose, purpose.id, language),
      text: { slug: text.slug, version: text.version, wording: text.wording },
      language,
      expiresAfterDays: days,
      settings,
    });
    const ids = await enqueueOutbound(tx, contents.map((content) => ({ workspaceId, conversationId: opened.conversationId, channelId: channel.id, content, purpose: 'consent-confirmation' })));
    const requestMessageId = ids.at(-1)!;
    const [event] = await insertConsentEvents(tx, [
      {
        workspaceId,
        contactId: opened.contactId,
        purpose: purpose.id,
        channelId: channel.id,
        decision: 'pending',
        text: { slug: text.slug, version: text.version, language: text.language, hash: text.hash },
        method: how.method,
        // "Request sent" in the ledger (GDPR-11): which message asked, and how.
        evidence: { ...how.evidence, requestMessageId, ...(ids.length > 1 ? { wordingMessageId: ids[0] } : {}), requestForm: form },
        actor: { ...how.audit.actor },
      },
    ]);
    await appendAudit(tx, consentAuditEntries([event!]).map((e) => ({ ...e, actor: how.audit.actor, ...(how.audit.source ? { source: how.audit.source } : {}) })));
    return { outcome: 'requested', event: event!, contactId: opened.contactId, conversationId: opened.conversationId, requestMessageId };
  }

  return { requestConfirmation, importConsents };
}

/**
 * A phone number in international format as the channel's adapter spells it, or `validation.failed`: 8–15 digits
 * after an optional `+` or `00`, spaces, dots, dashes and brackets allowed; a national number (0171 …) is refused —
 * Parley does not guess the country.
 */
export function toPhoneAddress(kind: string, raw: string): string {
  const trimmed = raw.trim();
  // A leading 0 that is not 00 is a national number: after dropping + or 00 the first digit must be a country code.
  const digits = trimmed.replace(/[\s().\-/]/g, '').replace(/^(\+|00)/, '');
  if (!/^[1-9]\d{7,14}$/.test(digits)) {
    throw new AppError('validation.failed', `"${trimmed.slice(0, 40)}" is not a phone number in international format (e.g. +49 171 1234567).`);
  }
  return getAdapter(kind).normaliseAddress(digits);
}
