/**
 * Staff accounts: create, list, change name, roles or password, disable. Every change is audited in its own
 * transaction (`user.created`, `user.roles_changed`, `user.disabled`, …; AUD-01 "roles and permissions"); e-mail
 * addresses and names go into the trail only as keyed hashes (AUD-07). The installation always keeps one active admin.
 */
import { sql } from 'drizzle-orm';
import { type AuditContext, type AuditEntryInput, appendAudit } from '../audit/index.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { generatePassword, hashPassword } from './password.js';
import { deleteOtherSessions, deleteUserSessions, listUserSessions, type SessionTimeouts, type SessionView } from './session.store.js';
import { type CreateUserBody, normaliseEmail, type Role, type UpdateUserBody, type UserView } from './users.schemas.js';
import { countOtherActiveAdmins, findUserByEmail, findUserById, insertUser, listUserRows, lockUser, updateUserRow, type UserRow } from './users.store.js';

export interface UserServiceDeps {
  db: Db;
  /** The workspace whose audit chain records staff changes (the default workspace). */
  workspaceId: string;
  /** HMAC under the installation's secret key (SecretBox.keyedHash). */
  keyedHash: (value: string) => string;
  /** The sessions' timeouts (config SESSION_IDLE_MINUTES, SESSION_MAX_HOURS): which sessions are live. */
  timeouts?: SessionTimeouts;
}

/** The configuration's defaults, for callers that never list sessions (the CLI, the demo's account setup). */
const DEFAULT_TIMEOUTS: SessionTimeouts = { idleMinutes: 30, maxHours: 12 };

export interface UserService {
  listUsers(): Promise<UserView[]>;
  /** `ref`: the user's id or e-mail address. Throws `user.not_found`. */
  getUser(ref: string): Promise<UserView>;
  /** Creates an account; `password` in the result only when one was generated (show it once). Throws `user.email_taken`. */
  createUser(input: CreateUserBody, audit: AuditContext): Promise<{ user: UserView; password?: string }>;
  updateUser(ref: string, change: UpdateUserBody, audit: AuditContext): Promise<UserView>;
  /** Sets (or generates) a password and ends the user's sessions; `password` in the result only when generated. */
  setPassword(ref: string, password: string | undefined, audit: AuditContext): Promise<{ user: UserView; password?: string }>;
  /** The user's live sessions (SEC-07); `currentTokenHash` marks the caller's own. */
  listSessions(ref: string, currentTokenHash?: string): Promise<SessionView[]>;
  /**
   * Ends the user's sessions on every server (SEC-07: admins can terminate sessions), audited as
   * `user.sessions_ended`; `keepTokenHash` spares one (an admin ending their own other devices stays signed in here).
   */
  endSessions(ref: string, audit: AuditContext, keepTokenHash?: string): Promise<{ ended: number }>;
}

/** @example const users = createUserService({ db, workspaceId, keyedHash: (v) => secretBox.keyedHash(v) }); */
export function createUserService(deps: UserServiceDeps): UserService {
  const { db, workspaceId } = deps;
  const entry = (audit: AuditContext, action: string, user: UserRow, rest: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
    workspaceId,
    actor: audit.actor,
    source: audit.source,
    correlationId: audit.correlationId,
    action,
    object: { type: 'user', id: user.id },
    ...rest,
  });

  return {
    async listUsers() {
      return (await listUserRows(db)).map(toView);
    },

    async getUser(ref) {
      return toView(await resolve(db, ref));
    },

    async createUser(input, audit) {
      const generated = input.password === undefined ? generatePassword() : undefined;
      const passwordHash = await hashPassword(input.password ?? (generated as string));
      const user = await db.transaction(async (tx) => {
        const row = await insertUser(tx, { email: normaliseEmail(input.email), name: input.name, roles: input.roles, passwordHash });
        if (!row) {
          throw new AppError('user.email_taken', `There is already a user with the e-mail address ${normaliseEmail(input.email)}.`);
        }
        await appendAudit(tx, [entry(audit, 'user.created', row, { after: { emailHash: deps.keyedHash(row.email), roles: row.roles } })]);
        return row;
      });
      return { user: toView(user), ...(generated ? { password: generated } : {}) };
    },

    async updateUser(ref, change, audit) {
      return db.transaction(async (tx) => {
        await lockAdmins(tx);
        const found = await resolve(tx, ref);
        const before = (await lockUser(tx, found.id)) as UserRow;
        const losesAdmin = (change.roles !== undefined && !change.roles.includes('admin')) || change.disabled === true;
        if (losesAdmin && before.roles.includes('admin') && !before.disabled && (await countOtherActiveAdmins(tx, before.id)) === 0) {
          throw new AppError('user.last_admin', 'This is the last active admin: make someone else admin first.');
        }
        const after = await updateUserRow(tx, before.id, change);
        const entries: AuditEntryInput[] = [];
        if (change.roles !== undefined && !sameRoles(before.roles, after.roles)) {
          entries.push(entry(audit, 'user.roles_changed', after, { before: { roles: before.roles }, after: { roles: after.roles } }));
        }
        if (change.disabled !== undefined && change.disabled !== before.disabled) {
          // SEC-07: every session of a disabled user ends now, on every server.
          const ended = change.disabled ? await deleteUserSessions(tx, after.id) : 0;
          entries.push(entry(audit, change.disabled ? 'user.disabled' : 'user.enabled', after, change.disabled ? { after: { sessionsEnded: ended } } : {}));
        }
        if (change.name !== undefined && change.name !== before.name) {
          entries.push(entry(audit, 'user.renamed', after, { after: { nameHash: deps.keyedHash(after.name) } }));
        }
        await appendAudit(tx, entries);
        return toView(after);
      });
    },

    async setPassword(ref, password, audit) {
      const generated = password === undefined ? generatePassword() : undefined;
      const passwordHash = await hashPassword(password ?? (generated as string));
      const user = await db.transaction(async (tx) => {
        const found = await resolve(tx, ref);
        const row = await updateUserRow(tx, found.id, { passwordHash });
        const ended = await deleteUserSessions(tx, row.id);
        await appendAudit(tx, [entry(audit, 'user.password_set', row, { after: { generated: generated !== undefined, sessionsEnded: ended } })]);
        return row;
      });
      return { user: toView(user), ...(generated ? { password: generated } : {}) };
    },

    async listSessions(ref, currentTokenHash) {
      const user = await resolve(db, ref);
      return listUserSessions(db, user.id, deps.timeouts ?? DEFAULT_TIMEOUTS, currentTokenHash);
    },

    async endSessions(ref, audit, keepTokenHash) {
      return db.transaction(async (tx) => {
        const user = await resolve(tx, ref);
        const ended = keepTokenHash ? await deleteOtherSessions(tx, user.id, keepTokenHash) : await deleteUserSessions(tx, user.id);
        await appendAudit(tx, [entry(audit, 'user.sessions_ended', user, { after: { sessionsEnded: ended, keptCurrent: keepTokenHash !== undefined } })]);
        return { ended };
      });
    },
  };
}

/** The API's view of a row: everything but the hash. */
export function toView(row: UserRow): UserView {
  const { passwordHash: _hash, ...view } = row;
  return view;
}

async function resolve(ex: Executor, ref: string): Promise<UserRow> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const row = isId ? await findUserById(ex, ref) : await findUserByEmail(ex, normaliseEmail(ref));
  if (!row) {
    throw new AppError('user.not_found', `There is no user ${ref}.`);
  }
  return row;
}

/** Serialises changes that could remove the last admin (two admins disabling each other at once). */
async function lockAdmins(ex: Executor): Promise<void> {
  await ex.execute(sql`select pg_advisory_xact_lock(hashtext('parley.users.admins'))`);
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}
