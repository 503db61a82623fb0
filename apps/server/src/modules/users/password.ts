/**
 * Password hashing with scrypt (node:crypto). The stored form carries its own parameters and salt,
 * `scrypt$N$r$p$<salt b64>$<hash b64>`, so the cost can be raised later without invalidating old hashes.
 */
import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * OWASP's scrypt profile N=2^15, r=8, p=3 (Password Storage Cheat Sheet): about 170 ms and 32 MiB per hash on the
 * 2-core reference machine — slow for a guesser, bearable for a sign-in.
 */
export const DEFAULT_SCRYPT = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export type ScryptParams = { N: number; r: number; p: number };

/**
 * Hashes a password with a fresh random salt.
 * @example const stored = await hashPassword('correct horse battery'); // 'scrypt$32768$8$3$…$…'
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, KEY_LENGTH, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/**
 * Checks a password against a stored hash in constant time. A malformed stored value is a mismatch, never a throw.
 * @example await verifyPassword('correct horse battery', stored) // true
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) {
    return false;
  }
  const actual = await derive(password, parsed.salt, parsed.hash.length, parsed.params);
  return timingSafeEqual(actual, parsed.hash);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, for sign-ins with an unknown e-mail address or an account
 * without a password: the answer time must not tell which addresses have accounts.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}

/**
 * A random password for a new account or a reset: 20 characters from an alphabet without look-alikes (about 116 bits).
 * @example generatePassword() // 'k7Qm-…'
 */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  // Rejection sampling: only bytes below a multiple of the alphabet's length, so every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  for (const byte of randomBytes(40)) {
    if (byte < limit && out.length < 20) {
      out += alphabet[byte % alphabet.length];
    }
  }
  return out.length === 20 ? out : generatePassword();
}

function derive(password: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128 · N · r · p bytes; node's default limit (32 MiB) is just below what our profile uses.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r * params.p };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function parseStored(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) {
    return undefined;
  }
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const valid = Number.isInteger(params.N) && params.N > 1 && (params.N & (params.N - 1)) === 0 && params.N <= 2 ** 20 && params.r >= 1 && params.r <= 32 && params.p >= 1 && params.p <= 16;
  return valid ? { params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') } : undefined;
}
