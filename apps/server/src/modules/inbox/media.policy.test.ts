import { describe, expect, it } from 'vitest';
import { isTrustedMediaUrl } from '../channels/whatsapp-cloud/whatsapp.client.js';
import { mediaHeaders } from './media.policy.js';

describe('serving a contact’s file', () => {
  it.each([
    ['image/jpeg', 'image/jpeg', 'inline'],
    ['image/webp', 'image/webp', 'inline'],
    ['audio/ogg; codecs=opus', 'audio/ogg; codecs=opus', 'inline'],
    ['video/mp4', 'video/mp4', 'inline'],
    // What a browser could run or render as a page is a download of unknown type.
    ['image/svg+xml', 'application/octet-stream', 'attachment'],
    ['text/html', 'application/octet-stream', 'attachment'],
    ['application/pdf', 'application/octet-stream', 'attachment'],
    ['IMAGE/PNG', 'IMAGE/PNG', 'inline'],
  ])('%s → %s, %s', (mimeType, type, disposition) => {
    const headers = mediaHeaders({ mimeType });
    expect(headers['content-type']).toBe(type);
    expect(headers['content-disposition']).toBe(disposition);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain('sandbox');
  });

  it('keeps a file name safe in the header: no quotes, slashes or line breaks; UTF-8 in filename*', () => {
    const headers = mediaHeaders({ mimeType: 'application/pdf', filename: 'a"b/..\\c\r\nSet-Cookie: x=1 Ä.pdf', size: 42 });
    expect(headers['content-disposition']).toBe(`attachment; filename="a_b_.._c__Set-Cookie: x=1 _.pdf"; filename*=UTF-8''a_b_.._c__Set-Cookie%3A%20x%3D1%20%C3%84.pdf`);
    expect(headers['content-length']).toBe('42');
  });
});

describe('where the WhatsApp token may go for a media download (providers.md §3.2)', () => {
  it.each([
    ['https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1', true],
    ['http://127.0.0.1:4010/whatsapp_business/attachments/?mid=1', true],
    ['http://lookaside.fbsbx.com/x', false],
    ['https://fbsbx.com.evil.example/x', false],
    ['https://evil.example/?fbsbx.com', false],
    ['http://127.0.0.1:4011/other-port', false],
    ['not a url', false],
  ])('%s → %s', (url, trusted) => {
    expect(isTrustedMediaUrl(url, 'http://127.0.0.1:4010')).toBe(trusted);
  });
});
