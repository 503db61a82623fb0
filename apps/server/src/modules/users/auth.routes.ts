/**
 * `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`: the web app's sign-in. The session lives in
 * the httpOnly cookie; login and `me` hand the page its CSRF token, which it sends as `x-csrf-token` on every write.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseInput } from '../../platform/errors.js';
import { ANY_ROLE } from './access.policy.js';
import type { AuthService, RequestOrigin } from './auth.service.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from './session-cookie.js';
import { LoginBody } from './users.schemas.js';

export interface AuthRouteDeps {
  auth: AuthService;
  /** The absolute timeout, for the cookie's Max-Age. */
  maxHours: number;
  isSecure: (req: FastifyRequest) => boolean;
}

export async function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): Promise<void> {
  const origin = (req: FastifyRequest): RequestOrigin => ({ ip: req.ip, userAgent: req.headers['user-agent'], correlationId: req.id });

  // Public: no session needed, so no CSRF token either. It takes JSON only, which a cross-site form cannot send.
  app.post('/api/auth/login', { config: { access: 'public' } }, async (req, reply) => {
    const body = parseInput(LoginBody, req.body, 'Give email and password.');
    const signedIn = await deps.auth.login(body.email, body.password, origin(req));
    void reply.header('set-cookie', sessionCookie(signedIn.token, { secure: deps.isSecure(req), maxAgeSeconds: deps.maxHours * 3600 }));
    return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
  });

  app.post('/api/auth/logout', { config: { access: { roles: ANY_ROLE } } }, async (req, reply) => {
    // The admin token has no session to end: nothing to do.
    if (req.principal?.kind === 'user') {
      await deps.auth.logout(req.principal, origin(req));
    }
    return reply.header('set-cookie', clearedSessionCookie({ secure: deps.isSecure(req) })).code(204).send();
  });

  // Public, so that a page can ask "am I signed in?" without an error: `{ user: null }` when not (or no longer).
  app.get('/api/auth/me', { config: { access: 'public' } }, async (req, reply) => {
    void reply.header('cache-control', 'no-store');
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const p = token ? await deps.auth.authenticate(token) : undefined;
    if (!p) {
      if (token) {
        void reply.header('set-cookie', clearedSessionCookie({ secure: deps.isSecure(req) }));
      }
      return { user: null, csrfToken: null };
    }
    return { user: { id: p.userId, email: p.email, name: p.name, roles: p.roles }, csrfToken: p.session.csrfToken };
  });
}
