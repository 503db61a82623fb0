/**
 * The one way the signed-in parts of the web app call the API: JSON in and out, the session's CSRF token on every
 * write (`x-csrf-token`; the session itself travels in the httpOnly cookie), and a 401 reported to whoever
 * listens, so the app can send the person back to sign in without throwing away what they were doing.
 */

/**
 * A refused or failed API call: the HTTP status and the server's error code and message, and its `details` (who has
 * a conversation that someone else took, why a person cannot take one …).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
const sessionEndedListeners = new Set<() => void>();

/** Remembers the CSRF token of the current session (from sign-in or `GET /api/auth/me`); null when signed out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Calls `listener` when the server says the session has ended (401 on a call that needed it).
 * @example const stop = onSessionEnded(() => showLogin()); // later: stop()
 */
export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/**
 * Sends a request and returns the parsed JSON body (undefined for 204). Throws ApiError for any non-2xx answer.
 * @example const { users } = await apiRequest<{ users: User[] }>('GET', '/api/admin/users');
 */
export async function apiRequest<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, opts: { signal?: AbortSignal; quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) {
    headers['x-csrf-token'] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    signal: opts.signal,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) {
    throw await refusal(response, opts.quiet401);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json().catch(() => undefined)) as T;
}

/**
 * Fetches a file from the API (GET, the session's cookie) for the page to save or show; a refusal throws the same
 * ApiError as apiRequest, and a 401 ends the session the same way.
 * @example saveBlob(await apiBlob(`/api/admin/contacts/${id}/export?format=html`), 'auskunft.html')
 */
export async function apiBlob(path: string): Promise<Blob> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) {
    throw await refusal(response);
  }
  return response.blob();
}

/** The ApiError for a non-2xx answer (the server's error code, message and details); a 401 ends the session. */
async function refusal(response: Response, quiet401 = false): Promise<ApiError> {
  const json: unknown = await response.json().catch(() => undefined);
  const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  const retryAfter = Number(response.headers.get('retry-after'));
  if (response.status === 401 && !quiet401) {
    csrfToken = null;
    sessionEndedListeners.forEach((listener) => listener());
  }
  return new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : `http.${response.status}`,
    typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    isRecord(error?.details) ? error.details : undefined,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
