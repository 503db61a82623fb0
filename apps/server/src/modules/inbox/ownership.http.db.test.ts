/**
 * Ownership over HTTP on a real database (issue #5 items 2–3; ARCHITECTURE §6): hand-off by MITARBEITER, take,
 * assign, transfer, resolve, return to the bot — each with its system event and audit entry (AUD-01); two (twenty)
 * agents taking at once → exactly one wins and the others are told who; roles (an editor may not take, SEC-05);
 * transfer to someone who left → `user.unavailable` and nothing changes; least-load auto-assignment, also under
 * concurrent hand-offs.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createInboxKit, type InboxKit, type Person } from './inbox.fixtures.js';

let k: InboxKit;
let anna: Person;
let ben: Person;
let admin: Person;
let n = 0;
/** A fresh contact per test. */
const nextAddress = () => `4917300${String(++n).padStart(5, '0')}`;

beforeAll(async () => {
  k = await createInboxKit();
  [anna, ben, admin] = [await k.person('Anna Schmidt'), await k.person('Ben Weber'), await k.person('Ada Admin', ['admin'])];
}, 60_000);
afterAll(async () => k?.close());

const events = (conversationId: string) =>
  query<{ event: string; state: string; queue: string | null; assigneeId: string | null; reason: string | null }>(
    k.h.database.db,
    sql`select content->>'event' as event, content->>'state' as state, content->>'queue' as queue, content->>'assigneeId' as "assigneeId", content->>'reason' as reason
        from messages where conversation_id = ${conversationId} and direction = 'event' order by seq`,
  );
const audits = (conversationId: string) =>
  query<{ action: string; actorKind: string; actorId: string | null; before: unknown; after: unknown }>(
    k.h.database.db,
    sql`select action, actor_kind as "actorKind", actor_id as "actorId", before, after from audit_log where object_type = 'conversation' and object_id = ${conversationId} order by seq`,
  );
async function queued(): Promise<{ address: string; id: string }> {
  const address = nextAddress();
  await k.say(address, 'Mitarbeiter');
  return { address, id: (await k.conversationOf(address)).id };
}
const post = (who: Person, id: string, action: string, body?: unknown) => k.as(who, 'POST', `/api/inbox/conversations/${id}/${action}`, body);

describe('hand-off and taking over', () => {
  it('AUD-01 MITARBEITER queues the conversation in the hand-off queue, as a system event and audited (conversation.queued)', async () => {
    const { id, address } = await queued();
    expect(await k.conversationOf(address)).toMatchObject({ state: 'queued', queue: 'patient-service', assigneeId: null });
    expect(await events(id)).toEqual([{ event: 'conversation.queued', state: 'queued', queue: 'patient-service', assigneeId: null, reason: 'command' }]);
    expect(await audits(id)).toEqual([expect.objectContaining({ action: 'conversation.queued', actorKind: 'contact', before: { state: 'bot', queue: null, assigneeId: null }, after: { state: 'queued', queue: 'patient-service', assigneeId: null } })]);
  });

  it('an agent takes it; a second agent is told who has it (409 conversation.taken)', async () => {
    const { id } = await queued();
    const took = await post(anna, id, 'take');
    expect(took.statusCode).toBe(200);
    expect(took.json()).toMatchObject({ conversation: { id, state: 'agent', queue: 'patient-service', assignee: { id: anna.id, name: 'Anna Schmidt' } } });
    const late = await post(ben, id, 'take');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'conversation.taken', message: 'Anna Schmidt has already taken this conversation.', details: { assignee: { id: anna.id, name: 'Anna Schmidt' } } } });
    // Taking it again yourself changes nothing.
    expect((await post(anna, id, 'take')).statusCode).toBe(200);
    expect((await events(id)).map((e) => e.event)).toEqual(['conversation.queued', 'conversation.taken']);
    expect((await audits(id)).at(-1)).toMatchObject({ action: 'conversation.taken', actorKind: 'user', actorId: anna.id, after: { state: 'agent', assigneeId: anna.id } });
  });

  it('twenty agents take the same conversation at once: exactly one wins, every other one is told the winner', async () => {
    const { id, address } = await queued();
    const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => k.person(`Agent ${i + 1}`)));
    const results = await Promise.all(agents.map((a) => post(a, id, 'take')));
    const winners = results.map((r, i) => (r.statusCode === 200 ? agents[i]! : undefined)).filter((a) => a !== undefined);
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.statusCode !== 200);
    expect(losers).toHaveLength(19);
    for (const r of losers) {
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ error: { code: 'conversation.taken', message: `${winners[0]!.name} has already taken this conversation.` } });
    }
    expect((await k.conversationOf(address)).assigneeId).toBe(winners[0]!.id);
    expect((await events(id)).filter((e) => e.event === 'conversation.taken')).toHaveLength(1);
    expect((await audits(id)).filter((a) => a.action === 'conversation.taken')).toHaveLength(1);
  }, 60_000);

  it('an agent takes a conversation from the bot proactively (bot → agent)', async () => {
    const address = nextAddress();
    await k.say(address, 'Hallo');
    const { id, state } = await k.conversationOf(address);
    expect(state).toBe('bot');
    expect((await post(ben, id, 'take')).json()).toMatchObject({ conversation: { state: 'agent', queue: null, assignee: { id: ben.id } } });
    expect((await events(id)).map((e) => e.event)).toEqual(['conversation.taken']);
  });

  it('SEC-05 an editor, approver or compliance officer may not take (403, and the UI never offers it)', async () => {
    const { id } = await queued();
    for (const role of ['editor', 'approver', 'compliance'] as const) {
      const res = await post(await k.person(`Someone ${role}`, [role]), id, 'take');
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'auth.forbidden', details: { requiredRoles: ['admin', 'agent'] } } });
    }
    expect((await events(id)).map((e) => e.event)).toEqual(['conversation.queued']);
  });
});

describe('assign, transfer, resolve, return to the bot', () => {
  it('another agent may not resolve, transfer or hand back what is with Anna (403 conversation.not_owner); an admin may', async () => {
    const { id } = await queued();
    await post(anna, id, 'take');
    for (const [action, body] of [['resolve'], ['return-to-bot'], ['transfer', { queue: 'hcp-service' }]] as const) {
      const res = await post(ben, id, action, body);
      expect(res.statusCode, action).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'conversation.not_owner', message: expect.stringContaining('Anna Schmidt') } });
    }
    expect((await post(admin, id, 'resolve')).json()).toMatchObject({ conversation: { state: 'resolved', assignee: { id: anna.id } } });
    expect((await audits(id)).at(-1)).toMatchObject({ action: 'conversation.resolved', actorId: admin.id });
  });

  it('transfer to someone who left (disabled) or who is no agent → user.unavailable, and nothing changes', async () => {
    const { id, address } = await queued();
    await post(anna, id, 'take');
    const left = await k.person('Lea Left');
    await k.staff.users.updateUser(left.id, { disabled: true }, { actor: { kind: 'system' } });
    const editor = await k.person('Eddi Editor', ['editor']);
    const before = { conv: await k.conversationOf(address), events: await events(id), audits: await audits(id) };
    for (const [target, reason] of [[left.id, 'disabled'], [editor.id, 'not_an_agent'], ['00000000-0000-4000-8000-000000000000', 'unknown']] as const) {
      const res = await post(anna, id, 'transfer', { userId: target });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'user.unavailable', details: { reason } } });
      expect(res.json().error.message).toContain('the conversation stays where it was');
    }
    expect(await k.conversationOf(address)).toEqual(before.conv);
    expect(await events(id)).toEqual(before.events);
    expect(await audits(id)).toEqual(before.audits);
    // An assignment to them is refused the same way; an unknown queue too.
    expect((await post(admin, id, 'transfer', { queue: 'nirgendwo' })).json()).toMatchObject({ error: { code: 'queue.not_found' } });
  });

  it('AUD-01 transfers to a person (conversation.transferred) and back into a queue; assigns from the queue', async () => {
    const { id } = await queued();
    expect((await post(anna, id, 'assign', { userId: ben.id })).json()).toMatchObject({ conversation: { state: 'agent', assignee: { id: ben.id } } });
    expect((await post(ben, id, 'transfer', { userId: anna.id })).json()).toMatchObject({ conversation: { state: 'agent', assignee: { id: anna.id } } });
    const back = (await post(anna, id, 'transfer', { queue: 'patient-service' })).json();
    expect(back).toMatchObject({ conversation: { state: 'queued', queue: 'patient-service', assignee: null } });
    expect((await events(id)).map((e) => e.event)).toEqual(['conversation.queued', 'conversation.assigned', 'conversation.transferred', 'conversation.transferred']);
    expect((await audits(id)).map((a) => a.action)).toEqual(['conversation.queued', 'conversation.assigned', 'conversation.transferred', 'conversation.transferred']);
    // A resolve needs a person who has it.
    expect((await post(anna, id, 'resolve')).json()).toMatchObject({ error: { code: 'conversation.wrong_state' } });
  });

  it('return to the bot: the bot answers the next message again (conversation.returned_to_bot)', async () => {
    const { id, address } = await queued();
    await post(anna, id, 'take');
    const silent = (await k.repliesTo(address)).length;
    await k.say(address, 'Hallo? Ist da jemand?');
    expect(await k.repliesTo(address)).toHaveLength(silent);
    expect((await post(anna, id, 'return-to-bot')).json()).toMatchObject({ conversation: { state: 'bot', queue: null, assignee: null } });
    await k.say(address, 'Beipackzettel');
    expect((await k.repliesTo(address)).length).toBeGreaterThan(silent);
    expect((await events(id)).map((e) => e.event)).toEqual(['conversation.queued', 'conversation.taken', 'conversation.returned_to_bot']);
  });

  it('a resolved conversation is the bot’s again when the contact writes, before the bot answers', async () => {
    const { id, address } = await queued();
    await post(anna, id, 'take');
    await post(anna, id, 'resolve');
    const before = (await k.repliesTo(address)).length;
    const [last] = await query<{ seq: number }>(k.h.database.db, sql`select max(seq)::float8 as seq from messages where conversation_id = ${id}`);
    await k.say(address, 'Beipackzettel');
    expect((await k.conversationOf(address)).state).toBe('bot');
    expect((await k.repliesTo(address)).length).toBeGreaterThan(before);
    expect((await events(id)).at(-1)).toMatchObject({ event: 'conversation.returned_to_bot', state: 'bot', reason: 'contact_wrote' });
    // The history: the message, the reopening, then the bot's answer.
    const since = await query<{ direction: string }>(k.h.database.db, sql`select direction from messages where conversation_id = ${id} and seq > ${last!.seq} order by seq`);
    expect(since.map((m) => m.direction).slice(0, 3)).toEqual(['in', 'event', 'out']);
  });
});

describe('auto-assignment by least load (hcp-service: autoAssign)', () => {
  it('gives each hand-off to the member with the fewest open conversations; a disabled member gets none', async () => {
    const members = [await k.person('Mia Member'), await k.person('Max Member'), await k.person('Moe Member'), await k.person('Gone Member')];
    expect((await k.as(admin, 'PUT', '/api/inbox/queues/hcp-service/members', { userIds: members.map((m) => m.id) })).statusCode).toBe(200);
    await k.staff.users.updateUser(members[3]!.id, { disabled: true }, { actor: { kind: 'system' } });
    // Loads before: Mia 2, Max 0, Moe 1.
    for (const [who, count] of [[members[0]!, 2], [members[2]!, 1]] as const) {
      for (let i = 0; i < count; i++) {
        await post(who, (await queued()).id, 'take');
      }
    }
    const assignees: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await queued();
      const moved = (await post(admin, id, 'transfer', { queue: 'hcp-service' })).json() as { conversation: { state: string; assignee: { name: string } | null } };
      expect(moved.conversation.state).toBe('agent');
      assignees.push(moved.conversation.assignee!.name);
    }
    // Max (0) → Max and Moe tie at 1: Moe, assigned longer ago → Max; Mia (2) and the disabled member get none.
    expect(assignees).toEqual(['Max Member', 'Moe Member', 'Max Member']);
    const [auto] = await query<{ actorKind: string; actorId: string; reason: string }>(k.h.database.db, sql`select actor_kind as "actorKind", actor_id as "actorId", reason from audit_log where action = 'conversation.assigned' and actor_id = 'auto-assign' limit 1`);
    expect(auto).toEqual({ actorKind: 'system', actorId: 'auto-assign', reason: 'least_load' });
  });

  it('concurrent hand-offs into the queue spread evenly: nobody is picked from stale counts', async () => {
    const members = [await k.person('Pia Pool'), await k.person('Paul Pool'), await k.person('Pit Pool')];
    await k.as(admin, 'PUT', '/api/inbox/queues/hcp-service/members', { userIds: members.map((m) => m.id) });
    const conversations = [];
    for (let i = 0; i < 6; i++) {
      conversations.push(await queued());
    }
    const results = await Promise.all(conversations.map(({ id }) => post(admin, id, 'transfer', { queue: 'hcp-service' })));
    const counts = new Map<string, number>();
    for (const r of results) {
      const name = (r.json() as { conversation: { assignee: { name: string } } }).conversation.assignee.name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ 'Pia Pool': 2, 'Paul Pool': 2, 'Pit Pool': 2 });
  });
});
