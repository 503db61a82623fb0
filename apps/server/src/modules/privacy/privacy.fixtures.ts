/**
 * Test factory for the access export: a person with an identity per channel kind, a conversation per channel with
 * messages, status events, a flow state, an unanswered question, a topic subscription, consent events (with the
 * wording they refer to) and audit entries about them. Every free-text value carries `marker`, so a test can prove
 * that nothing of one person leaks into another's export. Written straight into the tables: the code that writes
 * some of them (the consent ledger) is built elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/index.js';
import {
  channels,
  consentEvents,
  consentTexts,
  contactIdentities,
  contacts,
  conversations,
  messageStatusEvents,
  messages,
  topicSubscriptions,
  unansweredQuestions,
} from '../../db/schema.js';
import type { Db } from '../../platform/db.js';

export interface SeededPerson {
  contactId: string;
  conversationIds: string[];
  messageIds: string[];
  subscriptionId: string;
  consentEventIds: number[];
}

/** Two channels of the workspace to hold conversations (rows only; nothing is sent). */
export async function seedChannels(db: Db, workspaceId: string): Promise<string[]> {
  const suffix = randomBytes(3).toString('hex');
  const rows = await db.insert(channels).values(['wa-a', 'wa-b'].map((slug) => ({
    workspaceId, kind: 'whatsapp', slug: `${slug}-${suffix}`, name: `WhatsApp ${slug}`, settings: {}, secrets: 'sealed',
  }))).returning({ id: channels.id });
  return rows.map((r) => r.id);
}

/**
 * One person. `phone` is the wa_id (digits); an SMS identity holds the same number written `+49 …` when
 * `smsAddress` is given. `name` and `text` default to harmless values and may carry payloads (`<script>` …).
 */
export async function seedPerson(db: Db, workspaceId: string, channelIds: string[], opts: { phone: string; marker: string; name?: string; text?: string; smsAddress?: string }): Promise<SeededPerson> {
  const { marker } = opts;
  const name = opts.name ?? `Erika ${marker}`;
  const [contact] = await db.insert(contacts).values({ workspaceId, displayName: name, language: 'de' }).returning({ id: contacts.id });
  const contactId = contact?.id ?? '';
  await db.insert(contactIdentities).values([
    { workspaceId, contactId, kind: 'whatsapp', address: opts.phone, profileName: name },
    ...(opts.smsAddress ? [{ workspaceId, contactId, kind: 'sms', address: opts.smsAddress, profileName: null }] : []),
  ]);
  const conversationIds: string[] = [];
  const messageIds: string[] = [];
  for (const [i, channelId] of channelIds.entries()) {
    const [conv] = await db.insert(conversations).values({
      workspaceId, channelId, contactId, address: opts.phone, state: 'bot',
      flowState: { flow: 'welcome', node: 'ask', vars: { note: `flow ${marker}` } },
      lastInboundAt: new Date('2026-11-22T10:00:00Z'), lastMessageAt: new Date('2026-11-22T10:00:05Z'),
    }).returning({ id: conversations.id });
    const conversationId = conv?.id ?? '';
    conversationIds.push(conversationId);
    const rows = await db.insert(messages).values([
      { workspaceId, conversationId, channelId, direction: 'in', type: 'text', content: { type: 'text', text: opts.text ?? `Hallo ${marker} ${i}` }, providerMessageId: `wamid.in.${marker}.${i}`, status: 'received', createdAt: new Date('2026-11-22T10:00:00Z') },
      { workspaceId, conversationId, channelId, direction: 'out', type: 'text', content: { type: 'text', text: `Antwort ${marker} ${i}` }, providerMessageId: `wamid.out.${marker}.${i}`, status: 'delivered', purpose: 'service', gateReason: 'send.allowed', createdAt: new Date('2026-11-22T10:00:05Z') },
    ]).returning({ id: messages.id });
    const outId = rows[1]?.id ?? '';
    messageIds.push(...rows.map((r) => r.id));
    await db.insert(messageStatusEvents).values(['sent', 'delivered'].map((status, n) => ({
      workspaceId, channelId, messageId: outId, providerMessageId: `wamid.out.${marker}.${i}`, status, occurredAt: new Date(Date.parse('2026-11-22T10:00:06Z') + n * 1000),
    })));
    if (i === 0) {
      await db.insert(unansweredQuestions).values({ workspaceId, conversationId, text: `Wie lange hält ${marker}?`, language: 'de', candidates: [], outcome: 'escalated' });
    }
  }
  const [sub] = await db.insert(topicSubscriptions).values({
    workspaceId, contactId, topicSlug: `diabetes-${marker}`, status: 'active', conversationId: conversationIds[0], subscribedAt: new Date('2026-11-22T10:01:00Z'),
  }).returning({ id: topicSubscriptions.id });
  const slug = `optin-${marker}`;
  await db.insert(consentTexts).values({ workspaceId, slug, version: 1, language: 'de', purposes: ['marketing'], text: opts.text ?? `Dürfen wir Ihnen schreiben? ${marker}`, hash: 'a'.repeat(64) });
  const events = await db.insert(consentEvents).values([
    { workspaceId, contactId, purpose: 'marketing', channelId: channelIds[0], decision: 'granted', textSlug: slug, textVersion: 1, textLanguage: 'de', textHash: 'a'.repeat(64), method: 'button', evidence: { providerMessageId: `wamid.in.${marker}.0` }, actor: { kind: 'self' }, at: new Date('2026-11-22T10:02:00Z') },
    { workspaceId, contactId, purpose: 'marketing', channelId: null, decision: 'withdrawn', method: 'keyword', evidence: { keyword: 'STOP' }, actor: { kind: 'self' }, at: new Date('2026-11-23T09:00:00Z') },
  ]).returning({ id: consentEvents.id });
  await db.transaction(async (tx) => {
    await appendAudit(tx, [
      { workspaceId, actor: { kind: 'contact', id: contactId }, action: 'consent.recorded', object: { type: 'consent_event', id: String(events[0]?.id) } },
      { workspaceId, actor: { kind: 'system' }, action: 'send.decided', object: { type: 'message', id: messageIds[1] }, after: { reason: 'send.allowed' } },
    ]);
  });
  return { contactId, conversationIds, messageIds, subscriptionId: sub?.id ?? '', consentEventIds: events.map((e) => e.id) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers are checked field by field
export type Json = Record<string, any>;

/**
 * A caller of the admin API with the harness's admin token, over real HTTP: status and parsed JSON body (a non-JSON
 * body as `{ text }`).
 * @example const api = adminApi(h); expect((await api('GET', '/api/admin/privacy-requests')).status).toBe(200);
 */
export function adminApi(h: { url: string; adminToken: string }) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${h.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${h.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : { text }) as Json };
  };
}
