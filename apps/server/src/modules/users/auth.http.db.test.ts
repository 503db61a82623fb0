/**
 * Sign-in, sessions and CSRF over HTTP on a real database (issue #5 item 1; SEC-07, SEC-08, AUD-01): the cookie's
 * flags, the generic error, rate limiting with Retry-After, server-side sign-out, both timeouts, and the audit trail.
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createHarness, type Harness } from '../../test/harness.js';
import { hashToken, INVALID_CREDENTIALS, LOGIN_LIMITS } from './auth.service.js';
import { createStaffKit, type StaffKit } from './users.fixtures.js';

let h: Harness;
let kit: StaffKit;
let ipCounter = 0;
/** A fresh client address per test, so the per-address limit of one test does not leak into another. */
const nextIp = () => `10.1.0.${++ipCounter}`;

beforeAll(async () => {
  h = await createHarness();
  kit = createStaffKit(h.deps, h.app);
});
afterAll(async () => h?.close());

const login = (email: string, password: string, ip = nextIp(), headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: ip, headers: { 'user-agent': 'vitest', ...headers } });
const sessionOf = (res: LightMyRequestResponse) => {
  const cookie = res.cookies.find((c) => c.name === 'parley_session');
  return { token: cookie?.value ?? '', csrfToken: (res.json() as { csrfToken: string }).csrfToken };
};
const auditRows = (action: string) =>
  query<{ actorId: string | null; outcome: string; reason: string | null; sourceIp: string | null; after: unknown; objectId: string | null }>(
    h.database.db,
    sql`select actor_id as "actorId", outcome, reason, source_ip as "sourceIp", after, object_id as "objectId" from audit_log where action = ${action} order by seq`,
  );

describe('signing in', () => {
  it('sets an httpOnly, SameSite=Lax session cookie (Secure behind HTTPS) and answers with the user and a CSRF token', async () => {
    const { email, password, user } = await kit.createStaff(['agent']);
    const res = await login(` ${email.toUpperCase()} `, password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'parley_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: true, maxAge: 12 * 3600 });
    const body = res.json() as { user: { id: string; roles: string[] }; csrfToken: string };
    expect(body.user).toMatchObject({ id: user.id, roles: ['agent'] });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(body)).not.toContain('scrypt');
    // Only the token's hash is stored.
    const [row] = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from sessions where token_hash = ${hashToken(cookie!.value)}`);
    expect(row!.n).toBe(1);
    const me = await kit.injectAs(sessionOf(res), { method: 'GET', url: '/api/auth/me' });
    expect(me.json()).toMatchObject({ user: { id: user.id, email, roles: ['agent'] }, csrfToken: body.csrfToken });
  });

  it('wrong password and unknown e-mail get the same generic 401, are audited with the address, never the password', async () => {
    const { email, user } = await kit.createStaff(['editor']);
    const wrong = await login(email, 'not-the-password-1', '10.9.9.1');
    const unknown = await login('nobody@example.org', 'not-the-password-2', '10.9.9.2');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'auth.invalid_credentials', message: INVALID_CREDENTIALS } });
      expect(res.cookies).toEqual([]);
    }
    const failed = await auditRows('auth.login_failed');
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: user.id, objectId: user.id, outcome: 'failure', reason: 'wrong_password', sourceIp: '10.9.9.1' }),
        expect.objectContaining({ actorId: null, outcome: 'failure', reason: 'unknown_email', sourceIp: '10.9.9.2' }),
      ]),
    );
    const all = JSON.stringify(await query(h.database.db, sql`select * from audit_log`));
    expect(all).not.toContain('not-the-password');
    expect(all).not.toContain('nobody@example.org');
  });

  it('audits a successful sign-in with the user, role and address', async () => {
    const { email, password, user } = await kit.createStaff(['approver']);
    await login(email, password, '10.9.9.3');
    expect(await auditRows('auth.login')).toEqual(expect.arrayContaining([expect.objectContaining({ actorId: user.id, outcome: 'success', sourceIp: '10.9.9.3' })]));
  });

  it('refuses a disabled account with the same generic error', async () => {
    const { email, password, user } = await kit.createStaff(['agent', 'admin']);
    await kit.createStaff(['admin']);
    await kit.users.updateUser(user.id, { disabled: true }, { actor: { kind: 'system' } });
    const res = await login(email, password);
    expect(res.json()).toMatchObject({ error: { code: 'auth.invalid_credentials', message: INVALID_CREDENTIALS } });
  });

  it('refuses malformed bodies with 400 and a form post (not JSON) too', async () => {
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.c' } })).statusCode).toBe(400);
    const form = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: 'email=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
  });
});

describe('login rate limiting (SEC-08)', () => {
  it(`after ${LOGIN_LIMITS.perAccount} failures an account answers 429 with Retry-After, even to the right password`, async () => {
    const { email, password } = await kit.createStaff(['agent']);
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      expect((await login(email, `wrong-${i}-password`)).statusCode).toBe(401);
    }
    const locked = await login(email, password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'auth.rate_limited' } });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(LOGIN_LIMITS.windowMinutes * 60 - 30);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.windowMinutes * 60);
    expect(await auditRows('auth.login_failed')).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'denied', reason: 'rate_limited_account' })]));
    // Once the failures are older than the window, the account opens again.
    await h.database.db.execute(sql`update login_attempts set at = at - make_interval(mins => ${LOGIN_LIMITS.windowMinutes})`);
    expect((await login(email, password)).statusCode).toBe(200);
  });

  it('a successful sign-in forgives the failures before it', async () => {
    const { email, password } = await kit.createStaff(['agent']);
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) {
      await login(email, 'wrong-password-again');
    }
    expect((await login(email, password)).statusCode).toBe(200);
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) {
      expect((await login(email, 'wrong-password-again')).statusCode).toBe(401);
    }
  });

  it(`limits one address to ${LOGIN_LIMITS.perAddress} failures across accounts`, async () => {
    const ip = '10.77.0.1';
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
      expect((await login(`guess-${i}@example.org`, 'wrong-password', ip)).statusCode).toBe(401);
    }
    const res = await login('guess-x@example.org', 'wrong-password', ip);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  }, 60_000);
});

describe('sessions', () => {
  it('logout ends the session server-side: the same cookie is refused afterwards and the row is gone', async () => {
    const { email, password, user } = await kit.createStaff(['agent']);
    const session = sessionOf(await login(email, password));
    const out = await kit.injectAs(session, { method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'parley_session')).toMatchObject({ value: '', maxAge: 0 });
    expect((await kit.injectAs(session, { method: 'GET', url: '/api/auth/me' })).json()).toEqual({ user: null, csrfToken: null });
    const again = await kit.injectAs(session, { method: 'POST', url: '/api/auth/logout' });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ error: { code: 'auth.required', details: { reason: 'session_ended' } } });
    const [row] = await query<{ n: number }>(h.database.db, sql`select count(*)::int as n from sessions where token_hash = ${hashToken(session.token)}`);
    expect(row!.n).toBe(0);
    expect(await auditRows('auth.logout')).toEqual(expect.arrayContaining([expect.objectContaining({ actorId: user.id })]));
  });

  it('ends a session after the inactivity timeout and after the absolute timeout', async () => {
    const { user } = await kit.createStaff(['agent']);
    const idle = await kit.auth.createSession(user.id);
    const old = await kit.auth.createSession(user.id);
    expect((await kit.injectAs(idle, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ user: { id: user.id } });
    await h.database.db.execute(sql`update sessions set last_seen_at = now() - interval '31 minutes' where token_hash = ${hashToken(idle.token)}`);
    await h.database.db.execute(sql`update sessions set expires_at = now() - interval '1 second' where token_hash = ${hashToken(old.token)}`);
    for (const s of [idle, old]) {
      const me = await kit.injectAs(s, { method: 'GET', url: '/api/auth/me' });
      expect(me.json()).toEqual({ user: null, csrfToken: null });
      // The stale cookie is removed, so the browser stops sending it.
      expect(me.cookies.find((c) => c.name === 'parley_session')).toMatchObject({ value: '', maxAge: 0 });
      const res = await kit.injectAs(s, { method: 'POST', url: '/api/auth/logout' });
      expect(res.statusCode).toBe(401);
      expect(res.cookies.find((c) => c.name === 'parley_session')).toMatchObject({ value: '', maxAge: 0 });
    }
  });

  it('keeps an active session alive: a request moves the inactivity clock forward', async () => {
    const { user } = await kit.createStaff(['agent']);
    const s = await kit.auth.createSession(user.id);
    await h.database.db.execute(sql`update sessions set last_seen_at = now() - interval '29 minutes' where token_hash = ${hashToken(s.token)}`);
    expect((await kit.injectAs(s, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ user: { id: user.id } });
    const [row] = await query<{ idle: number }>(h.database.db, sql`select extract(epoch from now() - last_seen_at)::int as idle from sessions where token_hash = ${hashToken(s.token)}`);
    expect(row!.idle).toBeLessThan(5);
  });

  it('disabling a user ends every session of theirs at once (SEC-07), and role changes apply to the next request', async () => {
    const { user } = await kit.createStaff(['admin']);
    const s = await kit.auth.createSession(user.id);
    expect((await kit.injectAs(s, { method: 'GET', url: '/api/admin/users' })).statusCode).toBe(200);
    await kit.createStaff(['admin']);
    await kit.users.updateUser(user.id, { roles: ['agent'] }, { actor: { kind: 'system' } });
    expect((await kit.injectAs(s, { method: 'GET', url: '/api/admin/users' })).statusCode).toBe(403);
    await kit.users.updateUser(user.id, { disabled: true }, { actor: { kind: 'system' } });
    expect((await kit.injectAs(s, { method: 'GET', url: '/api/admin/users' })).statusCode).toBe(401);
  });
});

describe('session administration (SEC-07)', () => {
  it('an admin lists where someone is signed in and ends those sessions on the spot; audited; agents may not', async () => {
    const { email, password, user } = await kit.createStaff(['agent']);
    const laptop = sessionOf(await login(email, password, '10.9.0.1', { 'user-agent': 'Laptop Firefox' }));
    const phone = sessionOf(await login(email, password, '10.9.0.2', { 'user-agent': 'Phone Safari' }));
    const { user: admin } = await kit.createStaff(['admin']);
    const adminSession = await kit.auth.createSession(admin.id);

    const listed = await kit.injectAs(adminSession, { method: 'GET', url: `/api/admin/users/${user.id}/sessions` });
    expect(listed.statusCode).toBe(200);
    const sessions = (listed.json() as { sessions: Array<Record<string, unknown>> }).sessions;
    expect(sessions.map((x) => [x.ip, x.userAgent, x.current]).sort()).toEqual([
      ['10.9.0.1', 'Laptop Firefox', false],
      ['10.9.0.2', 'Phone Safari', false],
    ]);
    expect(Object.keys(sessions[0]!).sort()).toEqual(['current', 'expiresAt', 'ip', 'lastSeenAt', 'startedAt', 'userAgent']);
    // The agent may not look at sessions, not even their own.
    expect((await kit.injectAs(laptop, { method: 'GET', url: `/api/admin/users/${user.id}/sessions` })).statusCode).toBe(403);

    const ended = await kit.injectAs(adminSession, { method: 'DELETE', url: `/api/admin/users/${email}/sessions` });
    expect(ended.json()).toEqual({ ended: 2 });
    for (const s of [laptop, phone]) {
      expect((await kit.injectAs(s, { method: 'GET', url: '/api/auth/me' })).json()).toEqual({ user: null, csrfToken: null });
    }
    expect((await kit.injectAs(adminSession, { method: 'GET', url: `/api/admin/users/${user.id}/sessions` })).json()).toEqual({ sessions: [] });
    expect(await auditRows('user.sessions_ended')).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorId: admin.id, objectId: user.id, after: { sessionsEnded: 2, keptCurrent: false } })]),
    );
    expect((await kit.injectAs(adminSession, { method: 'DELETE', url: '/api/admin/users/nobody@example.org/sessions' })).json()).toMatchObject({ error: { code: 'user.not_found' } });
  });

  it('an admin ending their own sessions stays signed in here and ends the others; expired sessions are not listed', async () => {
    const { email, password, user } = await kit.createStaff(['admin']);
    const here = sessionOf(await login(email, password, '10.9.1.1'));
    const elsewhere = sessionOf(await login(email, password, '10.9.1.2'));
    const stale = await kit.auth.createSession(user.id);
    await h.database.db.execute(sql`update sessions set last_seen_at = now() - interval '31 minutes' where token_hash = ${hashToken(stale.token)}`);
    const own = (await kit.injectAs(here, { method: 'GET', url: `/api/admin/users/${user.id}/sessions` })).json() as { sessions: Array<{ ip: string; current: boolean }> };
    expect(own.sessions.map((x) => [x.ip, x.current]).sort()).toEqual([
      ['10.9.1.1', true],
      ['10.9.1.2', false],
    ]);
    expect((await kit.injectAs(here, { method: 'DELETE', url: `/api/admin/users/${user.id}/sessions` })).json()).toEqual({ ended: 2 });
    expect((await kit.injectAs(elsewhere, { method: 'GET', url: '/api/auth/me' })).json()).toEqual({ user: null, csrfToken: null });
    expect((await kit.injectAs(here, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ user: { id: user.id } });
  });
});

describe('CSRF', () => {
  it('refuses a write with the session cookie but without the CSRF token (403 auth.csrf), and accepts it with the token', async () => {
    const { user } = await kit.createStaff(['admin']);
    const s = await kit.auth.createSession(user.id);
    const body = { email: `csrf-${user.id.slice(0, 6)}@example.org`, name: 'Neu', roles: ['agent'] };
    const missing = await kit.injectAs(s, { method: 'POST', url: '/api/admin/users', payload: body, csrf: false });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ error: { code: 'auth.csrf' } });
    const wrong = await kit.injectAs({ ...s, csrfToken: 'x'.repeat(43) }, { method: 'POST', url: '/api/admin/users', payload: body });
    expect(wrong.json()).toMatchObject({ error: { code: 'auth.csrf' } });
    expect((await kit.users.listUsers()).some((u) => u.email === body.email)).toBe(false);
    expect((await kit.injectAs(s, { method: 'POST', url: '/api/admin/users', payload: body })).statusCode).toBe(201);
    // Reads need no token.
    expect((await kit.injectAs(s, { method: 'GET', url: '/api/admin/users', csrf: false })).statusCode).toBe(200);
  });

  it('needs no CSRF token for the admin bearer token (not a cookie, so no browser sends it by itself)', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: `Bearer ${h.adminToken}` }, payload: { email: 'bearer@example.org', name: 'B', roles: ['editor'] } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ user: { email: 'bearer@example.org' }, password: expect.stringMatching(/^.{20}$/) });
    const [row] = await query<{ actorKind: string; actorId: string }>(h.database.db, sql`select actor_kind as "actorKind", actor_id as "actorId" from audit_log where action = 'user.created' and object_id = ${(res.json() as { user: { id: string } }).user.id}`);
    expect(row).toEqual({ actorKind: 'api', actorId: 'admin-token' });
  });
});

describe('the Secure flag', () => {
  let plain: Harness;
  beforeAll(async () => {
    plain = await createHarness({ PUBLIC_URL: 'http://localhost:3000', TRUST_PROXY: 'true' });
  });
  afterAll(async () => plain?.close());

  it('is off over plain HTTP and on when a trusted proxy says the request came over HTTPS', async () => {
    const plainKit = createStaffKit(plain.deps, plain.app);
    const { email, password } = await plainKit.createStaff(['agent']);
    const direct = await plain.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(direct.cookies.find((c) => c.name === 'parley_session')?.secure).toBeUndefined();
    const proxied = await plain.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } });
    expect(proxied.cookies.find((c) => c.name === 'parley_session')?.secure).toBe(true);
    const [row] = await query<{ sourceIp: string }>(plain.database.db, sql`select source_ip as "sourceIp" from audit_log where action = 'auth.login' order by seq desc limit 1`);
    expect(row!.sourceIp).toBe('203.0.113.7');
  });
});
