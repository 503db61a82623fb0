import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRecord } from './http.js';
import { errorOf, graph, messageIdOf, send, startReceiver, startTestFake, statusesOf, USER, valuesOf, waitFor, WABA, type Receiver } from './test-support.js';
import type { FakeTemplate, WhatsAppFake } from './types.js';

const TEMPLATES: FakeTemplate[] = [
  {
    id: '991122334455667',
    name: 'order_ready',
    language: 'es_MX',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está listo. Total {{3}}.' },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Dejar de recibir' }, { type: 'URL', text: 'Ver', url: 'https://shop.example/p/{{1}}' }] },
    ],
  },
  {
    name: 'promo',
    language: 'en_US',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Hi {{first_name}}, {{discount}} off today!' }],
  },
  { name: 'paused_one', language: 'en_US', category: 'MARKETING', status: 'PAUSED', components: [{ type: 'BODY', text: 'x' }] },
  { name: 'disabled_one', language: 'en_US', category: 'MARKETING', status: 'DISABLED', components: [{ type: 'BODY', text: 'x' }] },
  { name: 'pending_one', language: 'en_US', category: 'UTILITY', status: 'PENDING', components: [{ type: 'BODY', text: 'x' }] },
  { name: 'paced_one', language: 'en_US', category: 'UTILITY', paced: true, components: [{ type: 'BODY', text: 'x' }] },
];

const orderReady = (bodyParams: Array<Record<string, unknown>>, header: Record<string, unknown> = { type: 'image', image: { link: 'http://127.0.0.1:1/x.jpg' } }): Record<string, unknown> => ({
  to: USER,
  type: 'template',
  template: {
    name: 'order_ready',
    language: { code: 'es_MX' },
    components: [
      { type: 'header', parameters: [header] },
      { type: 'body', parameters: bodyParams },
      { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'OPTOUT' }] },
      { type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: '7781' }] },
    ],
  },
});

const THREE_PARAMS = [
  { type: 'text', text: 'Ana' },
  { type: 'text', text: '#7781' },
  { type: 'currency', currency: { fallback_value: '$499.00', code: 'MXN', amount_1000: 499000 } },
];

const promo = (params: Array<Record<string, unknown>>): Record<string, unknown> => ({
  to: USER,
  type: 'template',
  template: { name: 'promo', language: { code: 'en_US' }, components: [{ type: 'body', parameters: params }] },
});

const NAMED = [
  { type: 'text', parameter_name: 'discount', text: '20%' },
  { type: 'text', parameter_name: 'first_name', text: 'Ana' },
];

let receiver: Receiver;
let fake: WhatsAppFake;

beforeEach(async () => {
  receiver = await startReceiver();
  fake = await startTestFake({ templates: TEMPLATES }, receiver.url);
});
afterEach(async () => {
  await fake.close();
  await receiver.close();
});

describe('template sends (providers.md §2.6)', () => {
  it('accepts a matching positional send with message_status accepted, outside the window', async () => {
    const res = await send(fake, orderReady(THREE_PARAMS));
    expect(res.status).toBe(200);
    expect(res.json.messages).toEqual([{ id: expect.any(String), message_status: 'accepted' }]);
  });

  it('accepts named parameters in any order and delivers outside the window', async () => {
    const id = messageIdOf(await send(fake, promo(NAMED)));
    await waitFor(() => statusesOf(receiver, id).length >= 2, 3000, 'delivered');
    expect(statusesOf(receiver, id).map((s) => s.status)).toEqual(['sent', 'delivered']);
    expect(statusesOf(receiver, id)[0]?.pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' });
  });

  it('answers 132001 (404) for unknown names, unknown languages and templates not approved', async () => {
    const unknown = await send(fake, { to: USER, type: 'template', template: { name: 'nope', language: { code: 'es_MX' } } });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toMatchObject({ code: 132001, error_data: { details: 'template name (nope) does not exist in es_MX' } });
    const wrongLanguage = await send(fake, { ...orderReady(THREE_PARAMS), template: { name: 'order_ready', language: { code: 'en_US' } } });
    expect(errorOf(wrongLanguage).code).toBe(132001);
    const pending = await send(fake, { to: USER, type: 'template', template: { name: 'pending_one', language: { code: 'en_US' } } });
    expect(errorOf(pending).code).toBe(132001);
  });

  it('answers held_for_quality_assessment for paced templates', async () => {
    const res = await send(fake, { to: USER, type: 'template', template: { name: 'paced_one', language: { code: 'en_US' } } });
    expect(res.json.messages).toEqual([{ id: expect.any(String), message_status: 'held_for_quality_assessment' }]);
  });

  it('answers 132015 for paused and 132016 for disabled templates', async () => {
    const paused = await send(fake, { to: USER, type: 'template', template: { name: 'paused_one', language: { code: 'en_US' } } });
    expect(errorOf(paused).code).toBe(132015);
    const disabled = await send(fake, { to: USER, type: 'template', template: { name: 'disabled_one', language: { code: 'en_US' } } });
    expect(errorOf(disabled).code).toBe(132016);
  });

  it('answers 132000 when the parameter count or names do not match', async () => {
    const tooFew = await send(fake, orderReady(THREE_PARAMS.slice(0, 2)));
    expect(tooFew.status).toBe(400);
    expect(errorOf(tooFew)).toMatchObject({
      code: 132000,
      error_data: { details: 'body: number of localizable_params (2) does not match the expected number of params (3)' },
    });
    const noBody = await send(fake, promo([]));
    expect(errorOf(noBody).code).toBe(132000);
    const wrongName = await send(fake, promo([{ type: 'text', parameter_name: 'name', text: 'Ana' }, { type: 'text', parameter_name: 'discount', text: '1' }]));
    expect(errorOf(wrongName).code).toBe(132000);
    const missingUrlButton = await send(fake, { ...orderReady(THREE_PARAMS), template: { name: 'order_ready', language: { code: 'es_MX' }, components: [
      { type: 'header', parameters: [{ type: 'image', image: { id: '1' } }] },
      { type: 'body', parameters: THREE_PARAMS },
    ] } });
    expect(errorOf(missingUrlButton).code).toBe(132000);
  });

  it('answers 132012 when a parameter format does not match the template', async () => {
    const textHeader = await send(fake, orderReady(THREE_PARAMS, { type: 'text', text: 'not an image' }));
    expect(errorOf(textHeader).code).toBe(132012);
    const imageInBody = await send(fake, orderReady([...THREE_PARAMS.slice(0, 2), { type: 'image', image: { id: '1' } }]));
    expect(errorOf(imageInBody).code).toBe(132012);
  });

  it('answers 132005 when the hydrated body exceeds 1024 characters', async () => {
    const res = await send(fake, promo([{ type: 'text', parameter_name: 'first_name', text: 'A'.repeat(1100) }, NAMED[0] ?? {}]));
    expect(errorOf(res).code).toBe(132005);
  });

  it('fails marketing templates with 131050 after the user stops marketing, and resumes after resume', async () => {
    await fake.injectUserPreference({ waId: USER, value: 'stop' });
    await waitFor(() => valuesOf(receiver, 'user_preferences').length === 1, 3000, 'user_preferences webhook');
    expect(valuesOf(receiver, 'user_preferences')[0]).toMatchObject({
      contacts: [{ wa_id: USER }],
      user_preferences: [{ wa_id: USER, category: 'marketing_messages', value: 'stop', timestamp: expect.any(Number) }],
    });
    const blocked = messageIdOf(await send(fake, promo(NAMED)));
    const utility = messageIdOf(await send(fake, orderReady(THREE_PARAMS, { type: 'image', image: { link: 'https://cdn.example/x.jpg' } })));
    await waitFor(() => statusesOf(receiver, blocked).length > 0 && statusesOf(receiver, utility).length > 0, 3000, 'statuses');
    expect(statusesOf(receiver, blocked)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131050 }] });
    // The utility template is not affected by the opt-out (it fails only because its link is not fetchable).
    expect(statusesOf(receiver, utility)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131053 }] });
    await fake.injectUserPreference({ waId: USER, value: 'resume' });
    const allowed = messageIdOf(await send(fake, promo(NAMED)));
    await waitFor(() => statusesOf(receiver, allowed).length >= 2, 3000, 'delivered');
    expect(statusesOf(receiver, allowed).map((s) => s.status)).toEqual(['sent', 'delivered']);
  });
});

describe('template management API (providers.md §4.8)', () => {
  const create = (body: Record<string, unknown>) => graph(fake, `/v24.0/${WABA}/message_templates`, { body });

  it('creates a template as PENDING, approves it with a status webhook, and makes it sendable', async () => {
    const res = await create({
      name: 'order_shipped',
      language: 'es_MX',
      category: 'utility',
      components: [{ type: 'body', text: 'Hola {{1}}, tu pedido salió.', example: { body_text: [['Ana']] } }],
    });
    expect(res.json).toEqual({ id: expect.stringMatching(/^\d+$/), status: 'PENDING', category: 'UTILITY' });
    const id = String(res.json.id);
    await waitFor(() => valuesOf(receiver, 'message_template_status_update').length > 0, 3000, 'template webhook');
    const envelope = receiver.requests.find((r) => r.body.includes('message_template_status_update'))?.json;
    const entry: unknown = Array.isArray(envelope?.entry) ? envelope.entry[0] : undefined;
    expect(isRecord(entry) && typeof entry.time === 'number').toBe(true);
    expect(valuesOf(receiver, 'message_template_status_update')[0]).toEqual({
      event: 'APPROVED',
      message_template_id: Number(id),
      message_template_name: 'order_shipped',
      message_template_language: 'es_MX',
      reason: 'NONE',
      message_template_category: 'UTILITY',
    });
    expect((await graph(fake, `/v24.0/${id}?fields=status`)).json).toEqual({ status: 'APPROVED', id });
    const sendRes = await send(fake, { to: USER, type: 'template', template: { name: 'order_shipped', language: { code: 'es_MX' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }] } });
    expect(sendRes.status).toBe(200);
  });

  it('rejects invalid names, missing examples and duplicates with code 100', async () => {
    expect(errorOf(await create({ name: 'Bad Name', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'x' }] })).code).toBe(100);
    expect(errorOf(await create({ name: 'no_example', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}' }] })).code).toBe(100);
    expect(errorOf(await create({ name: 'promo', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'x' }] }))).toMatchObject({ code: 100, error_subcode: 2388024 });
  });

  it('lists templates with upper-case enums and cursor paging', async () => {
    const first = await graph(fake, `/v24.0/${WABA}/message_templates?limit=2`);
    const data = first.json.data;
    expect(Array.isArray(data) && data.length).toBe(2);
    expect(Array.isArray(data) ? data[0] : undefined).toMatchObject({ name: 'order_ready', parameter_format: 'POSITIONAL', status: 'APPROVED', components: [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY' }, { type: 'BUTTONS' }] });
    const paging = first.json.paging;
    if (!isRecord(paging) || typeof paging.next !== 'string') {
      throw new Error('expected a next link');
    }
    const next = new URL(paging.next);
    const second = await graph(fake, `${next.pathname}${next.search}`);
    const names = (Array.isArray(second.json.data) ? (second.json.data as unknown[]) : []).map((t) => (isRecord(t) ? t.name : undefined));
    expect(names).toEqual(['paused_one', 'disabled_one']);
    expect(isRecord(second.json.paging) && typeof second.json.paging.previous === 'string').toBe(true);
    const filtered = await graph(fake, `/v24.0/${WABA}/message_templates?status=APPROVED&fields=name`);
    expect(filtered.json.data).toEqual([{ name: 'order_ready', id: '991122334455667' }, { name: 'promo', id: expect.any(String) }, { name: 'paced_one', id: expect.any(String) }]);
  });

  it('deletes templates by name', async () => {
    const res = await graph(fake, `/v24.0/${WABA}/message_templates?name=promo`, { method: 'DELETE' });
    expect(res.json).toEqual({ success: true });
    expect(errorOf(await send(fake, promo(NAMED))).code).toBe(132001);
    expect(errorOf(await graph(fake, `/v24.0/${WABA}/message_templates?name=promo`, { method: 'DELETE' })).code).toBe(100);
  });

  it('pauses a template through setTemplateStatus with a webhook, then sends fail with 132015', async () => {
    fake.setTemplateStatus('991122334455667', 'PAUSED', 'NONE');
    await waitFor(() => valuesOf(receiver, 'message_template_status_update').length > 0, 3000, 'template webhook');
    expect(valuesOf(receiver, 'message_template_status_update')[0]).toMatchObject({ event: 'PAUSED', message_template_id: 991122334455667 });
    expect(errorOf(await send(fake, orderReady(THREE_PARAMS))).code).toBe(132015);
  });

  it('REINSTATED is an event: the webhook says REINSTATED, the template reads as APPROVED again and sends', async () => {
    fake.setTemplateStatus('991122334455667', 'REINSTATED', 'NONE');
    await waitFor(() => valuesOf(receiver, 'message_template_status_update').some((v) => v.event === 'REINSTATED'), 3000, 'reinstated webhook');
    const read = await graph(fake, '/v24.0/991122334455667?fields=status');
    expect(read.json).toMatchObject({ status: 'APPROVED' });
    expect((await send(fake, orderReady(THREE_PARAMS))).status).toBe(200);
  });
});
