/**
 * The ledger side of a double opt-in answer (GDPR-10/11/12): which pending consents a conversation can still confirm
 * — pending on THIS conversation's channel, the latest event for its purpose, younger than the workspace's expiry —
 * and the `granted`/`denied` events that answer them, each naming the pending event and the reply's message id.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';
import { insertConsentEvents, type StoredConsentEvent } from './consent.store.js';

export interface OpenDoubleOptIn {
  workspaceId: string;
  conversationId: string;
  contactId: string;
  channelId: string;
  /** The pending event this answer would confirm. */
  eventId: number;
  purpose: string;
  at: string;
  text: { slug: string; version: number; language: string; hash: string } | undefined;
  /** The request message the pending event names (`evidence.requestMessageId`), if any. */
  requestMessageId: string | undefined;
}

/**
 * The open double opt-ins of each conversation, newest first. A pending consent recorded for another channel, one
 * a later event (a STOP, an objection for every channel, the sweep's `expired`) replaced, or one older than
 * `expiresAfterDays` is not open.
 */
export async function findOpenDoubleOptIns(ex: Executor, queries: Array<{ conversationId: string; expiresAfterDays: number }>): Promise<Map<string, OpenDoubleOptIn[]>> {
  const open = new Map<string, OpenDoubleOptIn[]>();
  if (queries.length === 0) {
    return open;
  }
  const rows = await query<{
    workspaceId: string;
    conversationId: string;
    contactId: string;
    channelId: string;
    eventId: string;
    purpose: string;
    at: Date | string;
    slug: string | null;
    version: number | null;
    language: string | null;
    hash: string | null;
    requestMessageId: string | null;
  }>(
    ex,
    sql`select c.workspace_id as "workspaceId", c.id as "conversationId", c.contact_id as "contactId", c.channel_id as "channelId", e.id::text as "eventId",
               e.purpose, e.at, e.text_slug as slug, e.text_version as version, e.text_language as language, e.text_hash as hash,
               e.evidence->>'requestMessageId' as "requestMessageId"
        from unnest(${toPgArray(queries.map((q) => q.conversationId))}::uuid[], ${toPgArray(queries.map((q) => q.expiresAfterDays))}::int[]) as x(conv, days)
        join conversations c on c.id = x.conv
        cross join lateral (
          -- the latest event per purpose on this channel or for every channel decides, as in consentStates
          select distinct on (ev.purpose) ev.id, ev.purpose, ev.decision, ev.channel_id, ev.at, ev.text_slug, ev.text_version, ev.text_language, ev.text_hash, ev.evidence
          from consent_events ev
          where ev.workspace_id = c.workspace_id and ev.contact_id = c.contact_id and (ev.channel_id = c.channel_id or ev.channel_id is null)
          order by ev.purpose, ev.id desc) e
        where e.decision = 'pending' and e.channel_id = c.channel_id and e.at > now() - make_interval(days => x.days)
        order by e.id desc`,
  );
  for (const r of rows) {
    const list = open.get(r.conversationId) ?? [];
    list.push({
      workspaceId: r.workspaceId,
      conversationId: r.conversationId,
      contactId: r.contactId,
      channelId: r.channelId,
      eventId: Number(r.eventId),
      purpose: r.purpose,
      at: new Date(r.at).toISOString(),
      text: r.slug !== null && r.version !== null && r.language !== null && r.hash !== null ? { slug: r.slug, version: r.version, language: r.language, hash: r.hash } : undefined,
      requestMessageId: r.requestMessageId ?? undefined,
    });
    open.set(r.conversationId, list);
  }
  return open;
}

export interface DoubleOptInAnswer {
  pending: OpenDoubleOptIn;
  decision: 'granted' | 'denied';
  /** A tapped request button, or a typed word. */
  method: 'button' | 'keyword';
  /** The reply that answered: its provider message id. */
  providerMessageId: string;
}

/**
 * Records answers to pending consents on the pending event's channel, with the wording it named: the ledger then
 * holds "request sent" (the pending event) and "confirmation received" (this one), linked by `evidence.pendingEventId`.
 */
export async function recordDoubleOptInAnswers(ex: Executor, answers: DoubleOptInAnswer[]): Promise<StoredConsentEvent[]> {
  return insertConsentEvents(
    ex,
    answers.map(({ pending, decision, method, providerMessageId }) => ({
      workspaceId: pending.workspaceId,
      contactId: pending.contactId,
      purpose: pending.purpose,
      channelId: pending.channelId,
      decision,
      ...(pending.text ? { text: pending.text } : {}),
      method,
      evidence: { providerMessageId, pendingEventId: pending.eventId, ...(pending.requestMessageId ? { requestMessageId: pending.requestMessageId } : {}) },
      actor: { kind: 'contact' },
    })),
  );
}
