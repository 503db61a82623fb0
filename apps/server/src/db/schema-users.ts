/**
 * Staff accounts, their sessions and the login attempts that rate-limit sign-ins (issue #5 item 1; SEC-05, SEC-07,
 * SEC-08). Part of schema.ts (re-exported there). Users belong to the installation, not to one workspace: one person
 * signs in once, whatever workspace they work in (workspace membership comes with more than one workspace).
 */
import { sql } from 'drizzle-orm';
import { bigserial, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';

export const users = pgTable(
  'users',
  {
    id: id(),
    /** Lower case, trimmed; unique across the installation. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** Role names (users.schemas.ts ROLES); at least one. */
    roles: text('roles').array().notNull(),
    /** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the hash so they can be raised later. Null: no password set. */
    passwordHash: text('password_hash'),
    /** Set when the person was disabled or left: no sign-in, every session ended. */
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

/**
 * A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy of the database
 * signs nobody in. Both timeouts are checked on every request against the database clock.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** What a state-changing request must send as `x-csrf-token` (checked against this server-side value). */
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    /** Moved forward at most once a minute; the inactivity timeout counts from here. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** The absolute timeout: created_at + SESSION_MAX_HOURS. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * One row per sign-in attempt that is under way or failed, per key (`account:<keyed hash of the e-mail>` and
 * `ip:<address>`). Counting them in PostgreSQL makes the limit hold across every server process.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index('login_attempts_key_at_idx').on(t.key, t.at), index('login_attempts_at_idx').on(t.at)],
);
