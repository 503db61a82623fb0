/**
 * Sending through the API (issue #4 item 6) over real HTTP, with workers and the WhatsApp fake: the message meets
 * the send gate at dispatch like a bot reply, and the caller gets the gate's decision — a block as problem JSON with
 * its reason code (send.window_closed, send.no_consent), the message kept as blocked, audited, never at the
 * provider. A template that does not fit the registry is refused before anything is stored (132000/132001).
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { insertConsentEvents } from '../consent/index.js';
import { receiveInboundMessages } from '../conversations/conversation.store.js';
import { createTemplateService } from '../templates/index.js';

let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let channelId: string;
let ws: string;
let seq = 0;
const WABA = '880011223344777';

beforeAll(async () => {
  wa = await createWhatsAppHarness({
    phoneNumberId: '109876543210777',
    slug: 'api',
    fake: { wabaId: WABA, templates: [{ name: 'appointment_reminder', language: 'de', category: 'UTILITY', id: '771122334455777', components: [{ type: 'body', text: 'Hallo {{1}}, Ihr Termin ist am {{2}}.', example: { body_text: [['Ana', 'Montag']] } }] }] },
  });
  ({ h, fake } = wa);
  ws = h.deps.workspace.id;
  channelId = (await h.deps.channels.listChannels(ws)).find((c) => c.slug === 'api')!.id;
  await h.database.db.execute(sql`update workspaces set settings = ${JSON.stringify({ purposes: [{ id: 'appointments', basis: 'consent' }] })}::jsonb where id = ${ws}`);
  await createTemplateService({ db: h.database.db, channels: h.deps.channels }).syncTemplates(ws, { channelSlug: 'api', businessAccountId: WABA });
});
afterAll(async () => wa?.close());

async function contactWhoWrote(hoursAgo: number): Promise<{ conversationId: string; address: string; contactId: string }> {
  const address = `49171777${String(++seq).padStart(4, '0')}`;
  const [r] = await receiveInboundMessages(h.database.db, [
    { workspaceId: ws, channelId, kind: 'whatsapp', address, providerMessageId: `wamid.api.${seq}`, content: { type: 'text', text: 'Hallo' }, providerTimestamp: new Date(Date.now() - hoursAgo * 3_600_000) },
  ]);
  const [c] = await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from conversations where id = ${r!.conversationId}`);
  return { conversationId: r!.conversationId, address, contactId: c!.contactId };
}
const post = async (body: unknown) => {
  const res = await fetch(`${h.url}/api/admin/messages`, { method: 'POST', headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { id?: string; status?: string; gateReason?: string; error?: { code: string; details?: { messageId?: string; errors?: Array<{ code: string }> } } } };
};
const appointment = (params: string[]) => ({ type: 'template', name: 'appointment_reminder', language: 'de', body: params.map((text) => ({ type: 'text', text })) });

describe('API send through the send gate', () => {
  it('a reply inside the window: the gate allows it and it reaches WhatsApp', async () => {
    const c = await contactWhoWrote(1);
    const res = await post({ conversationId: c.conversationId, content: { type: 'text', text: 'Ihre Unterlagen sind unterwegs.' } });
    expect(res).toMatchObject({ status: 201, body: { gateReason: 'send.allowed' } });
    await eventually(() => fake.sent({ to: c.address })[0], 10_000, 'the message at the fake');
  });

  it('WA-02 free text 25 h after the contact wrote → 422 send.window_closed; kept as blocked, audited, never sent', async () => {
    const c = await contactWhoWrote(25);
    const res = await post({ conversationId: c.conversationId, content: { type: 'text', text: 'Noch Fragen?' } });
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('send.window_closed');
    const id = res.body.error!.details!.messageId!;
    const [m] = await query<{ status: string; gateReason: string }>(h.database.db, sql`select status, gate_reason as "gateReason" from messages where id = ${id}`);
    expect(m).toEqual({ status: 'blocked', gateReason: 'send.window_closed' });
    const actions = await query<{ action: string; actorKind: string }>(h.database.db, sql`select action, actor_kind as "actorKind" from audit_log where object_id = ${id} order by seq`);
    expect(actions).toEqual([{ action: 'message.queued', actorKind: 'api' }, { action: 'send.decided', actorKind: 'system' }]);
    // Its author is the API caller, not the bot and not whoever owns the conversation.
    const [author] = await query<{ kind: string; userId: string | null }>(h.database.db, sql`select author_kind as kind, author_user_id as "userId" from messages where id = ${id}`);
    expect(author).toEqual({ kind: 'api', userId: null });
    expect(fake.sent({ to: c.address })).toEqual([]);
  });

  it('GDPR-02 a consent-based purpose without consent → 422 send.no_consent', async () => {
    const c = await contactWhoWrote(1);
    const res = await post({ conversationId: c.conversationId, purpose: 'appointments', content: appointment(['Eva', 'Montag']) });
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('send.no_consent');
  });

  it('WA-02/03 an approved utility template with consent goes out after the window, also to a number by channel and address', async () => {
    const c = await contactWhoWrote(72);
    await insertConsentEvents(h.database.db, [{ workspaceId: ws, contactId: c.contactId, purpose: 'appointments', channelId, decision: 'granted', method: 'button', actor: { kind: 'contact' } }]);
    const res = await post({ channel: 'api', to: c.address, purpose: 'appointments', content: appointment(['Eva', 'Montag']) });
    expect(res).toMatchObject({ status: 201, body: { gateReason: 'send.allowed' } });
    const sent = await eventually(() => fake.sent({ to: c.address })[0], 10_000, 'the template at the fake');
    expect(JSON.stringify(sent)).toContain('appointment_reminder');
  });

  it('132000 never reaches the provider: missing or extra parameters → 422 before anything is stored', async () => {
    const c = await contactWhoWrote(1);
    const before = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from messages where conversation_id = ${c.conversationId} and direction = 'out'`);
    for (const params of [['Eva'], ['Eva', 'Montag', 'extra']]) {
      const res = await post({ conversationId: c.conversationId, content: appointment(params) });
      expect(res.status).toBe(422);
      expect(res.body.error?.code).toBe('template.parameter_count');
    }
    const after = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from messages where conversation_id = ${c.conversationId} and direction = 'out'`);
    expect(after).toEqual(before);
    expect(fake.sent({ to: c.address })).toEqual([]);
  });

  it('bad input: an unknown conversation → 404, neither or both targets → 400', async () => {
    expect((await post({ conversationId: '00000000-0000-4000-8000-000000000001', content: { type: 'text', text: 'x' } })).status).toBe(404);
    expect((await post({ content: { type: 'text', text: 'x' } })).status).toBe(400);
    expect((await post({ channel: 'api', to: '4917000', conversationId: '00000000-0000-4000-8000-000000000001', content: { type: 'text', text: 'x' } })).status).toBe(400);
  });

  it('a template paused at the provider (status webhook) is refused before the provider is called, and audited', async () => {
    const c = await contactWhoWrote(1);
    fake.setTemplateStatus('771122334455777', 'PAUSED', 'NONE');
    const row = await eventually(async () => {
      const [t] = await query<{ id: string; status: string }>(h.database.db, sql`select id, status from whatsapp_templates where provider_id = '771122334455777'`);
      return t?.status === 'PAUSED' ? t : undefined;
    }, 10_000, 'the PAUSED status from the webhook');
    const res = await post({ conversationId: c.conversationId, content: appointment(['Eva', 'Montag']) });
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('template.paused');
    expect(fake.sent({ to: c.address })).toEqual([]);
    const [audit] = await query<{ before: { status: string }; after: { status: string; event: string } }>(h.database.db, sql`select "before", "after" from audit_log where action = 'template.status_changed' and object_id = 'api/appointment_reminder/de'`);
    expect(audit).toMatchObject({ before: { status: 'APPROVED' }, after: { status: 'PAUSED', event: 'PAUSED' } });
    fake.setTemplateStatus('771122334455777', 'REINSTATED', 'NONE');
    await eventually(async () => {
      const [t] = await query<{ status: string }>(h.database.db, sql`select status from whatsapp_templates where id = ${row.id}`);
      return t?.status === 'APPROVED' || undefined;
    }, 10_000, 'APPROVED again after REINSTATED');
  });
});
