import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  messageIdOf,
  PNID,
  send,
  sendText,
  startReceiver,
  startTestFake,
  statusesOf,
  USER,
  waitFor,
  type Receiver,
} from './test-support.js';
import type { WhatsAppFake, WhatsAppFakeOptions } from './types.js';

const DAY = 24 * 60 * 60 * 1000;
let receiver: Receiver;
let fake: WhatsAppFake;

async function setup(options: Partial<WhatsAppFakeOptions> = {}): Promise<void> {
  receiver = await startReceiver();
  fake = await startTestFake(options, receiver.url);
}

afterEach(async () => {
  await fake.close();
  await receiver.close();
});

const statusNames = (id: string): string[] => statusesOf(receiver, id).map((s) => String(s.status));

/** Opens the service window for USER and waits for the inbound webhook. */
async function openWindow(): Promise<string> {
  const { id } = await fake.injectInbound({ from: USER, profileName: 'Ana', type: 'text', text: { body: 'hola' } });
  await waitFor(() => fake.pendingDeliveries() === 0 && receiver.requests.length > 0, 3000, 'inbound webhook');
  return id;
}

describe('status lifecycle (providers.md §1.6)', () => {
  beforeEach(() => setup());

  it('emits sent → delivered, then read once the user reads it', async () => {
    await openWindow();
    const id = messageIdOf(await sendText(fake, 'Tu pedido está listo'));
    await waitFor(() => statusNames(id).includes('delivered'), 3000, 'delivered');
    expect(statusNames(id)).toEqual(['sent', 'delivered']);
    fake.markRead(id);
    await waitFor(() => statusNames(id).includes('read'), 3000, 'read');
    expect(statusNames(id)).toEqual(['sent', 'delivered', 'read']);
    const [sent] = fake.sent();
    expect(sent?.status).toBe('read');
    expect(sent?.statuses.map((s) => s.status)).toEqual(['accepted', 'sent', 'delivered', 'read']);
    const first = statusesOf(receiver, id)[0];
    expect(first).toMatchObject({ id, status: 'sent', recipient_id: USER, timestamp: expect.stringMatching(/^\d+$/) });
  });

  it('never emits read before delivered, even when the user reads immediately', async () => {
    await openWindow();
    const id = messageIdOf(await sendText(fake));
    fake.markRead(id);
    await waitFor(() => statusNames(id).includes('read'), 3000, 'read');
    expect(statusNames(id)).toEqual(['sent', 'delivered', 'read']);
  });

  it('carries pricing on sent and delivered, and no conversation object from v24 on', async () => {
    await openWindow();
    const id = messageIdOf(await sendText(fake));
    await waitFor(() => statusNames(id).includes('delivered'), 3000, 'delivered');
    for (const status of statusesOf(receiver, id)) {
      expect(status.pricing).toEqual({ billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' });
      expect(status).not.toHaveProperty('conversation');
    }
  });

  it('includes conversation (with expiration only on sent) for v23 sends', async () => {
    await openWindow();
    const id = messageIdOf(await send(fake, { to: USER, type: 'text', text: { body: 'v23' } }, 'v23.0'));
    await waitFor(() => statusNames(id).includes('delivered'), 3000, 'delivered');
    const [sent, delivered] = statusesOf(receiver, id);
    expect(sent?.conversation).toMatchObject({ id: expect.any(String), expiration_timestamp: expect.stringMatching(/^\d+$/), origin: { type: 'service' } });
    expect(delivered?.conversation).toEqual({ id: expect.any(String), origin: { type: 'service' } });
  });

  it('echoes biz_opaque_callback_data on every status', async () => {
    await openWindow();
    const id = messageIdOf(await sendText(fake, 'x', { biz_opaque_callback_data: 'order-7781' }));
    fake.markRead(id);
    await waitFor(() => statusNames(id).includes('read'), 3000, 'read');
    expect(statusesOf(receiver, id).map((s) => s.biz_opaque_callback_data)).toEqual(['order-7781', 'order-7781', 'order-7781']);
    const other = messageIdOf(await sendText(fake, 'no data'));
    await waitFor(() => statusNames(other).includes('delivered'), 3000, 'delivered');
    expect(statusesOf(receiver, other)[0]).not.toHaveProperty('biz_opaque_callback_data');
  });

  it('rejects markRead for unknown ids', () => {
    expect(() => fake.markRead('wamid.nope')).toThrow(/unknown/);
  });
});

describe('customer service window (providers.md §4.1)', () => {
  beforeEach(() => setup());

  it('fails a free-form send with 131047 when no inbound message ever arrived', async () => {
    const id = messageIdOf(await sendText(fake));
    await waitFor(() => statusNames(id).includes('failed'), 3000, 'failed');
    expect(statusNames(id)).toEqual(['failed']);
    expect(statusesOf(receiver, id)[0]?.errors).toEqual([
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      },
    ]);
    expect(fake.sent()[0]).toMatchObject({ status: 'failed', errorCode: 131047 });
  });

  it('fails with 131047 once 24 h have passed since the last inbound message', async () => {
    await openWindow();
    fake.advanceClock(DAY - 1000);
    const inside = messageIdOf(await sendText(fake, 'inside'));
    await waitFor(() => statusNames(inside).includes('delivered'), 3000, 'delivered');
    fake.advanceClock(2000);
    const outside = messageIdOf(await sendText(fake, 'outside'));
    await waitFor(() => statusNames(outside).length > 0, 3000, 'status');
    expect(statusNames(outside)).toEqual(['failed']);
    expect(statusesOf(receiver, outside)[0]?.errors).toMatchObject([{ code: 131047 }]);
  });

  it('resets the window on every new inbound message', async () => {
    await openWindow();
    fake.advanceClock(DAY - 60_000);
    await openWindow();
    fake.advanceClock(DAY - 60_000);
    const id = messageIdOf(await sendText(fake));
    await waitFor(() => statusNames(id).includes('delivered'), 3000, 'delivered');
    expect(statusNames(id)).toEqual(['sent', 'delivered']);
  });

  it('lets reactions through outside the window', async () => {
    const inboundId = await openWindow();
    fake.advanceClock(2 * DAY);
    const id = messageIdOf(await send(fake, { to: USER, type: 'reaction', reaction: { message_id: inboundId, emoji: '👍' } }));
    await waitFor(() => statusNames(id).includes('delivered'), 3000, 'delivered');
  });
});

describe('asynchronous failures (providers.md §2.9, §7.1)', () => {
  it('fails every send to a user who is not on WhatsApp with 131026', async () => {
    await setup({ users: [{ waId: USER, onWhatsApp: false }] });
    await openWindow();
    const id = messageIdOf(await sendText(fake));
    await waitFor(() => statusNames(id).length > 0, 3000, 'status');
    expect(statusesOf(receiver, id)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131026, error_data: { details: 'Message Undeliverable.' } }] });
  });

  it('fails marketing templates to a capped user with 131049', async () => {
    await setup({
      users: [{ waId: USER, marketingCapped: true }],
      templates: [{ name: 'promo', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'Sale!' }] }],
    });
    const id = messageIdOf(await send(fake, { to: USER, type: 'template', template: { name: 'promo', language: { code: 'en_US' } } }));
    await waitFor(() => statusNames(id).length > 0, 3000, 'status');
    expect(statusesOf(receiver, id)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131049 }] });
  });

  it('fails a reaction to an unknown message with 131009 and accepts one to an inbound message', async () => {
    await setup();
    const inboundId = await openWindow();
    const bad = messageIdOf(await send(fake, { to: USER, type: 'reaction', reaction: { message_id: 'wamid.unknown', emoji: '👍' } }));
    const good = messageIdOf(await send(fake, { to: USER, type: 'reaction', reaction: { message_id: inboundId, emoji: '❤️' } }));
    await waitFor(() => statusNames(bad).length > 0 && statusNames(good).includes('delivered'), 3000, 'statuses');
    expect(statusesOf(receiver, bad)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131009 }] });
    expect(statusNames(good)).toEqual(['sent', 'delivered']);
  });

  it('fails media links the fake cannot fetch with 131053 and delivers loopback links that answer 200', async () => {
    await setup();
    const files = createServer((req, res) => {
      res.writeHead(req.url === '/ok.jpg' ? 200 : 404, { 'content-type': 'image/jpeg' });
      res.end('jpeg');
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    const address = files.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    try {
      await openWindow();
      const external = messageIdOf(await send(fake, { to: USER, type: 'image', image: { link: 'https://example.com/a.jpg' } }));
      const missing = messageIdOf(await send(fake, { to: USER, type: 'image', image: { link: `${base}/missing.jpg` } }));
      const ok = messageIdOf(await send(fake, { to: USER, type: 'document', document: { link: `${base}/ok.jpg`, filename: 'a.pdf' } }));
      await waitFor(() => statusNames(external).length > 0 && statusNames(missing).length > 0 && statusNames(ok).includes('delivered'), 5000, 'statuses');
      expect(statusesOf(receiver, external)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131053 }] });
      expect(statusesOf(receiver, missing)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131053 }] });
      expect(statusNames(ok)).toEqual(['sent', 'delivered']);
    } finally {
      await new Promise<void>((r) => files.close(() => r()));
    }
  });

  it('treats links on assumeReachableHosts as fetchable without leaving loopback (offline demos)', async () => {
    await setup({ assumeReachableHosts: ['example.org'] });
    await openWindow();
    const listed = messageIdOf(await send(fake, { to: USER, type: 'document', document: { link: 'https://example.org/info.pdf', filename: 'info.pdf' } }));
    const other = messageIdOf(await send(fake, { to: USER, type: 'document', document: { link: 'https://example.net/info.pdf', filename: 'info.pdf' } }));
    await waitFor(() => statusNames(listed).includes('delivered') && statusNames(other).length > 0, 5000, 'statuses');
    expect(statusNames(listed)).toEqual(['sent', 'delivered']);
    expect(statusesOf(receiver, other)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131053 }] });
  });

  it('reads automatically after delivery when autoRead is set', async () => {
    await setup({ autoRead: 5 });
    await openWindow();
    const id = messageIdOf(await sendText(fake));
    await waitFor(() => statusNames(id).includes('read'), 3000, 'read');
    expect(statusNames(id)).toEqual(['sent', 'delivered', 'read']);
    expect(fake.sent({ phoneNumberId: PNID, to: `+${USER}` })).toHaveLength(1);
  });
});
