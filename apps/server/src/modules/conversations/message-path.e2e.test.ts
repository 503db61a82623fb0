/**
 * The spine end to end (ARCHITECTURE §3) over real loopback HTTP: the fake WhatsApp Cloud API delivers signed
 * webhooks to Parley, workers process them in order, replies go out through the dispatcher to the fake, and
 * the fake's status webhooks move them to read.
 */
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';

let h: Harness;
let fake: WhatsAppFake;
let wa: WhatsAppHarness;

beforeAll(async () => {
  wa = await createWhatsAppHarness({
    phoneNumberId: '109876543210987',
    slug: 'e2e',
    autoReply: 'Danke, wir melden uns.',
    fake: { users: [{ waId: '491709999999', onWhatsApp: false }], delivery: { retryDelaysMs: [0, 100, 200, 400, 800] } },
  });
  ({ h, fake } = wa);
});
afterAll(async () => wa?.close());

const messagesOf = (address: string) =>
  query<{ direction: string; type: string; status: string; content: Record<string, unknown>; errorCode: string | null }>(
    h.database.db,
    sql`select m.direction, m.type, m.status, m.content, m.error_code as "errorCode" from messages m join conversations c on c.id = m.conversation_id
        where c.address = ${address} order by m.created_at, m.direction`,
  );

describe('WhatsApp message path, end to end', () => {
  it('a user writes, Parley replies, the reply reaches the fake and moves sent → delivered → read', async () => {
    const { id } = await fake.injectInbound({ from: '491701234567', profileName: 'Erika', type: 'text', text: { body: 'Hallo, ich habe eine Frage' } });
    const reply = await eventually(() => fake.sent({ to: '491701234567' })[0], 10_000, 'the reply at the fake');
    expect(reply.type).toBe('text');
    expect(reply.body).toMatchObject({ text: { body: 'Danke, wir melden uns.' } });
    await eventually(async () => (await messagesOf('491701234567')).find((m) => m.direction === 'out' && m.status === 'delivered'), 10_000, 'delivered');
    fake.markRead(reply.id);
    await eventually(async () => (await messagesOf('491701234567')).find((m) => m.direction === 'out' && m.status === 'read'), 10_000, 'read');

    const all = await messagesOf('491701234567');
    expect(all.filter((m) => m.direction === 'in')).toHaveLength(1);
    expect(all.filter((m) => m.direction === 'out')).toHaveLength(1);
    const [contact] = await query<{ name: string; address: string }>(
      h.database.db,
      sql`select c.display_name as name, i.address from contacts c join contact_identities i on i.contact_id = c.id where i.address = '491701234567'`,
    );
    expect(contact).toEqual({ name: 'Erika', address: '491701234567' });
    const timeline = await query<{ status: string }>(h.database.db, sql`select status from message_status_events where provider_message_id = ${reply.id} order by id`);
    expect(timeline.map((t) => t.status)).toEqual(['sent', 'delivered', 'read']);
    expect(id).toMatch(/^wamid\./);
  });

  it('processes one user’s burst in order and answers each message once', async () => {
    const from = '491702222222';
    for (let i = 1; i <= 5; i++) {
      await fake.injectInbound({ from, type: 'text', text: { body: `Nachricht ${i}` } });
    }
    await eventually(() => fake.sent({ to: from }).length >= 5 || undefined, 15_000, 'five replies');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent({ to: from })).toHaveLength(5);
    const inbound = (await messagesOf(from)).filter((m) => m.direction === 'in').map((m) => (m.content as { text: string }).text);
    expect(inbound).toEqual(['Nachricht 1', 'Nachricht 2', 'Nachricht 3', 'Nachricht 4', 'Nachricht 5']);
  });

  it('stores a message type it cannot answer meaningfully and still answers it, never dropping it', async () => {
    const from = '491703333333';
    await fake.injectInbound({ from, type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }], unsupported: { type: 'poll_creation' } });
    await eventually(() => fake.sent({ to: from })[0], 10_000, 'reply to unsupported');
    const [stored] = (await messagesOf(from)).filter((m) => m.direction === 'in');
    expect(stored).toMatchObject({ type: 'unsupported', content: { providerType: 'poll_creation' } });
  });

  it('marks a reply failed with the provider’s code when the user is not on WhatsApp', async () => {
    await fake.injectInbound({ from: '491709999999', type: 'text', text: { body: 'Hallo' } });
    const failed = await eventually(async () => (await messagesOf('491709999999')).find((m) => m.direction === 'out' && m.status === 'failed'), 10_000, 'failed');
    expect(failed.errorCode).toBe('131026');
  });

  it('retries a send the provider rejected as rate-limited, and delivers it once', async () => {
    const from = '491704444444';
    fake.forceError(130429, 1);
    await fake.injectInbound({ from, type: 'text', text: { body: 'Hallo' } });
    await eventually(async () => (await messagesOf(from)).find((m) => m.direction === 'out' && m.status === 'delivered'), 15_000, 'delivered after retry');
    expect(fake.sent({ to: from })).toHaveLength(1);
  });
});
