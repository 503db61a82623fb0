/**
 * The inbox's realtime feed end to end (issue #5 items 5 and 9) over real loopback HTTP and WebSockets: the fake
 * WhatsApp Cloud API delivers signed webhooks, workers store and answer them, and a signed-in agent's socket receives
 * the events — fast, complete after a reconnect, and never for callers who may not read the inbox. With PostgreSQL,
 * a second Parley on the same database serves a client what the first one wrote (LISTEN/NOTIFY). An agent's feed
 * carries nothing of a restricted contact's conversation (GDPR-20), an admin's does.
 */
import { randomBytes } from 'node:crypto';
import type { FeedServerMessage, InboxEvent } from '@parley/contracts';
import type { WhatsAppFake } from '@parley/provider-fakes';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../deps.js';
import { buildApp } from '../../http/app.js';
import { createSecretBox } from '../../platform/crypto.js';
import { type Database, openPostgres, query } from '../../platform/db.js';
import { createLogger } from '../../platform/logger.js';
import { isPostgresRun } from '../../test/db.js';
import { connectFeed, type FeedClient } from '../../test/feed-client.js';
import { eventually, type Harness } from '../../test/harness.js';
import { createWhatsAppHarness, type WhatsAppHarness } from '../../test/whatsapp.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { liftRestriction, restrictContact } from '../privacy/index.js';
import { SESSION_COOKIE } from '../users/index.js';
import { createStaffKit, type StaffKit } from '../users/users.fixtures.js';

let wa: WhatsAppHarness;
let h: Harness;
let fake: WhatsAppFake;
let kit: StaffKit;
let agentCookie: string;
const ORIGIN = 'https://parley.test'; // the harness's PUBLIC_URL
const clients: FeedClient[] = [];

beforeAll(async () => {
  wa = await createWhatsAppHarness({ phoneNumberId: '109876543210555', slug: 'rt', autoReply: 'Danke, wir melden uns.' });
  ({ h, fake } = wa);
  kit = createStaffKit(h.deps, h.app);
  agentCookie = await cookieFor(['agent']);
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await wa?.close();
});

async function cookieFor(roles: Parameters<StaffKit['createStaff']>[0]): Promise<string> {
  const { user } = await kit.createStaff(roles);
  return `${SESSION_COOKIE}=${(await kit.auth.createSession(user.id)).token}`;
}

async function open(baseUrl = h.url, opts: Parameters<typeof connectFeed>[1] = { cookie: agentCookie, origin: ORIGIN }): Promise<FeedClient> {
  const client = await connectFeed(baseUrl, opts);
  clients.push(client);
  return client;
}

const isReady = (m: FeedServerMessage) => m.type === 'ready';
const inboundFrom = (conversationId: string | undefined) => (e: InboxEvent) => e.kind === 'message.created' && e.data.direction === 'in' && (!conversationId || e.conversationId === conversationId);
const conversationOf = async (address: string) =>
  (await query<{ id: string }>(h.database.db, sql`select id from conversations where address = ${address}`))[0]?.id;

describe('realtime feed (issue #5 item 5)', () => {
  it('a message from the fake appears at a connected agent in < 500 ms (issue #5 item 9)', async () => {
    const client = await open();
    client.subscribe(null);
    await client.waitFor(isReady);
    const latencies: number[] = [];
    let seen = 0;
    for (let i = 0; i < 5; i++) {
      const sentAt = performance.now();
      await fake.injectInbound({ from: `49171555000${i}`, type: 'text', text: { body: `Hallo ${i}` } });
      const event = await client.waitForEvent((e) => e.id > seen && inboundFrom(undefined)(e), 5000, `the event of message ${i}`);
      seen = event.id;
      latencies.push(event.receivedAt - sentAt);
    }
    // The median of five: one stall of a machine shared with other test runs does not decide it (bench/realtime
    // measures p50/p99 on PostgreSQL).
    const median = [...latencies].sort((a, b) => a - b)[2]!;
    expect(median, `latencies ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`).toBeLessThan(500);
  });

  it('the reply and its delivery statuses arrive as message.created and message.status', async () => {
    const client = await open();
    client.subscribe(null);
    await client.waitFor(isReady);
    const from = '491715550100';
    await fake.injectInbound({ from, type: 'text', text: { body: 'Hallo' } });
    const conversationId = await eventually(() => conversationOf(from), 5000, 'the conversation');
    const reply = await client.waitForEvent((e) => e.conversationId === conversationId && e.kind === 'message.created' && e.data.direction === 'out', 10_000, 'the reply');
    const replyId = reply.kind === 'message.created' ? reply.data.messageId : '';
    await client.waitForEvent((e) => e.kind === 'message.status' && e.data.messageId === replyId && e.data.status === 'delivered', 10_000, 'delivered');
    const sent = await eventually(() => fake.sent({ to: from })[0], 5000, 'the reply at the fake');
    fake.markRead(sent.id);
    await client.waitForEvent((e) => e.kind === 'message.status' && e.data.messageId === replyId && e.data.status === 'read', 10_000, 'read');
    // `sent` and `delivered` often land in one status batch, and the message moves straight to delivered.
    const statuses = client.events.filter((e) => e.kind === 'message.status' && e.conversationId === conversationId).map((e) => ('status' in e.data ? e.data.status : ''));
    expect(statuses.filter((s) => s !== 'sent')).toEqual(['delivered', 'read']);
    expect(statuses.indexOf('sent')).toBeLessThanOrEqual(0);
  });

  it('an ownership change arrives as conversation.changed', async () => {
    const client = await open();
    client.subscribe(null);
    await client.waitFor(isReady);
    const conversationId = (await conversationOf('491715550100'))!;
    await h.database.db.execute(sql`update conversations set state = 'queued', queue = 'patient-service', queued_at = now() where id = ${conversationId}`);
    const event = await client.waitForEvent((e) => e.kind === 'conversation.changed' && e.conversationId === conversationId);
    expect(event.data).toMatchObject({ state: 'queued', previousState: 'bot', queue: 'patient-service' });
  });

  it('catches up after a disconnect: nothing lost, nothing twice', async () => {
    const first = await open();
    first.subscribe(null);
    await first.waitFor(isReady);
    await fake.injectInbound({ from: '491715550200', type: 'text', text: { body: 'Erste' } });
    await first.waitForEvent(inboundFrom(await eventually(() => conversationOf('491715550200'), 5000, 'conversation')));
    const resumeFrom = first.lastEventId!;
    await first.close();

    // While no one listens: three users write, Parley answers them and the statuses come back.
    const away = ['491715550201', '491715550202', '491715550203'];
    for (const from of away) {
      await fake.injectInbound({ from, type: 'text', text: { body: 'Während der Pause' } });
    }
    await eventually(() => away.every((to) => fake.sent({ to }).length === 1) || undefined, 10_000, 'the replies');

    const second = await open();
    second.subscribe(resumeFrom);
    await second.waitFor(isReady);
    // Let the tail (statuses still on their way) arrive live, then compare with the table.
    await new Promise((r) => setTimeout(r, 1000));
    const stored = await query<{ id: string }>(h.database.db, sql`select id from inbox_events where workspace_id = ${h.deps.workspace.id} and id > ${resumeFrom} order by id`);
    const received = second.events.map((e) => e.id);
    expect(new Set(received).size, 'no event twice').toBe(received.length);
    expect([...received].sort((a, b) => a - b)).toEqual(stored.map((r) => Number(r.id)));
    expect(received.length).toBeGreaterThanOrEqual(9); // 3 × (message in, reply, sent, delivered)
  });

  it('SEC-05 refuses the feed to anonymous callers (401) and to roles outside the inbox (403)', async () => {
    await expect(connectFeed(h.url, { origin: ORIGIN })).rejects.toThrow('HTTP 401');
    await expect(connectFeed(h.url, { cookie: await cookieFor(['editor']), origin: ORIGIN })).rejects.toThrow('HTTP 403');
    await expect(connectFeed(h.url, { cookie: await cookieFor(['compliance', 'approver']), origin: ORIGIN })).rejects.toThrow('HTTP 403');
    const admin = await open(h.url, { cookie: await cookieFor(['admin']), origin: ORIGIN });
    admin.subscribe(null);
    await admin.waitFor(isReady);
    const service = await open(h.url, { token: h.adminToken });
    service.subscribe(null);
    await service.waitFor(isReady);
  });

  it('SEC-05 refuses a page of another site (cross-site WebSocket hijacking), even with a valid session', async () => {
    await expect(connectFeed(h.url, { cookie: agentCookie, origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    const sameHost = await open(h.url, { cookie: agentCookie, origin: h.url });
    sameHost.subscribe(null);
    await sameHost.waitFor(isReady);
  });

  it('closes the feed of a session that was signed out (code 4401)', async () => {
    const { user } = await kit.createStaff(['agent']);
    const session = await kit.auth.createSession(user.id);
    const client = await open(h.url, { cookie: `${SESSION_COOKIE}=${session.token}`, origin: ORIGIN });
    client.subscribe(null);
    await client.waitFor(isReady);
    const res = await kit.injectAs(session, { method: 'POST', url: '/api/auth/logout' });
    expect(res.statusCode).toBeLessThan(300);
    // Re-checked every 60 s in production; this test only shows a later upgrade with that cookie is refused.
    await expect(connectFeed(h.url, { cookie: `${SESSION_COOKIE}=${session.token}`, origin: ORIGIN })).rejects.toThrow('HTTP 401');
  });
});

describe('who receives what (GDPR-20: restricted contacts are hidden from agents)', () => {
  const rights = () => ({ db: h.database.db, workspaceId: h.deps.workspace.id, keyedHash: (v: string) => h.deps.secretBox.keyedHash(v) });
  const contactOf = async (conversationId: string) =>
    (await query<{ contactId: string }>(h.database.db, sql`select contact_id as "contactId" from conversations where id = ${conversationId}`))[0]!.contactId;
  const storedAfter = async (after: number) =>
    (await query<{ id: string; conversationId: string; kind: string }>(h.database.db, sql`select id, conversation_id as "conversationId", kind from inbox_events where workspace_id = ${h.deps.workspace.id} and id > ${after} order by id`)).map((r) => ({ id: Number(r.id), conversationId: r.conversationId, kind: r.kind }));
  const live = async (opts: Parameters<typeof connectFeed>[1], after: number | null = null) => {
    const client = await open(h.url, opts);
    client.subscribe(after);
    await client.waitFor(isReady);
    return client;
  };

  it('GDPR-20 an agent’s feed carries no event of a restricted contact, live or on catch-up; an admin’s does; lifting lets new events flow', async () => {
    const adminCookie = await cookieFor(['admin']);
    const agent = await live({ cookie: agentCookie, origin: ORIGIN });
    const admin = await live({ cookie: adminCookie, origin: ORIGIN });
    const [hiddenFrom, openFrom] = ['491715550400', '491715550401'];
    await fake.injectInbound({ from: hiddenFrom, type: 'text', text: { body: 'Bitte nicht mehr verarbeiten' } });
    const hidden = await eventually(() => conversationOf(hiddenFrom), 5000, 'the conversation');
    await agent.waitForEvent(inboundFrom(hidden));
    const resumeFrom = agent.lastEventId!;
    await restrictContact(rights(), await contactOf(hidden), { audit: SYSTEM_AUDIT, reason: 'Art. 18 request' });
    const restrictedFrom = (await storedAfter(0)).at(-1)!.id;

    // Live: the restricted contact writes again (the bot's answer is blocked by the gate), then someone else.
    await fake.injectInbound({ from: hiddenFrom, type: 'text', text: { body: 'Noch einmal' } });
    await admin.waitForEvent((e) => e.id > restrictedFrom && inboundFrom(hidden)(e), 5000, 'the admin’s event');
    await fake.injectInbound({ from: openFrom, type: 'text', text: { body: 'Hallo' } });
    const other = await eventually(() => conversationOf(openFrom), 5000, 'the other conversation');
    await agent.waitForEvent(inboundFrom(other), 5000, 'the agent’s event of the other conversation');
    await new Promise((r) => setTimeout(r, 500));
    expect(agent.events.filter((e) => e.id > restrictedFrom && e.conversationId === hidden), 'live').toEqual([]);
    // What the agent did get of it: the restriction itself, so the open inbox drops the conversation.
    const told = agent.events.filter((e) => e.conversationId === hidden && e.kind === 'conversation.visibility');
    expect(told.map((e) => e.kind === 'conversation.visibility' && e.data.restricted)).toEqual([true]);

    // Catch-up from before the restriction: what is restricted now stays out, everything else comes, once.
    await agent.close();
    const again = await live({ cookie: agentCookie, origin: ORIGIN }, resumeFrom);
    const adminAgain = await live({ cookie: adminCookie, origin: ORIGIN }, resumeFrom);
    await new Promise((r) => setTimeout(r, 500));
    const stored = await storedAfter(resumeFrom);
    const ready = again.messages.find(isReady);
    expect(ready?.type === 'ready' && ready.lastEventId, 'the position passes the withheld events').toBeGreaterThanOrEqual(stored.filter((e) => e.conversationId === hidden).at(-1)!.id);
    const got = again.events.map((e) => e.id);
    expect(new Set(got).size, 'no event twice').toBe(got.length);
    const visible = stored.filter((e) => e.conversationId !== hidden || e.kind === 'conversation.visibility');
    expect([...got].sort((a, b) => a - b), 'catch-up').toEqual(visible.map((e) => e.id));
    expect(adminAgain.events.filter((e) => e.conversationId === hidden).length).toBeGreaterThanOrEqual(2);

    // Lifted: the next event reaches the agent's open feed.
    await liftRestriction(rights(), await contactOf(hidden), { audit: SYSTEM_AUDIT, reason: 'Accuracy confirmed' });
    const liftedFrom = (await storedAfter(0)).at(-1)!.id;
    const shownAgain = await again.waitForEvent((e) => e.id === liftedFrom, 5000, 'the lifting');
    expect(shownAgain).toMatchObject({ kind: 'conversation.visibility', conversationId: hidden, data: { restricted: false } });
    await fake.injectInbound({ from: hiddenFrom, type: 'text', text: { body: 'Danke' } });
    await again.waitForEvent((e) => e.id > liftedFrom && inboundFrom(hidden)(e), 5000, 'the agent’s event after lifting');
  });

  it('GDPR-20 the admin token’s feed sees restricted contacts', async () => {
    const service = await live({ token: h.adminToken });
    const from = '491715550402';
    await fake.injectInbound({ from, type: 'text', text: { body: 'Hallo' } });
    const conversationId = await eventually(() => conversationOf(from), 5000, 'the conversation');
    await service.waitForEvent(inboundFrom(conversationId));
    await restrictContact(rights(), await contactOf(conversationId), { audit: SYSTEM_AUDIT, reason: 'Art. 18 request' });
    const restrictedFrom = (await storedAfter(0)).at(-1)!.id;
    await fake.injectInbound({ from, type: 'text', text: { body: 'Noch einmal' } });
    await service.waitForEvent((e) => e.id > restrictedFrom && inboundFrom(conversationId)(e), 5000, 'the event of the restricted contact');
  });
});

describe.skipIf(!isPostgresRun())('realtime feed across processes (PostgreSQL LISTEN/NOTIFY)', () => {
  let second: { database: Database; app: FastifyInstance; url: string } | undefined;
  afterAll(async () => {
    await second?.app.close();
    await second?.database.close();
  });

  it('a message written through Parley A reaches a client connected to Parley B on the same database', async () => {
    const database = await openPostgres(h.database.url!, 4);
    const deps = await buildDeps(h.config, database, createLogger('silent'), createSecretBox(randomBytes(32)));
    const app = await buildApp(deps, { adminToken: h.adminToken });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    second = { database, app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };

    const client = await open(second.url);
    client.subscribe(null);
    await client.waitFor(isReady);
    const from = '491715550300';
    const sentAt = performance.now();
    await fake.injectInbound({ from, type: 'text', text: { body: 'Über zwei Prozesse' } }); // webhook and workers: Parley A
    const event = await client.waitForEvent(inboundFrom(await eventually(() => conversationOf(from), 5000, 'conversation')), 5000, 'the event at B');
    expect(event.receivedAt - sentAt).toBeLessThan(500);
  });
});
