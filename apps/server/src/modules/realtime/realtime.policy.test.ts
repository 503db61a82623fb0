import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, mayReadFeed, seesRestrictedEvents } from './realtime.policy.js';

const opts = { publicUrl: 'https://parley.example', host: 'parley.example' };

describe('realtime feed policy', () => {
  it('allows the configured public origin and the request’s own host', () => {
    expect(isAllowedOrigin('https://parley.example', opts)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:3000', { publicUrl: 'http://localhost:3000', host: '127.0.0.1:3000' })).toBe(true);
  });

  it('SEC-05 refuses a page of another site (cross-site WebSocket hijacking)', () => {
    expect(isAllowedOrigin('https://evil.example', opts)).toBe(false);
    expect(isAllowedOrigin('https://parley.example.evil.example', opts)).toBe(false);
    expect(isAllowedOrigin('https://parley.example:8443', opts)).toBe(false);
    expect(isAllowedOrigin('null', opts)).toBe(false);
    expect(isAllowedOrigin('file://parley.example', opts)).toBe(false);
  });

  it('allows a client that is not a browser (no Origin header: no one else’s cookie)', () => {
    expect(isAllowedOrigin(undefined, opts)).toBe(true);
  });

  it('lets agents and admins read the feed, no one else', () => {
    expect(mayReadFeed(['agent'])).toBe(true);
    expect(mayReadFeed(['editor', 'admin'])).toBe(true);
    expect(mayReadFeed(['editor', 'approver', 'compliance'])).toBe(false);
  });

  it('GDPR-20 shows events of restricted contacts to admins only, as the inbox list does', () => {
    expect(seesRestrictedEvents(['admin'])).toBe(true);
    expect(seesRestrictedEvents(['agent', 'admin'])).toBe(true);
    expect(seesRestrictedEvents(['agent'])).toBe(false);
  });
});
