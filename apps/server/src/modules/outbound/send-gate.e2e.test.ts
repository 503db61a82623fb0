/**
 * The send gate in front of the real dispatch path (issue #4 item 6), with workers and the WhatsApp fake: a blocked
 * message never reaches the provider, is never retried, keeps its reason, and every decision is in the audit trail
 * (HWG-07, AUD-01). Bot replies pass through the same gate (tested through a flow's reply).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhatsAppFake } from '@parley/provider-fakes';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { receiveInboundMessages } from '../conversations/conversation.store.js';
import { insertConsentEvents } from '../consent/index.js';
import { createTemplateService } from '../templates/index.js';
import { enqueueOutbound, type OutboundInput } from './outbound.store.js';

let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let channelId: string;
let ws: string;
let seq = 0;
const WABA = '880011223344999';
const OPTED_OUT = '491715550999';

beforeAll(async () => {
  wa = await createWhatsAppHarness({
    phoneNumberId: '109876543210321',
    slug: 'gate',
    fake: {
      wabaId: WABA,
      templates: [
        { name: 'diary_reminder', language: 'de', category: 'UTILITY', id: '771122334455667', components: [{ type: 'body', text: 'Hallo {{1}}, Zeit für Ihr Tagebuch.', example: { body_text: [['Ana']] } }] },
        { name: 'news_promo', language: 'de', category: 'MARKETING', id: '771122334455668', components: [{ type: 'body', text: 'Neu: unser Hautpflege-Ratgeber.' }] },
      ],
      // This user stopped marketing messages on WhatsApp's side: marketing templates to them fail with 131050.
      users: [{ waId: OPTED_OUT, marketingOptOut: true }],
    },
  });
  ({ h, fake } = wa);
  ws = h.deps.workspace.id;
  channelId = (await h.deps.channels.listChannels(ws)).find((c) => c.slug === 'gate')!.id;
  await h.database.db.execute(sql`update workspaces set settings = ${JSON.stringify({ purposes: [{ id: 'psp-reminders', basis: 'consent' }, { id: 'newsletter', basis: 'consent', promotional: true }] })}::jsonb where id = ${ws}`);
  await h.database.db.execute(
    sql`insert into content_items (workspace_id, slug) values (${ws}, 'lagerung'), (${ws}, 'fachinfo')`,
  );
});
afterAll(async () => wa?.close());

/** A conversation whose contact last wrote `hoursAgo` hours ago. */
async function conversation(hoursAgo: number): Promise<{ conversationId: string; address: string }> {
  const address = `49171555${String(++seq).padStart(4, '0')}`;
  const [r] = await receiveInboundMessages(h.database.db, [
    { workspaceId: ws, channelId, kind: 'whatsapp', address, providerMessageId: `wamid.gate.${seq}`, content: { type: 'text', text: 'Hallo' }, providerTimestamp: new Date(Date.now() - hoursAgo * 3_600_000) },
  ]);
  return { conversationId: r!.conversationId, address };
}
async function send(to: { conversationId: string }, extra: Partial<OutboundInput> = {}): Promise<string> {
  const [id] = await enqueueOutbound(h.database.db, [{ workspaceId: ws, conversationId: to.conversationId, channelId, content: { type: 'text', text: 'Antwort' }, ...extra }]);
  h.deps.wakeWorkers();
  return id!;
}
const settled = (id: string) =>
  eventually(async () => {
    const [m] = await query<{ status: string; gateReason: string | null; errorCode: string | null }>(
      h.database.db,
      sql`select status, gate_reason as "gateReason", error_code as "errorCode" from messages where id = ${id}`,
    );
    return m && m.gateReason !== null && m.status !== 'queued' && m.status !== 'sending' ? m : undefined;
  }, 10_000, `the gate's decision on ${id}`);
const audited = async (id: string) =>
  query<{ outcome: string; after: { reason: string } }>(h.database.db, sql`select outcome, "after" from audit_log where action = 'send.decided' and object_id = ${id}`);
async function itemVersion(slug: string, status: string, validUntil?: string): Promise<void> {
  await h.database.db.execute(
    sql`insert into content_versions (workspace_id, item_id, version, topic_slug, audience, status, valid_until, data, hash)
        select ${ws}, i.id, coalesce((select max(version) from content_versions where item_id = i.id), 0) + 1, 'faq', 'public', ${status}, ${validUntil ?? null}::date, '{}'::jsonb, md5(random()::text)
        from content_items i where i.workspace_id = ${ws} and i.slug = ${slug}`,
  );
}

describe('send gate at dispatch', () => {
  it('lets a reply inside the window go out, and audits the decision', async () => {
    const c = await conversation(1);
    const id = await send(c);
    expect(await settled(id)).toMatchObject({ gateReason: 'send.allowed' });
    await eventually(() => fake.sent({ to: c.address })[0], 10_000, 'the reply at the fake');
    expect(await audited(id)).toEqual([{ outcome: 'success', after: expect.objectContaining({ reason: 'send.allowed', purpose: 'service' }) }]);
  });

  it('WA-02 blocks free text 25 h after the contact last wrote: never sent, never retried, reason kept and audited', async () => {
    const c = await conversation(25);
    const id = await send(c);
    expect(await settled(id)).toEqual({ status: 'blocked', gateReason: 'send.window_closed', errorCode: 'send.window_closed' });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent({ to: c.address })).toEqual([]);
    const [job] = await query<{ status: string; attempts: number }>(h.database.db, sql`select status, attempts from jobs where payload->>'messageId' = ${id}`);
    expect(job).toEqual({ status: 'done', attempts: 1 });
    expect(await audited(id)).toEqual([{ outcome: 'denied', after: expect.objectContaining({ reason: 'send.window_closed' }) }]);
  });

  it('GDPR-01 blocks a message whose purpose the workspace does not know', async () => {
    expect(await settled(await send(await conversation(1), { purpose: 'lottery' }))).toMatchObject({ status: 'blocked', gateReason: 'send.no_purpose' });
  });

  it('GDPR-02 blocks a consent-based purpose for a contact without consent (fail closed)', async () => {
    expect(await settled(await send(await conversation(1), { purpose: 'psp-reminders' }))).toMatchObject({ status: 'blocked', gateReason: 'send.no_consent' });
  });

  it('MLR-01 re-checks carried content at dispatch: withdrawn or expired after it was queued → blocked', async () => {
    await itemVersion('lagerung', 'approved');
    const c = await conversation(1);
    expect(await settled(await send(c, { contentRefs: ['lagerung'] }))).toMatchObject({ gateReason: 'send.allowed' });
    await itemVersion('lagerung', 'withdrawn');
    expect(await settled(await send(c, { contentRefs: ['lagerung'] }))).toMatchObject({ status: 'blocked', gateReason: 'send.content_not_approved' });
    await itemVersion('fachinfo', 'approved', '2020-01-01');
    expect(await settled(await send(c, { contentRefs: ['fachinfo'] }))).toMatchObject({ status: 'blocked', gateReason: 'send.content_not_valid_now' });
    expect(await settled(await send(c, { contentRefs: ['gibt-es-nicht'] }))).toMatchObject({ status: 'blocked', gateReason: 'send.content_not_approved' });
  });

  it('a blocked message does not hold back the conversation’s next message', async () => {
    const c = await conversation(1);
    const blocked = await send(c, { purpose: 'lottery' });
    const next = await send(c);
    expect(await settled(blocked)).toMatchObject({ status: 'blocked' });
    expect(await settled(next)).toMatchObject({ gateReason: 'send.allowed' });
  });

  it('WA-02/03 an approved utility template goes out after the window with consent; a wrong parameter count never reaches the provider', async () => {
    await createTemplateService({ db: h.database.db, channels: h.deps.channels }).syncTemplates(ws, { channelSlug: 'gate', businessAccountId: WABA });
    const c = await conversation(72);
    const [contact] = await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from conversations where id = ${c.conversationId}`);
    await insertConsentEvents(h.database.db, [{ workspaceId: ws, contactId: contact!.contactId, purpose: 'psp-reminders', channelId, decision: 'granted', method: 'button', actor: { kind: 'contact' } }]);
    const template = (body: string[]) => ({ type: 'template' as const, name: 'diary_reminder', language: 'de', body: body.map((text) => ({ type: 'text' as const, text })) });
    const ok = await send(c, { purpose: 'psp-reminders', content: template(['Eva']) });
    expect(await settled(ok)).toMatchObject({ gateReason: 'send.allowed' });
    await eventually(() => fake.sent({ to: c.address })[0], 10_000, 'the template at the fake');
    const bad = await send(c, { purpose: 'psp-reminders', content: template([]) });
    expect(await settled(bad)).toMatchObject({ status: 'failed', errorCode: 'template.parameter_count' });
    expect(fake.sent({ to: c.address })).toHaveLength(1);
  });

  it('WA-04 a marketing send that fails with 131050 withdraws the promotional purposes in the ledger, audited', async () => {
    await createTemplateService({ db: h.database.db, channels: h.deps.channels }).syncTemplates(ws, { channelSlug: 'gate', businessAccountId: WABA });
    const [r] = await receiveInboundMessages(h.database.db, [
      { workspaceId: ws, channelId, kind: 'whatsapp', address: OPTED_OUT, providerMessageId: 'wamid.gate.optout', content: { type: 'text', text: 'Hallo' }, providerTimestamp: new Date() },
    ]);
    const [contact] = await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from conversations where id = ${r!.conversationId}`);
    await insertConsentEvents(h.database.db, [{ workspaceId: ws, contactId: contact!.contactId, purpose: 'newsletter', channelId, decision: 'granted', method: 'button', actor: { kind: 'contact' } }]);
    const id = await send(r!, { purpose: 'newsletter', content: { type: 'template', name: 'news_promo', language: 'de' } });
    expect(await settled(id)).toMatchObject({ gateReason: 'send.allowed' });
    const withdrawn = await eventually(async () => {
      const rows = await query<{ decision: string; method: string; evidence: { errorCode?: string } }>(
        h.database.db,
        sql`select decision, method, evidence from consent_events where contact_id = ${contact!.contactId} order by id desc limit 1`,
      );
      return rows[0]?.decision === 'withdrawn' ? rows[0] : undefined;
    }, 10_000, 'the withdrawal from 131050');
    expect(withdrawn).toMatchObject({ method: 'provider_signal', evidence: { errorCode: '131050' } });
    const [audit] = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from audit_log where action = 'consent.withdrawn' and "after"->>'contact' = ${contact!.contactId}`);
    expect(audit?.n).toBe(1);
    // The next marketing message is blocked before WhatsApp sees it.
    expect(await settled(await send(r!, { purpose: 'newsletter', content: { type: 'template', name: 'news_promo', language: 'de' } }))).toMatchObject({ status: 'blocked', gateReason: 'send.consent_withdrawn' });
  });

  it('GDPR-15 after an objection promotion is suppressed even with a fresh grant; answering the contact goes on', async () => {
    const c = await conversation(1);
    const [contact] = await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from conversations where id = ${c.conversationId}`);
    const objection = await h.app.inject({ method: 'POST', url: `/api/admin/contacts/${contact!.contactId}/objection`, headers: { authorization: `Bearer ${h.adminToken}` }, payload: { evidence: { letter: 'DPO-17' } } });
    expect(objection.statusCode).toBe(201);
    // Whatever the ledger says later — here a grant — the suppression entry keeps advertising away.
    await insertConsentEvents(h.database.db, [{ workspaceId: ws, contactId: contact!.contactId, purpose: 'newsletter', channelId, decision: 'granted', method: 'button', actor: { kind: 'contact' } }]);
    expect(await settled(await send(c, { purpose: 'newsletter' }))).toMatchObject({ status: 'blocked', gateReason: 'send.suppressed' });
    expect(await settled(await send(c))).toMatchObject({ gateReason: 'send.allowed' });
  });

  it('GDPR-21 a restricted contact gets no reply until the restriction is lifted', async () => {
    const c = await conversation(1);
    const [contact] = await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from conversations where id = ${c.conversationId}`);
    const admin = (method: 'POST' | 'DELETE') =>
      h.app.inject({ method, url: `/api/admin/contacts/${contact!.contactId}/restriction`, headers: { authorization: `Bearer ${h.adminToken}` }, payload: { reason: 'Art. 18(1)(a): accuracy contested' } });
    expect((await admin('POST')).statusCode).toBe(201);
    const blocked = await send(c);
    expect(await settled(blocked)).toMatchObject({ status: 'blocked', gateReason: 'send.restricted' });
    expect((await admin('DELETE')).json()).toMatchObject({ lifted: 1 });
    expect(await settled(await send(c))).toMatchObject({ gateReason: 'send.allowed' });
    expect(fake.sent({ to: c.address })).toHaveLength(await eventually(() => fake.sent({ to: c.address }).length === 1 && 1, 10_000, 'only the reply after lifting'));
  });
});
