/**
 * The session cookie `parley_session`: httpOnly (scripts cannot read it), SameSite=Lax (not sent with cross-site
 * form posts or fetches), Path=/, Secure when the browser reached us over HTTPS. Hand-written because it is one
 * cookie: reading one name from the header and writing one Set-Cookie line.
 */

export const SESSION_COOKIE = 'parley_session';

/**
 * The value of one cookie from a `Cookie` header, or undefined.
 * @example readCookie('a=1; parley_session=abc', 'parley_session') // 'abc'
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}

/** `Set-Cookie` for a new session; the cookie lives no longer than the session's absolute timeout. */
export function sessionCookie(token: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${opts.maxAgeSeconds}`, ...(opts.secure ? ['Secure'] : [])].join('; ');
}

/** `Set-Cookie` that removes the session cookie (sign-out, or a cookie whose session has ended). */
export function clearedSessionCookie(opts: { secure: boolean }): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(opts.secure ? ['Secure'] : [])].join('; ');
}
