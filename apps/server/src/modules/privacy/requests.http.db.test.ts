/**
 * Access requests as cases over HTTP on the real database (GDPR-17): a request is opened with its receipt time and a
 * one-month deadline; nothing is disclosed before the requester's identity is verified; the deadline can be extended
 * by two months at most while the first month runs; the export answers the case once; every step is audited.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
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
const person = (marker: string) => seedPerson(h.database.db, ws, channelIds, { phone: `4917711${String(++seq).padStart(5, '0')}`, marker });
const actions = async (id: string) => (await query<{ action: string }>(h.database.db, sql`select action from audit_log where object_type = 'privacy_request' and object_id = ${id} order by seq`)).map((r) => r.action);

describe('GDPR-17 access requests as cases', () => {
  it('opens with the receipt time and a one-month deadline, refuses the export until verified, then answers once', async () => {
    const p = await person('DSAR');
    const receivedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const opened = await api('POST', '/api/admin/privacy-requests', { contact: p.contactId, receivedAt, by: 'dpo@example.org' });
    expect(opened.status).toBe(201);
    const r = opened.body.request;
    expect(r).toMatchObject({ contactId: p.contactId, kind: 'access', status: 'open', requestedBy: 'dpo@example.org', extensionMonths: 0, overdue: false, verifiedAt: null });
    expect(Date.parse(r.receivedAt)).toBe(Date.parse(receivedAt));
    expect(r.dueAt).toBe(r.firstDueAt);
    const due = new Date(r.dueAt);
    const expected = new Date(receivedAt);
    expected.setUTCMonth(expected.getUTCMonth() + 1);
    expect(Math.abs(due.getTime() - expected.getTime())).toBeLessThan(3 * 86_400_000); // calendar month, PostgreSQL's arithmetic
    expect(r.daysLeft).toBeGreaterThanOrEqual(25);

    // Nothing is disclosed before the identity is verified: no export, not even its consent history.
    const early = await api('GET', `/api/admin/contacts/${p.contactId}/export?request=${r.id}`);
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'privacy_request.not_verified' } } });
    expect((await api('GET', `/api/admin/contacts/${p.contactId}/export?request=${r.id}&consentOnly=true`)).status).toBe(409);

    const verified = await api('POST', `/api/admin/privacy-requests/${r.id}/verify`, { method: 'in_chat_code', by: 'dpo@example.org' });
    expect(verified.body.request).toMatchObject({ status: 'verified', verificationMethod: 'in_chat_code', verifiedBy: 'dpo@example.org' });
    expect((await api('POST', `/api/admin/privacy-requests/${r.id}/verify`, { method: 'id_document' })).body).toMatchObject({ error: { code: 'privacy_request.already_verified' } });

    // Another contact's export does not answer this request.
    const other = await person('OTHER');
    expect((await api('GET', `/api/admin/contacts/${other.contactId}/export?request=${r.id}`)).body).toMatchObject({ error: { code: 'privacy_request.other_contact' } });

    const exported = await api('GET', `/api/admin/contacts/${p.contactId}/export?request=${r.id}`);
    expect(exported.status).toBe(200);
    expect(exported.body.contact.id).toBe(p.contactId);
    const answered = (await api('GET', `/api/admin/privacy-requests/${r.id}`)).body.request;
    expect(answered).toMatchObject({ status: 'done', overdue: false });
    expect(answered.completedAt).not.toBeNull();
    expect((await api('GET', `/api/admin/contacts/${p.contactId}/export?request=${r.id}`)).body).toMatchObject({ error: { code: 'privacy_request.closed' } });
    expect(await actions(r.id)).toEqual(['privacy_request.opened', 'privacy_request.verified', 'privacy_request.answered']);
    const [exportEntry] = await query<{ after: Json }>(h.database.db, sql`select "after" from audit_log where action = 'contact.exported' and object_id = ${p.contactId} order by seq desc limit 1`);
    expect(exportEntry!.after.request).toBe(r.id);
  });

  it('Art. 12(3) extends by two months at most, within the first month, with the reason told to the requester', async () => {
    const p = await person('EXT');
    const r = (await api('POST', '/api/admin/privacy-requests', { contact: p.contactId })).body.request;
    const once = await api('POST', `/api/admin/privacy-requests/${r.id}/extend`, { months: 1, reason: 'Daten aus drei Systemen' });
    expect(once.body.request).toMatchObject({ extensionMonths: 1, extensionReason: 'Daten aus drei Systemen' });
    expect(Date.parse(once.body.request.dueAt)).toBeGreaterThan(Date.parse(r.dueAt) + 27 * 86_400_000);
    expect((await api('POST', `/api/admin/privacy-requests/${r.id}/extend`, { months: 2, reason: 'mehr' })).body).toMatchObject({ error: { code: 'privacy_request.extension_limit' } });
    expect((await api('POST', `/api/admin/privacy-requests/${r.id}/extend`, { months: 3, reason: 'x' })).status).toBe(400);
    expect((await api('POST', `/api/admin/privacy-requests/${r.id}/extend`, { months: 1 })).status).toBe(400);
    expect((await api('POST', `/api/admin/privacy-requests/${r.id}/extend`, { months: 1, reason: 'x', notifiedAt: new Date(Date.now() + 86_400_000).toISOString() })).body).toMatchObject({ error: { code: 'privacy_request.notice_date' } });

    // Past the first month no extension is possible any more (the request came in five weeks ago).
    const late = (await api('POST', '/api/admin/privacy-requests', { contact: p.contactId, receivedAt: new Date(Date.now() - 35 * 86_400_000).toISOString() })).body.request;
    expect(late.overdue).toBe(true);
    expect(late.daysLeft).toBeLessThan(0);
    expect((await api('POST', `/api/admin/privacy-requests/${late.id}/extend`, { months: 1, reason: 'zu spät' })).body).toMatchObject({ error: { code: 'privacy_request.extension_too_late' } });
    const [audit] = await query<{ reason: string | null }>(h.database.db, sql`select reason from audit_log where action = 'privacy_request.extended' and object_id = ${r.id}`);
    expect(audit?.reason).toBe('Daten aus drei Systemen');
  });

  it('lists the open cases, overdue and nearest deadline first; a refused case is closed; bad input is refused', async () => {
    const p = await person('LIST');
    const overdue = (await api('POST', '/api/admin/privacy-requests', { contact: p.contactId, receivedAt: new Date(Date.now() - 40 * 86_400_000).toISOString() })).body.request;
    const fresh = (await api('POST', '/api/admin/privacy-requests', { contact: p.contactId })).body.request;
    const refused = (await api('POST', '/api/admin/privacy-requests', { contact: p.contactId })).body.request;
    expect((await api('POST', `/api/admin/privacy-requests/${refused.id}/refuse`, { reason: 'Identität nicht nachweisbar' })).body.request).toMatchObject({ status: 'refused', refusalReason: 'Identität nicht nachweisbar' });
    expect((await api('POST', `/api/admin/privacy-requests/${refused.id}/verify`, { method: 'callback' })).body).toMatchObject({ error: { code: 'privacy_request.closed' } });

    const open = (await api('GET', '/api/admin/privacy-requests')).body.requests as Json[];
    const mine = open.filter((x) => x.contactId === p.contactId).map((x) => x.id);
    expect(mine).toEqual([overdue.id, fresh.id]);
    const all = (await api('GET', '/api/admin/privacy-requests?open=false')).body.requests as Json[];
    expect(all.map((x) => x.id)).toContain(refused.id);

    expect((await api('POST', '/api/admin/privacy-requests', { contact: '00000000-0000-4000-8000-0000000000d5' })).body).toMatchObject({ error: { code: 'contact.not_found' } });
    expect((await api('POST', '/api/admin/privacy-requests', { contact: p.contactId, receivedAt: new Date(Date.now() + 86_400_000).toISOString() })).body).toMatchObject({ error: { code: 'privacy_request.received_at' } });
    expect((await api('POST', '/api/admin/privacy-requests', { contact: p.contactId, receivedAt: 'yesterday' })).status).toBe(400);
    expect((await api('POST', `/api/admin/privacy-requests/${fresh.id}/verify`, { method: 'telepathy' })).status).toBe(400);
    expect((await api('GET', '/api/admin/privacy-requests/00000000-0000-4000-8000-0000000000d6')).body).toMatchObject({ error: { code: 'privacy_request.not_found' } });
    expect((await api('GET', '/api/admin/privacy-requests/not-a-uuid')).status).toBe(400);
    const attempts = await query<{ action: string }>(h.database.db, sql`select action from audit_log where action = 'privacy_request.open_attempted'`);
    expect(attempts.length).toBeGreaterThanOrEqual(1);
  });
});
