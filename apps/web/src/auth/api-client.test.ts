import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiBlob, apiRequest, onSessionEnded, setCsrfToken } from './api-client';

type Seen = { url: string; init: RequestInit };

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}): Seen[] {
  const seen: Seen[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  });
  return seen;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('apiRequest', () => {
  it('sends the session’s CSRF token on writes, not on reads', async () => {
    setCsrfToken('csrf-1');
    const seen = fakeFetch(200, { ok: true });
    await apiRequest('GET', '/api/admin/users');
    await apiRequest('POST', '/api/admin/users', { email: 'a@example.org' });
    expect((seen[0]?.init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    expect(seen[1]?.init.headers).toMatchObject({ 'x-csrf-token': 'csrf-1', 'content-type': 'application/json' });
    expect(seen[1]?.init.body).toBe('{"email":"a@example.org"}');
  });

  it('turns an error answer into an ApiError with the server’s code, message and Retry-After', async () => {
    fakeFetch(429, { error: { code: 'auth.rate_limited', message: 'Too many' } }, { 'retry-after': '600' });
    await expect(apiRequest('POST', '/api/auth/login', {}, { quiet401: true })).rejects.toEqual(new ApiError(429, 'auth.rate_limited', 'Too many', 600));
  });

  it('tells the listeners when the session has ended (401), and forgets the CSRF token', async () => {
    setCsrfToken('csrf-2');
    let ended = 0;
    const stop = onSessionEnded(() => ended++);
    fakeFetch(401, { error: { code: 'auth.required', message: 'Sign in first.' } });
    await expect(apiRequest('PATCH', '/api/admin/users/x', {})).rejects.toBeInstanceOf(ApiError);
    expect(ended).toBe(1);
    const seen = fakeFetch(200, {});
    await apiRequest('POST', '/api/admin/users', {});
    expect((seen[0]?.init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    // A wrong password at sign-in is not an ended session.
    fakeFetch(401, { error: { code: 'auth.invalid_credentials', message: 'Wrong e-mail or password.' } });
    await expect(apiRequest('POST', '/api/auth/login', {}, { quiet401: true })).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(ended).toBe(1);
    stop();
  });
});

describe('apiBlob', () => {
  it('returns the file, and refuses with the same ApiError as apiRequest; a 401 ends the session', async () => {
    vi.stubGlobal('fetch', async () => new Response('<h1>Auskunft</h1>', { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(await (await apiBlob('/api/admin/contacts/c/export?format=html')).text()).toBe('<h1>Auskunft</h1>');
    fakeFetch(409, { error: { code: 'privacy_request.not_verified', message: 'Verify first.' } });
    await expect(apiBlob('/api/admin/contacts/c/export')).rejects.toEqual(new ApiError(409, 'privacy_request.not_verified', 'Verify first.'));
    let ended = 0;
    const stop = onSessionEnded(() => ended++);
    fakeFetch(401, { error: { code: 'auth.required', message: 'Sign in first.' } });
    await expect(apiBlob('/api/admin/contacts/c/export')).rejects.toMatchObject({ status: 401 });
    expect(ended).toBe(1);
    stop();
  });
});
