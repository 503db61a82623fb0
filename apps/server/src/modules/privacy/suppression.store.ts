/**
 * The suppression list (GDPR-15): keyed hashes of addresses whose owner objected to direct marketing or had their
 * data erased. It survives erasure, so a later import or API call cannot re-enable the address; the send gate
 * suppresses promotional messages to it. No address is stored in clear — only `hashAddress`'s output.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';

/** Keyed hash of a value (SecretBox.keyedHash): the only way an address enters the suppression list. */
export type KeyedHash = (value: string) => string;

/**
 * One spelling per address before hashing: a phone number is its digits without `+`/`00` (WhatsApp's wa_id and
 * Twilio's `+49…` are the same person); anything else (Telegram chat ids, web chat ids) is trimmed and lower-cased.
 */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim();
  if (/^\+?[0-9 ()./-]{6,}$/.test(trimmed)) {
    return trimmed.replace(/[^0-9+]/g, '').replace(/^(\+|00)/, '');
  }
  return trimmed.toLowerCase();
}

export function hashAddress(hash: KeyedHash, address: string): string {
  return hash(`address:${normaliseAddress(address)}`);
}

/** Adds addresses to the list (already listed ones keep their first reason). Returns how many were new. */
export async function suppressAddresses(ex: Executor, workspaceId: string, hashes: string[], reason: 'objection' | 'erasure'): Promise<number> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) {
    return 0;
  }
  const rows = await query<{ id: string }>(
    ex,
    sql`insert into suppressions (workspace_id, address_hash, reason)
        select ${workspaceId}, h, ${reason} from unnest(${toPgArray(unique)}::text[]) as x(h)
        on conflict (workspace_id, address_hash) do nothing returning id`,
  );
  return rows.length;
}

/** Which of these hashes are suppressed in the workspace. */
export async function suppressedHashes(ex: Executor, workspaceId: string, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) {
    return new Set();
  }
  const rows = await query<{ h: string }>(
    ex,
    sql`select address_hash as h from suppressions where workspace_id = ${workspaceId} and address_hash = any(${toPgArray([...new Set(hashes)])}::text[])`,
  );
  return new Set(rows.map((r) => r.h));
}
