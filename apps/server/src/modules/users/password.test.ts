import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, generatePassword, hashPassword, verifyDummyPassword, verifyPassword } from './password.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('stores the parameters and a per-user salt with the hash, never the password', async () => {
    const stored = await hashPassword('correct horse battery', DEFAULT_SCRYPT);
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(stored).not.toContain('correct horse');
    const again = await hashPassword('correct horse battery', DEFAULT_SCRYPT);
    expect(again).not.toBe(stored);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('Sommer-2026-Passwort', CHEAP);
    expect(await verifyPassword('Sommer-2026-Passwort', stored)).toBe(true);
    expect(await verifyPassword('sommer-2026-passwort', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('checks with the parameters stored in the hash, so the cost can be raised later', async () => {
    const old = await hashPassword('an older account', CHEAP);
    expect(old.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('an older account', old)).toBe(true);
  });

  it('treats malformed or absurd stored values as a mismatch, without throwing', async () => {
    for (const stored of ['', 'plain', 'bcrypt$x', 'scrypt$1000$8$1$c2FsdA==$aGFzaA==', 'scrypt$4194304$8$1$c2FsdA==$aGFzaA==', 'scrypt$1024$8$1$$']) {
      expect(await verifyPassword('x', stored)).toBe(false);
    }
  });

  it('has a dummy check for unknown accounts that always fails', async () => {
    expect(await verifyDummyPassword('whatever')).toBe(false);
  });

  it('generates 20-character passwords without look-alike characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});
