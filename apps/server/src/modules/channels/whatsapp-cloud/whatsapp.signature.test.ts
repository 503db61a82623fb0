import { describe, expect, it } from 'vitest';
import { signWhatsAppPayload, verifyWhatsAppSignature } from './whatsapp.signature.js';

// Test vectors of providers.md §1.2 (app secret `test_app_secret`).
const SECRET = 'test_app_secret';
const EMPTY = '{"object":"whatsapp_business_account","entry":[]}';
const ESCAPED = '{"text":{"body":"\\u00e4\\u00f6\\u00e5 \\ud83d\\udc4d"}}';

describe('X-Hub-Signature-256 verification', () => {
  it('accepts the spec test vectors over the raw bytes', () => {
    expect(verifyWhatsAppSignature(Buffer.from(EMPTY), 'sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756', SECRET)).toBe(true);
    expect(verifyWhatsAppSignature(Buffer.from(ESCAPED), 'sha256=ad914b2999218b91131d268282627b0274541d49d25bffcc5511df0493a72711', SECRET)).toBe(true);
  });

  it('rejects the same object re-serialised as UTF-8 (signatures are over the escaped bytes Meta sent)', () => {
    const reserialised = JSON.stringify(JSON.parse(ESCAPED));
    expect(reserialised).not.toBe(ESCAPED);
    expect(verifyWhatsAppSignature(Buffer.from(reserialised), 'sha256=ad914b2999218b91131d268282627b0274541d49d25bffcc5511df0493a72711', SECRET)).toBe(false);
  });

  it('fails closed without a secret, without a header, or with a malformed header', () => {
    const good = signWhatsAppPayload(EMPTY, SECRET);
    expect(verifyWhatsAppSignature(Buffer.from(EMPTY), good, undefined)).toBe(false);
    expect(verifyWhatsAppSignature(Buffer.from(EMPTY), good, '')).toBe(false);
    expect(verifyWhatsAppSignature(Buffer.from(EMPTY), undefined, SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(Buffer.from(EMPTY), good.replace('sha256=', 'sha1='), SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(Buffer.from(EMPTY), good.slice(0, -2), SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(Buffer.from(EMPTY), [good, good], SECRET)).toBe(false);
  });

  it('rejects a signature made with another secret or over another body', () => {
    expect(verifyWhatsAppSignature(Buffer.from(EMPTY), signWhatsAppPayload(EMPTY, 'other_secret'), SECRET)).toBe(false);
    expect(verifyWhatsAppSignature(Buffer.from(`${EMPTY} `), signWhatsAppPayload(EMPTY, SECRET), SECRET)).toBe(false);
  });
});
