/**
 * Erasure per data class with retention duties and legal holds (GDPR-20, GDPR-22, GDPR-23), objection (GDPR-15)
 * and restriction (GDPR-21), through the admin API on the real database: what may go is gone from every table,
 * what a duty keeps is restricted until the sweep deletes it, a hold keeps everything and takes two people, the
 * suppression entry survives, and every step leaves an audit entry without the erased content.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { advanceLegalHold, hashAddress, requestLegalHold, runSweep, suppressedHashes } from './index.js';
import { adminApi, type Json, seedChannels, seedPerson } from './privacy.fixtures.js';

let h: Harness;
let ws: string;
let channelIds: string[];
let seq = 0;

beforeAll(async () => {
  h = await createHarness();
  ws = h.deps.workspace.id;
  await h.listen();
  channelIds = await seedChannels(h.database.db, ws);
});
afterAll(async () => h.close());

const api = (method: string, path: string, body?: unknown) => adminApi(h)(method, path, body);
const person = async (marker: string) => {
  const phone = `4917600${String(++seq).padStart(5, '0')}`;
  const p = await seedPerson(h.database.db, ws, channelIds, { phone, marker });
  // A flow job of the conversation (a pending timer) and a raw provider event of the person.
  await h.database.db.execute(sql`insert into jobs (workspace_id, queue, payload, run_at) values (${ws}, 'flow.resume', ${JSON.stringify({ kind: 'timer', conversationId: p.conversationIds[0], token: 't' })}::jsonb, now() + interval '1 day')`);
  await h.database.db.execute(sql`insert into inbound_events (workspace_id, channel_id, provider_event_id, kind, payload) values (${ws}, ${channelIds[0]}, ${`wamid.raw.${marker}`}, 'message', ${JSON.stringify({ address: phone, text: `roh ${marker}` })}::jsonb)`);
  return { ...p, phone };
};
const count = async (table: string, where: ReturnType<typeof sql>) => Number((await query<{ n: string }>(h.database.db, sql`select count(*) as n from ${sql.raw(table)} where ${where}`))[0]?.n);
const setRetention = (retention: unknown) => h.database.db.execute(sql`update workspaces set settings = ${JSON.stringify({ retention })}::jsonb where id = ${ws}`);
const remaining = async (p: Awaited<ReturnType<typeof person>>) => ({
  contacts: await count('contacts', sql`id = ${p.contactId}`),
  identities: await count('contact_identities', sql`contact_id = ${p.contactId}`),
  subscriptions: await count('topic_subscriptions', sql`contact_id = ${p.contactId}`),
  conversations: await count('conversations', sql`contact_id = ${p.contactId}`),
  messages: await count('messages', sql`id = any(${`{${p.messageIds.join(',')}}`}::uuid[])`),
  statusEvents: await count('message_status_events', sql`message_id = any(${`{${p.messageIds.join(',')}}`}::uuid[])`),
  unanswered: await count('unanswered_questions', sql`conversation_id = any(${`{${p.conversationIds.join(',')}}`}::uuid[])`),
  rawEvents: await count('inbound_events', sql`payload->>'address' = ${p.phone}`),
  jobs: await count('jobs', sql`payload->>'conversationId' = any(${`{${p.conversationIds.join(',')}}`}::text[])`),
  inboxEvents: await count('inbox_events', sql`conversation_id = any(${`{${p.conversationIds.join(',')}}`}::uuid[])`),
});
const auditOf = (contactId: string) =>
  query<{ action: string; outcome: string; after: Json | null; row: string }>(h.database.db, sql`select action, outcome, "after", row_to_json(a)::text as row from audit_log a where object_id = ${contactId} order by seq`);

describe('erasure (GDPR-20)', () => {
  it('GDPR-20 deletes every class without a duty from every table; the tombstone holds counts, not content', async () => {
    await setRetention({});
    const p = await person('ERASE1');
    const before = await remaining(p);
    expect(before).toEqual({ contacts: 1, identities: 1, subscriptions: 1, conversations: 2, messages: 4, statusEvents: 4, unanswered: 1, rawEvents: 1, jobs: 1, inboxEvents: 4 });
    const res = await api('POST', `/api/admin/contacts/${p.contactId}/erasure`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', dryRun: false, kept: {}, deleted: { messages: { messages: 4, statusEvents: 4, unansweredQuestions: 1, rawEvents: 1, inboxEvents: 4 }, profile: { contacts: 1, identities: 1, subscriptions: 1, conversations: 2 }, conversationState: { jobs: 1 } } });
    expect(await remaining(p)).toEqual({ contacts: 0, identities: 0, subscriptions: 0, conversations: 0, messages: 0, statusEvents: 0, unanswered: 0, rawEvents: 0, jobs: 0, inboxEvents: 0 });
    const tombstone = (await auditOf(p.contactId)).find((a) => a.action === 'contact.erased')!;
    expect(tombstone.after).toMatchObject({ status: 'done', request: res.body.requestId });
    expect(tombstone.row).not.toContain('ERASE1');
    expect(tombstone.row).not.toContain(p.phone);
    // The consent proof stays (pseudonymous) and ends in a withdrawal on every channel (Art. 17(1)(b)).
    const consent = await query<{ decision: string; channelId: string | null }>(h.database.db, sql`select decision, channel_id as "channelId" from consent_events where contact_id = ${p.contactId} and purpose = 'service' order by id`);
    expect(consent).toEqual([{ decision: 'withdrawn', channelId: null }]);
    const [request] = await query<{ status: string; completed: boolean }>(h.database.db, sql`select status, completed_at is not null as completed from privacy_requests where id = ${res.body.requestId}`);
    expect(request).toEqual({ status: 'done', completed: true });
  });

  it('GDPR-15 the keyed-hash suppression entry survives the erasure; the address itself is stored nowhere', async () => {
    const p = await person('ERASE2');
    await api('POST', `/api/admin/contacts/${p.contactId}/erasure`, {});
    const hash = hashAddress((v) => h.deps.secretBox.keyedHash(v), `+${p.phone}`);
    expect(await suppressedHashes(h.database.db, ws, [hash])).toEqual(new Set([hash]));
    expect(await count('suppressions', sql`address_hash = ${p.phone} or address_hash like ${`%${p.phone}%`}`)).toBe(0);
  });

  it('a dry run reports the same outcome and changes nothing', async () => {
    const p = await person('DRY');
    const res = await api('POST', `/api/admin/contacts/${p.contactId}/erasure`, { dryRun: true });
    expect(res.body).toMatchObject({ dryRun: true, status: 'done', deleted: { messages: { messages: 4 } } });
    expect(await remaining(p)).toMatchObject({ contacts: 1, messages: 4, rawEvents: 1 });
    expect((await auditOf(p.contactId)).map((a) => a.action)).not.toContain('contact.erased');
  });

  it('an erasure request for an unknown contact → 404 and an audited attempt', async () => {
    const unknown = '00000000-0000-4000-8000-00000000e4a5';
    const res = await api('POST', `/api/admin/contacts/${unknown}/erasure`, {});
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('contact.not_found');
    expect(await auditOf(unknown)).toEqual([expect.objectContaining({ action: 'contact.erasure_attempted', outcome: 'failure' })]);
  });

  it('GDPR-20/22 a class under a retention duty is kept restricted until the duty ends, then the sweep deletes it', async () => {
    await setRetention({ messages: { days: 2190, duty: true } });
    const p = await person('DUTY');
    const res = await api('POST', `/api/admin/contacts/${p.contactId}/erasure`, {});
    expect(res.body).toMatchObject({ status: 'partial', kept: { messages: expect.stringMatching(/^20(3[2-3])-/) } });
    // Profile and run state are gone; the correspondence stays, the contact row only as an anonymous anchor. The
    // feed has the four messages' events and, per conversation, the restriction's visibility event (open inboxes
    // drop the conversations).
    expect(await remaining(p)).toEqual({ contacts: 1, identities: 0, subscriptions: 0, conversations: 2, messages: 4, statusEvents: 4, unanswered: 1, rawEvents: 1, jobs: 0, inboxEvents: 6 });
    const [contact] = await query<{ displayName: string | null }>(h.database.db, sql`select display_name as "displayName" from contacts where id = ${p.contactId}`);
    expect(contact?.displayName).toBeNull();
    const [restriction] = await query<{ basis: string; classes: string[] }>(h.database.db, sql`select basis, data_classes as classes from contact_restrictions where contact_id = ${p.contactId} and lifted_at is null`);
    expect(restriction).toEqual({ basis: 'retention', classes: ['messages'] });
    // A sweep today changes nothing; one after the duty ended finishes the erasure.
    await runSweep(h.database.db, { now: new Date(), keyedHash: (v) => h.deps.secretBox.keyedHash(v) });
    expect((await remaining(p)).messages).toBe(4);
    const later = new Date(Date.now() + 2200 * 86_400_000);
    await runSweep(h.database.db, { now: later, keyedHash: (v) => h.deps.secretBox.keyedHash(v) });
    expect(await remaining(p)).toEqual({ contacts: 0, identities: 0, subscriptions: 0, conversations: 0, messages: 0, statusEvents: 0, unanswered: 0, rawEvents: 0, jobs: 0, inboxEvents: 0 });
    const [request] = await query<{ status: string }>(h.database.db, sql`select status from privacy_requests where id = ${res.body.requestId}`);
    expect(request?.status).toBe('done');
    expect((await auditOf(p.contactId)).map((a) => a.action)).toEqual(expect.arrayContaining(['contact.erasure_partial', 'contact.erased']));
    await setRetention({});
  });
});

describe('legal hold (GDPR-23)', () => {
  it('GDPR-23 a hold needs two people to set and to lift, keeps everything from erasure, and the sweep erases once it is lifted', async () => {
    const p = await person('HOLD');
    const hold = await api('POST', '/api/admin/legal-holds', { contact: p.contactId, reason: 'PV case 2026-0042', reference: 'PV-0042', by: 'alice' });
    expect(hold.status).toBe(201);
    const holdId = hold.body.holdId as string;
    const same = await api('POST', `/api/admin/legal-holds/${holdId}/approve`, { by: 'alice' });
    expect(same.status).toBe(409);
    expect(same.body.error.code).toBe('legal_hold.same_person');
    expect((await api('POST', `/api/admin/legal-holds/${holdId}/approve`, { by: 'bob' })).body).toMatchObject({ status: 'active' });

    const erased = await api('POST', `/api/admin/contacts/${p.contactId}/erasure`, {});
    expect(erased.body).toMatchObject({ status: 'held', holds: [holdId], kept: { profile: 'hold', messages: 'hold', conversationState: 'hold' } });
    expect(await remaining(p)).toMatchObject({ contacts: 1, identities: 1, messages: 4, rawEvents: 1, jobs: 1 });
    // The storage-limitation sweep leaves a held contact alone too, even long after every period.
    await runSweep(h.database.db, { now: new Date(Date.now() + 3000 * 86_400_000), keyedHash: (v) => h.deps.secretBox.keyedHash(v) });
    expect(await remaining(p)).toMatchObject({ contacts: 1, messages: 4 });

    expect((await api('POST', `/api/admin/legal-holds/${holdId}/lift`, { by: 'carol' })).status).toBe(400); // a reason is required
    expect((await api('POST', `/api/admin/legal-holds/${holdId}/lift`, { by: 'carol', reason: 'case closed' })).body).toMatchObject({ status: 'lift_requested' });
    expect((await api('POST', `/api/admin/legal-holds/${holdId}/confirm-lift`, { by: 'carol' })).status).toBe(409);
    expect((await api('POST', `/api/admin/legal-holds/${holdId}/confirm-lift`, { by: 'alice' })).body).toMatchObject({ status: 'lifted' });
    expect((await api('POST', `/api/admin/legal-holds/${holdId}/approve`, { by: 'dave' })).status).toBe(409); // wrong state

    await runSweep(h.database.db, { now: new Date(), keyedHash: (v) => h.deps.secretBox.keyedHash(v) });
    expect(await remaining(p)).toMatchObject({ contacts: 0, messages: 0, rawEvents: 0 });
    const actions = (await query<{ action: string; onBehalfOf: string | null }>(h.database.db, sql`select action, on_behalf_of as "onBehalfOf" from audit_log where object_type = 'legal_hold' and object_id = ${holdId} order by seq`));
    expect(actions).toEqual([
      { action: 'legal_hold.requested', onBehalfOf: 'alice' },
      { action: 'legal_hold.approved', onBehalfOf: 'bob' },
      { action: 'legal_hold.lift_requested', onBehalfOf: 'carol' },
      { action: 'legal_hold.lifted', onBehalfOf: 'alice' },
    ]);
  });
});

describe('retention sweep (GDPR-12, GDPR-22)', () => {
  it('GDPR-22 deletes messages older than the rule and clears stale run state; GDPR-12 closes expired pending consents', async () => {
    await setRetention({ messages: { days: 30 }, conversationState: { days: 10 } });
    const p = await person('SWEEP');
    await h.database.db.execute(sql`update messages set created_at = now() - interval '40 days' where id = ${p.messageIds[0]}`);
    await h.database.db.execute(sql`update conversations set last_message_at = now() - interval '20 days' where id = ${p.conversationIds[1]}`);
    await h.database.db.execute(sql`insert into consent_events (workspace_id, contact_id, purpose, channel_id, decision, method, actor, at) values (${ws}, ${p.contactId}, 'newsletter', ${channelIds[0]}, 'pending', 'import', '{"kind":"api"}'::jsonb, now() - interval '8 days')`);
    const preview = await runSweep(h.database.db, { now: new Date(), keyedHash: (v) => h.deps.secretBox.keyedHash(v), dryRun: true });
    const mine = preview.reports.find((r) => r.workspaceId === ws)!;
    expect(mine).toMatchObject({ messages: 1, expiredPending: 1, runStates: 1 });
    expect((await remaining(p)).messages).toBe(4); // the dry run changed nothing
    await runSweep(h.database.db, { now: new Date(), keyedHash: (v) => h.deps.secretBox.keyedHash(v) });
    expect((await remaining(p)).messages).toBe(3);
    const [state] = await query<{ flowState: unknown }>(h.database.db, sql`select flow_state as "flowState" from conversations where id = ${p.conversationIds[1]}`);
    expect(state?.flowState).toBeNull();
    const [latest] = await query<{ decision: string; method: string }>(h.database.db, sql`select decision, method from consent_events where contact_id = ${p.contactId} and purpose = 'newsletter' order by id desc limit 1`);
    expect(latest).toEqual({ decision: 'expired', method: 'expiry' });
    const [report] = await query<{ after: Json }>(h.database.db, sql`select "after" from audit_log where workspace_id = ${ws} and action = 'retention.swept' order by seq desc limit 1`);
    expect(report?.after).toMatchObject({ messages: 1, expiredPending: 1 });
    await setRetention({});
  });

  it('GDPR-23 a signed-in user is who the session says: the same user cannot approve their own hold under another name', async () => {
    const p = await person('HOLD2');
    const deps = { db: h.database.db, workspaceId: ws, keyedHash: (v: string) => h.deps.secretBox.keyedHash(v) };
    const as = (userId: string) => ({ actor: { kind: 'user' as const, id: userId, role: 'compliance' } });
    const hold = await requestLegalHold(deps, p.contactId, { audit: as('user-anna'), reason: 'authority request', by: 'someone else' });
    await expect(advanceLegalHold(deps, hold.holdId, 'approve', { audit: as('user-anna'), by: 'bob' })).rejects.toMatchObject({ code: 'legal_hold.same_person' });
    await expect(advanceLegalHold(deps, hold.holdId, 'approve', { audit: as('user-ben') })).resolves.toMatchObject({ status: 'active' });
    const [row] = await query<{ requestedBy: string; approvedBy: string }>(h.database.db, sql`select requested_by as "requestedBy", approved_by as "approvedBy" from legal_holds where id = ${hold.holdId}`);
    expect(row).toEqual({ requestedBy: 'user-anna', approvedBy: 'user-ben' });
  });
});
