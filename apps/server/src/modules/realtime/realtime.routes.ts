/**
 * `GET /api/inbox/stream`: the inbox's realtime feed as a WebSocket (protocol: packages/contracts/src/realtime.ts;
 * docs/inbox.md "Realtime"). The upgrade request passes the same access check as every route (http/access.ts: the
 * session cookie or the admin token; agents and admins), then the Origin check; only then does it become a socket.
 * What the socket shows follows the roles: agents get no events of restricted contacts (GDPR-20); a role lost while
 * connected counts from the next re-check of the sign-in.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { AuthService } from '../users/index.js';
import { type FeedSocket, startFeedSession } from './feed-session.js';
import type { FeedHub } from './realtime.hub.js';
import { FEED_ROLES, isAllowedOrigin, mayReadFeed, seesRestrictedEvents } from './realtime.policy.js';
import { findEventBounds, listEventsBetween } from './realtime.store.js';

export interface RealtimeRoutesOptions {
  hub: FeedHub;
  db: Db;
  auth: AuthService;
  /** The workspace whose inbox the signed-in staff work in. */
  workspaceId: string;
  publicUrl: string;
  logger: Logger;
  /** Defaults: a heartbeat every 25 s, the sign-in re-checked every 60 s, up to 1,000 missed events replayed. */
  heartbeatMs?: number;
  recheckMs?: number;
  replayLimit?: number;
}

/** Registers the feed route; @fastify/websocket must be registered on the app before. */
export async function realtimeRoutes(app: FastifyInstance, opts: RealtimeRoutesOptions): Promise<void> {
  const checkOrigin = async (req: FastifyRequest) => {
    if (!isAllowedOrigin(req.headers.origin, { publicUrl: opts.publicUrl, host: req.headers.host })) {
      throw new AppError('auth.forbidden', 'The realtime feed only serves pages of this Parley (the Origin does not match PUBLIC_URL).', { origin: req.headers.origin });
    }
  };

  app.get('/api/inbox/stream', { websocket: true, config: { access: { roles: FEED_ROLES } }, onRequest: checkOrigin }, (socket: FeedSocket, req) => {
    const principal = req.principal;
    // Only agents, admins and the admin token pass the access check; without a principal nothing restricted goes out.
    let seesRestricted = seesRestrictedEvents(principal?.roles ?? []);
    const stillAllowed =
      principal?.kind === 'user'
        ? async () => {
            const roles = await opts.auth.findSessionRoles(principal.session.tokenHash);
            seesRestricted = roles !== undefined && seesRestrictedEvents(roles);
            return roles !== undefined && mayReadFeed(roles);
          }
        : undefined;
    startFeedSession(socket, {
      hub: opts.hub,
      audience: { workspaceId: opts.workspaceId, seesRestricted: () => seesRestricted },
      listEventsBetween: (after, upTo, limit, filter) => listEventsBetween(opts.db, { workspaceId: opts.workspaceId, after, upTo, limit, ...filter }),
      findEventBounds: () => findEventBounds(opts.db),
      ...(stillAllowed ? { stillAllowed } : {}),
      logger: opts.logger,
      heartbeatMs: opts.heartbeatMs ?? 25_000,
      recheckMs: opts.recheckMs ?? 60_000,
      replayLimit: opts.replayLimit ?? 1000,
      maxBufferedBytes: 4 * 1024 * 1024,
    });
  });
}
