/**
 * The consent ledger (GDPR-05, ARCHITECTURE §7): append-only events per contact, purpose and channel; the current
 * state of a consent is DERIVED from the latest event — never stored as a flag. The database refuses UPDATE,
 * DELETE and TRUNCATE (migration 0009).
 */
import type { ConsentTextFile } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { sha256Hex } from '../../platform/canonical.js';
import { type Executor, query, toPgArray } from '../../platform/db.js';

/** The SHA-256 of a wording as shown (GDPR-05): what the ledger names next to the version. */
export function consentTextHash(wording: string): string {
  return sha256Hex(wording);
}

/**
 * Stores a consent text version (every language) unless stored already. The same version with other wording is
 * refused — wording that was shown to someone can never change; raise the version.
 */
export async function storeConsentText(ex: Executor, workspaceId: string, text: ConsentTextFile): Promise<'created' | 'unchanged' | { conflict: string }> {
  const languages = Object.entries(text.text);
  const stored = await query<{ language: string; hash: string; purposes: string[] }>(
    ex,
    sql`select language, hash, purposes from consent_texts where workspace_id = ${workspaceId} and slug = ${text.id} and version = ${text.version}`,
  );
  const byLanguage = new Map(stored.map((r) => [r.language, r]));
  for (const [language, wording] of languages) {
    const row = byLanguage.get(language);
    if (row && (row.hash !== consentTextHash(wording) || row.purposes[0] !== text.purpose)) {
      return { conflict: `consent text "${text.id}" version ${text.version} (${language}) is stored with other wording or purpose; wording once shown never changes — raise its version` };
    }
  }
  const missing = languages.filter(([language]) => !byLanguage.has(language));
  if (missing.length === 0) {
    return 'unchanged';
  }
  await ex.execute(
    sql`insert into consent_texts (workspace_id, slug, version, language, purposes, text, hash)
        select ${workspaceId}, ${text.id}, ${text.version}, l, ${JSON.stringify([text.purpose])}::jsonb, t, h
        from unnest(${toPgArray(missing.map(([l]) => l))}::text[], ${toPgArray(missing.map(([, t]) => t))}::text[], ${toPgArray(missing.map(([, t]) => consentTextHash(t)))}::text[]) as x(l, t, h)`,
  );
  return 'created';
}

export type ConsentDecision = 'granted' | 'denied' | 'withdrawn' | 'expired' | 'pending';
export type ConsentMethod = 'button' | 'keyword' | 'web_form_doi' | 'import' | 'api' | 'agent' | 'provider_signal' | 'expiry';

export interface ConsentEventInput {
  workspaceId: string;
  contactId: string;
  purpose: string;
  /** null: every channel (an objection). */
  channelId: string | null;
  decision: ConsentDecision;
  text?: { slug: string; version: number; language: string; hash: string };
  method: ConsentMethod;
  evidence?: Record<string, unknown>;
  actor: Record<string, unknown>;
}

export interface StoredConsentEvent extends ConsentEventInput {
  id: number;
  at: string;
}

export async function insertConsentEvents(ex: Executor, events: ConsentEventInput[]): Promise<StoredConsentEvent[]> {
  if (events.length === 0) {
    return [];
  }
  const col = <T extends string | number | null>(f: (e: ConsentEventInput) => T) => toPgArray(events.map(f));
  const rows = await query<{ id: number | string; at: Date | string; ord: number }>(
    ex,
    sql`insert into consent_events (workspace_id, contact_id, purpose, channel_id, decision, text_slug, text_version, text_language, text_hash, method, evidence, actor)
        select ws, contact, purpose, channel, decision, slug, version, language, hash, method, evidence::jsonb, actor::jsonb
        from unnest(${col((e) => e.workspaceId)}::uuid[], ${col((e) => e.contactId)}::uuid[], ${col((e) => e.purpose)}::text[], ${col((e) => e.channelId)}::uuid[],
                    ${col((e) => e.decision)}::text[], ${col((e) => e.text?.slug ?? null)}::text[], ${col((e) => e.text?.version ?? null)}::int[],
                    ${col((e) => e.text?.language ?? null)}::text[], ${col((e) => e.text?.hash ?? null)}::text[], ${col((e) => e.method)}::text[],
                    ${col((e) => JSON.stringify(e.evidence ?? {}))}::text[], ${col((e) => JSON.stringify(e.actor))}::text[])
             with ordinality as x(ws, contact, purpose, channel, decision, slug, version, language, hash, method, evidence, actor, ord)
        order by ord
        returning id, at`,
  );
  return events.map((e, i) => ({ ...e, id: Number(rows[i]?.id), at: new Date(rows[i]?.at ?? Date.now()).toISOString() }));
}

export interface ConsentQuery {
  contactId: string;
  purpose: string;
  channelId: string;
}

/** A consent's current state and the event that decided it (none: no event for the channel or for every channel). */
export type ConsentStateDetail = { state: ConsentDecision | 'none'; at: string | null; method: string | null };

/**
 * The state of each (contact, purpose, channel): the latest event for that channel or for every channel (an
 * objection) decides; a `pending` older than `pendingDays` counts as expired (GDPR-12). Keyed `contact|purpose|channel`.
 */
export async function consentStates(ex: Executor, workspaceId: string, queries: ConsentQuery[], opts: { pendingDays: number }): Promise<Map<string, ConsentDecision | 'none'>> {
  const details = await consentStateDetails(ex, workspaceId, queries, opts);
  return new Map([...details].map(([key, d]) => [key, d.state]));
}

/** `consentStates` with the deciding event's time (ISO 8601) and method, for the inbox's contact panel. */
export async function consentStateDetails(ex: Executor, workspaceId: string, queries: ConsentQuery[], opts: { pendingDays: number }): Promise<Map<string, ConsentStateDetail>> {
  const states = new Map<string, ConsentStateDetail>();
  if (queries.length === 0) {
    return states;
  }
  const rows = await query<{ contactId: string; purpose: string; channelId: string; decision: ConsentDecision; at: Date | string; method: string }>(
    ex,
    sql`select q.contact as "contactId", q.purpose, q.channel as "channelId", e.decision, e.at, e.method
        from unnest(${toPgArray(queries.map((q) => q.contactId))}::uuid[], ${toPgArray(queries.map((q) => q.purpose))}::text[], ${toPgArray(queries.map((q) => q.channelId))}::uuid[]) as q(contact, purpose, channel)
        cross join lateral (
          select decision, at, method from consent_events
          where workspace_id = ${workspaceId} and contact_id = q.contact and purpose = q.purpose and (channel_id = q.channel or channel_id is null)
          order by id desc limit 1) e`,
  );
  const expiredBefore = Date.now() - opts.pendingDays * 86_400_000;
  for (const q of queries) {
    states.set(`${q.contactId}|${q.purpose}|${q.channelId}`, { state: 'none', at: null, method: null });
  }
  for (const r of rows) {
    const at = new Date(r.at);
    const expired = r.decision === 'pending' && at.getTime() < expiredBefore;
    states.set(`${r.contactId}|${r.purpose}|${r.channelId}`, { state: expired ? 'expired' : r.decision, at: at.toISOString(), method: r.method });
  }
  return states;
}

export type ConsentRow = {
  id: number;
  purpose: string;
  channelId: string | null;
  channelKind: string | null;
  channelName: string | null;
  decision: string;
  method: string;
  textSlug: string | null;
  textVersion: number | null;
  textLanguage: string | null;
  textHash: string | null;
  /** The wording shown, from consent_texts; null when the event names no text or the text is missing. */
  wording: string | null;
  wordingHash: string | null;
  evidence: Record<string, unknown>;
  actor: Record<string, unknown>;
  at: string;
};

/** A contact's whole history in the order it was written, each event with the wording it refers to (GDPR-06). */
export async function consentHistory(ex: Executor, workspaceId: string, contactId: string): Promise<ConsentRow[]> {
  const rows = await query<Omit<ConsentRow, 'id'> & { id: string }>(
    ex,
    sql`select e.id::text as id, e.purpose, e.channel_id as "channelId", ch.kind as "channelKind", ch.name as "channelName",
               e.decision, e.method, e.text_slug as "textSlug", e.text_version as "textVersion", e.text_language as "textLanguage",
               e.text_hash as "textHash", t.text as wording, t.hash as "wordingHash", e.evidence, e.actor, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
        from consent_events e
        left join channels ch on ch.id = e.channel_id
        left join consent_texts t on t.workspace_id = e.workspace_id and t.slug = e.text_slug and t.version = e.text_version
                                 and t.language = e.text_language
        where e.workspace_id = ${workspaceId} and e.contact_id = ${contactId} order by e.id`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export interface KeywordConsentInput {
  workspaceId: string;
  conversationId: string;
  /** stop: withdraw these purposes on the conversation's channel; start: grant again those a keyword withdrew there. */
  kind: 'stop' | 'start';
  purposes: string[];
  method: ConsentMethod;
  evidence: Record<string, unknown>;
}

/**
 * STOP and START in a conversation (GDPR-13, WA-04): one ledger event per purpose on the conversation's channel,
 * set-based. START grants only what a STOP-like signal of the same method took away there, with a fresh event.
 * Returns the events written.
 */
export async function applyKeywordConsent(ex: Executor, inputs: KeywordConsentInput[]): Promise<StoredConsentEvent[]> {
  const rows = inputs.flatMap((i) => i.purposes.map((purpose) => ({ ...i, purpose })));
  if (rows.length === 0) {
    return [];
  }
  const col = <T extends string | null>(f: (r: (typeof rows)[number]) => T) => toPgArray(rows.map(f));
  const written = await query<{ id: number | string; at: Date | string; workspaceId: string; contactId: string; purpose: string; channelId: string; decision: ConsentDecision; method: ConsentMethod }>(
    ex,
    sql`with x as (
          select * from unnest(${col((r) => r.workspaceId)}::uuid[], ${col((r) => r.conversationId)}::uuid[], ${col((r) => r.kind)}::text[],
                               ${col((r) => r.purpose)}::text[], ${col((r) => r.method)}::text[], ${col((r) => JSON.stringify(r.evidence))}::text[])
            with ordinality as x(ws, conv, kind, purpose, method, evidence, ord)),
        target as (
          select x.*, c.contact_id, c.channel_id from x join conversations c on c.id = x.conv),
        eligible as (
          select t.* from target t
          where t.kind = 'stop' or exists (
            select 1 from (select decision, method from consent_events e
                           where e.workspace_id = t.ws and e.contact_id = t.contact_id and e.purpose = t.purpose and e.channel_id = t.channel_id
                           order by e.id desc limit 1) last
            where last.decision = 'withdrawn' and last.method = t.method))
        insert into consent_events (workspace_id, contact_id, purpose, channel_id, decision, method, evidence, actor)
        select ws, contact_id, purpose, channel_id, case when kind = 'stop' then 'withdrawn' else 'granted' end, method, evidence::jsonb, '{"kind":"contact"}'::jsonb
        from eligible order by ord
        returning id, at, workspace_id as "workspaceId", contact_id as "contactId", purpose, channel_id as "channelId", decision, method`,
  );
  return written.map((w) => ({ ...w, id: Number(w.id), at: new Date(w.at).toISOString(), actor: { kind: 'contact' } }));
}

/**
 * WhatsApp's "stop / resume marketing messages" signal (user_preferences webhook, WA-04): withdraws the promotional
 * purposes on that channel, or grants again what such a signal took away. Nothing to do for an unknown address.
 */
export async function applyProviderPreference(
  ex: Executor,
  input: { workspaceId: string; channelId: string; address: string; value: string; purposes: string[]; evidence: Record<string, unknown> },
): Promise<StoredConsentEvent[]> {
  if (input.value !== 'stop' && input.value !== 'resume') {
    return [];
  }
  const [conversation] = await query<{ id: string }>(ex, sql`select id from conversations where channel_id = ${input.channelId} and address = ${input.address}`);
  if (!conversation) {
    return [];
  }
  return applyKeywordConsent(ex, [
    { workspaceId: input.workspaceId, conversationId: conversation.id, kind: input.value === 'stop' ? 'stop' : 'start', purposes: input.purposes, method: 'provider_signal', evidence: input.evidence },
  ]);
}

/** Decisions at a consent node in a conversation: one event each, on the conversation's channel, with the wording shown. */
export async function recordConsentDecisions(
  ex: Executor,
  decisions: Array<{ workspaceId: string; conversationId: string; purpose: string; decision: 'granted' | 'denied'; text: { slug: string; version: number; language: string; hash: string }; method: ConsentMethod; evidence: Record<string, unknown> }>,
): Promise<StoredConsentEvent[]> {
  if (decisions.length === 0) {
    return [];
  }
  const conversations = await query<{ id: string; contactId: string; channelId: string }>(
    ex,
    sql`select id, contact_id as "contactId", channel_id as "channelId" from conversations where id = any(${toPgArray([...new Set(decisions.map((d) => d.conversationId))])}::uuid[])`,
  );
  const byId = new Map(conversations.map((c) => [c.id, c]));
  return insertConsentEvents(
    ex,
    decisions.flatMap((d) => {
      const c = byId.get(d.conversationId);
      return c ? [{ workspaceId: d.workspaceId, contactId: c.contactId, purpose: d.purpose, channelId: c.channelId, decision: d.decision, text: d.text, method: d.method, evidence: d.evidence, actor: { kind: 'contact' } }] : [];
    }),
  );
}

/**
 * WhatsApp's async error 131050 ("the user stopped marketing messages from you", WA-04): the opt-out happened on
 * WhatsApp's side, so the ledger learns it from the failed send — every promotional purpose of the workspace is
 * withdrawn on that channel, with the failed message as evidence. Returns the events written.
 */
export async function withdrawOnProviderOptOut(
  ex: Executor,
  failures: Array<{ channelId: string; providerMessageId: string }>,
  promotionalPurposes: (workspaceId: string) => string[],
): Promise<StoredConsentEvent[]> {
  if (failures.length === 0) {
    return [];
  }
  const messages = await query<{ workspaceId: string; conversationId: string; providerMessageId: string }>(
    ex,
    sql`select m.workspace_id as "workspaceId", m.conversation_id as "conversationId", m.provider_message_id as "providerMessageId"
        from unnest(${toPgArray(failures.map((f) => f.channelId))}::uuid[], ${toPgArray(failures.map((f) => f.providerMessageId))}::text[]) as x(ch, wamid)
        join messages m on m.channel_id = x.ch and m.provider_message_id = x.wamid`,
  );
  return applyKeywordConsent(
    ex,
    messages.map((m) => ({
      workspaceId: m.workspaceId,
      conversationId: m.conversationId,
      kind: 'stop' as const,
      purposes: promotionalPurposes(m.workspaceId),
      method: 'provider_signal' as const,
      evidence: { providerMessageId: m.providerMessageId, errorCode: '131050' },
    })),
  );
}

/** The current (latest) version of every consent text of a workspace, all its languages: what nodes show now. */
export async function listLatestConsentTexts(ex: Executor, workspaceId: string): Promise<ConsentTextFile[]> {
  const rows = await query<{ slug: string; version: number; language: string; purposes: string[]; text: string }>(
    ex,
    sql`select t.slug, t.version, t.language, t.purposes, t.text from consent_texts t
        where t.workspace_id = ${workspaceId} and t.version = (select max(version) from consent_texts x where x.workspace_id = t.workspace_id and x.slug = t.slug)
        order by t.slug, t.language`,
  );
  const texts = new Map<string, ConsentTextFile>();
  for (const r of rows) {
    const entry = texts.get(r.slug) ?? { id: r.slug, version: r.version, purpose: r.purposes[0] ?? '', text: {} };
    entry.text[r.language] = r.text;
    texts.set(r.slug, entry);
  }
  return [...texts.values()];
}
