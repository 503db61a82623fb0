import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRecord } from './http.js';
import { inboundOf, messageIdOf, PNID, sendText, startReceiver, startTestFake, statusesOf, USER, waitFor, type Receiver } from './test-support.js';
import type { WhatsAppFake } from './types.js';

let receiver: Receiver;
let fake: WhatsAppFake;

beforeEach(async () => {
  receiver = await startReceiver();
  fake = await startTestFake({ users: [{ waId: USER, name: 'Ana' }] }, receiver.url);
});
afterEach(async () => {
  await fake.close();
  await receiver.close();
});

async function control(path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${fake.url}/_fake/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed: unknown = await res.json();
  return { status: res.status, json: isRecord(parsed) ? parsed : {} };
}

describe('test-control API', () => {
  it('POST /_fake/inbound injects a message and answers its wamid; bad input is a 400', async () => {
    const res = await control('inbound', { from: USER, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Sí' } }, context: { id: 'wamid.OUT' } });
    expect(res.status).toBe(200);
    expect(res.json.id).toMatch(/^wamid\./);
    await waitFor(() => inboundOf(receiver).length === 1, 3000, 'inbound');
    expect(inboundOf(receiver)[0]).toMatchObject({ id: res.json.id, context: { from: '15550001111', id: 'wamid.OUT' }, interactive: { type: 'button_reply' } });
    const bad = await control('inbound', { from: 'abc', type: 'text', text: { body: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: { message: expect.stringContaining('from') } });
    expect((await control('inbound', { from: USER, type: 'text' })).status).toBe(400);
    expect((await control('inbound', { from: USER, type: 'selfie' })).status).toBe(400);
  });

  it('GET /_fake/sent filters by number and recipient, oldest first', async () => {
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'hola' } });
    const first = messageIdOf(await sendText(fake, 'first'));
    const second = messageIdOf(await sendText(fake, 'second'));
    const all = await control(`sent?phoneNumberId=${PNID}&to=${USER}`);
    expect(Array.isArray(all.json.messages) ? all.json.messages.map((m: unknown) => (isRecord(m) ? m.id : undefined)) : []).toEqual([first, second]);
    expect((await control('sent?to=5215500000000')).json.messages).toEqual([]);
  });

  it('POST /_fake/read reads a message (404 for unknown ids)', async () => {
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'hola' } });
    const id = messageIdOf(await sendText(fake));
    expect(await control('read', { id })).toEqual({ status: 200, json: { ok: true } });
    await waitFor(() => statusesOf(receiver, id).some((s) => s.status === 'read'), 3000, 'read');
    expect((await control('read', { id: 'wamid.nope' })).status).toBe(404);
  });

  it('advances the clock, forces errors, lists deliveries, resets, and reports state', async () => {
    const before = Number((await control('state')).json.now);
    const advanced = await control('clock/advance', { ms: 60_000 });
    expect(Number(advanced.json.now) - before).toBeGreaterThanOrEqual(60_000);
    expect((await control('clock/advance', { ms: -1 })).status).toBe(400);

    expect((await control('errors', { code: 131016 })).status).toBe(200);
    expect((await sendText(fake)).status).toBe(503);

    await control('inbound', { from: USER, type: 'text', text: { body: 'hola' } });
    await waitFor(() => fake.pendingDeliveries() === 0 && receiver.requests.length === 1, 3000, 'delivery');
    const deliveries = (await control('webhooks')).json.deliveries;
    expect(deliveries).toMatchObject([{ url: receiver.url, status: 200, attempt: 1, body: expect.stringContaining('"hola"') }]);

    const state = (await control('state')).json;
    expect(state).toMatchObject({
      phoneNumbers: [{ phoneNumberId: PNID, displayPhoneNumber: '15550001111', webhookUrl: receiver.url }],
      templates: [],
      users: [{ waId: USER, name: 'Ana', onWhatsApp: true, marketingOptOut: false, windowExpiresAt: { [PNID]: expect.any(Number) } }],
      now: expect.any(Number),
    });

    expect((await control('reset', {})).status).toBe(200);
    expect(fake.sent()).toEqual([]);
    expect(fake.webhookLog()).toEqual([]);
    const id = messageIdOf(await sendText(fake, 'after reset'));
    await waitFor(() => statusesOf(receiver, id).length > 0, 3000, 'status');
    expect(statusesOf(receiver, id)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131047 }] });
  });

  it('POST /_fake/user-preferences records an opt-out and emits the webhook', async () => {
    expect((await control('user-preferences', { waId: USER, value: 'stop' })).status).toBe(200);
    expect((await control('user-preferences', { waId: USER, value: 'maybe' })).status).toBe(400);
    await waitFor(() => receiver.requests.length === 1, 3000, 'webhook');
    const users = (await control('state')).json.users;
    expect(users).toMatchObject([{ waId: USER, marketingOptOut: true }]);
  });

  it('GET /_fake/events streams FakeEvents as SSE and ends when the fake closes', async () => {
    const res = await fetch(`${fake.url}/_fake/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body?.getReader();
    if (reader === undefined) {
      throw new Error('no body');
    }
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string): Promise<void> => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) {
          throw new Error(`stream ended before ${needle}`);
        }
        text += decoder.decode(value);
      }
    };
    await readUntil(': connected');
    await fake.injectInbound({ from: USER, type: 'text', text: { body: 'hola' } });
    const id = messageIdOf(await sendText(fake, 'stream me'));
    await readUntil('"type":"sent"');
    const frames = text.split('\n\n').filter((f) => f.startsWith('data: ')).map((f): unknown => JSON.parse(f.slice(6)));
    const sent = frames.find((f) => isRecord(f) && f.type === 'sent');
    expect(sent).toMatchObject({ type: 'sent', at: expect.any(Number), data: { message: { id, to: USER, status: 'accepted' } } });
    expect(frames.some((f) => isRecord(f) && f.type === 'inbound')).toBe(true);
    await fake.close();
    let done = false;
    while (!done) {
      done = (await reader.read()).done;
    }
    expect(done).toBe(true);
  });
});
