/**
 * Route access, deny by default (SEC-05): every route must declare `config: { access: … }` (see
 * modules/users/access.policy.ts) — the app refuses to start otherwise — and every request is checked against the
 * declaration before anything else runs. Callers are a signed-in user (the `parley_session` cookie) or the admin
 * token (`Authorization: Bearer …`, a service credential acting as admin; the CLI uses it). A state-changing request
 * authenticated by the cookie must carry the session's CSRF token in `x-csrf-token`; a bearer request needs none
 * (browsers never attach that header on their own).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuditContext, appendAudit } from '../modules/audit/index.js';
import {
  type AuthService,
  clearedSessionCookie,
  decideAccess,
  isStateChanging,
  parseRouteAccess,
  type Principal,
  readCookie,
  type RouteAccess,
  SESSION_COOKIE,
} from '../modules/users/index.js';
import { safeEqual } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; required on every route (http/access.ts). */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Who is calling, once the access check ran on a route that needs roles. */
    principal: Principal | undefined;
  }
  interface FastifyInstance {
    /** Access for routes of this scope that a third-party plugin registers without config (see `declareScopeAccess`). */
    parleyScopeAccess?: RouteAccess;
  }
}

export interface AccessControlOptions {
  auth: AuthService;
  adminToken: string | undefined;
  demo: boolean;
  db: Db;
  /** Audit chain for refused requests (AUD-01: authorisation failures). */
  workspaceId: string;
  /** Whether cookies must be `Secure` for this request (HTTPS). */
  isSecure: (req: FastifyRequest) => boolean;
}

/** One row of the route table: what `listRouteAccess` returns (the role-matrix test walks it). */
export type RouteAccessEntry = { method: string; url: string; access: RouteAccess };

const tables = new WeakMap<FastifyInstance, RouteAccessEntry[]>();

/**
 * Installs the guard on the root instance, before any route is registered.
 * @example registerAccessControl(app, { auth, adminToken, demo: config.demo, db, workspaceId, isSecure });
 */
export function registerAccessControl(app: FastifyInstance, opts: AccessControlOptions): void {
  const table: RouteAccessEntry[] = [];
  tables.set(app, table);
  app.decorateRequest('principal', undefined);

  app.addHook('onRoute', function (route) {
    const access = parseRouteAccess(route.config?.access ?? this.parleyScopeAccess);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!access) {
      throw new Error(
        `Route ${methods.join(',')} ${route.url} declares no access. Add config: { access: { roles: ['admin', …] } } or access 'public' | 'webhook' | 'demo' (docs/users-and-roles.md).`,
      );
    }
    route.config = { ...route.config, access };
    table.push(...methods.map((method) => ({ method, url: route.url, access })));
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.is404) {
      return;
    }
    const access = req.routeOptions.config.access as RouteAccess;
    if (access === 'public' || access === 'webhook') {
      return;
    }
    if (access === 'demo') {
      if (!opts.demo) {
        throw new AppError('demo.unavailable', 'Demo mode is off on this server.');
      }
      return;
    }
    const principal = await authenticate(req, reply, opts);
    req.principal = principal;
    const decision = decideAccess(access, principal);
    if (!decision.allowed) {
      if (decision.code === 'auth.forbidden') {
        await auditDenied(req, opts, decision.reason);
      }
      throw new AppError(decision.code, decision.reason, { requiredRoles: decision.required });
    }
    if (principal?.kind === 'user' && isStateChanging(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, principal.session.csrfToken)) {
        await auditDenied(req, opts, 'missing or wrong CSRF token');
        throw new AppError('auth.csrf', 'This request lacks your session’s CSRF token (x-csrf-token): reload the page and try again.');
      }
    }
  });
}

/** The route table with each route's declared access, in registration order. */
export function listRouteAccess(app: FastifyInstance): readonly RouteAccessEntry[] {
  return tables.get(app) ?? [];
}

/**
 * Gives routes that a plugin in this scope registers without a config (e.g. @fastify/static's file routes) the
 * given access. Only for such plugins: our own routes declare access on each route.
 */
export function declareScopeAccess(scope: FastifyInstance, access: RouteAccess): void {
  scope.decorate<RouteAccess>('parleyScopeAccess', access);
}

/** Who acts in a request, for the audit trail (AUD-02): the user with their roles, or the admin token. */
export function auditOf(req: FastifyRequest): AuditContext {
  const p = req.principal;
  const source = { ip: req.ip, userAgent: req.headers['user-agent'] };
  if (p?.kind === 'user') {
    return { actor: { kind: 'user', id: p.userId, role: p.roles.join(',') }, source: { ...source, channel: 'web' }, correlationId: req.id };
  }
  if (p?.kind === 'token') {
    return { actor: { kind: 'api', id: 'admin-token', role: 'admin' }, source: { ...source, channel: 'admin-api' }, correlationId: req.id };
  }
  return { actor: { kind: 'user' }, source, correlationId: req.id };
}

async function authenticate(req: FastifyRequest, reply: FastifyReply, opts: AccessControlOptions): Promise<Principal | undefined> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!opts.adminToken) {
      throw new AppError('auth.required', 'This server has no admin token (PARLEY_ADMIN_TOKEN); sign in instead.');
    }
    if (!token || !safeEqual(token, opts.adminToken)) {
      throw new AppError('auth.required', 'A valid admin token is required (Authorization: Bearer …).');
    }
    return { kind: 'token', roles: ['admin'] };
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!cookie) {
    return undefined;
  }
  const principal = await opts.auth.authenticate(cookie);
  if (!principal) {
    // Signed out, timed out or disabled: drop the cookie and say why, so the web app can send the person to sign in.
    void reply.header('set-cookie', clearedSessionCookie({ secure: opts.isSecure(req) }));
    throw new AppError('auth.required', 'Your session has ended (signed out, timed out, or the account was disabled). Sign in again.', { reason: 'session_ended' });
  }
  return principal;
}

async function auditDenied(req: FastifyRequest, opts: AccessControlOptions, reason: string): Promise<void> {
  const who = auditOf(req);
  await opts.db.transaction((tx) =>
    appendAudit(tx, [
      {
        workspaceId: opts.workspaceId,
        ...who,
        action: 'auth.access_denied',
        outcome: 'denied',
        object: { type: 'route', id: `${req.method} ${req.routeOptions.url ?? ''}` },
        reason,
      },
    ]),
  );
}
