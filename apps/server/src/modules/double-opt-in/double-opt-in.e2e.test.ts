/**
 * Double opt-in end to end (issue #4 item 4) through the admin API, the workers and the WhatsApp fake over real
 * HTTP: a number that arrives by import or API is pending and asked on the channel (GDPR-10); the request carries
 * nothing promotional and both "request sent" and the answer are in the ledger (GDPR-11); only an answer from the
 * same address on the same channel counts, and not after the request expired (GDPR-10/12); a suppressed address
 * gets nothing (GDPR-15).
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { consentHistory } from '../consent/index.js';
import { enqueueOutbound } from '../outbound/index.js';
import { hashAddress, suppressAddresses } from '../privacy/index.js';
import { createTemplateService } from '../templates/index.js';

const WABA = '880011223344777';
const ONE = '109876543210551';
const TWO = '109876543210552';
const WORDING_DE = 'Ja, Praxis Dr. Weber darf mir per WhatsApp ihren Newsletter schicken. Widerruf jederzeit mit STOP.';
const WORDING_EN = 'Yes, Praxis Dr. Weber may send me its newsletter on WhatsApp. Reply STOP at any time to withdraw.';
const AUTO_REPLY = 'Danke, wir melden uns.';

let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let ws: string;
let channelId: string;

beforeAll(async () => {
  wa = await createWhatsAppHarness({
    phoneNumberId: ONE,
    slug: 'doi',
    autoReply: AUTO_REPLY,
    fake: {
      wabaId: WABA,
      phoneNumbers: [{ phoneNumberId: ONE, displayPhoneNumber: '4930123456701' }, { phoneNumberId: TWO, displayPhoneNumber: '4930123456702' }],
      templates: [
        {
          name: 'doi_request',
          language: 'de',
          category: 'UTILITY',
          id: '661122334455001',
          components: [
            { type: 'body', text: '{{1}} bittet Sie, Ihre Einwilligung zu „{{2}}“ zu bestätigen. Ohne Antwort verfällt die Anfrage nach {{3}} Tagen.', example: { body_text: [['Praxis', 'Newsletter', '7']] } },
            { type: 'buttons', buttons: [{ type: 'quick_reply', text: 'Ja, bestätigen' }, { type: 'quick_reply', text: 'Nein' }] },
          ],
        },
      ],
    },
  });
  ({ h, fake } = wa);
  ws = h.deps.workspace.id;
  fake.setWebhookUrl(ONE, `${h.url}/webhooks/whatsapp/doi`);
  fake.setWebhookUrl(TWO, `${h.url}/webhooks/whatsapp/doi-two`);
  // The same number on a second channel of the organisation (the same provider app signs its webhooks).
  await h.deps.channels.createChannel(ws, { kind: 'whatsapp', slug: 'doi-two', phoneNumberId: TWO, accessToken: 'token-doi-123', appSecret: 'secret-doi-123', verifyToken: 'verify-doi-123', apiBaseUrl: fake.url, autoReply: 'Zweiter Kanal.' });
  channelId = (await h.deps.channels.listChannels(ws)).find((c) => c.slug === 'doi')!.id;
  const settings = {
    // The sender the requests name (GDPR-11), not the workspace's internal name.
    organisation: 'Praxis Dr. Weber',
    purposes: [{ id: 'newsletter', basis: 'consent', promotional: true, description: { de: 'Newsletter', en: 'newsletter' } }],
    doubleOptIn: { whatsappTemplate: { name: 'doi_request', language: 'de' } },
  };
  await h.database.db.execute(sql`update workspaces set name = 'doi-tests', settings = ${JSON.stringify(settings)}::jsonb where id = ${ws}`);
  await h.database.db.execute(
    sql`insert into consent_texts (workspace_id, slug, version, language, purposes, text, hash)
        values (${ws}, 'news', 1, 'de', '["newsletter"]'::jsonb, ${WORDING_DE}, 'h-de'), (${ws}, 'news', 1, 'en', '["newsletter"]'::jsonb, ${WORDING_EN}, 'h-en')`,
  );
  await createTemplateService({ db: h.database.db, channels: h.deps.channels }).syncTemplates(ws, { channelSlug: 'doi', businessAccountId: WABA });
});
afterAll(async () => wa?.close());

async function post(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.url}/api/admin/consents`, { method: 'POST', headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const pending = (address: string, extra: Record<string, unknown> = {}) =>
  post({ channel: 'doi', address, purpose: 'newsletter', decision: 'pending', method: 'import', text: { id: 'news', version: 1, language: 'de' }, ...extra });
/** What the fake received for a number, oldest first (the Graph API request bodies). */
type SentBody = { type: string; text?: { body: string }; interactive?: unknown; template?: unknown };
const sent = (to: string, phoneNumberId = ONE) => fake.sent({ to, phoneNumberId }).map((m) => m.body as SentBody);
const arrived = (to: string, count: number, phoneNumberId = ONE) => eventually(() => (sent(to, phoneNumberId).length >= count ? sent(to, phoneNumberId) : undefined), 10_000, `${count} messages to ${to}`);
const contactOf = async (address: string) => (await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from contact_identities where address = ${address}`))[0]?.contactId;
const ledger = async (address: string) => consentHistory(h.database.db, ws, (await contactOf(address))!);
const decided = (id: string) =>
  eventually(async () => (await query<{ status: string; gateReason: string | null; purpose: string }>(h.database.db, sql`select status, gate_reason as "gateReason", purpose from messages where id = ${id} and gate_reason is not null`))[0], 10_000, 'a gate decision');
async function newsletter(address: string): Promise<string> {
  const [conversation] = await query<{ id: string }>(h.database.db, sql`select id from conversations where address = ${address} and channel_id = ${channelId}`);
  const [id] = await enqueueOutbound(h.database.db, [{ workspaceId: ws, conversationId: conversation!.id, channelId, purpose: 'newsletter', content: { type: 'text', text: 'Unser Newsletter: Neues aus der Praxis' } }]);
  h.deps.wakeWorkers();
  return id!;
}

describe('double opt-in', () => {
  it('GDPR-10/11 an imported number is pending, gets a utility request with nothing promotional, taps "Ja, bestätigen" and is granted; a newsletter then passes the gate', async () => {
    const number = '491717770001';
    const res = await pending('+49 171 7770001', { name: 'Erika Muster' });
    expect(res).toMatchObject({ status: 201, body: { decision: 'pending', purpose: 'newsletter', requestMessageId: expect.any(String) } });
    // No window for a number that never wrote: the request is the workspace's UTILITY template, filled by Parley.
    const [request] = await arrived(number, 1);
    expect(request).toMatchObject({
      type: 'template',
      template: {
        name: 'doi_request',
        components: [
          { type: 'body', parameters: [{ type: 'text', text: 'Praxis Dr. Weber' }, { type: 'text', text: 'Newsletter' }, { type: 'text', text: '7' }] },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'doi:confirm:newsletter' }] },
          { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'doi:decline:newsletter' }] },
        ],
      },
    });
    expect(await decided(res.body.requestMessageId as string)).toMatchObject({ purpose: 'consent-confirmation', gateReason: 'send.allowed' });
    const [contact] = await query<{ displayName: string; language: string }>(h.database.db, sql`select display_name as "displayName", language from contacts where id = ${await contactOf(number)}`);
    expect(contact).toEqual({ displayName: 'Erika Muster', language: null });

    const wamid = fake.sent({ to: number })[0]!.id;
    await fake.injectInbound({ from: number, type: 'button', button: { payload: 'doi:confirm:newsletter', text: 'Ja, bestätigen' }, context: { id: wamid } });
    const replies = await arrived(number, 2);
    expect(replies[1]).toMatchObject({ type: 'text', text: { body: 'Danke, bestätigt: Sie erhalten Nachrichten zum Thema „Newsletter“. Mit STOP melden Sie sich jederzeit ab.' } });
    const history = await ledger(number);
    expect(history.map((e) => [e.decision, e.method, e.channelId])).toEqual([['pending', 'import', channelId], ['granted', 'button', channelId]]);
    expect(history[0]!.evidence).toMatchObject({ requestMessageId: res.body.requestMessageId, requestForm: 'template' });
    expect(history[1]).toMatchObject({ textSlug: 'news', textVersion: 1, textLanguage: 'de', evidence: { providerMessageId: expect.stringMatching(/^wamid\./), pendingEventId: history[0]!.id, requestMessageId: res.body.requestMessageId } });
    const audited = await query<{ action: string }>(h.database.db, sql`select action from audit_log where action like 'consent.%' and "after"->>'contact' = ${await contactOf(number)} order by seq`);
    expect(audited.map((a) => a.action)).toEqual(['consent.pending', 'consent.granted']);

    expect(await decided(await newsletter(number))).toMatchObject({ gateReason: 'send.allowed' });
    // The answer ran no flow and got no auto-reply: the request, the confirmation, the newsletter.
    const all = await arrived(number, 3);
    expect(all.map((m) => m.text?.body ?? m.type)).toEqual(['template', expect.stringContaining('bestätigt'), 'Unser Newsletter: Neues aus der Praxis']);
  });

  it('GDPR-10 a confirmation on another channel does not count; "JA" on the channel that asked does', async () => {
    const number = '491717770002';
    expect(await pending(number)).toMatchObject({ status: 201 });
    await arrived(number, 1);
    await fake.injectInbound({ phoneNumberId: TWO, from: number, type: 'text', text: { body: 'JA' } });
    expect((await arrived(number, 1, TWO))[0]).toMatchObject({ text: { body: 'Zweiter Kanal.' } });
    expect((await ledger(number)).map((e) => e.decision)).toEqual(['pending']);

    await fake.injectInbound({ from: number, type: 'text', text: { body: 'ja' } });
    expect((await arrived(number, 2))[1]).toMatchObject({ text: { body: expect.stringContaining('Danke, bestätigt') } });
    expect((await ledger(number)).map((e) => [e.decision, e.method, e.channelId])).toEqual([['pending', 'import', channelId], ['granted', 'keyword', channelId]]);
  });

  it('GDPR-10/11 inside the window the request is free text with two buttons in the contact\'s language; "No" records denied', async () => {
    const number = '491717770003';
    await fake.injectInbound({ from: number, type: 'text', text: { body: 'Hello' } });
    await arrived(number, 1); // the auto-reply
    const res = await pending(`+${number}`, { language: 'en', method: 'api', text: { id: 'news', version: 1, language: 'en' } });
    expect(res).toMatchObject({ status: 201 });
    const request = (await arrived(number, 2))[1]!;
    expect(request.interactive).toEqual({
      type: 'button',
      body: {
        text: `Praxis Dr. Weber asks for your confirmation: may we send you messages about "newsletter" here?\n\nConsent text "news", version 1:\n${WORDING_EN}\n\nTo confirm, tap "Yes, confirm" or reply YES. To decline, tap "No" or reply NO; then we will not message you about it.\n\nWithout your answer this request expires after 7 days, and we will not ask again.`,
      },
      action: { buttons: [{ type: 'reply', reply: { id: 'doi:confirm:newsletter', title: 'Yes, confirm' } }, { type: 'reply', reply: { id: 'doi:decline:newsletter', title: 'No' } }] },
    });
    expect((await ledger(number))[0]).toMatchObject({ decision: 'pending', method: 'api', textLanguage: 'en', evidence: { requestForm: 'free' } });

    await fake.injectInbound({ from: number, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'doi:decline:newsletter', title: 'No' } }, context: { id: fake.sent({ to: number })[1]!.id } });
    expect((await arrived(number, 3))[2]).toMatchObject({ text: { body: 'Understood: we will not send you messages about "newsletter".' } });
    expect((await ledger(number)).map((e) => [e.decision, e.method])).toEqual([['pending', 'api'], ['denied', 'button']]);
    expect(await decided(await newsletter(number))).toMatchObject({ status: 'blocked', gateReason: 'send.no_consent' });
  });

  it('GDPR-12 after the request expired a confirm word is a normal message, and the number is not asked again', async () => {
    const number = '491717770004';
    await fake.injectInbound({ from: number, type: 'text', text: { body: 'Hallo' } });
    await arrived(number, 1);
    const contactId = (await contactOf(number))!;
    // The ledger refuses UPDATE: an older pending event is written as it would have been eight days ago.
    await h.database.db.execute(
      sql`insert into consent_events (workspace_id, contact_id, purpose, channel_id, decision, text_slug, text_version, text_language, text_hash, method, evidence, actor, at)
          values (${ws}, ${contactId}, 'newsletter', ${channelId}, 'pending', 'news', 1, 'de', 'h-de', 'import', '{}'::jsonb, '{"kind":"api"}'::jsonb, now() - interval '8 days')`,
    );
    await fake.injectInbound({ from: number, type: 'text', text: { body: 'JA' } });
    expect((await arrived(number, 2))[1]).toMatchObject({ text: { body: AUTO_REPLY } });
    expect((await ledger(number)).map((e) => e.decision)).toEqual(['pending']);
    expect(await pending(number)).toMatchObject({ status: 409, body: { error: { code: 'consent.confirmation_expired' } } });
    expect((await ledger(number)).map((e) => e.decision)).toEqual(['pending']);
  });

  it('GDPR-15 a suppressed address gets no pending consent and no request: refused, nothing recorded', async () => {
    const number = '491717770005';
    await suppressAddresses(h.database.db, ws, [hashAddress((v) => h.deps.secretBox.keyedHash(v), number)], 'objection');
    const counts = async () =>
      (await query<{ n: number }>(h.database.db, sql`select (select count(*) from consent_events) + (select count(*) from contacts) + (select count(*) from messages) as n`))[0]!.n;
    const before = await counts();
    expect(await pending('+49 171 7770005')).toMatchObject({ status: 409, body: { error: { code: 'consent.suppressed' } } });
    expect(await contactOf(number)).toBeUndefined();
    expect(await counts()).toBe(before);
  });

  it('GDPR-10 a number already confirmed or still asked gets nothing more; an unknown purpose or wording is refused', async () => {
    expect(await pending('491717770001')).toMatchObject({ status: 200, body: { outcome: 'already_granted' } });
    const number = '491717770006';
    expect(await pending(number)).toMatchObject({ status: 201 });
    expect(await pending(number)).toMatchObject({ status: 200, body: { outcome: 'already_pending' } });
    expect(await pending('491717770007', { purpose: 'lottery' })).toMatchObject({ status: 422, body: { error: { code: 'consent.unknown_purpose' } } });
    expect(await pending('491717770007', { text: { id: 'news', version: 2, language: 'de' } })).toMatchObject({ status: 422, body: { error: { code: 'consent.unknown_text' } } });
    expect(await pending('0171 7770007')).toMatchObject({ status: 400, body: { error: { code: 'validation.failed' } } });
    expect(await contactOf('491717770007')).toBeUndefined();
    await arrived(number, 1);
    expect(sent(number)).toHaveLength(1);
  });
});
