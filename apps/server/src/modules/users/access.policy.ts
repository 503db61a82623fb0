/**
 * Who may call a route (SEC-05: deny by default). Every route declares its access in its Fastify config
 * (`config: { access: … }`); http/access.ts refuses to start with a route that does not, and asks this file.
 * Pure: no I/O.
 */
import { isRole, ROLES, type Role } from './users.schemas.js';

/**
 * A route's declaration:
 * - `{ roles: [...] }` — a signed-in user holding one of these roles (or the admin token, which acts as `admin`);
 * - `'public'` — anyone, no sign-in (health checks, the login itself, the web app's files);
 * - `'webhook'` — a provider; the route authenticates the request itself (signature), fail closed;
 * - `'demo'` — the demo's phone simulator: anyone, and only while demo mode is on.
 */
export type RouteAccess = 'public' | 'webhook' | 'demo' | { roles: readonly Role[] };

/** Every role: routes any signed-in person may call (their own session, `me`). */
export const ANY_ROLE: readonly Role[] = ROLES;

/** Who is calling: a signed-in user (cookie session) or the holder of the admin token (service credential). */
export type Principal =
  | { kind: 'user'; userId: string; email: string; name: string; roles: Role[]; session: { tokenHash: string; csrfToken: string } }
  | { kind: 'token'; roles: readonly Role[] };

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; code: 'auth.required' | 'auth.forbidden'; reason: string; required: readonly Role[] };

/**
 * The decision for a route that needs roles: no principal → `auth.required`; none of the roles → `auth.forbidden`,
 * with a reason naming the roles the route needs.
 *
 * @example decideAccess({ roles: ['admin'] }, agent) // { allowed: false, code: 'auth.forbidden', reason: 'This needs the role admin; you have agent.' }
 */
export function decideAccess(access: { roles: readonly Role[] }, principal: Principal | undefined): AccessDecision {
  if (!principal) {
    return { allowed: false, code: 'auth.required', reason: 'Sign in first.', required: access.roles };
  }
  if (principal.roles.some((role) => access.roles.includes(role))) {
    return { allowed: true };
  }
  const needs = access.roles.length === 1 ? `the role ${access.roles[0]}` : `one of the roles ${access.roles.join(', ')}`;
  return { allowed: false, code: 'auth.forbidden', reason: `This needs ${needs}; you have ${principal.roles.join(', ') || 'no role'}.`, required: access.roles };
}

/**
 * Checks a declaration as written on a route; `undefined` when it is missing or not one of the forms above
 * (an empty role list, an unknown role), so the guard refuses the route at start-up.
 */
export function parseRouteAccess(value: unknown): RouteAccess | undefined {
  if (value === 'public' || value === 'webhook' || value === 'demo') {
    return value;
  }
  const roles = (value as { roles?: unknown } | undefined)?.roles;
  if (Array.isArray(roles) && roles.length > 0 && roles.every((r) => typeof r === 'string' && isRole(r))) {
    return { roles: roles as Role[] };
  }
  return undefined;
}

/** Methods that change state and so need the CSRF token when a session cookie authenticates them. */
export function isStateChanging(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}
