/**
 * Who may open the realtime feed, from which page, and what it shows them. Pure predicates (STYLE.md `x.policy.ts`).
 */
import { seesRestricted } from '../inbox/index.js';
import type { Role } from '../users/index.js';

/** The roles that work in the inbox and so may read its feed. */
export const FEED_ROLES = ['agent', 'admin'] as const satisfies readonly Role[];

/** Whether a set of roles may read the feed. */
export function mayReadFeed(roles: readonly Role[]): boolean {
  return roles.some((r) => (FEED_ROLES as readonly Role[]).includes(r));
}

/**
 * Whether a reader with these roles receives events of restricted contacts' conversations: the inbox list's rule
 * (GDPR-20, inbox.policy.ts) — admins (and the admin token, whose role is admin) do, agents do not.
 * @example seesRestrictedEvents(['agent']) // false
 */
export function seesRestrictedEvents(roles: readonly Role[]): boolean {
  return seesRestricted({ admin: roles.includes('admin') });
}

/**
 * Whether a WebSocket handshake may come from this page (cross-site WebSocket hijacking: a browser attaches the
 * session cookie to a WebSocket that any site opens, and the same-origin policy does not apply to WebSockets — the
 * Origin header is the only defence). Allowed: no Origin at all (not a browser, so no one else's cookie), the
 * configured PUBLIC_URL's origin, or a page on the very host the request was sent to (the app itself reached by
 * another name, e.g. 127.0.0.1 instead of localhost).
 * @example isAllowedOrigin('https://evil.example', { publicUrl: 'https://parley.example', host: 'parley.example' }) // false
 */
export function isAllowedOrigin(origin: string | undefined, opts: { publicUrl: string; host: string | undefined }): boolean {
  if (origin === undefined) {
    return true;
  }
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false;
  }
  if (page.protocol !== 'http:' && page.protocol !== 'https:') {
    return false;
  }
  try {
    if (page.origin === new URL(opts.publicUrl).origin) {
      return true;
    }
  } catch {
    // an unusable PUBLIC_URL allows nothing by itself
  }
  return opts.host !== undefined && page.host === opts.host.toLowerCase();
}
