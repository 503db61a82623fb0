import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWhatsAppBody, toMetaJson } from './meta-json.js';

describe('signWhatsAppBody (providers.md §1.2 test vectors)', () => {
  it('reproduces the empty-entry vector', () => {
    expect(signWhatsAppBody('test_app_secret', '{"object":"whatsapp_business_account","entry":[]}')).toBe(
      'sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756',
    );
  });

  it('reproduces the escaped-unicode vector from the object itself', () => {
    const body = toMetaJson({ text: { body: 'äöå 👍' } });
    expect(body).toBe('{"text":{"body":"\\u00e4\\u00f6\\u00e5 \\ud83d\\udc4d"}}');
    expect(signWhatsAppBody('test_app_secret', body)).toBe('sha256=ad914b2999218b91131d268282627b0274541d49d25bffcc5511df0493a72711');
  });

  it('signs different bytes when the same object is serialised as raw UTF-8', () => {
    const raw = JSON.stringify({ text: { body: 'äöå 👍' } });
    const signature = signWhatsAppBody('test_app_secret', raw);
    expect(signature.startsWith('sha256=a58597f9')).toBe(true);
    expect(signature).toBe(`sha256=${createHmac('sha256', 'test_app_secret').update(Buffer.from(raw, 'utf8')).digest('hex')}`);
  });
});

describe('toMetaJson', () => {
  it('writes ASCII only, lowercase hex escapes, and stays parseable to the same value', () => {
    const value = { name: 'Ana Pérez', note: '¿Envío? ✓', emoji: '🎉', cjk: '漢字', plain: 'a/b "q"\n' };
    const json = toMetaJson(value);
    expect(/^[\x20-\x7e]*$/.test(json)).toBe(true);
    expect(json).toContain('P\\u00e9rez');
    expect(json).toContain('\\ud83c\\udf89');
    expect(json).toContain('\\u6f22\\u5b57');
    expect(json).not.toMatch(/\\u[0-9a-f]{0,3}[A-F]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('leaves slashes alone unless escapeSlashes is set', () => {
    expect(toMetaJson({ u: 'https://x/y' })).toBe('{"u":"https://x/y"}');
    expect(toMetaJson({ u: 'https://x/y' }, { escapeSlashes: true })).toBe('{"u":"https:\\/\\/x\\/y"}');
  });
});
