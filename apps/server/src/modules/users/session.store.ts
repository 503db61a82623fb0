/**
 * All SQL on `sessions` and `login_attempts`. Times come from the database clock, so every server process agrees on
 * when a session expired and how many attempts fall into the window.
 */
import { sql } from 'drizzle-orm';
import { countAffected, type Executor, query, toPgArray } from '../../platform/db.js';
import { isRole, type Role } from './users.schemas.js';

export type SessionTimeouts = { idleMinutes: number; maxHours: number };

export type SessionRow = {
  tokenHash: string;
  csrfToken: string;
  userId: string;
  email: string;
  name: string;
  roles: Role[];
  /** Seconds since the session was last seen (it is moved forward at most once a minute). */
  idleSeconds: number;
};

export async function insertSession(
  ex: Executor,
  s: { tokenHash: string; csrfToken: string; userId: string; ip: string | undefined; userAgent: string | undefined; maxHours: number },
): Promise<{ expiresAt: string }> {
  const [row] = await query<{ expiresAt: string }>(
    ex,
    sql`insert into sessions (token_hash, csrf_token, user_id, ip, user_agent, expires_at)
        values (${s.tokenHash}, ${s.csrfToken}, ${s.userId}, ${s.ip ?? null}, ${s.userAgent?.slice(0, 500) ?? null}, now() + make_interval(hours => ${s.maxHours}))
        returning to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "expiresAt"`,
  );
  return row as { expiresAt: string };
}

/**
 * The live session for a token hash with its user, or undefined when it does not exist, passed its absolute or
 * inactivity timeout, or its user is disabled.
 */
export async function findLiveSession(ex: Executor, tokenHash: string, t: SessionTimeouts): Promise<SessionRow | undefined> {
  const [row] = await query<Omit<SessionRow, 'roles'> & { roles: string[] }>(
    ex,
    sql`select s.token_hash as "tokenHash", s.csrf_token as "csrfToken", u.id as "userId", u.email, u.name, u.roles,
               extract(epoch from now() - s.last_seen_at)::int as "idleSeconds"
        from sessions s join users u on u.id = s.user_id
        where s.token_hash = ${tokenHash} and s.expires_at > now() and s.last_seen_at > now() - make_interval(mins => ${t.idleMinutes})
          and u.disabled_at is null`,
  );
  return row ? { ...row, roles: row.roles.filter(isRole) } : undefined;
}

export async function touchSession(ex: Executor, tokenHash: string): Promise<void> {
  await ex.execute(sql`update sessions set last_seen_at = now() where token_hash = ${tokenHash}`);
}

/** Deletes one session; returns its user when it existed. */
export async function deleteSession(ex: Executor, tokenHash: string): Promise<string | undefined> {
  const rows = await query<{ userId: string }>(ex, sql`delete from sessions where token_hash = ${tokenHash} returning user_id as "userId"`);
  return rows[0]?.userId;
}

/** Ends every session of a user (disabled, password changed); returns how many. */
export async function deleteUserSessions(ex: Executor, userId: string): Promise<number> {
  return countAffected(ex, sql`delete from sessions where user_id = ${userId}`);
}

/** A live session as an admin sees it (SEC-07): when it started and was last used, from where. */
export type SessionView = { startedAt: string; lastSeenAt: string; expiresAt: string; ip: string | null; userAgent: string | null; current: boolean };

/** A user's live sessions (within both timeouts), newest use first; `current` marks the one with `currentTokenHash`. */
export async function listUserSessions(ex: Executor, userId: string, t: SessionTimeouts, currentTokenHash?: string): Promise<SessionView[]> {
  const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  return query<SessionView>(
    ex,
    sql`select ${iso('created_at')} as "startedAt", ${iso('last_seen_at')} as "lastSeenAt", ${iso('expires_at')} as "expiresAt", ip, user_agent as "userAgent",
               token_hash = ${currentTokenHash ?? ''} as current
        from sessions where user_id = ${userId} and expires_at > now() and last_seen_at > now() - make_interval(mins => ${t.idleMinutes})
        order by last_seen_at desc, created_at desc`,
  );
}

/** Ends a user's sessions but the one with `keepTokenHash` (the admin's own, when they end their other devices). */
export async function deleteOtherSessions(ex: Executor, userId: string, keepTokenHash: string): Promise<number> {
  return countAffected(ex, sql`delete from sessions where user_id = ${userId} and token_hash <> ${keepTokenHash}`);
}

/** Sessions past either timeout are useless: removed whenever someone signs in. */
export async function purgeDeadSessions(ex: Executor, t: SessionTimeouts): Promise<void> {
  await ex.execute(sql`delete from sessions where expires_at <= now() or last_seen_at <= now() - make_interval(mins => ${t.idleMinutes})`);
}

/**
 * Takes a slot for a sign-in attempt under each key and returns the slots' ids with, per key, how many attempts
 * (this one included) fall into the window. Counting after inserting makes concurrent attempts on several
 * processes see each other: a burst can be refused too eagerly, never let through.
 */
export async function reserveAttempts(ex: Executor, keys: string[], windowMinutes: number): Promise<{ ids: number[]; counts: Map<string, number> }> {
  const inserted = await query<{ id: string }>(ex, sql`insert into login_attempts (key) select unnest(${toPgArray(keys)}::text[]) returning id::text as id`);
  const counts = await query<{ key: string; n: number }>(
    ex,
    sql`select key, count(*)::int as n from login_attempts
        where key = any(${toPgArray(keys)}::text[]) and at > clock_timestamp() - make_interval(mins => ${windowMinutes}) group by key`,
  );
  return { ids: inserted.map((r) => Number(r.id)), counts: new Map(counts.map((c) => [c.key, c.n])) };
}

export async function deleteAttempts(ex: Executor, ids: number[]): Promise<void> {
  await ex.execute(sql`delete from login_attempts where id = any(${toPgArray(ids)}::bigint[])`);
}

/** A successful sign-in forgives the account's failures (not the address's). Also drops rows past every window. */
export async function clearAttempts(ex: Executor, key: string, windowMinutes: number): Promise<void> {
  await ex.execute(sql`delete from login_attempts where key = ${key} or at <= clock_timestamp() - make_interval(mins => ${windowMinutes})`);
}

/**
 * Seconds until `key` is below `max` attempts in the window again: when the max-th most recent one ages out.
 */
export async function secondsUntilBelow(ex: Executor, key: string, max: number, windowMinutes: number): Promise<number> {
  const [row] = await query<{ s: number }>(
    ex,
    sql`select ceil(extract(epoch from at + make_interval(mins => ${windowMinutes}) - clock_timestamp()))::int as s from login_attempts
        where key = ${key} and at > clock_timestamp() - make_interval(mins => ${windowMinutes})
        order by at desc offset ${max - 1} limit 1`,
  );
  return Math.max(1, row?.s ?? 1);
}
