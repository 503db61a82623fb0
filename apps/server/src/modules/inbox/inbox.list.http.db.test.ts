/**
 * The inbox's reads over HTTP on a real database (issue #5 item 3, the API the inbox UI builds on): the list's views
 * (mine, unassigned, queue, all, resolved), channel filter, search by name, phone or message text, keyset pages,
 * unread counts, waiting time against the queue's SLA; one conversation's whole history with system events and
 * delivery statuses; the queues and their members. Agents and admins only (SEC-05).
 */
import type { ConversationDetail, ConversationSummary } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { liftRestriction, restrictContact } from '../privacy/index.js';
import { createInboxKit, type InboxKit, type Person } from './inbox.fixtures.js';

let k: InboxKit;
let anna: Person;
let ben: Person;
let admin: Person;
/** c1 queued (Erika), c2 with the bot (Hans, two questions), c3 with Anna, c4 queued in hcp-service, c5 resolved by Ben. */
const c: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5', { id: string; address: string }> = {} as never;

type Page = { conversations: ConversationSummary[]; nextCursor: string | null };
const list = async (params: string, who: Person = anna): Promise<Page> => {
  const res = await k.as(who, 'GET', `/api/inbox/conversations?${params}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};
const ids = (page: Page) => page.conversations.map((r) => r.id).sort();
const sorted = (...names: Array<keyof typeof c>) => names.map((n) => c[n].id).sort();

beforeAll(async () => {
  k = await createInboxKit();
  [anna, ben, admin] = [await k.person('Anna Schmidt'), await k.person('Ben Weber'), await k.person('Ada Admin', ['admin'])];
  const start = async (name: keyof typeof c, address: string, ...texts: string[]) => {
    await k.say(address, ...texts);
    c[name] = { id: (await k.conversationOf(address)).id, address };
  };
  await start('c1', '491711111111', 'Mitarbeiter');
  await start('c2', '491712222222', 'Hallo', 'Meine Frage zum Pen');
  await start('c3', '491713333333', 'Mitarbeiter');
  await start('c4', '491714444444', 'Mitarbeiter');
  await start('c5', '491715555555', 'Mitarbeiter');
  const post = (who: Person, id: string, action: string, body?: unknown) => k.as(who, 'POST', `/api/inbox/conversations/${id}/${action}`, body);
  await post(anna, c.c3.id, 'take');
  await post(admin, c.c4.id, 'transfer', { queue: 'hcp-service' });
  await post(ben, c.c5.id, 'take');
  await post(ben, c.c5.id, 'resolve');
  await k.h.database.db.execute(sql`update contacts set display_name = 'Erika Muster' where id = (select contact_id from conversations where id = ${c.c1.id})`);
  await k.h.database.db.execute(sql`update contacts set display_name = 'Hans Hase' where id = (select contact_id from conversations where id = ${c.c2.id})`);
}, 60_000);
afterAll(async () => k?.close());

describe('the conversation list', () => {
  it('views: mine, unassigned, queue, all, resolved', async () => {
    expect(ids(await list('view=mine'))).toEqual(sorted('c3'));
    expect(ids(await list('view=mine', ben))).toEqual([]);
    expect(ids(await list('view=unassigned'))).toEqual(sorted('c1', 'c4'));
    expect(ids(await list('view=unassigned&queue=hcp-service'))).toEqual(sorted('c4'));
    expect(ids(await list('view=queue&queue=patient-service'))).toEqual(sorted('c1', 'c3'));
    expect(ids(await list('view=resolved'))).toEqual(sorted('c5'));
    expect(ids(await list('view=all'))).toEqual(sorted('c1', 'c2', 'c3', 'c4', 'c5'));
    const bad = await k.as(anna, 'GET', '/api/inbox/conversations?view=queue');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation.failed', message: 'queue: view=queue needs queue=<id>' } });
  });

  it('filters by channel (kind or id)', async () => {
    expect(ids(await list('channel=whatsapp'))).toHaveLength(5);
    expect(ids(await list(`channel=${k.channelId}`))).toHaveLength(5);
    expect(ids(await list('channel=sms'))).toEqual([]);
  });

  it('searches by name, by phone number in any formatting, and by message text; wildcards are literal', async () => {
    expect(ids(await list('q=erika'))).toEqual(sorted('c1'));
    expect(ids(await list(`q=${encodeURIComponent('+49 171 2222')}`))).toEqual(sorted('c2'));
    expect(ids(await list(`q=${encodeURIComponent('frage zum pen')}`))).toEqual(sorted('c2'));
    expect(ids(await list(`q=${encodeURIComponent('%')}`))).toEqual([]);
    expect(ids(await list(`view=unassigned&q=erika`))).toEqual(sorted('c1'));
  });

  it('shows per row the contact, channel, state, queue, assignee, last message, unread count and waiting time', async () => {
    const [row] = (await list('view=mine')).conversations;
    expect(row).toMatchObject({
      id: c.c3.id,
      state: 'agent',
      queue: 'patient-service',
      contact: { address: c.c3.address, name: 'Kontakt 3333' },
      channel: { id: k.channelId, kind: 'whatsapp' },
      assignee: { id: anna.id, name: 'Anna Schmidt' },
      lastMessage: { direction: 'out', type: 'text', preview: expect.stringMatching(/^(Ich verbinde Sie|Ich habe Ihre Anfrage)/) },
      unreadCount: 1,
      // The contact's last message was answered (by the notice): nobody waits.
      waitingSeconds: null,
      slaBreached: false,
    });
    expect(row!.assignedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('waiting time counts from the hand-off; past the queue’s SLA (patient-service: 15 minutes) it is late', async () => {
    const fresh = (await list('view=unassigned&queue=patient-service')).conversations[0]!;
    expect(fresh).toMatchObject({ id: c.c1.id, slaBreached: false });
    expect(fresh.waitingSeconds).toBeLessThan(60);
    await k.h.database.db.execute(sql`update conversations set queued_at = now() - interval '20 minutes' where id = ${c.c1.id}`);
    const late = (await list('view=unassigned&queue=patient-service')).conversations[0]!;
    expect(late.waitingSeconds).toBeGreaterThanOrEqual(1200);
    expect(late.slaBreached).toBe(true);
  });

  it('counts the contact’s unread messages until an agent reads them', async () => {
    const unread = async () => (await list('q=hans')).conversations[0]!.unreadCount;
    expect(await unread()).toBe(2);
    const read = await k.as(anna, 'POST', `/api/inbox/conversations/${c.c2.id}/read`, {});
    expect(read.json()).toMatchObject({ readSeq: expect.any(Number) });
    expect(await unread()).toBe(0);
    await k.say(c.c2.address, 'Noch eine Frage');
    expect(await unread()).toBe(1);
  });

  it('pages with a cursor: every conversation once, newest activity first; and longest waiting first', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page = await list(`view=all&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.conversations.length).toBeLessThanOrEqual(2);
      seen.push(...page.conversations.map((r) => r.id));
      cursor = page.nextCursor;
    }
    expect([...seen].sort()).toEqual(sorted('c1', 'c2', 'c3', 'c4', 'c5'));
    const all = (await list('view=all')).conversations;
    expect(all.map((r) => r.id)).toEqual(seen);
    expect(all.map((r) => r.lastActivityAt)).toEqual([...all.map((r) => r.lastActivityAt)].sort().reverse());
    // c1 waits longest (its hand-off was moved 20 minutes back), then c4; conversations not waiting come last.
    const waiting = (await list('view=all&sort=waiting&limit=2')) as Page;
    expect(waiting.conversations.map((r) => r.id)).toEqual([c.c1.id, c.c4.id]);
    expect(ids(await list(`view=all&sort=waiting&cursor=${waiting.nextCursor}`))).toEqual(sorted('c2', 'c3', 'c5'));
    expect((await k.as(anna, 'GET', '/api/inbox/conversations?cursor=bm9wZQ')).json()).toMatchObject({ error: { code: 'validation.failed' } });
  });

  it('SEC-05 is for agents and admins: an editor gets 403', async () => {
    const res = await k.as(await k.person('Eddi Editor', ['editor']), 'GET', '/api/inbox/conversations');
    expect(res.statusCode).toBe(403);
  });
});

describe('one conversation', () => {
  it('has its whole history in order — messages with delivery status and reason, system events — and names the people', async () => {
    const [out] = await query<{ id: string }>(k.h.database.db, sql`select id from messages where conversation_id = ${c.c3.id} and direction = 'out' order by seq limit 1`);
    await k.h.database.db.execute(sql`update messages set status = 'failed', error_code = '131047', error_reason = 'Re-engagement message' where id = ${out!.id}`);
    await k.h.database.db.execute(
      sql`insert into message_status_events (workspace_id, channel_id, message_id, provider_message_id, status, error_code, error_reason, occurred_at)
          values (${k.workspaceId}, ${k.channelId}, ${out!.id}, 'wamid.x', 'failed', '131047', 'Re-engagement message', now())`,
    );
    const res = await k.as(anna, 'GET', `/api/inbox/conversations/${c.c3.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as ConversationDetail;
    expect(body.conversation).toMatchObject({ id: c.c3.id, state: 'agent' });
    expect(body.messages.map((m) => `${m.direction}:${m.direction === 'event' ? m.content.event : m.type}`)).toEqual(['in:text', 'out:text', 'event:conversation.queued', 'event:conversation.taken']);
    expect(body.messages[1]).toMatchObject({ status: 'failed', errorCode: '131047', errorReason: 'Re-engagement message', statuses: [{ status: 'failed', errorCode: '131047' }] });
    expect(body.messages.map((m) => m.seq)).toEqual([...body.messages.map((m) => m.seq)].sort((a, b) => a - b));
    expect(body.people).toEqual({ [anna.id]: 'Anna Schmidt' });
    expect(body.hasMore).toBe(false);
  });

  it('pages older messages with `before`; unknown or malformed ids are 404 / 400', async () => {
    const latest = (await k.as(anna, 'GET', `/api/inbox/conversations/${c.c3.id}?limit=2`)).json() as ConversationDetail;
    expect(latest.messages).toHaveLength(2);
    expect(latest.hasMore).toBe(true);
    const older = (await k.as(anna, 'GET', `/api/inbox/conversations/${c.c3.id}?before=${latest.messages[0]!.seq}`)).json() as ConversationDetail;
    expect(older.messages.map((m) => m.direction)).toEqual(['in', 'out']);
    expect((await k.as(anna, 'GET', '/api/inbox/conversations/00000000-0000-4000-8000-000000000000')).json()).toMatchObject({ error: { code: 'conversation.not_found' } });
    expect((await k.as(anna, 'GET', '/api/inbox/conversations/nope')).statusCode).toBe(400);
  });
});

describe('queues and people', () => {
  it('lists the workspace’s queues with waiting counts and SLA state', async () => {
    const { queues } = (await k.as(anna, 'GET', '/api/inbox/queues')).json() as { queues: Array<Record<string, unknown>> };
    expect(queues.map((q) => q.id)).toEqual(['patient-service', 'hcp-service']);
    expect(queues[0]).toMatchObject({ name: { de: 'Patientenservice', en: 'Patient service' }, slaMinutes: 15, autoAssign: false, defined: true, waiting: 1, withAgent: 1, slaBreached: true });
    expect(queues[1]).toMatchObject({ slaMinutes: 60, autoAssign: true, waiting: 1, withAgent: 0, slaBreached: false });
  });

  it('admins set a queue’s members (audited); agents may not; only enabled agents or admins can be members', async () => {
    const members = k.as(anna, 'PUT', '/api/inbox/queues/patient-service/members', { userIds: [anna.id] });
    expect((await members).statusCode).toBe(403);
    const editor = await k.person('Erna Editor', ['editor']);
    expect((await k.as(admin, 'PUT', '/api/inbox/queues/patient-service/members', { userIds: [editor.id] })).json()).toMatchObject({ error: { code: 'user.unavailable' } });
    expect((await k.as(admin, 'PUT', '/api/inbox/queues/nirgendwo/members', { userIds: [] })).json()).toMatchObject({ error: { code: 'queue.not_found' } });
    const ok = await k.as(admin, 'PUT', '/api/inbox/queues/patient-service/members', { userIds: [anna.id, ben.id] });
    expect(ok.json()).toMatchObject({ queue: { id: 'patient-service', members: [{ id: anna.id, name: 'Anna Schmidt' }, { id: ben.id, name: 'Ben Weber' }] } });
    const [audit] = await query<{ after: unknown }>(k.h.database.db, sql`select after from audit_log where action = 'queue.members_changed' order by seq desc limit 1`);
    expect(audit?.after).toEqual({ userIds: [anna.id, ben.id].sort() });
    const { people } = (await k.as(anna, 'GET', '/api/inbox/people')).json() as { people: Array<{ id: string; queues: string[]; openConversations: number }> };
    expect(people.find((p) => p.id === anna.id)).toMatchObject({ queues: ['patient-service'], openConversations: 1 });
    expect(people.some((p) => p.id === editor.id)).toBe(false);
  });

  it('GDPR-20 an agent’s counts leave out restricted contacts’ conversations, as the agent’s list does; an admin’s do not', async () => {
    const rights = { db: k.h.database.db, workspaceId: k.h.deps.workspace.id, keyedHash: (v: string) => k.h.deps.secretBox.keyedHash(v) };
    const contactOf = async (id: string) => (await query<{ id: string }>(k.h.database.db, sql`select contact_id as id from conversations where id = ${id}`))[0]!.id;
    const counts = async (who: Person) => {
      const { queues } = (await k.as(who, 'GET', '/api/inbox/queues')).json() as { queues: Array<{ id: string; waiting: number; withAgent: number; oldestWaitingSeconds: number | null }> };
      const { people } = (await k.as(who, 'GET', '/api/inbox/people')).json() as { people: Array<{ id: string; openConversations: number }> };
      const patients = queues.find((q) => q.id === 'patient-service')!;
      return { waiting: patients.waiting, withAgent: patients.withAgent, oldest: patients.oldestWaitingSeconds === null ? null : 'set', anna: people.find((p) => p.id === anna.id)!.openConversations };
    };
    // c1 waits in patient-service, c3 is with Anna.
    for (const id of [c.c1.id, c.c3.id]) {
      await restrictContact(rights, await contactOf(id), { audit: SYSTEM_AUDIT, reason: 'Art. 18 request' });
    }
    try {
      expect(await counts(anna)).toEqual({ waiting: 0, withAgent: 0, oldest: null, anna: 0 });
      expect(await counts(admin)).toEqual({ waiting: 1, withAgent: 1, oldest: 'set', anna: 1 });
      expect(ids(await list('view=unassigned'))).not.toContain(c.c1.id);
    } finally {
      for (const id of [c.c1.id, c.c3.id]) {
        await liftRestriction(rights, await contactOf(id), { audit: SYSTEM_AUDIT, reason: 'Accuracy confirmed' });
      }
    }
    expect(await counts(anna)).toEqual({ waiting: 1, withAgent: 1, oldest: 'set', anna: 1 });
  });
});
