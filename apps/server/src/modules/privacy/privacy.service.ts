/**
 * The access export (GDPR-18, Art. 15): everything Parley holds about one contact, read in ONE read-only
 * repeatable-read snapshot so the parts agree with each other, and audited in a transaction of its own (AUD-08):
 * no audit entry, no export. A request for an unknown contact is audited as a failed attempt and answered with
 * `contact.not_found`. The audit entries hold ids and counts only, never the exported data (AUD-07).
 */
import type { Db, Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit, SYSTEM_AUDIT } from '../audit/index.js';
import { consentHistory as readConsentHistory, type ConsentRow } from '../consent/index.js';
import { type ExportLanguage, renderContactExportHtml } from './privacy-html.js';
import { type ContactRef, parseContactRef, resolveContactRef } from './contact-ref.js';
import * as store from './privacy.store.js';
import { answerRefusal } from './requests.policy.js';
import { answerAccessRequest, getRequestCase } from './requests.service.js';

export { type ContactRef, parseContactRef };

/** The version of the JSON shape below; a breaking change to it gets a new one. */
export const CONTACT_EXPORT_SCHEMA = 'parley.contact-export/v1';
/** The version of the consent-history-only JSON (GDPR-06). */
export const CONSENT_HISTORY_SCHEMA = 'parley.consent-history/v1';

export type ExportFormat = 'json' | 'html';
export type ExportScope = 'full' | 'consent';

export type StatusStep = { status: string; occurredAt: string | null; receivedAt: string; errorCode: string | null; errorReason: string | null };
export type ExportedMessage = Omit<store.MessageRow, 'conversationId'> & { statusTimeline: StatusStep[] };
export type ExportedConversation = {
  id: string;
  channel: { id: string; kind: string | null; slug: string | null; name: string | null };
  address: string;
  state: string;
  createdAt: string;
  lastInboundAt: string | null;
  lastMessageAt: string | null;
  /** The bot's flow run in this conversation (FlowRunState), null when none. */
  flowState: unknown;
  lastMenu: unknown;
  messages: ExportedMessage[];
  /** What the person asked that the library could not answer (issue #3). */
  unansweredQuestions: Array<Omit<store.UnansweredRow, 'conversationId'>>;
};
export type ConsentEntry = {
  id: number;
  at: string;
  purpose: string;
  /** Null: the decision covers every channel (an objection, GDPR-15). */
  channel: { id: string; kind: string | null; name: string | null } | null;
  decision: string;
  method: string;
  /** The exact wording shown (GDPR-05); `wording` null when the text version is not stored. */
  text: { slug: string; version: number | null; language: string | null; hash: string | null; wording: string | null } | null;
  evidence: Record<string, unknown>;
  actor: Record<string, unknown>;
};

/**
 * The export, JSON-safe and deterministic for a given database state apart from `exportedAt`. Documented in
 * docs/compliance.md ("Answering an access request").
 */
export type ContactExport = {
  schema: typeof CONTACT_EXPORT_SCHEMA;
  exportedAt: string;
  workspace: store.WorkspaceRow;
  contact: store.ContactRow;
  identities: store.IdentityRow[];
  conversations: ExportedConversation[];
  subscriptions: store.SubscriptionRow[];
  consentHistory: ConsentEntry[];
  auditEntries: store.AuditRow[];
  /** Art. 15(1) meta-information derived from the data: purposes seen, channels, recipients, what is not in it. */
  about: { purposes: string[]; channelKinds: string[]; recipients: string[]; notIncluded: string[] };
  counts: ExportCounts;
};
export type ExportCounts = { identities: number; conversations: number; messages: number; statusEvents: number; unansweredQuestions: number; subscriptions: number; consentEvents: number; auditEntries: number };

/** The consent history alone (GDPR-06): the contact's ids and addresses to identify it, and the ledger. */
export type ConsentHistoryExport = Pick<ContactExport, 'exportedAt' | 'workspace' | 'identities' | 'consentHistory'> & {
  schema: typeof CONSENT_HISTORY_SCHEMA;
  contact: Pick<store.ContactRow, 'id' | 'displayName'>;
};

export interface ExportContactOptions {
  audit?: AuditContext;
  /** What is handed out, for the audit entry: `consent` for the consent history alone. Default `full`. */
  scope?: ExportScope;
  format?: ExportFormat;
  /**
   * The access request this export answers (GDPR-17): refused with `privacy_request.not_verified` before anything is
   * read while the requester's identity is not verified; the case is marked answered with the export.
   */
  request?: string;
}

/**
 * Everything about the contact `contactRef` names — a contact id or a phone number in any usual spelling
 * (`+49 151 2345678`, `0049151…`, `49151…`) — as of one snapshot. Throws `validation.failed` for a ref that is
 * neither, `contact.not_found` (audited as `contact.export_attempted`) when nothing matches, and
 * `contact.ambiguous` when a number belongs to more than one contact (export each by id).
 *
 * @example const data = await exportContact(db, workspace.id, '+49 151 2345678', { audit: cliAudit() });
 */
export async function exportContact(db: Db, workspaceId: string, contactRef: string, opts: ExportContactOptions = {}): Promise<ContactExport> {
  const audit = opts.audit ?? SYSTEM_AUDIT;
  const { contactId, ref } = await resolveContactRef(db, workspaceId, contactRef, { audit, attemptAction: 'contact.export_attempted', details: { scope: opts.scope ?? 'full' } });
  if (opts.request !== undefined) {
    // GDPR-17: nothing is read for a request whose requester is not verified (checked again, locked, below).
    const c = await getRequestCase({ db, workspaceId }, opts.request);
    const refused = answerRefusal(c, contactId, c.contactId);
    if (refused) {
      throw new AppError(refused.code, refused.message);
    }
  }
  const data = await db.transaction(async (tx) => readExport(tx, workspaceId, contactId), { isolationLevel: 'repeatable read', accessMode: 'read only' });
  if (!data) {
    throw new AppError('contact.not_found', `There is no contact ${contactId}.`); // erased a moment ago
  }
  await db.transaction(async (tx) => {
    await appendAudit(tx, [{
      workspaceId,
      ...audit,
      action: 'contact.exported',
      object: { type: 'contact', id: data.contact.id },
      after: { scope: opts.scope ?? 'full', format: opts.format ?? 'json', ref: ref.kind, counts: data.counts, ...(opts.request ? { request: opts.request } : {}) },
    }]);
    if (opts.request !== undefined) {
      await answerAccessRequest(tx, workspaceId, opts.request, data.contact.id, audit, { scope: opts.scope ?? 'full', format: opts.format ?? 'json', counts: data.counts });
    }
  });
  return data;
}

export interface RenderedExport {
  contactId: string;
  contentType: string;
  /** JSON (two-space indented, with a final newline) or the HTML page. */
  body: string;
  counts: ExportCounts;
}

/**
 * `exportContact` plus its presentation: the full export or the consent history alone (GDPR-06), as JSON or as
 * the printable HTML page. What the CLI and the admin API hand out, byte for byte.
 *
 * @example const { body } = await renderContactExport(db, ws, id, { format: 'html', lang: 'de', consentOnly: true });
 */
export async function renderContactExport(
  db: Db,
  workspaceId: string,
  contactRef: string,
  opts: { format: ExportFormat; lang: ExportLanguage; consentOnly: boolean; audit?: AuditContext; request?: string },
): Promise<RenderedExport> {
  const scope: ExportScope = opts.consentOnly ? 'consent' : 'full';
  const data = await exportContact(db, workspaceId, contactRef, { audit: opts.audit, scope, format: opts.format, request: opts.request });
  const base = { contactId: data.contact.id, counts: data.counts };
  if (opts.format === 'html') {
    return { ...base, contentType: 'text/html; charset=utf-8', body: renderContactExportHtml(data, { lang: opts.lang, consentOnly: opts.consentOnly }) };
  }
  const json = opts.consentOnly ? toConsentHistory(data) : data;
  return { ...base, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(json, null, 2)}\n` };
}

/** The consent-history-only view of an export (GDPR-06). */
export function toConsentHistory(data: ContactExport): ConsentHistoryExport {
  return {
    schema: CONSENT_HISTORY_SCHEMA,
    exportedAt: data.exportedAt,
    workspace: data.workspace,
    contact: { id: data.contact.id, displayName: data.contact.displayName },
    identities: data.identities,
    consentHistory: data.consentHistory,
  };
}

// Inside the transaction every query goes through `tx` (on PGlite a query on `db` would wait for it forever).
async function readExport(tx: Tx, workspaceId: string, contactId: string): Promise<ContactExport | undefined> {
  const contact = await store.findContact(tx, workspaceId, contactId);
  const workspace = await store.findWorkspace(tx, workspaceId);
  if (!contact || !workspace) {
    return undefined;
  }
  const identities = await store.listIdentities(tx, workspaceId, contactId);
  const conversationRows = await store.listConversations(tx, workspaceId, contactId);
  const conversationIds = conversationRows.map((c) => c.id);
  const messages = await store.listMessages(tx, workspaceId, conversationIds);
  const messageIds = messages.map((m) => m.id);
  const statuses = await store.listStatusEvents(tx, workspaceId, messageIds);
  const unanswered = await store.listUnansweredQuestions(tx, workspaceId, conversationIds);
  const subscriptions = await store.listSubscriptions(tx, workspaceId, contactId);
  const consent = await readConsentHistory(tx, workspaceId, contactId);
  const objectIds = [contactId, ...conversationIds, ...messageIds, ...subscriptions.map((s) => s.id), ...consent.map((c) => String(c.id))];
  const auditEntries = await store.listAuditEntries(tx, workspaceId, objectIds);

  const conversations = conversationRows.map((c) => toConversation(c, messages, statuses, unanswered));
  const consentHistory = consent.map(toConsentEntry);
  const counts: ExportCounts = {
    identities: identities.length,
    conversations: conversations.length,
    messages: messages.length,
    statusEvents: statuses.length,
    unansweredQuestions: unanswered.length,
    subscriptions: subscriptions.length,
    consentEvents: consentHistory.length,
    auditEntries: auditEntries.length,
  };
  const data: ContactExport = {
    schema: CONTACT_EXPORT_SCHEMA,
    exportedAt: new Date().toISOString(),
    workspace,
    contact,
    identities,
    conversations,
    subscriptions,
    consentHistory,
    auditEntries,
    about: describe(conversations, messages, subscriptions, consentHistory),
    counts,
  };
  return data;
}

function toConversation(c: store.ConversationRow, messages: store.MessageRow[], statuses: store.StatusEventRow[], unanswered: store.UnansweredRow[]): ExportedConversation {
  return {
    id: c.id,
    channel: { id: c.channelId, kind: c.channelKind, slug: c.channelSlug, name: c.channelName },
    address: c.address,
    state: c.state,
    createdAt: c.createdAt,
    lastInboundAt: c.lastInboundAt,
    lastMessageAt: c.lastMessageAt,
    flowState: c.flowState ?? null,
    lastMenu: c.lastMenu ?? null,
    messages: messages
      .filter((m) => m.conversationId === c.id)
      .map(({ conversationId: _c, ...m }) => ({
        ...m,
        statusTimeline: statuses.filter((s) => s.messageId === m.id).map(({ messageId: _m, ...s }) => s),
      })),
    unansweredQuestions: unanswered.filter((q) => q.conversationId === c.id).map(({ conversationId: _c, ...q }) => q),
  };
}

function toConsentEntry(e: ConsentRow): ConsentEntry {
  return {
    id: e.id,
    at: e.at,
    purpose: e.purpose,
    channel: e.channelId ? { id: e.channelId, kind: e.channelKind, name: e.channelName } : null,
    decision: e.decision,
    method: e.method,
    text: e.textSlug ? { slug: e.textSlug, version: e.textVersion, language: e.textLanguage, hash: e.textHash ?? e.wordingHash, wording: e.wording } : null,
    evidence: e.evidence,
    actor: e.actor,
  };
}

/** Who receives messages on a channel kind besides the operator: the provider that carries them (Art. 15(1)(c)). */
const RECIPIENTS: Record<string, string> = {
  whatsapp: 'Meta Platforms Ireland Ltd. (WhatsApp Business Platform): carries the messages on WhatsApp',
};

function describe(conversations: ExportedConversation[], messages: store.MessageRow[], subscriptions: store.SubscriptionRow[], consent: ConsentEntry[]): ContactExport['about'] {
  const kinds = [...new Set(conversations.map((c) => c.channel.kind ?? 'unknown'))].sort();
  const purposes = new Set([...messages.map((m) => m.purpose), ...consent.map((c) => c.purpose), ...subscriptions.map((s) => `topic:${s.topicSlug}`)]);
  return {
    purposes: [...purposes].sort(),
    channelKinds: kinds,
    recipients: ['The operator of this Parley installation (self-hosted; controller and hosting)', ...kinds.map((k) => RECIPIENTS[k] ?? `The provider of the ${k} channel`)],
    notIncluded: [
      'media files: messages name them by the provider media id; the files stay with the provider',
      'raw provider webhook payloads (inbound_events), kept for processing only',
      'retention periods per data class and the lawful basis per purpose (configured outside this export)',
    ],
  };
}
