/**
 * The role matrix (issue #5 item 1; SEC-05 deny by default): the whole route table, as the guard collected it at
 * start-up, called by every role, by the admin token and anonymously. A route answers 401/403 from the guard
 * exactly where its declaration says so, and never where it allows the caller.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role, type RouteAccess } from '../modules/users/index.js';
import { createStaffKit, type StaffKit } from '../modules/users/users.fixtures.js';
import { query } from '../platform/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import { listRouteAccess } from './access.js';
import { buildApp } from './app.js';

let h: Harness;
let app: FastifyInstance;
let kit: StaffKit;
const userIds = new Map<Role, string>();

type Caller = 'anonymous' | 'admin-token' | Role;
const CALLERS: Caller[] = ['anonymous', 'admin-token', ...ROLES];

beforeAll(async () => {
  // Demo mode on, so the simulator's routes are reachable; the web app's files too when the bundle exists.
  h = await createHarness({ PARLEY_DEMO: 'true' });
  app = await buildApp(h.deps, { adminToken: h.adminToken, serveWeb: true });
  await app.ready();
  kit = createStaffKit(h.deps, app);
  for (const role of ROLES) {
    userIds.set(role, (await kit.createStaff([role])).user.id);
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
  await h?.close();
});

/** A request as `caller`; a fresh session per request, because one of the routes is the sign-out. */
async function call(caller: Caller, method: string, url: string): Promise<LightMyRequestResponse> {
  const payload = ['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(method) ? undefined : {};
  const base = { method: method as 'GET', url, ...(payload ? { payload } : {}) };
  if (caller === 'anonymous') {
    return app.inject(base);
  }
  if (caller === 'admin-token') {
    return app.inject({ ...base, headers: { authorization: `Bearer ${h.adminToken}` } });
  }
  return kit.injectAs(await kit.auth.createSession(userIds.get(caller) as string), base);
}

/** What the guard answered, if it refused: its code. */
function refusal(res: LightMyRequestResponse): string | undefined {
  if (res.statusCode !== 401 && res.statusCode !== 403) {
    return undefined;
  }
  if (res.body === '') {
    // HEAD: no body to name the code; the status says it.
    return res.statusCode === 401 ? 'auth.required' : 'auth.forbidden';
  }
  return (res.json() as { error?: { code?: string } }).error?.code ?? `status ${res.statusCode}`;
}

function expected(access: RouteAccess, caller: Caller): string | undefined {
  if (typeof access === 'string') {
    return undefined;
  }
  if (caller === 'anonymous') {
    return 'auth.required';
  }
  const roles: readonly Role[] = caller === 'admin-token' ? ['admin'] : [caller];
  return roles.some((r) => access.roles.includes(r)) ? undefined : 'auth.forbidden';
}

describe('route access (deny by default)', () => {
  it('every route declares its access, and each caller gets 401/403 exactly where the declaration says so', async () => {
    const table = listRouteAccess(app);
    // The table holds every route the app serves, among them these.
    const urls = new Set(table.map((r) => `${r.method} ${r.url}`));
    for (const route of ['POST /api/auth/login', 'GET /api/auth/me', 'GET /api/admin/users', 'POST /api/admin/consents', 'GET /api/admin/audit/verify', 'POST /webhooks/:kind/:slug', 'GET /healthz', 'POST /api/demo/simulator/run']) {
      expect(urls, route).toContain(route);
    }
    const mismatches: string[] = [];
    for (const { method, url, access } of table) {
      const path = url.replace(/:[a-zA-Z]+/g, 'x').replace(/\*$/, 'x');
      for (const caller of CALLERS) {
        const res = await call(caller, method, path);
        const got = refusal(res);
        const want = expected(access, caller);
        if (got !== want) {
          mismatches.push(`${method} ${url} as ${caller}: expected ${want ?? 'no 401/403'}, got ${got ?? res.statusCode}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(table.length).toBeGreaterThan(20);
  }, 120_000);

  it('a 403 says which roles the route needs, and is audited as an authorisation failure (AUD-01)', async () => {
    const session = await kit.auth.createSession(userIds.get('agent') as string);
    const res = await kit.injectAs(session, { method: 'GET', url: '/api/admin/audit/verify' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      error: { code: 'auth.forbidden', message: 'This needs one of the roles admin, compliance; you have agent.', details: { requiredRoles: ['admin', 'compliance'] } },
    });
    const rows = await query<{ actorId: string; outcome: string; objectId: string }>(
      h.database.db,
      sql`select actor_id as "actorId", outcome, object_id as "objectId" from audit_log where action = 'auth.access_denied' and actor_id = ${userIds.get('agent') as string}`,
    );
    expect(rows).toEqual(expect.arrayContaining([{ actorId: userIds.get('agent'), outcome: 'denied', objectId: 'GET /api/admin/audit/verify' }]));
  });

  it('refuses a wrong admin token with 401, and an unknown path stays a plain 404', async () => {
    const wrong = await app.inject({ method: 'GET', url: '/api/admin/stats', headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.json()).toMatchObject({ error: { code: 'auth.required' } });
    expect((await app.inject({ method: 'GET', url: '/api/nothing-here' })).json()).toMatchObject({ error: { code: 'route.not_found' } });
  });

  it('refuses to start when a route declares no access', async () => {
    const other = await buildApp(h.deps, { adminToken: h.adminToken });
    const start = async () => {
      await other.register(async (scope) => {
        scope.get('/api/admin/forgotten', async () => ({ secret: true }));
      });
      await other.ready();
    };
    await expect(start()).rejects.toThrow(/GET \/api\/admin\/forgotten declares no access/);
    await other.close().catch(() => undefined);
  });
});

describe('demo routes outside demo mode', () => {
  let off: Harness;
  beforeAll(async () => {
    off = await createHarness({ PARLEY_DEMO: 'false' });
  });
  afterAll(async () => off?.close());

  it('answer 404 demo.unavailable to everyone, while the demo config says the demo is off', async () => {
    expect((await off.app.inject({ method: 'GET', url: '/api/demo/simulator/flows' })).json()).toMatchObject({ error: { code: 'demo.unavailable' } });
    expect((await off.app.inject({ method: 'POST', url: '/api/demo/whatsapp/inbound', payload: {} })).statusCode).toBe(404);
    expect((await off.app.inject({ method: 'GET', url: '/api/demo/config' })).json()).toMatchObject({ demo: false });
  });
});
