import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISPLAY, errorOf, graph, messageIdOf, PNID, send, sendText, startTestFake, USER } from './test-support.js';
import type { FakeEvent, WhatsAppFake } from './types.js';

let fake: WhatsAppFake;

beforeEach(async () => {
  fake = await startTestFake({ phoneNumbers: [{ phoneNumberId: PNID, displayPhoneNumber: DISPLAY }, { phoneNumberId: '200000000000002', displayPhoneNumber: '15550002222', sandboxAllowList: ['+52 1 55 1234 5678'] }] });
});
afterEach(async () => {
  await fake.close();
});

const buttons = (titles: string[]): Record<string, unknown> => ({
  to: USER,
  type: 'interactive',
  interactive: {
    type: 'button',
    body: { text: 'Confirm?' },
    action: { buttons: titles.map((title, i) => ({ type: 'reply', reply: { id: `b${i}`, title } })) },
  },
});

const list = (rowsPerSection: number[], rowTitle = 'Row'): Record<string, unknown> => ({
  to: USER,
  type: 'interactive',
  interactive: {
    type: 'list',
    body: { text: 'Pick one' },
    action: {
      button: 'Options',
      sections: rowsPerSection.map((n, s) => ({ title: `S${s}`, rows: Array.from({ length: n }, (_, r) => ({ id: `r${s}-${r}`, title: rowTitle })) })),
    },
  },
});

describe('POST /{v}/{pnid}/messages — success (providers.md §2.9)', () => {
  it('echoes the input, normalises the wa_id and omits message_status for non-templates', async () => {
    const res = await send(fake, { to: '+52 1 (55) 1234-5678', type: 'text', text: { body: 'Hola' } });
    expect(res.status).toBe(200);
    expect(res.json.messaging_product).toBe('whatsapp');
    expect(res.json.contacts).toEqual([{ input: '+52 1 (55) 1234-5678', wa_id: USER }]);
    const id = messageIdOf(res);
    expect(id).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    expect(res.json.messages).toEqual([{ id }]);
    expect(fake.sent()).toMatchObject([{ id, to: USER, type: 'text', phoneNumberId: PNID, body: { text: { body: 'Hola' } } }]);
  });

  it('prepends the business country code to a short number without +', async () => {
    const res = await send(fake, { to: '5551234567', type: 'text', text: { body: 'x' } });
    expect(res.json.contacts).toEqual([{ input: '5551234567', wa_id: '15551234567' }]);
  });

  it('accepts a request without a version segment', async () => {
    const res = await graph(fake, `/${PNID}/messages`, { body: { messaging_product: 'whatsapp', to: USER, text: { body: 'default type' } } });
    expect(res.status).toBe(200);
    expect(fake.sent()[0]?.type).toBe('text');
  });
});

describe('synchronous errors (providers.md §2.11, §2.12)', () => {
  it('rejects a wrong or missing bearer with 401 code 190 and a Graph envelope', async () => {
    for (const token of ['nope', null]) {
      const res = await graph(fake, `/v24.0/${PNID}/messages`, { body: { messaging_product: 'whatsapp', to: USER, type: 'text', text: { body: 'x' } }, token });
      expect(res.status).toBe(401);
      expect(errorOf(res)).toMatchObject({ code: 190, type: 'OAuthException' });
      expect(errorOf(res).fbtrace_id).toEqual(expect.any(String));
    }
    expect(fake.sent()).toHaveLength(0);
  });

  it('rejects an unknown phone-number id with 400 code 100', async () => {
    const res = await graph(fake, '/v24.0/999999/messages', { body: { messaging_product: 'whatsapp', to: USER, type: 'text', text: { body: 'x' } } });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 100, error_subcode: 33 });
    expect(String(errorOf(res).message)).toContain("Object with ID '999999' does not exist");
  });

  it('rejects malformed JSON, a missing messaging_product and unknown keys with code 100', async () => {
    expect(errorOf(await graph(fake, `/v24.0/${PNID}/messages`, { body: '{not json' })).code).toBe(100);
    expect(errorOf(await graph(fake, `/v24.0/${PNID}/messages`, { body: { to: USER, type: 'text', text: { body: 'x' } } })).code).toBe(100);
    const unknownKey = await sendText(fake, 'x', { previewurl: true });
    expect(unknownKey.status).toBe(400);
    expect(errorOf(unknownKey)).toMatchObject({ code: 100, message: '(#100) Unexpected key "previewurl" on param "message".' });
  });

  it('reports missing parameters with 131008 and a (#code) title message', async () => {
    const noTo = await send(fake, { type: 'text', text: { body: 'x' } });
    expect(noTo.status).toBe(400);
    expect(errorOf(noTo)).toMatchObject({
      code: 131008,
      message: '(#131008) Required parameter is missing',
      error_data: { messaging_product: 'whatsapp', details: 'The parameter to is required.' },
    });
    expect(errorOf(await send(fake, { to: USER, type: 'text', text: {} })).code).toBe(131008);
    expect(errorOf(await send(fake, { to: USER, type: 'image' })).code).toBe(131008);
    expect(errorOf(await send(fake, { to: USER, type: 'location', location: { latitude: 1 } })).code).toBe(131008);
  });

  it('rejects text over 4096 characters with 131009', async () => {
    expect(errorOf(await sendText(fake, 'x'.repeat(4097))).code).toBe(131009);
    expect((await sendText(fake, 'x'.repeat(4096))).status).toBe(200);
  });

  it('rejects an unknown message type with 131051', async () => {
    const res = await send(fake, { to: USER, type: 'poll', poll: {} });
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe(131051);
  });

  it('enforces reply-button limits with the observed details strings (§2.4)', async () => {
    const long = await send(fake, buttons(['This title is far too long']));
    expect(errorOf(long)).toMatchObject({ code: 131009, error_data: { details: 'Button title length invalid. Min length: 1, Max length: 20' } });
    expect(errorOf(await send(fake, buttons(['a', 'b', 'c', 'd']))).code).toBe(131009);
    expect(errorOf(await send(fake, buttons(['same', 'same']))).code).toBe(131009);
    expect((await send(fake, buttons(['Sí, confirmar', 'No puedo']))).status).toBe(200);
  });

  it('enforces list limits with the observed details strings (§2.5)', async () => {
    const tooMany = await send(fake, list([6, 5]));
    expect(errorOf(tooMany)).toMatchObject({ code: 131009, error_data: { details: 'Total row count exceed max allowed count: 10' } });
    const longRow = await send(fake, list([1], 'r'.repeat(25)));
    expect(errorOf(longRow).error_data).toMatchObject({ details: 'Row title is too long. Max length is 24' });
    expect((await send(fake, list([5, 5]))).status).toBe(200);
  });

  it('rejects recipients outside a sandbox allow-list with 131030', async () => {
    const body = { messaging_product: 'whatsapp', to: '15559998888', type: 'text', text: { body: 'x' } };
    const res = await graph(fake, '/v24.0/200000000000002/messages', { body });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 131030, error_subcode: 2655007 });
    const allowed = await graph(fake, '/v24.0/200000000000002/messages', { body: { ...body, to: USER } });
    expect(allowed.status).toBe(200);
  });

  it('rejects sending to the business number itself with 131021', async () => {
    const res = await send(fake, { to: `+${DISPLAY}`, type: 'text', text: { body: 'me' } });
    expect(errorOf(res)).toMatchObject({ code: 131021, error_data: { details: 'Sender and recipient phone number is the same.' } });
  });

  it('rejects a reaction sent as a reply', async () => {
    const res = await send(fake, { to: USER, type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' }, context: { message_id: 'wamid.X' } });
    expect(errorOf(res).code).toBe(131009);
  });

  it('fails the next sends with a forced error code and HTTP status from the §2.12 table', async () => {
    fake.forceError(131000, 2);
    const first = await sendText(fake);
    expect(first.status).toBe(500);
    expect(errorOf(first).code).toBe(131000);
    expect((await sendText(fake)).status).toBe(500);
    expect((await sendText(fake)).status).toBe(200);
    fake.forceError(132001);
    expect((await sendText(fake)).status).toBe(404);
  });
});

describe('mark as read / typing indicator (providers.md §2.10)', () => {
  it('marks a known inbound message read and reports it as an event', async () => {
    const events: FakeEvent[] = [];
    fake.on((e) => events.push(e));
    const { id } = await fake.injectInbound({ from: USER, type: 'text', text: { body: 'hola' } });
    const res = await send(fake, { status: 'read', message_id: id, typing_indicator: { type: 'text' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true });
    expect(events.find((e) => e.type === 'status')?.data).toMatchObject({ direction: 'inbound', id, status: 'read', typingIndicator: true });
    expect(fake.sent()).toHaveLength(0);
  });

  it('rejects an unknown wamid with 131009 and a bad typing indicator with 131009', async () => {
    expect(errorOf(await send(fake, { status: 'read', message_id: 'wamid.unknown' })).code).toBe(131009);
    const { id } = await fake.injectInbound({ from: USER, type: 'text', text: { body: 'x' } });
    expect(errorOf(await send(fake, { status: 'read', message_id: id, typing_indicator: { type: 'audio' } })).code).toBe(131009);
    expect(errorOf(await send(fake, { status: 'read' })).code).toBe(131008);
  });

  it('does not let mark-read consume forced errors', async () => {
    const { id } = await fake.injectInbound({ from: USER, type: 'text', text: { body: 'x' } });
    fake.forceError(131016);
    expect((await send(fake, { status: 'read', message_id: id })).status).toBe(200);
    expect((await sendText(fake)).status).toBe(503);
  });
});

describe('GET /{v}/{pnid}?fields= (§7.1 item 4)', () => {
  it('returns the requested fields and rejects unknown ones', async () => {
    const res = await graph(fake, `/v24.0/${PNID}?fields=display_phone_number,throughput,whatsapp_business_manager_messaging_limit`);
    expect(res.json).toEqual({ display_phone_number: DISPLAY, throughput: { level: 'STANDARD' }, whatsapp_business_manager_messaging_limit: 'TIER_2K', id: PNID });
    const bad = await graph(fake, `/v24.0/${PNID}?fields=nope`);
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe(100);
  });
});
