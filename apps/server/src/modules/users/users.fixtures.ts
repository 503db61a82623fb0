/**
 * Test factories for staff accounts and sessions: a user per call with its own e-mail address, and requests made
 * as that user through `app.inject` (cookie and CSRF header filled in).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Deps } from '../../deps.js';
import { SYSTEM_AUDIT } from '../audit/index.js';
import { type AuthService, createAuthService } from './auth.service.js';
import { SESSION_COOKIE } from './session-cookie.js';
import type { Role, UserView } from './users.schemas.js';
import { createUserService, type UserService } from './users.service.js';

export type StaffSession = { token: string; csrfToken: string };

export interface StaffKit {
  users: UserService;
  auth: AuthService;
  /** A new user with these roles and a known password. */
  createStaff(roles: Role[], opts?: { password?: string; email?: string }): Promise<{ user: UserView; email: string; password: string }>;
  /** A request with the session cookie (and, unless `csrf: false`, the CSRF header). */
  injectAs(session: StaffSession, opts: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse>;
}

export function createStaffKit(deps: Deps, app: FastifyInstance): StaffKit {
  const keyedHash = (v: string) => deps.secretBox.keyedHash(v);
  const users = createUserService({ db: deps.database.db, workspaceId: deps.workspace.id, keyedHash });
  const auth = createAuthService({
    db: deps.database.db,
    workspaceId: deps.workspace.id,
    keyedHash,
    timeouts: { idleMinutes: deps.config.sessionIdleMinutes, maxHours: deps.config.sessionMaxHours },
  });
  return {
    users,
    auth,
    async createStaff(roles, opts = {}) {
      const email = opts.email ?? `staff-${randomBytes(4).toString('hex')}@example.org`;
      const password = opts.password ?? `pw-${randomBytes(9).toString('base64url')}`;
      const { user } = await users.createUser({ email, name: `Staff ${roles.join('+')}`, roles, password }, SYSTEM_AUDIT);
      return { user, email, password };
    },
    injectAs(session, { csrf = true, headers, ...opts }) {
      return app.inject({
        ...opts,
        headers: { ...headers, cookie: `${SESSION_COOKIE}=${session.token}`, ...(csrf ? { 'x-csrf-token': session.csrfToken } : {}) },
      } as InjectOptions);
    },
  };
}
