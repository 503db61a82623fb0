/**
 * Sign-in, sessions and sign-out (SEC-07, SEC-08). A session is a random token in an httpOnly cookie; the database
 * keeps only its SHA-256 with an inactivity and an absolute timeout. Failed sign-ins are counted per account and
 * per address in PostgreSQL (so the limit holds across processes) and every attempt is audited with its address —
 * never the password. Wrong e-mail and wrong password get the same answer in about the same time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type AuditEntryInput, appendAudit } from '../audit/index.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { Principal } from './access.policy.js';
import { verifyDummyPassword, verifyPassword } from './password.js';
import {
  clearAttempts,
  deleteAttempts,
  deleteSession,
  findLiveSession,
  insertSession,
  purgeDeadSessions,
  reserveAttempts,
  secondsUntilBelow,
  type SessionTimeouts,
  touchSession,
} from './session.store.js';
import { normaliseEmail, type UserView } from './users.schemas.js';
import { findUserByEmail } from './users.store.js';
import { toView } from './users.service.js';

/** Sign-in limits (SEC-08; documented in docs/users-and-roles.md). */
export const LOGIN_LIMITS = { perAccount: 5, perAddress: 20, windowMinutes: 15 } as const;

/** What every failed sign-in says, whatever failed (no user enumeration). */
export const INVALID_CREDENTIALS = 'Wrong e-mail or password.';

export interface AuthServiceDeps {
  db: Db;
  /** The workspace whose audit chain records sign-ins (the default workspace). */
  workspaceId: string;
  keyedHash: (value: string) => string;
  timeouts: SessionTimeouts;
}

/** Where a request came from, for the audit trail and the per-address limit. */
export type RequestOrigin = { ip: string; userAgent: string | undefined; correlationId: string | undefined };

export type SignedIn = { token: string; csrfToken: string; expiresAt: string; user: UserView };

export interface AuthService {
  /** Throws `auth.invalid_credentials` (401) or `auth.rate_limited` (429, `details.retryAfterSeconds`). */
  login(email: string, password: string, origin: RequestOrigin): Promise<SignedIn>;
  /** The principal of a live session token, or undefined; moves the inactivity clock forward. */
  authenticate(token: string): Promise<Extract<Principal, { kind: 'user' }> | undefined>;
  /**
   * The roles of a live session (by its token hash), or undefined once it ended — without counting as activity:
   * an open realtime feed re-checks with this, and must not keep an unattended session alive.
   */
  findSessionRoles(tokenHash: string): Promise<Principal['roles'] | undefined>;
  /** Ends the session server-side (a copied cookie is worthless afterwards). */
  logout(principal: Extract<Principal, { kind: 'user' }>, origin: RequestOrigin): Promise<void>;
  /** A session for a user without a password check: tests and tools only, never an HTTP route. */
  createSession(userId: string, origin?: Partial<RequestOrigin>): Promise<{ token: string; csrfToken: string }>;
}

/** SHA-256 (hex) of a session token: what the database stores and looks up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function createAuthService(deps: AuthServiceDeps): AuthService {
  const { db, workspaceId, timeouts } = deps;
  const audited = (origin: RequestOrigin, e: Omit<AuditEntryInput, 'workspaceId' | 'source' | 'correlationId'>): AuditEntryInput => ({
    workspaceId,
    source: { ip: origin.ip, userAgent: origin.userAgent, channel: 'web' },
    correlationId: origin.correlationId,
    ...e,
  });

  const newSession = async (ex: Executor, userId: string, origin: Partial<RequestOrigin>) => {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const { expiresAt } = await insertSession(ex, { tokenHash: hashToken(token), csrfToken, userId, ip: origin.ip, userAgent: origin.userAgent, maxHours: timeouts.maxHours });
    return { token, csrfToken, expiresAt };
  };

  return {
    async login(rawEmail, password, origin) {
      const email = normaliseEmail(rawEmail);
      const emailHash = deps.keyedHash(email);
      const accountKey = `account:${emailHash}`;
      const addressKey = `ip:${origin.ip}`;
      const { ids, counts } = await reserveAttempts(db, [accountKey, addressKey], LOGIN_LIMITS.windowMinutes);
      const over = (counts.get(accountKey) ?? 0) > LOGIN_LIMITS.perAccount ? accountKey : (counts.get(addressKey) ?? 0) > LOGIN_LIMITS.perAddress ? addressKey : undefined;
      if (over) {
        // Refused before the password is looked at: a correct guess while locked out tells nothing.
        await deleteAttempts(db, ids);
        const retryAfterSeconds = await secondsUntilBelow(db, over, over === accountKey ? LOGIN_LIMITS.perAccount : LOGIN_LIMITS.perAddress, LOGIN_LIMITS.windowMinutes);
        await db.transaction((tx) =>
          appendAudit(tx, [audited(origin, { actor: { kind: 'user' }, action: 'auth.login_failed', outcome: 'denied', reason: over === accountKey ? 'rate_limited_account' : 'rate_limited_address', after: { emailHash } })]),
        );
        throw new AppError('auth.rate_limited', `Too many sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, { retryAfterSeconds });
      }
      const user = await findUserByEmail(db, email);
      const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await verifyDummyPassword(password);
      if (!user || !ok || user.disabled) {
        // The slots stay as failures. The trail names the account when there is one, else a keyed hash of what was typed.
        const reason = !user ? 'unknown_email' : !ok ? 'wrong_password' : 'disabled';
        await db.transaction((tx) =>
          appendAudit(tx, [audited(origin, { actor: { kind: 'user', id: user?.id }, action: 'auth.login_failed', outcome: 'failure', reason, object: { type: 'user', id: user?.id }, after: { emailHash } })]),
        );
        throw new AppError('auth.invalid_credentials', INVALID_CREDENTIALS);
      }
      return db.transaction(async (tx) => {
        await clearAttempts(tx, accountKey, LOGIN_LIMITS.windowMinutes);
        await deleteAttempts(tx, ids);
        await purgeDeadSessions(tx, timeouts);
        const session = await newSession(tx, user.id, origin);
        await appendAudit(tx, [audited(origin, { actor: { kind: 'user', id: user.id, role: user.roles.join(',') }, action: 'auth.login', object: { type: 'user', id: user.id } })]);
        return { ...session, user: toView(user) };
      });
    },

    async authenticate(token) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
        return undefined;
      }
      const tokenHash = hashToken(token);
      const row = await findLiveSession(db, tokenHash, timeouts);
      if (!row) {
        return undefined;
      }
      // One write a minute per session at most: the inactivity timeout needs no finer clock.
      if (row.idleSeconds >= 60) {
        await touchSession(db, tokenHash);
      }
      return { kind: 'user', userId: row.userId, email: row.email, name: row.name, roles: row.roles, session: { tokenHash, csrfToken: row.csrfToken } };
    },

    async findSessionRoles(tokenHash) {
      return (await findLiveSession(db, tokenHash, timeouts))?.roles;
    },

    async logout(principal, origin) {
      await db.transaction(async (tx) => {
        await deleteSession(tx, principal.session.tokenHash);
        await appendAudit(tx, [audited(origin, { actor: { kind: 'user', id: principal.userId, role: principal.roles.join(',') }, action: 'auth.logout', object: { type: 'user', id: principal.userId } })]);
      });
    },

    async createSession(userId, origin = {}) {
      const { token, csrfToken } = await newSession(db, userId, origin);
      return { token, csrfToken };
    },
  };
}
