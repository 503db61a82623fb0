/**
 * The realtime feed on the real database (issue #5 item 5): the triggers write exactly the events an inbox needs
 * in the transaction of the change, and the hub delivers them in id order — also when transactions commit in a
 * different order than they took their ids (PostgreSQL only: PGlite runs one transaction at a time). A reader who
 * may not see restricted contacts (GDPR-20) receives none of their conversations' events, and that changes nothing
 * about the order or the gaps; it does receive the visibility event of a restriction or its lifting, so its open
 * inbox drops the conversation or may show it again.
 */
import { randomBytes } from 'node:crypto';
import type { InboxEvent } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, contacts, conversations, workspaces } from '../../db/schema.js';
import { query } from '../../platform/db.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { liftRestriction, restrictContact } from '../privacy/index.js';
import { createLogger } from '../../platform/logger.js';
import { createTestDatabase, isPostgresRun, type TestDatabase } from '../../test/db.js';
import { eventually } from '../../test/harness.js';
import { createFeedHub, type FeedHub } from './realtime.hub.js';
import { findEventBounds, findRestrictedConversations, listEventsBetween, purgeInboxEvents, readFeed } from './realtime.store.js';

let database: TestDatabase;
let hub: FeedHub;
const GAP_TIMEOUT_MS = 1500;

beforeAll(async () => {
  database = await createTestDatabase();
  hub = createFeedHub({ database, logger: createLogger('silent'), pollMs: 200, gapRetryMs: 10, sequencer: { gapTimeoutMs: GAP_TIMEOUT_MS } });
});
afterAll(async () => {
  await hub?.stop();
  await database?.close();
});

type Seeded = { workspaceId: string; channelId: string; conversationId: string; contactId: string };

async function seedConversation(): Promise<Seeded> {
  const db = database.db;
  const suffix = randomBytes(4).toString('hex');
  const [ws] = await db.insert(workspaces).values({ slug: `rt-${suffix}`, name: 'Realtime' }).returning({ id: workspaces.id });
  const workspaceId = ws!.id;
  const [ch] = await db.insert(channels).values({ workspaceId, kind: 'whatsapp', slug: `rt-${suffix}`, name: 'WA', settings: {}, secrets: 'sealed' }).returning({ id: channels.id });
  const [ct] = await db.insert(contacts).values({ workspaceId, displayName: 'Erika' }).returning({ id: contacts.id });
  const [cv] = await db.insert(conversations).values({ workspaceId, channelId: ch!.id, contactId: ct!.id, address: '491701234567' }).returning({ id: conversations.id });
  return { workspaceId, channelId: ch!.id, conversationId: cv!.id, contactId: ct!.id };
}

/** Another contact's conversation in the same workspace and channel. */
async function addConversation(c: Seeded): Promise<Seeded> {
  const db = database.db;
  const [ct] = await db.insert(contacts).values({ workspaceId: c.workspaceId, displayName: 'Max' }).returning({ id: contacts.id });
  const [cv] = await db.insert(conversations).values({ workspaceId: c.workspaceId, channelId: c.channelId, contactId: ct!.id, address: '491707654321' }).returning({ id: conversations.id });
  return { ...c, conversationId: cv!.id, contactId: ct!.id };
}

const rights = (c: Seeded) => ({ db: database.db, workspaceId: c.workspaceId, keyedHash: (v: string) => v });
const restrict = (c: Seeded) => restrictContact(rights(c), c.contactId, { audit: SYSTEM_AUDIT, reason: 'Art. 18 request' });
const lift = (c: Seeded) => liftRestriction(rights(c), c.contactId, { audit: SYSTEM_AUDIT, reason: 'Accuracy confirmed' });

const insertMessage = (c: { workspaceId: string; channelId: string; conversationId: string }, status = 'received') =>
  sql`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, status)
      values (${c.workspaceId}, ${c.conversationId}, ${c.channelId}, ${status === 'received' ? 'in' : 'out'}, 'text', '{"type":"text","text":"Hallo"}'::jsonb, ${status}) returning id`;

/** Subscribes and collects every event delivered to the workspace: as an admin, or as an agent (`seesRestricted` false). */
async function collect(workspaceId: string, seesRestricted = true): Promise<{ events: InboxEvent[]; close(): void }> {
  const events: InboxEvent[] = [];
  const sub = await hub.subscribe({ workspaceId, seesRestricted: () => seesRestricted }, (list) => events.push(...list));
  return { events, close: () => sub.close() };
}

describe('inbox event triggers', () => {
  it('writes message.created, shown status changes and ownership changes — nothing else', async () => {
    const c = await seedConversation();
    const feed = await collect(c.workspaceId);
    const [msg] = await query<{ id: string }>(database.db, insertMessage(c, 'queued'));
    for (const status of ['sending', 'accepted', 'sent', 'sent', 'delivered']) {
      await database.db.execute(sql`update messages set status = ${status} where id = ${msg!.id}`);
    }
    await database.db.execute(sql`update messages set gate_reason = 'send.allowed' where id = ${msg!.id}`);
    await database.db.execute(sql`update conversations set flow_state = '{"node":"x"}'::jsonb, last_message_at = now() where id = ${c.conversationId}`);
    await database.db.execute(sql`update conversations set state = 'queued', queue = 'patient-service' where id = ${c.conversationId}`);
    await database.db.execute(sql`update conversations set state = state where id = ${c.conversationId}`);

    await eventually(() => feed.events.length >= 4 || undefined, 5000, 'four events');
    await new Promise((r) => setTimeout(r, 300));
    expect(feed.events.map((e) => [e.kind, 'status' in e.data ? e.data.status : 'state' in e.data ? e.data.state : e.data.restricted])).toEqual([
      ['message.created', 'queued'],
      ['message.status', 'sent'],
      ['message.status', 'delivered'],
      ['conversation.changed', 'queued'],
    ]);
    expect(feed.events[0]).toMatchObject({ conversationId: c.conversationId, data: { messageId: msg!.id, direction: 'out', type: 'text' } });
    expect(feed.events[3]!.data).toMatchObject({ previousState: 'bot', queue: 'patient-service', assignedUserId: null });
    // Ids only: the content of a message never enters the feed.
    expect(JSON.stringify(feed.events)).not.toContain('Hallo');
    const ids = feed.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    feed.close();
  });

  it('delivers a workspace’s events to that workspace’s subscribers only', async () => {
    const a = await seedConversation();
    const b = await seedConversation();
    const feedA = await collect(a.workspaceId);
    await database.db.execute(insertMessage(b));
    await database.db.execute(insertMessage(a));
    await eventually(() => feedA.events.length === 1 || undefined, 5000, 'the event of workspace A');
    await new Promise((r) => setTimeout(r, 200));
    expect(feedA.events.map((e) => e.conversationId)).toEqual([a.conversationId]);
    feedA.close();
  });

  it('an event of a rolled-back transaction never appears, and does not hold the feed back', async () => {
    const c = await seedConversation();
    const feed = await collect(c.workspaceId);
    await database.db
      .transaction(async (tx) => {
        await tx.execute(insertMessage(c));
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const started = Date.now();
    await database.db.execute(insertMessage(c));
    await eventually(() => feed.events.length === 1 || undefined, 5000, 'the committed event');
    // Proven by pg_locks (nobody writes events any more), not waited out.
    expect(Date.now() - started).toBeLessThan(GAP_TIMEOUT_MS);
    feed.close();
  });

  it('purges events older than the retention and keeps the rest', async () => {
    const c = await seedConversation();
    await database.db.execute(insertMessage(c));
    // Everything so far is 8 days old; ids grow with time, as they do when events are written.
    await database.db.execute(sql`update inbox_events set created_at = now() - interval '8 days'`);
    const old = await query<{ n: number }>(database.db, sql`select count(*)::int as n from inbox_events`);
    await database.db.execute(insertMessage(c));
    // Batches of 2: several rounds.
    expect(await purgeInboxEvents(database.db, 7 * 24 * 3600, 2)).toBe(old[0]?.n);
    const left = await query<{ conversationId: string }>(database.db, sql`select conversation_id as "conversationId" from inbox_events`);
    expect(left).toEqual([{ conversationId: c.conversationId }]);
  });
});

describe('who receives what (GDPR-20: restricted contacts are hidden from agents)', () => {
  it('an agent receives no event of a restricted contact’s conversation, an admin does; lifting lets new events flow', async () => {
    const hidden = await seedConversation();
    const open = await addConversation(hidden);
    await restrict(hidden);
    // The restriction's own visibility event may still reach these subscribers (the hub reads what it has not yet
    // delivered); everything below is about what comes after it.
    const start = (await findEventBounds(database.db)).maxId ?? 0;
    const adminFeed = await collect(hidden.workspaceId, true);
    const agentFeed = await collect(hidden.workspaceId, false);
    const after = (list: InboxEvent[]) => ({ get events() { return list.filter((e) => e.id > start); } });
    const admin = after(adminFeed.events);
    const agent = after(agentFeed.events);
    await database.db.execute(insertMessage(hidden));
    await database.db.execute(sql`update conversations set state = 'queued', queue = 'patient-service' where id = ${hidden.conversationId}`);
    await database.db.execute(insertMessage(open));
    await eventually(() => (admin.events.length === 3 && agent.events.length === 1) || undefined, 5000, 'the events');
    await new Promise((r) => setTimeout(r, 200));
    expect(admin.events.map((e) => e.conversationId)).toEqual([hidden.conversationId, hidden.conversationId, open.conversationId]);
    expect(agent.events.map((e) => e.conversationId)).toEqual([open.conversationId]);
    expect(Object.keys(admin.events[0]!).sort(), 'nothing the hub read along').toEqual(['conversationId', 'data', 'id', 'kind']);

    // Lifting is itself an event for every reader (the agent's inbox may show the conversation again), then new
    // events flow to the agent.
    await lift(hidden);
    await database.db.execute(insertMessage(hidden));
    await eventually(() => agent.events.find((e) => e.conversationId === hidden.conversationId && e.kind === 'message.created'), 5000, 'the lifted contact’s event');
    const visibility = (e: InboxEvent) => (e.kind === 'conversation.visibility' ? [e.conversationId, e.data.restricted] : undefined);
    expect(admin.events.slice(3).map((e) => visibility(e) ?? e.kind)).toEqual([[hidden.conversationId, false], 'message.created']);
    expect(agent.events.slice(1).map((e) => visibility(e) ?? e.kind)).toEqual([[hidden.conversationId, false], 'message.created']);
    expect(agent.events.map((e) => e.id)).toEqual([admin.events[2]!.id, admin.events[3]!.id, admin.events[4]!.id]);

    // Set again while connected: the agent learns it at once (GDPR-20 in an open inbox), and nothing after it.
    await restrict(hidden);
    await database.db.execute(insertMessage(hidden));
    await database.db.execute(insertMessage(open));
    await eventually(() => (admin.events.length === 8 && agent.events.length === 5) || undefined, 5000, 'the events after restricting again');
    await new Promise((r) => setTimeout(r, 200));
    expect(agent.events.slice(3).map((e) => visibility(e) ?? [e.conversationId, e.kind])).toEqual([
      [hidden.conversationId, true],
      [open.conversationId, 'message.created'],
    ]);
    expect(admin.events.slice(5).map((e) => visibility(e) ?? [e.conversationId, e.kind])).toEqual([
      [hidden.conversationId, true],
      [hidden.conversationId, 'message.created'],
      [open.conversationId, 'message.created'],
    ]);
    adminFeed.close();
    agentFeed.close();
  });

  it('a restriction and its lifting write one visibility event per conversation of the contact, in their transaction', async () => {
    const hidden = await seedConversation();
    const other = await addConversation(hidden);
    // A second conversation of the same contact on another channel.
    const [ch] = await query<{ id: string }>(database.db, sql`insert into channels (workspace_id, kind, slug, name, settings, secrets) values (${hidden.workspaceId}, 'whatsapp', ${`rt2-${randomBytes(3).toString('hex')}`}, 'WA 2', '{}'::jsonb, 'sealed') returning id`);
    const [second] = await query<{ id: string }>(database.db, sql`insert into conversations (workspace_id, channel_id, contact_id, address) values (${hidden.workspaceId}, ${ch!.id}, ${hidden.contactId}, '491701234567') returning id`);
    const before = (await findEventBounds(database.db)).maxId ?? 0;
    await restrict(hidden);
    await restrict(hidden); // already restricted: no new restriction, no new event
    await lift(hidden);
    const rows = await query<{ conversationId: string; kind: string; payload: Record<string, unknown> }>(
      database.db,
      sql`select conversation_id as "conversationId", kind, payload from inbox_events where id > ${before} and workspace_id = ${hidden.workspaceId} order by id`,
    );
    expect(rows.map((r) => r.kind)).toEqual(Array(4).fill('conversation.visibility'));
    expect(new Set(rows.slice(0, 2).map((r) => r.conversationId))).toEqual(new Set([hidden.conversationId, second!.id]));
    expect(new Set(rows.slice(2).map((r) => r.conversationId))).toEqual(new Set([hidden.conversationId, second!.id]));
    expect(rows.map((r) => r.conversationId)).not.toContain(other.conversationId);
    expect(Object.keys(rows[0]!.payload), 'the time only: the state is read at delivery').toEqual(['at']);
  });

  it('a withheld event is no gap: the agent’s next event is not held back behind it', async () => {
    // A hub that would hold a real gap for 10 s (no pg_locks probe, no timeout before then), starting at the newest id.
    const strict = createFeedHub({ database, logger: createLogger('silent'), pollMs: 200, gapRetryMs: 10, probeAfterMs: 10_000, startWindow: 0, sequencer: { gapTimeoutMs: 10_000 } });
    const hidden = await seedConversation();
    const open = await addConversation(hidden);
    await restrict(hidden);
    const events: InboxEvent[] = [];
    const sub = await strict.subscribe({ workspaceId: hidden.workspaceId, seesRestricted: () => false }, (list) => events.push(...list));
    try {
      for (let i = 0; i < 5; i++) {
        await database.db.execute(insertMessage(hidden));
      }
      const started = Date.now();
      await database.db.execute(insertMessage(open));
      await eventually(() => events.length === 1 || undefined, 5000, 'the visible event');
      expect(Date.now() - started).toBeLessThan(GAP_TIMEOUT_MS);
      expect(events[0]!.conversationId).toBe(open.conversationId);
    } finally {
      sub.close();
      await strict.stop();
    }
  });

  it('reads with each event whether its contact is restricted, for the workspaces asked about', async () => {
    const hidden = await seedConversation();
    const open = await addConversation(hidden);
    const before = (await findEventBounds(database.db)).maxId ?? 0;
    await database.db.execute(insertMessage(hidden));
    await database.db.execute(insertMessage(open));
    await restrict(hidden);
    const read = (resolveRestricted: string[]) => readFeed(database.db, { cursor: before, limit: 10, late: [], resolveRestricted });
    const rows = await read([hidden.workspaceId]);
    expect(rows.map((r) => [r.conversationId, r.kind, r.restricted])).toEqual([
      [hidden.conversationId, 'message.created', true],
      [open.conversationId, 'message.created', false],
      [hidden.conversationId, 'conversation.visibility', true],
    ]);
    expect((await read([])).map((r) => r.restricted)).toEqual([null, null, null]);
    expect(await findRestrictedConversations(database.db, rows)).toEqual(new Set([hidden.conversationId]));
  });

  it('lists a catch-up without restricted contacts for agents, with them for admins', async () => {
    const hidden = await seedConversation();
    const open = await addConversation(hidden);
    const before = (await findEventBounds(database.db)).maxId ?? 0;
    await database.db.execute(insertMessage(open));
    await database.db.execute(insertMessage(hidden));
    await database.db.execute(insertMessage(open));
    await restrict(hidden);
    const between = (hideRestricted: boolean) =>
      listEventsBetween(database.db, { workspaceId: hidden.workspaceId, after: before, upTo: Number.MAX_SAFE_INTEGER, limit: 10, hideRestricted });
    const seen = (e: InboxEvent) => [e.conversationId, e.kind === 'conversation.visibility' ? e.data.restricted : e.kind];
    expect((await between(false)).map(seen)).toEqual([
      [open.conversationId, 'message.created'],
      [hidden.conversationId, 'message.created'],
      [open.conversationId, 'message.created'],
      [hidden.conversationId, true],
    ]);
    // The agent's catch-up has the visibility event (so its inbox drops the conversation), not the contact's messages.
    expect((await between(true)).map(seen)).toEqual([
      [open.conversationId, 'message.created'],
      [open.conversationId, 'message.created'],
      [hidden.conversationId, true],
    ]);
    await lift(hidden);
    // Once lifted, both visibility events read the state now: the conversation may be shown.
    expect((await between(true)).map(seen)).toEqual([
      [open.conversationId, 'message.created'],
      [hidden.conversationId, 'message.created'],
      [open.conversationId, 'message.created'],
      [hidden.conversationId, false],
      [hidden.conversationId, false],
    ]);
  });
});

describe.skipIf(!isPostgresRun())('events committed out of id order (PostgreSQL: concurrent transactions)', () => {
  const client = async () => {
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    return c;
  };
  /** An inbound message of `c` written through another connection (its own transaction, when one is open there). */
  const insertVia = (conn: pg.Client, c: { workspaceId: string; conversationId: string; channelId: string }) =>
    conn.query(`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, status) values ($1, $2, $3, 'in', 'text', '{}'::jsonb, 'received')`, [c.workspaceId, c.conversationId, c.channelId]);

  it('holds back a later event until an earlier id commits, then delivers both in id order', async () => {
    const c = await seedConversation();
    const feed = await collect(c.workspaceId);
    const slow = await client();
    try {
      await slow.query('begin');
      await insertVia(slow, c);
      await database.db.execute(insertMessage(c)); // takes the next id and commits first
      await new Promise((r) => setTimeout(r, 400));
      expect(feed.events, 'nothing passes the open transaction').toEqual([]);
      await slow.query('commit');
      await eventually(() => feed.events.length === 2 || undefined, 5000, 'both events');
      const [first, second] = feed.events;
      expect(first!.id).toBeLessThan(second!.id);
    } finally {
      await slow.end();
      feed.close();
    }
  });

  it('does not skip an id taken by a transaction whose transaction id is younger than the next event’s writer', async () => {
    // The case a snapshot's xmin cannot decide: the earlier event's writer got its xid after the later one's.
    const c = await seedConversation();
    const feed = await collect(c.workspaceId);
    const [early, late] = [await client(), await client()];
    try {
      await late.query('begin');
      await late.query('select pg_current_xact_id()'); // older xid
      await early.query('begin');
      await early.query('select pg_current_xact_id()'); // younger xid
      await insertVia(early, c); // but the lower event id
      await insertVia(late, c);
      await late.query('commit');
      await new Promise((r) => setTimeout(r, 400));
      expect(feed.events, 'held back behind the open transaction').toEqual([]);
      await early.query('commit');
      await eventually(() => feed.events.length === 2 || undefined, 5000, 'both events');
      expect(feed.events[0]!.id).toBeLessThan(feed.events[1]!.id);
    } finally {
      await early.end();
      await late.end();
      feed.close();
    }
  });

  it('lets a long transaction’s gap give way after the timeout, then still delivers its event once', async () => {
    const c = await seedConversation();
    const feed = await collect(c.workspaceId);
    const slow = await client();
    try {
      await slow.query('begin');
      await insertVia(slow, c);
      const started = Date.now();
      await database.db.execute(insertMessage(c));
      await eventually(() => feed.events.length === 1 || undefined, GAP_TIMEOUT_MS + 3000, 'the later event');
      expect(Date.now() - started).toBeGreaterThanOrEqual(GAP_TIMEOUT_MS - 50);
      await slow.query('commit');
      await eventually(() => feed.events.length === 2 || undefined, 5000, 'the late event');
      await new Promise((r) => setTimeout(r, 500));
      const ids = feed.events.map((e) => e.id);
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBeLessThan(ids[0]!); // late, below the cursor — but not lost
    } finally {
      await slow.end();
      feed.close();
    }
  });

  it('GDPR-20 holds an agent’s event back behind an open transaction writing a restricted contact’s event, then delivers only its own', async () => {
    // The sequencer sees every id before anything is withheld: order and gaps are the same for every reader.
    const hidden = await seedConversation();
    const open = await addConversation(hidden);
    await restrict(hidden);
    const agent = await collect(hidden.workspaceId, false);
    const admin = await collect(hidden.workspaceId, true);
    const slow = await client();
    try {
      await slow.query('begin');
      await insertVia(slow, hidden);
      await database.db.execute(insertMessage(open));
      await new Promise((r) => setTimeout(r, 400));
      expect(agent.events, 'nothing passes the open transaction').toEqual([]);
      await slow.query('commit');
      await eventually(() => (admin.events.length === 2 && agent.events.length === 1) || undefined, 5000, 'the events');
      expect(agent.events[0]!.id).toBe(admin.events[1]!.id);
      expect(admin.events[0]!.conversationId).toBe(hidden.conversationId);
    } finally {
      await slow.end();
      agent.close();
      admin.close();
    }
  });
});
