import { ApiError, apiRequest, setCsrfToken } from './api-client';

/** Staff roles, as the server names them. */
export const ROLES = ['admin', 'agent', 'editor', 'approver', 'compliance'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person. */
export type SessionUser = { id: string; email: string; name: string; roles: Role[] };

type SessionAnswer = { user: SessionUser | null; csrfToken: string | null };

/** Asks the server who is signed in (null: nobody, or the session has ended). */
export async function fetchSession(signal?: AbortSignal): Promise<SessionUser | null> {
  const answer = await apiRequest<SessionAnswer>('GET', '/api/auth/me', undefined, { signal });
  setCsrfToken(answer.csrfToken);
  return answer.user;
}

/**
 * Signs in; the server sets the session cookie. Throws ApiError `auth.invalid_credentials` (the generic "wrong e-mail
 * or password") or `auth.rate_limited` (with `retryAfterSeconds`).
 */
export async function signIn(email: string, password: string): Promise<SessionUser> {
  const answer = await apiRequest<SessionAnswer & { user: SessionUser }>('POST', '/api/auth/login', { email, password }, { quiet401: true });
  setCsrfToken(answer.csrfToken);
  return answer.user;
}

/** Signs out: the server deletes the session; a session that had already ended counts as signed out too. */
export async function signOut(): Promise<void> {
  try {
    await apiRequest<void>('POST', '/api/auth/logout', undefined, { quiet401: true });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) {
      throw err;
    }
  } finally {
    setCsrfToken(null);
  }
}

/** Whether the user holds one of the roles (what the UI offers follows the server's rules). */
export function hasRole(user: SessionUser | null, ...roles: Role[]): boolean {
  return user !== null && user.roles.some((role) => roles.includes(role));
}
