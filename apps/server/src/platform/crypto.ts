/**
 * Secrets at rest (channel tokens, app secrets) are sealed with AES-256-GCM under PARLEY_SECRET_KEY.
 * Format: `v1:<iv b64>:<tag b64>:<ciphertext b64>`; the version prefix leaves room for key rotation.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export function parseSecretKey(key: string): Buffer {
  const buf = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  if (buf.length !== 32) {
    throw new Error('PARLEY_SECRET_KEY must be 32 bytes');
  }
  return buf;
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
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
