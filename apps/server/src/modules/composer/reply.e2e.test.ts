/**
 * Agents' replies through the same outbound pipeline and send gate as everything else (issue #5 item 6), over real
 * HTTP with workers and the WhatsApp fake: a reply inside the window reaches the phone; outside it free text is
 * blocked with the gate's code and kept as blocked, while an approved template goes out; a template form that does
 * not fit the registry is refused before anything is stored; a library item carries its ref and a withdrawn one is
 * blocked at dispatch (MLR-01); a note never reaches the provider; only the conversation's agent (or an admin) may
 * reply (SEC-05).
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { applyContentItem } from '../content/index.js';
import { receiveInboundMessages } from '../conversations/conversation.store.js';
import { exportContact, restrictContact } from '../privacy/index.js';
import { createTemplateService } from '../templates/index.js';
import { createStaffKit, type StaffKit, type StaffSession } from '../users/users.fixtures.js';
import { applyWorkspace } from '../workspaces/index.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
const WABA = '880011223344888';
let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let kit: StaffKit;
let ws: string;
let channelId: string;
let anna: { id: string; session: StaffSession };
let ben: { id: string; session: StaffSession };
let admin: { id: string; session: StaffSession };
let editor: { id: string; session: StaffSession };
let seq = 0;

beforeAll(async () => {
  wa = await createWhatsAppHarness({
    phoneNumberId: '109876543210888',
    slug: 'desk',
    fake: { wabaId: WABA, templates: [{ name: 'appointment_reminder', language: 'de', category: 'UTILITY', id: '771122334455888', components: [{ type: 'body', text: 'Hallo {{1}}, Ihr Termin ist am {{2}}.', example: { body_text: [['Ana', 'Montag']] } }] }] },
  });
  ({ h, fake } = wa);
  ws = h.deps.workspace.id;
  channelId = (await h.deps.channels.listChannels(ws)).find((c) => c.slug === 'desk')!.id;
  const applied = await applyWorkspace(h.database.db, ws, demo);
  expect(applied.ok).toBe(true);
  h.deps.runtimes.invalidate(ws);
  await createTemplateService({ db: h.database.db, channels: h.deps.channels }).syncTemplates(ws, { channelSlug: 'desk', businessAccountId: WABA });
  kit = createStaffKit(h.deps, h.app);
  const person = async (roles: Array<'agent' | 'admin' | 'editor'>) => {
    const { user } = await kit.createStaff(roles);
    return { id: user.id, session: await kit.auth.createSession(user.id) };
  };
  [anna, ben, admin, editor] = [await person(['agent']), await person(['agent']), await person(['admin']), await person(['editor'])];
}, 60_000);
afterAll(async () => wa?.close());

const as = (who: { session: StaffSession }, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  kit.injectAs(who.session, { method, url, ...(method === 'POST' ? { payload: (payload ?? {}) as Record<string, unknown> } : {}) });
const send = (who: { session: StaffSession }, id: string, body: unknown) => as(who, 'POST', `/api/inbox/conversations/${id}/messages`, body);
const outCount = async (id: string) => (await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from messages where conversation_id = ${id} and direction = 'out'`))[0]!.n;
const texts = (address: string) => fake.sent({ to: address }).map((m) => JSON.stringify(m.body));

/** A contact who last wrote `hoursAgo`, their conversation taken by `who` (Anna by default). */
async function takenConversation(hoursAgo: number, who = anna): Promise<{ id: string; address: string; contactId: string }> {
  const address = `49171888${String(++seq).padStart(4, '0')}`;
  const [r] = await receiveInboundMessages(h.database.db, [
    { workspaceId: ws, channelId, kind: 'whatsapp', address, providerMessageId: `wamid.desk.${seq}`, content: { type: 'text', text: 'Hallo' }, providerTimestamp: new Date(Date.now() - hoursAgo * 3_600_000) },
  ]);
  const [c] = await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from conversations where id = ${r!.conversationId}`);
  expect((await as(who, 'POST', `/api/inbox/conversations/${r!.conversationId}/take`)).statusCode).toBe(200);
  return { id: r!.conversationId, address, contactId: c!.contactId };
}

describe('replies inside and outside the 24-hour window (WA-02)', () => {
  it('WA-02 the contact asks for a person on WhatsApp; the agent who took it replies; the reply reaches the phone, audited as the agent', async () => {
    const address = `49171888${String(++seq).padStart(4, '0')}`;
    await fake.injectInbound({ from: address, type: 'text', text: { body: 'Mitarbeiter' } });
    const [conv] = await eventually(async () => {
      const rows = await query<{ id: string }>(h.database.db, sql`select id from conversations where channel_id = ${channelId} and address = ${address} and state = 'queued'`);
      return rows.length > 0 ? rows : undefined;
    }, 10_000, 'the hand-off');
    expect((await as(anna, 'POST', `/api/inbox/conversations/${conv!.id}/take`)).statusCode).toBe(200);
    const composer = await as(anna, 'GET', `/api/inbox/conversations/${conv!.id}/composer`);
    expect(composer.json()).toMatchObject({ canSend: true, ownedByMe: true, freeText: true, window: { open: true }, notices: [] });
    const res = await send(anna, conv!.id, { kind: 'text', text: 'Guten Tag, hier ist Anna vom Service.' });
    expect(res.statusCode).toBe(201);
    const sent = res.json<{ message: { id: string; status: string; gateReason: string } }>().message;
    expect(sent.gateReason).toBe('send.allowed');
    const atFake = await eventually(() => fake.sent({ to: address }).find((m) => JSON.stringify(m.body).includes('hier ist Anna')), 10_000, 'the reply at the fake');
    await eventually(() => fake.sent({ to: address }).find((m) => m.id === atFake.id && m.status === 'delivered'), 10_000, 'delivered inside the window');
    const audit = await query<{ action: string; actorKind: string; actorId: string | null }>(h.database.db, sql`select action, actor_kind as "actorKind", actor_id as "actorId" from audit_log where object_id = ${sent.id} order by seq`);
    expect(audit.slice(0, 2)).toEqual([{ action: 'message.queued', actorKind: 'user', actorId: anna.id }, { action: 'send.decided', actorKind: 'system', actorId: 'send-gate' }]);
    // The history names who wrote what: the bot's notice, then Anna's reply (with her name for the view).
    const history = (await as(anna, 'GET', `/api/inbox/conversations/${conv!.id}`)).json<{ messages: Array<{ id: string; direction: string; author: unknown }>; people: Record<string, string> }>();
    const out = history.messages.filter((m) => m.direction === 'out');
    expect(out.map((m) => m.author)).toEqual([{ kind: 'bot', userId: null }, { kind: 'user', userId: anna.id }]);
    expect(history.people[anna.id]).toBeDefined();
  });

  it('WA-02 the composer says before the agent types that only templates are possible; free text 25 h after the contact wrote → 422 send.window_closed, kept as blocked, never sent', async () => {
    const c = await takenConversation(25);
    const composer = (await as(anna, 'GET', `/api/inbox/conversations/${c.id}/composer`)).json<{ freeText: boolean; notices: string[]; templates: Array<{ name: string; variables: { body: { fields: unknown[] } } }> }>();
    expect(composer).toMatchObject({ freeText: false, notices: ['send.window_closed'] });
    expect(composer.templates).toEqual([expect.objectContaining({ name: 'appointment_reminder', variables: expect.objectContaining({ body: expect.objectContaining({ fields: [{ key: '1', position: 1 }, { key: '2', position: 2 }] }) }) })]);
    const res = await send(anna, c.id, { kind: 'text', text: 'Haben Sie noch Fragen?' });
    expect(res.statusCode).toBe(422);
    const error = res.json<{ error: { code: string; details: { messageId: string } } }>().error;
    expect(error.code).toBe('send.window_closed');
    const [m] = await query<{ status: string; gateReason: string }>(h.database.db, sql`select status, gate_reason as "gateReason" from messages where id = ${error.details.messageId}`);
    expect(m).toEqual({ status: 'blocked', gateReason: 'send.window_closed' });
    expect(fake.sent({ to: c.address })).toEqual([]);
  });

  it('132000 a template whose form misses a variable → 422 naming the field, before anything is stored', async () => {
    const c = await takenConversation(30);
    const res = await send(anna, c.id, { kind: 'template', name: 'appointment_reminder', language: 'de', params: { body: { '1': 'Eva' } } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'template.params_invalid', details: { errors: [{ field: 'body.2', code: 'template.parameter_empty' }] } } });
    expect(await outCount(c.id)).toBe(0);
    expect(fake.sent({ to: c.address })).toEqual([]);
  });

  it('WA-02/03 an approved utility template after the window goes out with the values of the form', async () => {
    const c = await takenConversation(48);
    const res = await send(anna, c.id, { kind: 'template', name: 'appointment_reminder', language: 'de', params: { body: { '1': 'Eva', '2': 'Montag' } } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ message: { gateReason: 'send.allowed' } });
    const atFake = await eventually(() => fake.sent({ to: c.address })[0], 10_000, 'the template at the fake');
    expect(JSON.stringify(atFake.body)).toContain('appointment_reminder');
    expect(JSON.stringify(atFake.body)).toContain('Montag');
    // The history shows the template as the contact read it: the registry's wording with the values.
    const history = (await as(anna, 'GET', `/api/inbox/conversations/${c.id}`)).json<{ messages: Array<{ type: string; templateText: string | null }> }>();
    expect(history.messages.filter((m) => m.type === 'template').map((m) => m.templateText)).toEqual(['Hallo Eva, Ihr Termin ist am Montag.']);
    expect(history.messages.filter((m) => m.type !== 'template').every((m) => m.templateText === null)).toBe(true);
  });

  it('a canned answer goes out in the contact’s language; a purpose agents do not send for, or an unknown answer, is refused first', async () => {
    const c = await takenConversation(1);
    expect((await send(anna, c.id, { kind: 'canned', id: 'greeting' })).statusCode).toBe(201);
    await eventually(() => texts(c.address).find((t) => t.includes('hier ist der Patientenservice')), 10_000, 'the canned answer at the fake');
    expect((await send(anna, c.id, { kind: 'canned', id: 'no-such-answer' })).json()).toMatchObject({ error: { code: 'canned.not_found' } });
    const wrongPurpose = await send(anna, c.id, { kind: 'text', text: 'Werbung', purpose: 'newsletter' });
    expect(wrongPurpose.statusCode).toBe(422);
    expect(wrongPurpose.json()).toMatchObject({ error: { code: 'message.purpose_not_allowed', details: { allowed: ['service', 'psp-reminders', 'topic:studien'] } } });
    // GDPR-02: a consent-based purpose without the contact's consent is the gate's to refuse.
    expect((await send(anna, c.id, { kind: 'text', text: 'Erinnerung', purpose: 'psp-reminders' })).json()).toMatchObject({ error: { code: 'send.no_consent' } });
    expect(await outCount(c.id)).toBe(2);
  });
});

describe('library items (MLR-01)', () => {
  it('MLR-01 an item goes out as the bot renders it and carries its ref; an item withdrawn a moment ago is blocked at dispatch', async () => {
    const c = await takenConversation(1);
    const res = await send(anna, c.id, { kind: 'item', itemId: 'servicezeiten' });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ message: { id: string } }>().message.id;
    const [m] = await query<{ contentRefs: string[]; purpose: string }>(h.database.db, sql`select content_refs as "contentRefs", purpose from messages where id = ${id}`);
    expect(m).toEqual({ contentRefs: ['servicezeiten'], purpose: 'service' });
    await eventually(() => texts(c.address).find((t) => t.includes('So erreichen Sie den Lumerra')), 10_000, 'the item at the fake');

    // The picker's library is the bot's (cached a few seconds); the gate reads the item's latest version at dispatch.
    h.deps.runtimes.invalidate(ws);
    const runtime = await h.deps.runtimes.get(ws);
    await applyContentItem(h.database.db, ws, { ...runtime.items.get('zuzahlung')!, status: 'withdrawn' });
    const blocked = await send(anna, c.id, { kind: 'item', itemId: 'zuzahlung' });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json()).toMatchObject({ error: { code: 'send.content_not_approved' } });
    expect(texts(c.address).some((t) => t.includes('Zuzahlung'))).toBe(false);
    // Once the library knows, the item is refused before anything is stored.
    h.deps.runtimes.invalidate(ws);
    const before = await outCount(c.id);
    expect((await send(anna, c.id, { kind: 'item', itemId: 'zuzahlung' })).json()).toMatchObject({ error: { code: 'content.not_available' } });
    expect(await outCount(c.id)).toBe(before);
  });
});

describe('internal notes', () => {
  it('a note is in the history and in the contact’s export, and never reaches the provider', async () => {
    const c = await takenConversation(1);
    const noted = await as(ben, 'POST', `/api/inbox/conversations/${c.id}/notes`, { text: 'Interne Notiz: Rückruf vereinbart' });
    expect(noted.statusCode).toBe(201);
    const note = noted.json<{ note: { id: string; by: { id: string } } }>().note;
    expect(note.by.id).toBe(ben.id);
    expect((await send(anna, c.id, { kind: 'text', text: 'Wir rufen Sie morgen an.' })).statusCode).toBe(201);
    await eventually(() => texts(c.address).find((t) => t.includes('Wir rufen Sie morgen an')), 10_000, 'the reply after the note');
    expect(texts(c.address).some((t) => t.includes('Interne Notiz'))).toBe(false);
    const jobs = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from jobs where payload->>'messageId' = ${note.id}`);
    expect(jobs[0]!.n).toBe(0);
    const history = (await as(anna, 'GET', `/api/inbox/conversations/${c.id}`)).json<{ messages: Array<{ id: string; direction: string; content: { text?: string } }>; people: Record<string, string> }>();
    expect(history.messages.find((m) => m.id === note.id)).toMatchObject({ direction: 'note', content: { text: 'Interne Notiz: Rückruf vereinbart' } });
    expect(Object.keys(history.people)).toContain(ben.id);
    const exported = await exportContact(h.database.db, ws, c.contactId);
    expect(exported.conversations[0]!.messages.find((m) => m.id === note.id)).toMatchObject({ direction: 'note', content: { text: 'Interne Notiz: Rückruf vereinbart' } });
  });
});

describe('who may reply (SEC-05)', () => {
  it('another agent → 403 conversation.not_owner naming the owner; an editor → 403; a queued conversation → 409; nothing stored', async () => {
    const c = await takenConversation(1);
    const other = await send(ben, c.id, { kind: 'text', text: 'Ich übernehme' });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: 'conversation.not_owner', details: { assignee: { id: anna.id } } } });
    expect((await send(editor, c.id, { kind: 'text', text: 'x' })).json()).toMatchObject({ error: { code: 'auth.forbidden' } });
    expect((await as(editor, 'GET', `/api/inbox/conversations/${c.id}/composer`)).statusCode).toBe(403);
    expect((await as(ben, 'GET', `/api/inbox/conversations/${c.id}/composer`)).json()).toMatchObject({ canSend: false, notices: ['conversation.not_owner'] });
    expect((await as(anna, 'POST', `/api/inbox/conversations/${c.id}/transfer`, { queue: 'patient-service' })).statusCode).toBe(200);
    expect((await send(anna, c.id, { kind: 'text', text: 'Noch da?' })).json()).toMatchObject({ error: { code: 'conversation.wrong_state' } });
    expect(await outCount(c.id)).toBe(0);
  });

  it('GDPR-20/21 a restricted contact disappears for the agent; an admin still sees it, and the gate blocks a reply (send.restricted)', async () => {
    const c = await takenConversation(1);
    await restrictContact({ db: h.database.db, workspaceId: ws, keyedHash: (v) => h.deps.secretBox.keyedHash(v) }, c.contactId, { audit: SYSTEM_AUDIT, reason: 'Art. 18 request' });
    expect((await send(anna, c.id, { kind: 'text', text: 'Hallo?' })).json()).toMatchObject({ error: { code: 'conversation.not_found' } });
    expect((await as(admin, 'GET', `/api/inbox/conversations/${c.id}/composer`)).json()).toMatchObject({ canSend: true, freeText: false, notices: ['send.restricted'] });
    const res = await send(admin, c.id, { kind: 'text', text: 'Hallo?' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'send.restricted' } });
    expect(fake.sent({ to: c.address })).toEqual([]);
  });
});
