/**
 * Staff accounts on a real database (issue #5 item 1): unique e-mail addresses, roles and their changes in the audit
 * trail (AUD-01 "roles and permissions", AUD-07 no plain e-mail), disabling ends sessions (SEC-07), one admin always
 * remains, the admin API refuses bad input, and the demo accounts are created once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditContext, verifyAudit } from '../audit/index.js';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { DEMO_ACCOUNTS, ensureDemoAccounts } from './demo-accounts.js';
import { verifyPassword } from './password.js';
import { createStaffKit, type StaffKit } from './users.fixtures.js';

let h: Harness;
let kit: StaffKit;
const cli: AuditContext = { actor: { kind: 'cli', id: 'alice' }, source: { channel: 'cli' } };

beforeAll(async () => {
  h = await createHarness();
  kit = createStaffKit(h.deps, h.app);
});
afterAll(async () => h?.close());

const audit = (objectId: string) =>
  query<{ action: string; actorKind: string; before: unknown; after: unknown }>(
    h.database.db,
    sql`select action, actor_kind as "actorKind", before, after from audit_log where object_type = 'user' and object_id = ${objectId} order by seq`,
  );

describe('user accounts', () => {
  it('stores the e-mail address trimmed and in lower case, unique per installation', async () => {
    const { user, password } = await kit.users.createUser({ email: 'Anna.Berg@Example.org', name: 'Anna Berg', roles: ['agent'] }, cli);
    expect(user).toMatchObject({ email: 'anna.berg@example.org', roles: ['agent'], disabled: false, hasPassword: true });
    expect(password).toMatch(/^.{20}$/);
    const [row] = await query<{ hash: string }>(h.database.db, sql`select password_hash as hash from users where id = ${user.id}`);
    expect(await verifyPassword(password as string, row!.hash)).toBe(true);
    await expect(kit.users.createUser({ email: 'anna.berg@example.org', name: 'Other', roles: ['editor'] }, cli)).rejects.toMatchObject({ code: 'user.email_taken' });
  });

  it('audits creation, role changes (before and after) and disabling, with the actor, and no e-mail in clear', async () => {
    const { user } = await kit.users.createUser({ email: 'carl@example.org', name: 'Carl', roles: ['editor'], password: 'a-long-enough-password' }, cli);
    await kit.users.updateUser('carl@example.org', { roles: ['editor', 'approver'] }, cli);
    await kit.users.updateUser(user.id, { roles: ['approver', 'editor'] }, cli);
    await kit.users.updateUser(user.id, { disabled: true }, cli);
    const rows = await audit(user.id);
    expect(rows.map((r) => r.action)).toEqual(['user.created', 'user.roles_changed', 'user.disabled']);
    expect(rows[1]).toMatchObject({ actorKind: 'cli', before: { roles: ['editor'] }, after: { roles: ['editor', 'approver'] } });
    expect(JSON.stringify(rows)).not.toContain('carl@example.org');
    expect(JSON.stringify(rows)).not.toContain('a-long-enough-password');
    expect((await verifyAudit(h.database.db)).ok).toBe(true);
  });

  it('never leaves the installation without an active admin', async () => {
    const db = h.database.db;
    await db.execute(sql`update users set disabled_at = now() where 'admin' = any(roles)`);
    const { user } = await kit.createStaff(['admin']);
    await expect(kit.users.updateUser(user.id, { roles: ['agent'] }, cli)).rejects.toMatchObject({ code: 'user.last_admin' });
    await expect(kit.users.updateUser(user.id, { disabled: true }, cli)).rejects.toMatchObject({ code: 'user.last_admin' });
    const second = await kit.createStaff(['admin', 'compliance']);
    expect((await kit.users.updateUser(user.id, { roles: ['agent'] }, cli)).roles).toEqual(['agent']);
    await expect(kit.users.updateUser(second.user.id, { disabled: true }, cli)).rejects.toMatchObject({ code: 'user.last_admin' });
  });

  it('a new password ends every session of the account', async () => {
    const { user } = await kit.createStaff(['agent']);
    await kit.auth.createSession(user.id);
    await kit.auth.createSession(user.id);
    const { password } = await kit.users.setPassword(user.id, undefined, cli);
    expect(password).toMatch(/^.{20}$/);
    const [row] = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from sessions where user_id = ${user.id}`);
    expect(row!.n).toBe(0);
    expect((await audit(user.id)).at(-1)).toMatchObject({ action: 'user.password_set', after: { generated: true, sessionsEnded: 2 } });
  });

  it('creates the demo accounts once; later starts cannot show their passwords again', async () => {
    const first = await ensureDemoAccounts(kit.users);
    expect(first.map((a) => [a.email, a.role])).toEqual(DEMO_ACCOUNTS.map((a) => [a.email, a.role]));
    expect(first.every((a) => typeof a.password === 'string' && a.password.length === 20)).toBe(true);
    const again = await ensureDemoAccounts(kit.users);
    expect(again.map((a) => a.password)).toEqual([undefined, undefined]);
  });
});

describe('the admin API for users', () => {
  const admin = () => ({ authorization: `Bearer ${h.adminToken}` });

  it.each([
    ['no roles', { email: 'x1@example.org', name: 'X', roles: [] }],
    ['an unknown role', { email: 'x2@example.org', name: 'X', roles: ['root'] }],
    ['a bad e-mail address', { email: 'not-an-email', name: 'X', roles: ['agent'] }],
    ['a short password', { email: 'x3@example.org', name: 'X', roles: ['agent'], password: 'short' }],
    ['an unknown field', { email: 'x4@example.org', name: 'X', roles: ['agent'], isAdmin: true }],
  ])('refuses %s with 400 and creates nothing', async (_name, payload) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin(), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation.failed' } });
    expect((await kit.users.listUsers()).some((u) => u.email === payload.email)).toBe(false);
  });

  it('changes roles and disables by id or e-mail, and says so for an unknown user', async () => {
    const { user, email } = await kit.createStaff(['agent']);
    const roles = await h.app.inject({ method: 'PATCH', url: `/api/admin/users/${user.id}`, headers: admin(), payload: { roles: ['agent', 'editor'] } });
    expect(roles.json()).toMatchObject({ user: { roles: ['agent', 'editor'] } });
    const off = await h.app.inject({ method: 'PATCH', url: `/api/admin/users/${encodeURIComponent(email)}`, headers: admin(), payload: { disabled: true } });
    expect(off.json()).toMatchObject({ user: { disabled: true } });
    const list = await h.app.inject({ method: 'GET', url: '/api/admin/users', headers: admin() });
    expect(JSON.stringify(list.json())).not.toContain('scrypt');
    const missing = await h.app.inject({ method: 'PATCH', url: '/api/admin/users/nobody@example.org', headers: admin(), payload: { disabled: true } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'user.not_found' } });
  });
});
