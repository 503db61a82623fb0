/**
 * Consent end to end (issue #4 items 2, 5, 6) with workers and the WhatsApp fake: the ledger is append-only
 * (GDPR-05), the send gate reads it at dispatch time (GDPR-02), STOP withdraws before the next send decision and is
 * confirmed once (GDPR-13, WA-04) — also while a person owns the conversation — and START grants again with a fresh
 * event; every consent event is in the audit trail (AUD-01).
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { enqueueOutbound } from '../outbound/index.js';
import { consentHistory, insertConsentEvents } from './consent.store.js';

let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let ws: string;
let channelId: string;

beforeAll(async () => {
  wa = await createWhatsAppHarness({ phoneNumberId: '109876543210444', slug: 'consent', autoReply: 'Danke, wir melden uns.' });
  ({ h, fake } = wa);
  ws = h.deps.workspace.id;
  channelId = (await h.deps.channels.listChannels(ws)).find((c) => c.slug === 'consent')!.id;
  await h.database.db.execute(
    sql`update workspaces set settings = ${JSON.stringify({ purposes: [{ id: 'psp-reminders', basis: 'consent' }, { id: 'newsletter', basis: 'consent', promotional: true }] })}::jsonb where id = ${ws}`,
  );
});
afterAll(async () => wa?.close());

const texts = (to: string) => fake.sent({ to }).map((m) => (m.body as { text?: { body: string } }).text?.body ?? '');
async function write(from: string, text: string, replies: number): Promise<string[]> {
  await fake.injectInbound({ from, type: 'text', text: { body: text } });
  return eventually(() => (texts(from).length >= replies ? texts(from) : undefined), 10_000, `${replies} replies to ${from}`);
}
async function contactOf(address: string): Promise<{ contactId: string; conversationId: string }> {
  const [row] = await query<{ contactId: string; conversationId: string }>(h.database.db, sql`select contact_id as "contactId", id as "conversationId" from conversations where address = ${address}`);
  return row!;
}
async function reminder(conversationId: string): Promise<string> {
  const [id] = await enqueueOutbound(h.database.db, [{ workspaceId: ws, conversationId, channelId, purpose: 'psp-reminders', content: { type: 'text', text: 'Erinnerung: Tagebuch' } }]);
  h.deps.wakeWorkers();
  return id!;
}
const decided = (id: string) =>
  eventually(async () => (await query<{ status: string; gateReason: string | null }>(h.database.db, sql`select status, gate_reason as "gateReason" from messages where id = ${id} and gate_reason is not null`))[0], 10_000, 'a gate decision');

describe('consent', () => {
  it('GDPR-05 the ledger is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    await write('491716660001', 'Hallo', 1);
    const { contactId } = await contactOf('491716660001');
    const [event] = await insertConsentEvents(h.database.db, [{ workspaceId: ws, contactId, purpose: 'psp-reminders', channelId, decision: 'granted', method: 'api', actor: { kind: 'api' } }]);
    const refused = async (statement: ReturnType<typeof sql>) =>
      h.database.db.execute(statement).then(
        () => 'allowed',
        (e: { message?: string; cause?: { message?: string } }) => e.cause?.message ?? e.message ?? '',
      );
    expect(await refused(sql`update consent_events set decision = 'withdrawn' where id = ${event!.id}`)).toMatch(/append-only/);
    expect(await refused(sql`delete from consent_events where id = ${event!.id}`)).toMatch(/append-only/);
    expect(await refused(sql`truncate consent_events`)).toMatch(/append-only/);
  });

  it('GDPR-02/13 a reminder goes out with consent; STOP withdraws before the next decision, START grants again', async () => {
    const from = '491716660002';
    await write(from, 'Hallo', 1); // the channel's auto-reply
    const { contactId, conversationId } = await contactOf(from);
    await insertConsentEvents(h.database.db, [{ workspaceId: ws, contactId, purpose: 'psp-reminders', channelId, decision: 'granted', method: 'button', evidence: { providerMessageId: 'wamid.x' }, actor: { kind: 'contact' } }]);
    expect(await decided(await reminder(conversationId))).toMatchObject({ gateReason: 'send.allowed' });
    await eventually(() => texts(from).includes('Erinnerung: Tagebuch') || undefined, 10_000, 'the reminder at the fake');

    const before = texts(from).length;
    const confirmed = await write(from, 'Stopp', before + 1);
    expect(confirmed.at(-1)).toContain('abgemeldet');
    expect(await decided(await reminder(conversationId))).toEqual({ status: 'blocked', gateReason: 'send.consent_withdrawn' });
    // Confirmed once; the blocked reminder never reached the provider.
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(from).length).toBe(before + 1);

    await write(from, 'START', before + 2);
    expect(await decided(await reminder(conversationId))).toMatchObject({ gateReason: 'send.allowed' });

    const history = await consentHistory(h.database.db, ws, contactId);
    expect(history.map((e) => [e.purpose, e.decision, e.method])).toEqual([
      ['psp-reminders', 'granted', 'button'],
      ['psp-reminders', 'withdrawn', 'keyword'],
      ['newsletter', 'withdrawn', 'keyword'],
      ['psp-reminders', 'granted', 'keyword'],
      ['newsletter', 'granted', 'keyword'],
    ]);
    const audited = await query<{ action: string }>(h.database.db, sql`select action from audit_log where action like 'consent.%' and "after"->>'contact' = ${contactId} order by seq`);
    expect(audited.map((a) => a.action)).toEqual(['consent.withdrawn', 'consent.withdrawn', 'consent.granted', 'consent.granted']);
  });

  it('GDPR-13 STOP works while a person owns the conversation', async () => {
    const from = '491716660003';
    await write(from, 'Hallo', 1);
    const { contactId } = await contactOf(from);
    await insertConsentEvents(h.database.db, [{ workspaceId: ws, contactId, purpose: 'newsletter', channelId, decision: 'granted', method: 'button', actor: { kind: 'contact' } }]);
    await h.database.db.execute(sql`update conversations set state = 'agent' where address = ${from}`);
    const replies = await write(from, 'unsubscribe', texts(from).length + 1);
    expect(replies.at(-1)).toContain('abgemeldet');
    const history = await consentHistory(h.database.db, ws, contactId);
    expect(history.at(-1)).toMatchObject({ purpose: 'newsletter', decision: 'withdrawn', method: 'keyword', evidence: { providerMessageId: expect.stringMatching(/^wamid\./) } });
  });

  it('WA-04 the user_preferences "stop marketing messages" signal withdraws promotional purposes; "resume" grants again', async () => {
    const from = '491716660004';
    await write(from, 'Hallo', 1);
    const { contactId, conversationId } = await contactOf(from);
    await insertConsentEvents(h.database.db, [{ workspaceId: ws, contactId, purpose: 'newsletter', channelId, decision: 'granted', method: 'button', actor: { kind: 'contact' } }]);
    await fake.injectUserPreference({ waId: from, value: 'stop' });
    const withdrawn = await eventually(async () => {
      const last = (await consentHistory(h.database.db, ws, contactId)).at(-1);
      return last?.method === 'provider_signal' ? last : undefined;
    }, 10_000, 'the provider signal in the ledger');
    expect(withdrawn).toMatchObject({ purpose: 'newsletter', decision: 'withdrawn' });
    const [id] = await enqueueOutbound(h.database.db, [{ workspaceId: ws, conversationId, channelId, purpose: 'newsletter', content: { type: 'template', name: 'news', language: 'de' } }]);
    h.deps.wakeWorkers();
    expect(await decided(id!)).toEqual({ status: 'blocked', gateReason: 'send.consent_withdrawn' });
    // psp-reminders is not promotional: the marketing signal leaves it alone.
    expect((await consentHistory(h.database.db, ws, contactId)).filter((e) => e.purpose === 'psp-reminders')).toEqual([]);
    await fake.injectUserPreference({ waId: from, value: 'resume' });
    await eventually(async () => ((await consentHistory(h.database.db, ws, contactId)).at(-1)?.decision === 'granted' ? true : undefined), 10_000, 'resume in the ledger');
  });
});
