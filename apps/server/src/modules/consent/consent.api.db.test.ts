/**
 * Consent recorded outside the chat (GDPR-16) and the ledger's derivation rules: bad input is refused with a clear
 * error and records nothing; a grant by import or API must be confirmed first (GDPR-10); consent is per channel
 * (GDPR-03); a pending consent expires after the configured days (GDPR-12) and is only recorded together with
 * its confirmation request (GDPR-10/11).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { receiveInboundMessages } from '../conversations/conversation.store.js';
import { consentStates } from './consent.store.js';

let h: Harness;
let ws: string;
let contactId: string;
let whatsapp: string;
let second: string;

beforeAll(async () => {
  h = await createHarness();
  await h.listen();
  ws = h.deps.workspace.id;
  whatsapp = (await h.deps.channels.createChannel(ws, { kind: 'whatsapp', slug: 'wa-one', phoneNumberId: '5551111', accessToken: 'tok-12345678', appSecret: 'sec-12345678', verifyToken: 'ver-12345678' })).id;
  second = (await h.deps.channels.createChannel(ws, { kind: 'whatsapp', slug: 'wa-two', phoneNumberId: '5552222', accessToken: 'tok-12345678', appSecret: 'sec-12345678', verifyToken: 'ver-12345678' })).id;
  const [r] = await receiveInboundMessages(h.database.db, [
    { workspaceId: ws, channelId: whatsapp, kind: 'whatsapp', address: '491719990001', providerMessageId: 'wamid.api.1', content: { type: 'text', text: 'Hallo' }, providerTimestamp: new Date() },
  ]);
  const [row] = await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from conversations where id = ${r!.conversationId}`);
  contactId = row!.contactId;
  await h.database.db.execute(sql`update workspaces set settings = ${JSON.stringify({ purposes: [{ id: 'newsletter', basis: 'consent', promotional: true }] })}::jsonb where id = ${ws}`);
  await h.database.db.execute(
    sql`insert into consent_texts (workspace_id, slug, version, language, purposes, text, hash) values (${ws}, 'news', 1, 'de', '["newsletter"]'::jsonb, 'Wortlaut', 'abc')`,
  );
});
afterAll(async () => h.close());

const post = async (body: Record<string, unknown>) => {
  const res = await fetch(`${h.url}/api/admin/consents`, { method: 'POST', headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const events = async () => (await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from consent_events where contact_id = ${contactId}`))[0]!.n;
const text = { id: 'news', version: 1, language: 'de' };

describe('recording consent by API', () => {
  it.each([
    ['an unknown purpose', { purpose: 'lottery', decision: 'pending', method: 'import', channel: 'wa-one', text }, 422, 'consent.unknown_purpose'],
    ['an unknown wording version', { purpose: 'newsletter', decision: 'pending', method: 'import', channel: 'wa-one', text: { ...text, version: 9 } }, 422, 'consent.unknown_text'],
    ['a grant by import (GDPR-10)', { purpose: 'newsletter', decision: 'granted', method: 'import', channel: 'wa-one', text }, 422, 'consent.confirmation_required'],
    ['a grant without wording', { purpose: 'newsletter', decision: 'granted', method: 'agent', channel: 'wa-one' }, 400, 'validation.failed'],
    ['an unknown channel', { purpose: 'newsletter', decision: 'withdrawn', method: 'agent', channel: 'sms-x' }, 404, 'channel.not_found'],
    ['an unknown field', { purpose: 'newsletter', decision: 'withdrawn', method: 'agent', channel: 'wa-one', preticked: true }, 400, 'validation.failed'],
  ])('refuses %s and records nothing', async (_name, body, status, code) => {
    const before = await events();
    const res = await post({ contactId, ...body });
    expect(res).toMatchObject({ status, body: { error: { code } } });
    expect(await events()).toBe(before);
  });

  it('GDPR-03/16 records an agent-written grant on one channel only, and a withdrawal for every channel', async () => {
    expect(await post({ contactId, purpose: 'newsletter', decision: 'granted', method: 'agent', channel: 'wa-one', text, evidence: { note: 'Telefonat 23.11.' } })).toMatchObject({ status: 201 });
    const states = async () => consentStates(h.database.db, ws, [{ contactId, purpose: 'newsletter', channelId: whatsapp }, { contactId, purpose: 'newsletter', channelId: second }], { pendingDays: 7 });
    expect([...(await states()).values()]).toEqual(['granted', 'none']);
    expect(await post({ contactId, purpose: 'newsletter', decision: 'withdrawn', method: 'agent', evidence: { letter: 'Brief vom 20.11.' } })).toMatchObject({ status: 201 });
    expect([...(await states()).values()]).toEqual(['withdrawn', 'withdrawn']);
    const [audit] = await query<{ actorKind: string; action: string }>(h.database.db, sql`select actor_kind as "actorKind", action from audit_log where action = 'consent.withdrawn' order by seq desc limit 1`);
    expect(audit).toEqual({ actorKind: 'api', action: 'consent.withdrawn' });
  });

  it('GDPR-12 a pending consent expires after the configured days', async () => {
    // The contact wrote on wa-one (beforeAll): inside the window the confirmation request goes out as free text.
    expect(await post({ contactId, purpose: 'newsletter', decision: 'pending', method: 'import', channel: 'wa-one', text })).toMatchObject({ status: 201, body: { decision: 'pending', requestMessageId: expect.any(String) } });
    const q = [{ contactId, purpose: 'newsletter', channelId: whatsapp }];
    expect([...(await consentStates(h.database.db, ws, q, { pendingDays: 7 })).values()]).toEqual(['pending']);
    expect([...(await consentStates(h.database.db, ws, q, { pendingDays: 0 })).values()]).toEqual(['expired']);
  });

  it('GDPR-10/11 refuses a pending consent it cannot ask for (no window, no template) and records nothing, not even a conversation', async () => {
    const before = await events();
    expect(await post({ contactId, purpose: 'newsletter', decision: 'pending', method: 'import', channel: 'wa-two', text })).toMatchObject({ status: 422, body: { error: { code: 'consent.confirmation_unavailable' } } });
    expect(await events()).toBe(before);
    expect(await query(h.database.db, sql`select id from conversations where channel_id = ${second}`)).toEqual([]);
  });
});
