import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { signWhatsAppPayload } from './whatsapp-cloud/index.js';

const APP_SECRET = 'app-secret-for-tests';
const VERIFY_TOKEN = 'verify-token-for-tests';
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
  await h.deps.channels.createChannel(h.deps.workspace.id, {
    kind: 'whatsapp',
    slug: 'praxis',
    phoneNumberId: '109876543210987',
    accessToken: 'access-token-x',
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
  });
});
afterAll(async () => h.close());

const textWebhook = (id: string, body = 'Hallo', phoneNumberId = '109876543210987') =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '880011223344556', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId }, contacts: [{ profile: { name: 'Ana' }, wa_id: '491701111111' }], messages: [{ from: '491701111111', id, timestamp: '1767225600', type: 'text', text: { body } }] } }] }],
  });

const post = (payload: string | Buffer, headers: Record<string, string> = {}, slug = 'praxis') =>
  h.app.inject({ method: 'POST', url: `/webhooks/whatsapp/${slug}`, payload, headers: { 'content-type': 'application/json', ...headers } });
const signed = (payload: string) => ({ 'x-hub-signature-256': signWhatsAppPayload(payload, APP_SECRET) });
const stored = async (id: string) => (await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from inbound_events where provider_event_id = ${id}`))[0]?.n;
const jobsFor = async (id: string) =>
  (await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from jobs j join inbound_events e on (j.payload->>'eventId')::bigint = e.id where e.provider_event_id = ${id}`))[0]?.n;

describe('POST /webhooks/whatsapp/:slug', () => {
  it('stores a signed event with its processing job and answers 200', async () => {
    const payload = textWebhook('wamid.A1');
    const res = await post(payload, signed(payload));
    expect(res.statusCode).toBe(200);
    expect(await stored('wamid.A1')).toBe(1);
    expect(await jobsFor('wamid.A1')).toBe(1);
  });

  it('treats the same event delivered three times as one (one event, one job)', async () => {
    const payload = textWebhook('wamid.DUP');
    for (let i = 0; i < 3; i++) {
      expect((await post(payload, signed(payload))).statusCode).toBe(200);
    }
    expect(await stored('wamid.DUP')).toBe(1);
    expect(await jobsFor('wamid.DUP')).toBe(1);
  });

  it('stores concurrent deliveries once each, also when the same event races itself in one batch', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `wamid.C${i}`);
    const requests = [...ids, ...ids.slice(0, 15)].map((id) => {
      const payload = textWebhook(id);
      return post(payload, signed(payload));
    });
    const answers = await Promise.all(requests);
    expect(answers.every((r) => r.statusCode === 200)).toBe(true);
    const [events] = await query<{ n: number; distinct: number }>(
      h.database.db,
      sql`select count(*)::int as n, count(distinct provider_event_id)::int as distinct from inbound_events where provider_event_id like 'wamid.C%'`,
    );
    expect(events).toEqual({ n: 40, distinct: 40 });
    const [jobs] = await query<{ n: number }>(
      h.database.db,
      sql`select count(*)::int as n from jobs j join inbound_events e on (j.payload->>'eventId')::bigint = e.id where e.provider_event_id like 'wamid.C%'`,
    );
    expect(jobs?.n).toBe(40);
  });

  it('answers 401 and stores nothing for a missing or wrong signature', async () => {
    const payload = textWebhook('wamid.BAD');
    const missing = await post(payload);
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'webhook.signature_invalid' } });
    expect((await post(payload, { 'x-hub-signature-256': signWhatsAppPayload(payload, 'wrong-secret') })).statusCode).toBe(401);
    expect((await post(payload, { 'x-hub-signature-256': 'sha256=zz' })).statusCode).toBe(401);
    expect(await stored('wamid.BAD')).toBe(0);
  });

  it('verifies over the raw bytes: a body with escaped unicode signed as sent is accepted', async () => {
    const payload = textWebhook('wamid.UNI', 'PLACEHOLDER').replace('PLACEHOLDER', '\\u00e4rztin \\ud83d\\udc4d');
    const res = await post(payload, signed(payload));
    expect(res.statusCode).toBe(200);
    const [row] = await query<{ text: string }>(h.database.db, sql`select payload->'content'->>'text' as text from inbound_events where provider_event_id = 'wamid.UNI'`);
    expect(row?.text).toBe('ärztin 👍');
  });

  it('answers 404 for an unknown slug', async () => {
    const payload = textWebhook('wamid.X');
    const res = await post(payload, signed(payload), 'nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'channel.not_found' } });
  });

  it('answers 413 for a body over 3 MB', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 10, 'a');
    const res = await post(big, { 'x-hub-signature-256': signWhatsAppPayload(big, APP_SECRET) });
    expect(res.statusCode).toBe(413);
  });

  it('answers 400 for malformed JSON with a valid signature, and stores nothing', async () => {
    const payload = '{"object":"whatsapp_business_account","entry":[';
    const res = await post(payload, signed(payload));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'webhook.malformed' } });
    const [count] = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from inbound_events where payload::text like '%entry%['`);
    expect(count?.n).toBe(0);
  });

  it('accepts a signed body whatever its content type', async () => {
    const payload = textWebhook('wamid.CT');
    const res = await post(payload, { ...signed(payload), 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(200);
  });
});

describe('one Meta app, several numbers (all webhooks arrive at one callback URL)', () => {
  it('files each event under the channel of the number it names, if that channel belongs to the same app', async () => {
    const ws = h.deps.workspace.id;
    const second = await h.deps.channels.createChannel(ws, { kind: 'whatsapp', slug: 'praxis-zwei', phoneNumberId: '2000000002', accessToken: 'access-token-y', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });
    const otherApp = await h.deps.channels.createChannel(ws, { kind: 'whatsapp', slug: 'other-app', phoneNumberId: '3000000003', accessToken: 'access-token-z', appSecret: 'another-app-secret', verifyToken: VERIFY_TOKEN });
    const [praxis] = await query<{ id: string }>(h.database.db, sql`select id from channels where slug = 'praxis'`);
    const channelOf = async (id: string) => (await query<{ channelId: string }>(h.database.db, sql`select channel_id as "channelId" from inbound_events where provider_event_id = ${id}`))[0]?.channelId;
    for (const [id, number] of [['wamid.R2', '2000000002'], ['wamid.R3', '3000000003'], ['wamid.R9', '9999999999']] as const) {
      const payload = textWebhook(id, 'Hallo', number);
      expect((await post(payload, signed(payload))).statusCode).toBe(200);
    }
    expect(await channelOf('wamid.R2')).toBe(second.id);
    // Another app's number cannot be reached through this app's URL, and an unknown number stays where it came in.
    expect(await channelOf('wamid.R3')).toBe(praxis?.id);
    expect(await channelOf('wamid.R3')).not.toBe(otherApp.id);
    expect(await channelOf('wamid.R9')).toBe(praxis?.id);
  });
});

describe('GET /webhooks/whatsapp/:slug (verification handshake, providers.md §1.1)', () => {
  it('echoes the challenge for the right verify token', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/webhooks/whatsapp/praxis?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('1158201444');
  });
  it('answers 403 for a wrong token or mode', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/webhooks/whatsapp/praxis?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong' })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: `/webhooks/whatsapp/praxis?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}` })).statusCode).toBe(403);
  });
  it('answers 404 for an unknown slug', async () => {
    expect((await h.app.inject({ method: 'GET', url: `/webhooks/whatsapp/nope?hub.mode=subscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}` })).statusCode).toBe(404);
  });
});

describe('health', () => {
  it('/healthz answers, /readyz reports the database ready with all migrations applied', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });
});

describe('admin channel API', () => {
  it('refuses without the admin token and creates a channel with it, never showing secrets', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/admin/channels' })).statusCode).toBe(401);
    const body = { kind: 'whatsapp', slug: 'bank', phoneNumberId: '1234567', accessToken: 'tok-123456', appSecret: 'secret-123456', verifyToken: 'verify-123456' };
    const res = await h.app.inject({ method: 'POST', url: '/api/admin/channels', payload: body, headers: { authorization: `Bearer ${h.adminToken}` } });
    expect(res.statusCode).toBe(201);
    expect(res.json().channel).toMatchObject({ slug: 'bank', webhookUrl: 'https://parley.test/webhooks/whatsapp/bank' });
    expect(res.body).not.toContain('secret-123456');
    const [row] = await query<{ secrets: string }>(h.database.db, sql`select secrets from channels where slug = 'bank'`);
    expect(row?.secrets).toMatch(/^v1:/);
    expect(row?.secrets).not.toContain('tok-123456');
    const dup = await h.app.inject({ method: 'POST', url: '/api/admin/channels', payload: body, headers: { authorization: `Bearer ${h.adminToken}` } });
    expect(dup.statusCode).toBe(409);
  });
  it('answers 400 with every problem for an invalid channel', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/admin/channels', payload: { kind: 'whatsapp', slug: 'X!' }, headers: { authorization: `Bearer ${h.adminToken}` } });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().error.details.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', 'phoneNumberId', 'accessToken', 'appSecret', 'verifyToken']));
  });
});
