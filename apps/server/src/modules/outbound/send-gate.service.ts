/**
 * Puts the pure send gate in front of the dispatcher (ARCHITECTURE §3 outbound step 1): for a batch of queued
 * messages it reads the facts at dispatch time — the workspace's purposes and quiet hours, the conversation's last
 * inbound message, the current version of every library item a message carries — decides each message, and stores
 * every decision with its reason on the message and in the audit trail in ONE transaction (HWG-07, AUD-01, AUD-06).
 * A blocked message is final (status `blocked`): never sent, never retried.
 *
 * Consent is read from the ledger at dispatch time (GDPR-02): a STOP that arrived after the message was queued
 * blocks it. A pending double opt-in older than the workspace's `doubleOptIn.expiresAfterDays` counts as expired
 * (GDPR-12). Restrictions (Art. 18, GDPR-21) and the suppression list (GDPR-15) are read at dispatch time too.
 */
import { DEFAULT_PENDING_CONSENT_DAYS, needsConsent, OUTBOUND_STATUS_RANK, purposesOf, storedSettings } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { type Database, type Executor, query, toPgArray } from '../../platform/db.js';
import { appendAudit, type AuditEntryInput } from '../audit/index.js';
import { consentStates } from '../consent/index.js';
import { activeRestrictions, hashAddress, type KeyedHash, suppressedHashes } from '../privacy/index.js';
import { findTemplateCategory } from '../templates/index.js';
import { type ConsentState, decideSend, type GateContent, type SendDecision } from './send-gate.js';

/** WhatsApp's customer-service window (WA-02). */
const WINDOW_HOURS: Record<string, number | undefined> = { whatsapp: 24 };

/**
 * The customer-service window of a channel kind in hours (WA-02), or undefined for channels without one — the
 * gate's own number, so the inbox's composer says what the gate will decide.
 */
export function serviceWindowHours(channelKind: string): number | undefined {
  return WINDOW_HOURS[channelKind];
}

export interface GateMessage {
  id: string;
  workspaceId: string;
  conversationId: string;
  contactId: string;
  channelId: string;
  /** The conversation's address on its channel: its keyed hash is looked up in the suppression list. */
  address: string;
  purpose: string;
  contentRefs: string[] | null;
  channelKind: string;
  lastInboundAt: Date | string | null;
  form: 'free' | 'template';
  /** For a template: its name and language in the registry (the category decides WA-03). */
  template?: { name: string; language: string };
}

interface ItemFact {
  workspaceId: string;
  slug: string;
  status: GateContent['status'];
  audience: GateContent['audience'];
  validFrom: string | null;
  validUntil: string | null;
}

/** Decides a batch at `now`; returns each message's decision. Reads only. */
export async function decideBatch(ex: Executor, messages: GateMessage[], now: Date, keyedHash: KeyedHash): Promise<Map<string, SendDecision>> {
  const decisions = new Map<string, SendDecision>();
  if (messages.length === 0) {
    return decisions;
  }
  const workspaceIds = [...new Set(messages.map((m) => m.workspaceId))];
  const settingsRows = await query<{ id: string; settings: unknown }>(ex, sql`select id, settings from workspaces where id = any(${toPgArray(workspaceIds)}::uuid[])`);
  const settings = new Map(settingsRows.map((r) => [r.id, storedSettings(r.settings)]));
  const refs = [...new Set(messages.flatMap((m) => (m.contentRefs ?? []).map((slug) => `${m.workspaceId}|${slug}`)))];
  const items = new Map<string, ItemFact>();
  if (refs.length > 0) {
    const rows = await query<ItemFact>(
      ex,
      sql`select distinct on (i.workspace_id, i.slug) i.workspace_id as "workspaceId", i.slug, v.status, v.audience,
                 to_char(v.valid_from, 'YYYY-MM-DD') as "validFrom", to_char(v.valid_until, 'YYYY-MM-DD') as "validUntil"
          from content_items i join content_versions v on v.item_id = i.id
          where (i.workspace_id::text || '|' || i.slug) = any(${toPgArray(refs)}::text[])
          order by i.workspace_id, i.slug, v.version desc`,
    );
    rows.forEach((r) => items.set(`${r.workspaceId}|${r.slug}`, r));
  }
  const workspace = (workspaceId: string) => {
    const ws = settings.get(workspaceId) ?? {};
    return { ws, purposes: purposesOf(ws) };
  };
  const consent = new Map<string, string>();
  const restricted = new Set<string>();
  const suppressed = new Set<string>();
  for (const workspaceId of workspaceIds) {
    const { ws, purposes } = workspace(workspaceId);
    const ofWorkspace = messages.filter((m) => m.workspaceId === workspaceId);
    const needed = ofWorkspace.filter((m) => {
      const purpose = purposes.get(m.purpose);
      return purpose !== undefined && needsConsent(purpose);
    });
    const pendingDays = ws.doubleOptIn?.expiresAfterDays ?? DEFAULT_PENDING_CONSENT_DAYS;
    const states = await consentStates(ex, workspaceId, needed.map((m) => ({ contactId: m.contactId, purpose: m.purpose, channelId: m.channelId })), { pendingDays });
    states.forEach((v, k) => consent.set(k, v));
    (await activeRestrictions(ex, workspaceId, ofWorkspace.map((m) => m.contactId))).forEach((contactId) => restricted.add(contactId));
    // Only promotional messages are suppressed (GDPR-15): hash just their addresses.
    const promotional = ofWorkspace.filter((m) => purposes.get(m.purpose)?.promotional).map((m) => ({ m, hash: hashAddress(keyedHash, m.address) }));
    const listed = await suppressedHashes(ex, workspaceId, promotional.map((x) => x.hash));
    promotional.filter((x) => listed.has(x.hash)).forEach((x) => suppressed.add(x.m.id));
  }
  const categories = new Map<string, Awaited<ReturnType<typeof findTemplateCategory>>>();
  for (const m of messages) {
    if (m.template) {
      categories.set(m.id, await findTemplateCategory(ex, m.channelId, m.template.name, m.template.language));
    }
  }
  for (const m of messages) {
    const { ws, purposes } = workspace(m.workspaceId);
    const purpose = purposes.get(m.purpose);
    const content = (m.contentRefs ?? []).map((slug): GateContent => {
      const fact = items.get(`${m.workspaceId}|${slug}`);
      // An item that no longer exists is not approved: fail closed.
      return fact
        ? { itemId: slug, status: fact.status, audience: fact.audience, ...(fact.validFrom ? { validFrom: fact.validFrom } : {}), ...(fact.validUntil ? { validUntil: fact.validUntil } : {}) }
        : { itemId: slug, status: 'withdrawn', audience: 'public' };
    });
    const windowHours = serviceWindowHours(m.channelKind);
    decisions.set(
      m.id,
      decideSend({
        now,
        purpose,
        message: { form: m.form, businessInitiated: purpose?.basis !== 'user_request', content, ...(categories.get(m.id) ? { templateCategory: categories.get(m.id)! } : {}) },
        channel: windowHours === undefined ? {} : { serviceWindowHours: windowHours },
        contact: {
          consent: (consent.get(`${m.contactId}|${m.purpose}|${m.channelId}`) ?? 'none') as ConsentState,
          suppressed: suppressed.has(m.id),
          restricted: restricted.has(m.contactId),
          verifiedFor: [],
          lastInboundAt: m.lastInboundAt ? new Date(m.lastInboundAt) : null,
        },
        ...(ws.quietHours ? { quietHours: ws.quietHours } : {}),
      }),
    );
  }
  return decisions;
}

/**
 * Stores decisions: blocked messages become `blocked` with their reason, allowed ones keep their status and get
 * `send.allowed`; every decision is an audit entry, in the same transaction. Deferrals are not stored (they are
 * decided again when they come due).
 */
export async function recordDecisions(database: Database, messages: GateMessage[], decisions: Map<string, SendDecision>): Promise<void> {
  const decided = messages.flatMap((m) => {
    const d = decisions.get(m.id);
    return d && d.outcome !== 'defer' ? [{ m, d }] : [];
  });
  if (decided.length === 0) {
    return;
  }
  await database.db.transaction(async (tx) => {
    await tx.execute(
      sql`update messages m set gate_reason = x.reason, updated_at = now(),
                 status = case when x.blocked then 'blocked' else m.status end,
                 status_rank = case when x.blocked then ${OUTBOUND_STATUS_RANK.blocked} else m.status_rank end,
                 error_code = case when x.blocked then x.reason else m.error_code end,
                 error_reason = case when x.blocked then x.detail else m.error_reason end
          from unnest(${toPgArray(decided.map((x) => x.m.id))}::uuid[], ${toPgArray(decided.map((x) => x.d.reason))}::text[],
                      ${toPgArray(decided.map((x) => String(x.d.outcome === 'block')))}::boolean[],
                      ${toPgArray(decided.map((x) => (x.d.outcome === 'block' ? (x.d.detail ?? null) : null)))}::text[]) as x(id, reason, blocked, detail)
          where m.id = x.id and m.status = 'queued'`,
    );
    const entries: AuditEntryInput[] = decided.map(({ m, d }) => ({
      workspaceId: m.workspaceId,
      actor: { kind: 'system', id: 'send-gate' },
      action: 'send.decided',
      object: { type: 'message', id: m.id },
      after: { decision: d.outcome, reason: d.reason, purpose: m.purpose, conversation: m.conversationId, ...(m.contentRefs?.length ? { items: m.contentRefs } : {}) },
      outcome: d.outcome === 'block' ? 'denied' : 'success',
    }));
    await appendAudit(tx, entries);
  });
}
