/** The Fastify app: health, webhooks, sign-in, admin API, demo routes and the web app. Built the same way in tests. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import type { Deps } from '../deps.js';
import { webhookRoutes } from '../modules/channels/index.js';
import { composerRoutes, createComposerService, createContactPanelService, createReplyService } from '../modules/composer/index.js';
import { type DemoHandle, demoRoutes, simulatorRoutes } from '../modules/demo/index.js';
import { createInboxMediaService, createInboxService, createQueueService, inboxRoutes } from '../modules/inbox/index.js';
import { createFeedHub, realtimeRoutes } from '../modules/realtime/index.js';
import { authRoutes, createAuthService, createUserService, userRoutes } from '../modules/users/index.js';
import { auditOf, declareScopeAccess, registerAccessControl } from './access.js';
import { registerErrorHandler } from './error-handler.js';
import { adminRoutes } from './admin.routes.js';
import { healthRoutes } from './health.routes.js';

export const webDistDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist');

export interface AppOptions {
  adminToken: string | undefined;
  /** The demo, once it runs (it starts after the app listens, because the fake needs our URL). */
  getDemo?: () => DemoHandle | undefined;
  /** Serve apps/web/dist when it exists (off in most tests). */
  serveWeb?: boolean;
}

export async function buildApp(deps: Deps, opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One log line per request would drown the log at webhook rates; errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    // Event streams (the simulator's) never go idle; without this, close() waits for them forever.
    forceCloseConnections: true,
    // Behind a reverse proxy (TRUST_PROXY): the client's address and protocol from X-Forwarded-For/-Proto.
    trustProxy: deps.config.trustProxy,
  });
  registerErrorHandler(app);
  const { config, database, workspace, secretBox } = deps;
  const keyedHash = (value: string) => secretBox.keyedHash(value);
  const timeouts = { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours };
  const auth = createAuthService({ db: database.db, workspaceId: workspace.id, keyedHash, timeouts });
  const isSecure = (req: FastifyRequest) => config.publicUrl.startsWith('https://') || req.protocol === 'https';
  // Before any route, and before the access check: it wraps route handlers so a route declared `websocket: true`
  // can take the upgrade, and its hooks must see every upgrade request — also one the access check refuses, whose
  // socket it then closes (otherwise a refused client could hold it open).
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  // Before any route: every route must declare who may call it (deny by default).
  registerAccessControl(app, { auth, adminToken: opts.adminToken, demo: config.demo, db: database.db, workspaceId: workspace.id, isSecure });
  await app.register(healthRoutes, { database: deps.database });
  await app.register(webhookRoutes, {
    database: deps.database,
    channels: deps.channels,
    bodyLimit: deps.config.webhookBodyLimitBytes,
    onStored: () => deps.wakeWorkers(),
  });
  await app.register(authRoutes, { auth, maxHours: config.sessionMaxHours, isSecure });
  await app.register(userRoutes, { users: createUserService({ db: database.db, workspaceId: workspace.id, keyedHash, timeouts }), auditOf });
  await app.register(adminRoutes, { deps });
  // The inbox's realtime feed (issue #5 item 5): one hub per process, stopped with the app.
  const feed = createFeedHub({ database, logger: deps.logger });
  app.addHook('onClose', async () => feed.stop());
  await app.register(realtimeRoutes, { hub: feed, db: database.db, auth, workspaceId: workspace.id, publicUrl: config.publicUrl, logger: deps.logger });
  // The agents' inbox: conversations, hand-off and ownership, queues (issue #5 items 2–3).
  await app.register(inboxRoutes, {
    inbox: createInboxService({ db: database.db }),
    queues: createQueueService({ db: database.db }),
    media: createInboxMediaService({ db: database.db, channels: deps.channels }),
    workspaceId: workspace.id,
    auditOf,
  });
  // The agent's side of a conversation: composer, replies through the send gate, notes, pickers, contact panel (items 4, 6).
  await app.register(composerRoutes, {
    composer: createComposerService({ db: database.db, runtimes: deps.runtimes }),
    replies: createReplyService({ db: database.db, runtimes: deps.runtimes, wake: () => deps.wakeWorkers() }),
    contacts: createContactPanelService({ db: database.db, runtimes: deps.runtimes, keyedHash }),
    workspaceId: workspace.id,
    auditOf,
  });
  await app.register(demoRoutes, { getDemo: opts.getDemo ?? (() => undefined) });
  await app.register(simulatorRoutes, { deps });
  if (opts.serveWeb && existsSync(join(webDistDir, 'index.html'))) {
    await app.register(webAppRoutes, { isSecure });
  }
  return app;
}

/**
 * The web app's files and, for any other path outside the API, its index.html (the app routes in the browser), with
 * a strict Content-Security-Policy: scripts, styles and connections only from this origin (the inbox's WebSocket
 * feed on this host), no inline scripts or styles (the Vite build has none), no frames around it, no plugins.
 */
async function webAppRoutes(web: FastifyInstance, opts: { isSecure: (req: FastifyRequest) => boolean }): Promise<void> {
  // The files are public (the sign-in page is one of them); @fastify/static registers its routes without a config.
  declareScopeAccess(web, 'public');
  web.addHook('onSend', async (req, reply) => {
    reply.header('content-security-policy', webAppCsp(req.host, opts.isSecure(req)));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
  });
  await web.register(fastifyStatic, { root: webDistDir, wildcard: false });
  web.get('/*', { config: { access: 'public' } }, (req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/webhooks/')) {
      return reply.callNotFound();
    }
    return reply.sendFile('index.html');
  });
}

/**
 * The web app's Content-Security-Policy (issue #5 item 7). `connect-src 'self'` covers ws: on the same host in
 * current browsers (CSP Level 3); the feed's origin is named too for those that do not. A host that is not a plain
 * host name (or an IPv6 literal) with a port is left out rather than copied into the header.
 *
 * @example webAppCsp('parley.example', true) // "default-src 'self'; … connect-src 'self' wss://parley.example; …"
 */
export function webAppCsp(host: string | undefined, secure: boolean): string {
  const feed = host && /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host) ? ` ${secure ? 'wss' : 'ws'}://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // Received voice notes and videos, through the inbox's own media route.
    "media-src 'self'",
    "font-src 'self'",
    `connect-src 'self'${feed}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    "form-action 'self'",
  ].join('; ');
}
