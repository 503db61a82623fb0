import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/**
 * Checks `X-Hub-Signature-256` (providers.md §1.2): HMAC-SHA256 of the raw body bytes with the app secret.
 * The body must be the bytes as received — Meta signs its \uXXXX-escaped JSON, so re-serialising breaks it.
 * Fails closed: no secret, no header, or a malformed header is a rejection. Format first, then constant time.
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string | undefined): boolean {
  if (!appSecret || typeof header !== 'string') {
    return false;
  }
  const match = SIGNATURE.exec(header.trim().toLowerCase());
  if (!match?.[1]) {
    return false;
  }
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header value Meta would send for a body; used by tests and the benchmark's load generator. */
export function signWhatsAppPayload(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
