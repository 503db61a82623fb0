/** All SQL on `users`. Takes `db` or a transaction. */
import { sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';
import { isRole, type Role, type UserView } from './users.schemas.js';

/** A user row with the password hash (never leaves the module). */
export type UserRow = UserView & { passwordHash: string | null };

const COLUMNS = sql`id, email, name, roles, password_hash as "passwordHash", disabled_at is not null as disabled,
  password_hash is not null as "hasPassword",
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
  to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt"`;

type RawRow = Omit<UserRow, 'roles'> & { roles: string[] | string };

export async function findUserByEmail(ex: Executor, email: string): Promise<UserRow | undefined> {
  return toRow((await query<RawRow>(ex, sql`select ${COLUMNS} from users where email = ${email}`))[0]);
}

export async function findUserById(ex: Executor, id: string): Promise<UserRow | undefined> {
  return toRow((await query<RawRow>(ex, sql`select ${COLUMNS} from users where id = ${id}`))[0]);
}

/** Locks the row for the rest of the transaction (role changes, disabling). */
export async function lockUser(ex: Executor, id: string): Promise<UserRow | undefined> {
  return toRow((await query<RawRow>(ex, sql`select ${COLUMNS} from users where id = ${id} for update`))[0]);
}

export async function listUserRows(ex: Executor): Promise<UserRow[]> {
  return (await query<RawRow>(ex, sql`select ${COLUMNS} from users order by email`)).map((r) => toRow(r) as UserRow);
}

/** Inserts a user; `undefined` when the e-mail address is taken. */
export async function insertUser(ex: Executor, user: { email: string; name: string; roles: Role[]; passwordHash: string }): Promise<UserRow | undefined> {
  const rows = await query<RawRow>(
    ex,
    sql`insert into users (email, name, roles, password_hash) values (${user.email}, ${user.name}, ${toPgArray(user.roles)}::text[], ${user.passwordHash})
        on conflict (email) do nothing returning ${COLUMNS}`,
  );
  return toRow(rows[0]);
}

export async function updateUserRow(ex: Executor, id: string, change: { name?: string; roles?: Role[]; disabled?: boolean; passwordHash?: string }): Promise<UserRow> {
  const sets = [sql`updated_at = now()`];
  if (change.name !== undefined) {
    sets.push(sql`name = ${change.name}`);
  }
  if (change.roles !== undefined) {
    sets.push(sql`roles = ${toPgArray(change.roles)}::text[]`);
  }
  if (change.disabled !== undefined) {
    sets.push(change.disabled ? sql`disabled_at = coalesce(disabled_at, now())` : sql`disabled_at = null`);
  }
  if (change.passwordHash !== undefined) {
    sets.push(sql`password_hash = ${change.passwordHash}`);
  }
  const rows = await query<RawRow>(ex, sql`update users set ${sql.join(sets, sql`, `)} where id = ${id} returning ${COLUMNS}`);
  return toRow(rows[0]) as UserRow;
}

/** Active (not disabled) admins other than `exceptId`: a change must never leave the installation without one. */
export async function countOtherActiveAdmins(ex: Executor, exceptId: string): Promise<number> {
  const [row] = await query<{ n: number }>(ex, sql`select count(*)::int as n from users where 'admin' = any(roles) and disabled_at is null and id <> ${exceptId}`);
  return row?.n ?? 0;
}

function toRow(raw: RawRow | undefined): UserRow | undefined {
  if (!raw) {
    return undefined;
  }
  // node-postgres parses text[] into an array; PGlite does too, but be lenient with the literal form.
  const list = Array.isArray(raw.roles) ? raw.roles : raw.roles.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
  return { ...raw, roles: list.filter(isRole) };
}
