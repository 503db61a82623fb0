import { randomBytes, randomInt } from 'node:crypto';

/**
 * A wamid: `wamid.` + a base64 token. Real ids are base64 of a small binary structure that embeds
 * the user's number; we mimic that shape so ids look and sort like the real thing (§1.5).
 */
export function createWamid(waId: string): string {
  const token = Buffer.concat([
    Buffer.from([0x18, waId.length & 0xff]),
    Buffer.from(waId, 'ascii'),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
    Buffer.from(randomBytes(9).toString('hex').toUpperCase(), 'ascii'),
    Buffer.from([0x00]),
  ]);
  return `wamid.${token.toString('base64')}`;
}

/** A numeric Graph object id (media, template) as a string without a leading zero. */
export function createNumericId(length = 16): string {
  let id = String(randomInt(1, 10));
  while (id.length < length) {
    id += String(randomInt(0, 10));
  }
  return id;
}

/** An opaque `fbtrace_id` like the ones on real Graph error responses (§2.11). */
export function createFbTraceId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

/** A random numeric challenge for the §1.1 verification handshake. */
export function createChallenge(): string {
  return String(randomInt(1_000_000_000, 2_000_000_000));
}
