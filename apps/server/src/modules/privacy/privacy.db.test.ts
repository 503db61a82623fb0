/**
 * The access export (GDPR-18) and the printable consent history (GDPR-06) on the real database, through the
 * service and the admin API: complete for one person, nothing of another, found by any spelling of the number,
 * escaped, and audited (AUD-08) — a request for an unknown contact too.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { type ContactExport, exportContact, renderContactExport } from './index.js';
import { seedChannels, seedPerson, type SeededPerson } from './privacy.fixtures.js';

let h: Harness;
let ws: string;
let anna: SeededPerson;
let bert: SeededPerson;
let channelIds: string[];

beforeAll(async () => {
  h = await createHarness();
  ws = h.deps.workspace.id;
  channelIds = await seedChannels(h.database.db, ws);
  anna = await seedPerson(h.database.db, ws, channelIds, { phone: '491512345678', marker: 'ANNA', smsAddress: '+49 151 2345678' });
  bert = await seedPerson(h.database.db, ws, channelIds, { phone: '491719876543', marker: 'BERT' });
});
afterAll(async () => h.close());

async function auditRows(action: string) {
  return query<{ objectId: string | null; outcome: string; reason: string | null; after: Record<string, unknown> | null; actorKind: string }>(
    h.database.db,
    sql`select object_id as "objectId", outcome, reason, after, actor_kind as "actorKind" from audit_log where workspace_id = ${ws} and action = ${action} order by seq`,
  );
}

describe('contact export (GDPR-18)', () => {
  let data: ContactExport;
  beforeAll(async () => {
    data = await exportContact(h.database.db, ws, anna.contactId);
  });

  it('GDPR-18: contains the profile, identities, both conversations with messages, status timelines, gate reasons and flow state', () => {
    expect(data.schema).toBe('parley.contact-export/v1');
    expect(data.contact).toMatchObject({ id: anna.contactId, displayName: 'Erika ANNA', language: 'de' });
    expect(data.identities.map((i) => [i.kind, i.address, i.profileName])).toEqual([
      ['sms', '+49 151 2345678', null],
      ['whatsapp', '491512345678', 'Erika ANNA'],
    ]);
    expect(data.conversations.map((c) => c.id).sort()).toEqual([...anna.conversationIds].sort());
    expect(data.conversations.map((c) => c.channel.id).sort()).toEqual([...channelIds].sort());
    for (const c of data.conversations) {
      expect(c.channel.kind).toBe('whatsapp');
      expect(c.flowState).toMatchObject({ flow: 'welcome', node: 'ask' });
      expect(c.messages.map((m) => [m.direction, m.type, m.status])).toEqual([['in', 'text', 'received'], ['out', 'text', 'delivered']]);
      const out = c.messages[1];
      expect(out).toMatchObject({ purpose: 'service', gateReason: 'send.allowed', content: { type: 'text' } });
      expect(out?.statusTimeline.map((s) => s.status)).toEqual(['sent', 'delivered']);
      expect(out?.statusTimeline[0]?.occurredAt).toBe('2026-11-22T10:00:06.000Z');
    }
    expect(data.conversations.flatMap((c) => c.unansweredQuestions.map((q) => [q.text, q.outcome]))).toEqual([['Wie lange hält ANNA?', 'escalated']]);
    expect(data.counts).toMatchObject({ identities: 2, conversations: 2, messages: 4, statusEvents: 4, unansweredQuestions: 1, subscriptions: 1, consentEvents: 2 });
  });

  it('GDPR-18/GDPR-06: contains subscriptions, the consent history with the wording shown, and the audit entries about the person', () => {
    expect(data.subscriptions).toEqual([expect.objectContaining({ id: anna.subscriptionId, topicSlug: 'diabetes-ANNA', status: 'active' })]);
    expect(data.consentHistory.map((e) => [e.id, e.purpose, e.decision, e.method, e.channel?.id ?? null])).toEqual([
      [anna.consentEventIds[0], 'marketing', 'granted', 'button', channelIds[0]],
      [anna.consentEventIds[1], 'marketing', 'withdrawn', 'keyword', null],
    ]);
    expect(data.consentHistory[0]?.text).toEqual({ slug: 'optin-ANNA', version: 1, language: 'de', hash: 'a'.repeat(64), wording: 'Dürfen wir Ihnen schreiben? ANNA' });
    expect(data.consentHistory[0]?.evidence).toEqual({ providerMessageId: 'wamid.in.ANNA.0' });
    expect(data.auditEntries.map((a) => a.action)).toEqual(['consent.recorded', 'send.decided']);
    expect(data.about.purposes).toEqual(['marketing', 'service', 'topic:diabetes-ANNA']);
    expect(data.about.recipients.join('\n')).toMatch(/Meta Platforms Ireland/);
  });

  it('GDPR-18: contains nothing of another contact', () => {
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/BERT/);
    for (const id of [bert.contactId, ...bert.conversationIds, ...bert.messageIds, bert.subscriptionId]) {
      expect(text).not.toContain(id);
    }
    expect(text).not.toContain('491719876543');
  });

  it('GDPR-18: finds the contact by its phone number in any usual spelling', async () => {
    for (const ref of ['491512345678', '+491512345678', '0049 151 2345678', '+49 (151) 234-5678', ' +49.151.2345678 ']) {
      expect((await exportContact(h.database.db, ws, ref)).contact.id, ref).toBe(anna.contactId);
    }
    expect((await exportContact(h.database.db, ws, anna.contactId.toUpperCase())).contact.id).toBe(anna.contactId);
    // A national number names no country: refused rather than guessed.
    await expect(exportContact(h.database.db, ws, '01512345678')).rejects.toMatchObject({ code: 'validation.failed' });
    await expect(exportContact(h.database.db, ws, '+49 151 0000000')).rejects.toMatchObject({ code: 'contact.not_found' });
    await expect(exportContact(h.database.db, ws, 'erika@example.org')).rejects.toMatchObject({ code: 'validation.failed' });
  });

  it('AUD-08/AUD-07: every export is audited with ids and counts only', async () => {
    const before = (await auditRows('contact.exported')).length;
    await renderContactExport(h.database.db, ws, '+49 151 2345678', { format: 'html', lang: 'de', consentOnly: true, audit: { actor: { kind: 'cli', id: 'dpo' } } });
    const rows = await auditRows('contact.exported');
    expect(rows).toHaveLength(before + 1);
    const entry = rows[rows.length - 1];
    expect(entry).toMatchObject({ objectId: anna.contactId, outcome: 'success', actorKind: 'cli', after: { scope: 'consent', format: 'html', ref: 'phone', counts: { messages: 4, consentEvents: 2 } } });
    expect(JSON.stringify(entry)).not.toMatch(/2345678|Erika|ANNA/);
  });

  it('GDPR-18: an unknown contact is contact.not_found and the attempt is audited', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    await expect(exportContact(h.database.db, ws, unknown)).rejects.toMatchObject({ code: 'contact.not_found' });
    await expect(exportContact(h.database.db, ws, '+44 7700 900123')).rejects.toMatchObject({ code: 'contact.not_found' });
    const attempts = await auditRows('contact.export_attempted');
    expect(attempts.slice(-2)).toEqual([
      expect.objectContaining({ objectId: unknown, outcome: 'failure', reason: 'not_found', after: { ref: 'id', scope: 'full', matches: 0 } }),
      expect.objectContaining({ objectId: null, outcome: 'failure', reason: 'not_found', after: { ref: 'phone', scope: 'full', matches: 0 } }),
    ]);
    expect(JSON.stringify(attempts)).not.toContain('7700900123');
  });

  it('GDPR-18: a number shared by two contacts is contact.ambiguous, naming their ids', async () => {
    const other = await seedPerson(h.database.db, ws, [], { phone: '4930555000', marker: 'CARL' });
    const twin = await seedPerson(h.database.db, ws, [], { phone: '4940555000', marker: 'DORA', smsAddress: '+49 30 555000' });
    await expect(exportContact(h.database.db, ws, '+49 30 555000')).rejects.toMatchObject({ code: 'contact.ambiguous', details: { contactIds: [other.contactId, twin.contactId].sort() } });
  });
});

describe('contact export as HTML (GDPR-18, GDPR-06)', () => {
  it('GDPR-18: escapes every value from a person or provider (<script>, <img onerror>)', async () => {
    const mallory = await seedPerson(h.database.db, ws, channelIds.slice(0, 1), {
      phone: '4915199999999',
      marker: 'MALLORY',
      name: '<script>alert("name")</script>',
      text: '<img src=x onerror=alert(1)> & "quotes" \'single\'',
    });
    for (const lang of ['de', 'en'] as const) {
      const { body } = await renderContactExport(h.database.db, ws, mallory.contactId, { format: 'html', lang, consentOnly: false });
      expect(body).not.toMatch(/<script/i);
      expect(body).not.toMatch(/<img/i);
      expect(body).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
      expect(body).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;single&#39;');
      expect(body).toContain(`Content-Security-Policy" content="default-src 'none'`);
    }
  });

  it('GDPR-18: a self-contained printable page with German or English headings', async () => {
    const de = (await renderContactExport(h.database.db, ws, anna.contactId, { format: 'html', lang: 'de', consentOnly: false })).body;
    const en = (await renderContactExport(h.database.db, ws, anna.contactId, { format: 'html', lang: 'en', consentOnly: false })).body;
    expect(de).toMatch(/^<!doctype html>\n<html lang="de">/);
    expect(de).toContain('<h2>Unterhaltungen und Nachrichten</h2>');
    expect(en).toContain('<h2>Conversations and messages</h2>');
    expect(en).toContain('Antwort ANNA 0');
    expect(en).toContain('send.allowed');
    expect(en).toContain('@media print');
    expect(en).not.toMatch(/(src|href)=["']?https?:/);
    expect(en).not.toContain('BERT');
  });

  it('GDPR-06: the consent history is a section of its own on a new page, and prints alone', async () => {
    const full = (await renderContactExport(h.database.db, ws, anna.contactId, { format: 'html', lang: 'en', consentOnly: false })).body;
    expect(full).toContain('<section class="consent"><h2>Consent history</h2>');
    expect(full).toMatch(/section\.consent \{ break-before: page; page-break-before: always; \}/);
    const alone = (await renderContactExport(h.database.db, ws, anna.contactId, { format: 'html', lang: 'de', consentOnly: true })).body;
    expect(alone).toContain('<h1>Einwilligungshistorie</h1>');
    expect(alone).toContain('<blockquote>Dürfen wir Ihnen schreiben? ANNA</blockquote>');
    expect(alone).toContain('withdrawn');
    expect(alone).toContain('alle Kanäle');
    expect(alone).not.toContain('Antwort ANNA');
    const json = JSON.parse((await renderContactExport(h.database.db, ws, anna.contactId, { format: 'json', lang: 'en', consentOnly: true })).body) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['consentHistory', 'contact', 'exportedAt', 'identities', 'schema', 'workspace']);
    expect(json.schema).toBe('parley.consent-history/v1');
  });
});

describe('GET /api/admin/contacts/:ref/export', () => {
  const auth = () => ({ authorization: `Bearer ${h.adminToken}` });

  it('GDPR-18: answers JSON or HTML, never cached, for an id or a number', async () => {
    const json = await h.app.inject({ method: 'GET', url: `/api/admin/contacts/${anna.contactId}/export`, headers: auth() });
    expect(json.statusCode).toBe(200);
    expect(json.headers['cache-control']).toBe('no-store');
    expect(json.json<ContactExport>().counts.messages).toBe(4);
    const html = await h.app.inject({ method: 'GET', url: `/api/admin/contacts/${encodeURIComponent('+49 151 2345678')}/export?format=html&lang=de&consentOnly=true`, headers: auth() });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['x-contact-id']).toBe(anna.contactId);
    expect(html.body).toContain('<h1>Einwilligungshistorie</h1>');
  });

  it('GDPR-18: 404 contact.not_found for an unknown contact, 400 for bad options, 401 without the token', async () => {
    const missing = await h.app.inject({ method: 'GET', url: '/api/admin/contacts/491700000000/export', headers: auth() });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'contact.not_found' } });
    expect((await auditRows('contact.export_attempted')).at(-1)).toMatchObject({ actorKind: 'api', outcome: 'failure' });
    const bad = await h.app.inject({ method: 'GET', url: `/api/admin/contacts/${anna.contactId}/export?format=pdf`, headers: auth() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation.failed' } });
    const anon = await h.app.inject({ method: 'GET', url: `/api/admin/contacts/${anna.contactId}/export` });
    expect(anon.statusCode).toBe(401);
  });
});
