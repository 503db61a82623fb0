/**
 * Secrets at rest (channel tokens, app secrets) are sealed with AES-256-GCM under PARLEY_SECRET_KEY.
 * Format: `v1:<iv b64>:<tag b64>:<ciphertext b64>`; the version prefix leaves room for key rotation.
 * The same key, through HKDF, keys the hashes that stand in for personal data where the data itself must not be
 * kept (the suppression list, GDPR-15; the audit trail, AUD-07).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, hkdfSync, randomBytes, sign, timingSafeEqual, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** HMAC-SHA256 (hex) under a subkey of the secret key: equal inputs give equal hashes, nobody without the key can test a guess. */
  keyedHash(value: string): string;
  /** The installation's Ed25519 signing key (derived from the secret key), for audit checkpoints (AUD-04). */
  signer: Signer;
}

export interface Signer {
  /** The first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  keyId: string;
  /** The public key as PEM: give it to whoever checks the anchored checkpoints outside Parley. */
  publicKeyPem: string;
  /** Ed25519 signature, base64. */
  sign(message: string): string;
}

/** Checks an Ed25519 signature against a PEM public key (no secret needed). */
export function verifySignature(publicKeyPem: string, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Ed25519 from a 32-byte seed: PKCS#8 is a fixed 16-byte prefix followed by the seed (RFC 8410). */
function ed25519FromSeed(seed: Buffer): Signer {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

export function parseSecretKey(key: string): Buffer {
  const buf = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  if (buf.length !== 32) {
    throw new Error('PARLEY_SECRET_KEY must be 32 bytes');
  }
  return buf;
}

export function createSecretBox(key: Buffer): SecretBox {
  const hashKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'parley keyed hash v1', 32));
  const signer = ed25519FromSeed(Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'parley audit signing v1', 32)));
  return {
    signer,
    keyedHash(value) {
      return createHmac('sha256', hashKey).update(value, 'utf8').digest('hex');
    },
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, ct] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || ct === undefined) {
        throw new Error('sealed secret has an unknown format');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * The demo's key: generated once into the data directory (mode 0600) so a fresh checkout needs no setup.
 * Returns whether it was created now, so the caller can say so in the log.
 */
export function loadOrCreateDemoKey(dataDir: string): { key: Buffer; created: boolean; path: string } {
  const path = join(dataDir, 'secret.key');
  if (existsSync(path)) {
    return { key: parseSecretKey(readFileSync(path, 'utf8').trim()), created: false, path };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return { key, created: true, path };
}

/** Constant-time comparison of two strings (token checks). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
