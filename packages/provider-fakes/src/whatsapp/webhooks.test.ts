import { afterEach, describe, expect, it } from 'vitest';
import { signWhatsAppBody } from './meta-json.js';
import { DISPLAY, inboundOf, messageIdOf, PNID, SECRET, sendText, sleep, startReceiver, startTestFake, statusesOf, textOf, USER, waitFor, WABA, type Receiver, type ReceiverHandler } from './test-support.js';
import type { WhatsAppFake, WhatsAppFakeOptions } from './types.js';

let receiver: Receiver | undefined;
let fake: WhatsAppFake | undefined;

async function setup(handler?: ReceiverHandler, options: Partial<WhatsAppFakeOptions> = {}): Promise<{ receiver: Receiver; fake: WhatsAppFake }> {
  receiver = await startReceiver(handler);
  fake = await startTestFake(options, receiver.url);
  return { receiver, fake };
}

afterEach(async () => {
  await fake?.close();
  await receiver?.close();
  fake = undefined;
  receiver = undefined;
});

describe('webhook transport (providers.md §1.2–§1.5)', () => {
  it('sends ASCII-escaped JSON signed over exactly the bytes on the wire', async () => {
    const { receiver, fake } = await setup();
    const { id } = await fake.injectInbound({ from: USER, profileName: 'Ana Pérez', type: 'text', text: { body: 'Hola, ¿tienen envío? 👍' } });
    await waitFor(() => receiver.requests[0], 3000, 'webhook');
    const [request] = receiver.requests;
    if (request === undefined) {
      throw new Error('no request');
    }
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-hub-signature-256']).toBe(signWhatsAppBody(SECRET, request.body));
    expect(/^[\x20-\x7e]*$/.test(request.body)).toBe(true);
    expect(request.body).toContain('Ana P\\u00e9rez');
    expect(request.body).toContain('\\ud83d\\udc4d');
    expect(request.json).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: DISPLAY, phone_number_id: PNID },
                contacts: [{ profile: { name: 'Ana Pérez' }, wa_id: USER }],
                messages: [{ from: USER, id, timestamp: expect.stringMatching(/^\d+$/), type: 'text', text: { body: 'Hola, ¿tienen envío? 👍' } }],
              },
            },
          ],
        },
      ],
    });
  });

  it('retries a failing receiver until it answers 200, with the same bytes each time', async () => {
    const { receiver, fake } = await setup((_req, index) => (index < 2 ? 500 : 200));
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'retry me' } });
    expect(fake.pendingDeliveries()).toBe(1);
    await waitFor(() => fake.pendingDeliveries() === 0, 3000, 'acknowledgement');
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    const log = fake.webhookLog();
    expect(log.map((e) => [e.status, e.attempt])).toEqual([[500, 1], [500, 2], [200, 3]]);
    expect(log.filter((e) => e.status === 200)).toHaveLength(1);
  });

  it('counts a slow receiver as failed after timeoutMs and retries', async () => {
    const { receiver, fake } = await setup(async (_req, index) => {
      if (index === 0) {
        await sleep(1500);
      }
      return 200;
    }, { delivery: { timeoutMs: 200, retryDelaysMs: [0, 0, 0] } });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'slow' } });
    await waitFor(() => fake.pendingDeliveries() === 0, 3000, 'acknowledgement');
    const statuses = fake.webhookLog().map((e) => e.status);
    expect(statuses[0]).toBe('error');
    expect(statuses.at(-1)).toBe(200);
    expect(receiver.requests.length).toBe(statuses.length);
  });

  it('gives up after the last retry and stops counting the delivery as pending', async () => {
    const { receiver, fake } = await setup(() => 503, { delivery: { retryDelaysMs: [0, 10] } });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'doomed' } });
    await waitFor(() => fake.pendingDeliveries() === 0, 3000, 'give up');
    expect(receiver.requests).toHaveLength(3);
    expect(fake.webhookLog().map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it('skips long back-offs when the fake clock is advanced', async () => {
    const { receiver, fake } = await setup((_req, index) => (index === 0 ? 500 : 200), { delivery: { retryDelaysMs: [60_000] } });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'later' } });
    await waitFor(() => fake.webhookLog().length === 1, 3000, 'first attempt');
    expect(fake.pendingDeliveries()).toBe(1);
    fake.advanceClock(60_000);
    await waitFor(() => fake.pendingDeliveries() === 0, 3000, 'retry');
    expect(receiver.requests).toHaveLength(2);
  });

  it('delivers one conversation in creation order even when the receiver is slow', async () => {
    const { receiver, fake } = await setup(async (_req, index) => {
      await sleep(index === 0 ? 80 : 0);
      return 200;
    });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'one' } });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'two' } });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'three' } });
    await waitFor(() => fake.pendingDeliveries() === 0 && receiver.requests.length === 3, 3000, 'deliveries');
    expect(inboundOf(receiver).map(textOf)).toEqual(['one', 'two', 'three']);
  });

  it('runs different conversations concurrently', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { receiver, fake } = await setup(async (req) => {
      if (req.body.includes('"blocked"')) {
        await gate;
      }
      return 200;
    });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'blocked' } });
    await fake.injectInbound({ from: '5215599990000', type: 'text', text: { body: 'free' } });
    await waitFor(() => receiver.requests.length === 2, 3000, 'both POSTs');
    // The free conversation's delivery completes while the blocked one is still pending (its 200 may take a tick).
    await waitFor(() => fake.pendingDeliveries() === 1, 3000, 'free delivered while blocked pends');
    expect(fake.pendingDeliveries()).toBe(1);
    release();
    await waitFor(() => fake.pendingDeliveries() === 0, 3000, 'release');
  });

  it('batches events into one POST when batchSize > 1', async () => {
    const { receiver, fake } = await setup(undefined, { delivery: { batchSize: 3 } });
    void fake.injectInbound({ from: USER, type: 'text', text: { body: 'a' } });
    void fake.injectInbound({ from: USER, type: 'text', text: { body: 'b' } });
    void fake.injectInbound({ from: USER, type: 'text', text: { body: 'c' } });
    await waitFor(() => fake.pendingDeliveries() === 0 && receiver.requests.length > 0, 3000, 'batch');
    expect(receiver.requests).toHaveLength(1);
    expect(inboundOf(receiver).map(textOf)).toEqual(['a', 'b', 'c']);
    expect(receiver.requests[0]?.json.entry).toMatchObject([{ changes: [{ value: { contacts: [{ wa_id: USER }] } }] }]);
  });

  it('re-sends acknowledged POSTs byte for byte when duplicateRate is 1', async () => {
    const { receiver, fake } = await setup(undefined, { delivery: { duplicateRate: 1 } });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'dup' } });
    await waitFor(() => receiver.requests.length === 2 && fake.pendingDeliveries() === 0, 3000, 'duplicate');
    expect(receiver.requests[0]?.body).toBe(receiver.requests[1]?.body);
    expect(receiver.requests[1]?.headers['x-hub-signature-256']).toBe(receiver.requests[0]?.headers['x-hub-signature-256']);
  });

  it('still delivers every event when reorder is on', async () => {
    const { receiver, fake } = await setup(undefined, { delivery: { reorder: true } });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'hola' } });
    const ids = [messageIdOf(await sendText(fake, '1')), messageIdOf(await sendText(fake, '2'))];
    await waitFor(() => ids.every((id) => statusesOf(receiver, id).length === 2) && fake.pendingDeliveries() === 0, 3000, 'statuses');
    expect(statusesOf(receiver).map((s) => s.status).sort()).toEqual(['delivered', 'delivered', 'sent', 'sent']);
  });
});

describe('verification handshake (providers.md §1.1)', () => {
  it('verifies an endpoint that echoes the challenge and rejects a wrong token', async () => {
    const { receiver, fake } = await setup();
    const ok = await fake.verifyWebhook();
    expect(ok).toMatchObject({ verified: true, status: 200 });
    expect(ok.body).toBe(ok.challenge);
    const other = await startTestFake({ verifyToken: 'wrong' }, receiver.url);
    try {
      expect(await other.verifyWebhook()).toMatchObject({ verified: false, status: 403 });
    } finally {
      await other.close();
    }
  });

  it('holds back deliveries to unverified endpoints when requireVerifiedWebhook is set', async () => {
    const { receiver, fake } = await setup(undefined, { requireVerifiedWebhook: true });
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'unverified' } });
    await sleep(50);
    expect(receiver.requests).toHaveLength(0);
    await fake.verifyWebhook();
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'verified' } });
    await waitFor(() => receiver.requests.length === 1, 3000, 'delivery');
    expect(inboundOf(receiver)[0]?.text).toEqual({ body: 'verified' });
  });
});
