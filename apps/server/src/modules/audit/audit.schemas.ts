/**
 * The shape of an audit entry (AUD-02) and the one function that decides what of it the chain hash covers.
 * Pure: no I/O, so the store, `verify` and a third party holding an export compute the same hash.
 */
import { canonicalJson, sha256Hex } from '../../platform/canonical.js';

export type AuditActorKind = 'user' | 'cli' | 'api' | 'system' | 'contact';
export type AuditOutcome = 'success' | 'failure' | 'denied';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Who did it: a user (id + role), a machine caller, or a service acting on behalf of someone. */
export interface AuditActor {
  kind: AuditActorKind;
  id?: string;
  role?: string;
  onBehalfOf?: string;
}

/** Where the request came from; `channel` is the messaging channel or the client (`cli`, `admin-api`). */
export interface AuditSource {
  ip?: string;
  userAgent?: string;
  channel?: string;
}

/** Who acts and from where: what a use case passes down so its audit entries are attributable. */
export interface AuditContext {
  actor: AuditActor;
  source?: AuditSource;
  correlationId?: string;
}

/** The context of work Parley does on its own (demo seeding, jobs). */
export const SYSTEM_AUDIT: AuditContext = { actor: { kind: 'system' } };

/**
 * One thing to record. `before`/`after` hold ids, versions, content hashes and non-sensitive settings — never
 * message bodies, tokens or secrets; sensitive strings go in as keyed hashes (`SecretBox.keyedHash`, AUD-07).
 *
 * @example { workspaceId, actor: { kind: 'cli', id: 'alice' }, action: 'channel.created', object: { type: 'channel', id } }
 */
export interface AuditEntryInput {
  workspaceId: string;
  actor: AuditActor;
  /** `noun.past_tense` (`flow_version.published`, `send.decided`, `audit.exported`). */
  action: string;
  object?: { type: string; id?: string; version?: string | number };
  before?: unknown;
  after?: unknown;
  reason?: string;
  source?: AuditSource;
  correlationId?: string;
  /** Default `success`. */
  outcome?: AuditOutcome;
}

/** A stored entry: flat, JSON-safe, exactly what the hash covers plus `prevHash` and `hash`. */
export interface AuditEntry {
  id: string;
  workspaceId: string;
  seq: number;
  /** UTC, ISO 8601 with milliseconds. */
  at: string;
  actorKind: AuditActorKind;
  actorId: string | null;
  actorRole: string | null;
  onBehalfOf: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  objectVersion: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  reason: string | null;
  sourceIp: string | null;
  sourceUserAgent: string | null;
  sourceChannel: string | null;
  correlationId: string | null;
  outcome: AuditOutcome;
  prevHash: string;
  hash: string;
}

/** The `prev_hash` of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an entry in a fixed list: the hash covers all of them (and nothing else but `prevHash`). */
export const AUDIT_FIELDS = [
  'id', 'workspaceId', 'seq', 'at', 'actorKind', 'actorId', 'actorRole', 'onBehalfOf', 'action', 'objectType', 'objectId',
  'objectVersion', 'before', 'after', 'reason', 'sourceIp', 'sourceUserAgent', 'sourceChannel', 'correlationId', 'outcome',
] as const satisfies ReadonlyArray<keyof AuditEntry>;

/**
 * `sha256(prev_hash ‖ canonical_json(entry))` over the fields of AUDIT_FIELDS (AUD-04). Hex, lower case.
 *
 * @example computeEntryHash(GENESIS_HASH, entry) === entry.hash // for the first entry of a sound chain
 */
export function computeEntryHash(prevHash: string, entry: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  const covered = Object.fromEntries(AUDIT_FIELDS.map((f) => [f, entry[f]]));
  return sha256Hex(prevHash + canonicalJson(covered));
}

/**
 * A value as the database will give it back from `jsonb`: undefined dropped, dates as strings, key order
 * irrelevant (canonical JSON sorts). Hashing this form keeps the stored and the recomputed hash equal.
 */
export function toJsonValue(value: unknown): JsonValue | null {
  if (value === undefined) {
    return null;
  }
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/**
 * Control characters (newlines, escapes) in free-text fields are replaced, so an entry rendered as a line of a log
 * or a terminal cannot forge another one (AUD-07: encoded against log injection).
 */
export function toSafeText(value: string | number | undefined): string | null {
  if (value === undefined) {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
}

/** What `parley audit export` and `GET /api/admin/audit/export` take, as text from argv or a query string. */
export interface AuditExportOptions {
  format: 'jsonl' | 'csv';
  since?: Date;
  until?: Date;
  actionPrefix?: string;
}

/**
 * Checks export options; the message of the first problem is the error (`audit.invalid_options`), so the CLI and
 * the API say the same thing.
 *
 * @example parseAuditExportOptions({ format: 'csv', since: '2026-01-01' }) // { format: 'csv', since: Date }
 */
export function parseAuditExportOptions(raw: { format?: string; since?: string; until?: string; action?: string }): { ok: true; options: AuditExportOptions } | { ok: false; message: string } {
  if (raw.format !== 'jsonl' && raw.format !== 'csv') {
    return { ok: false, message: raw.format === undefined ? '--format is required: jsonl or csv' : `unknown format "${raw.format}" (jsonl, csv)` };
  }
  const options: AuditExportOptions = { format: raw.format };
  for (const key of ['since', 'until'] as const) {
    const text = raw[key];
    if (text === undefined) {
      continue;
    }
    const date = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(text) ? new Date(text) : undefined;
    if (!date || Number.isNaN(date.getTime())) {
      return { ok: false, message: `--${key} takes an ISO 8601 date or time (2026-03-01, or 2026-03-01T12:00:00Z with a zone), not "${text}"` };
    }
    options[key] = date;
  }
  if (options.since && options.until && options.since >= options.until) {
    return { ok: false, message: '--since must be before --until' };
  }
  if (raw.action !== undefined) {
    if (!/^[a-z0-9_.]{1,100}$/.test(raw.action)) {
      return { ok: false, message: `--action takes an action prefix such as "flow_version." or "channel", not "${raw.action}"` };
    }
    options.actionPrefix = raw.action;
  }
  return { ok: true, options };
}
