/** The Fastify app: health, webhooks, admin API, demo routes and the web app. Built the same way in tests. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Deps } from '../deps.js';
import { webhookRoutes } from '../modules/channels/index.js';
import { type DemoHandle, demoRoutes, simulatorRoutes } from '../modules/demo/index.js';
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
  });
  registerErrorHandler(app);
  await app.register(healthRoutes, { database: deps.database });
  await app.register(webhookRoutes, {
    database: deps.database,
    channels: deps.channels,
    bodyLimit: deps.config.webhookBodyLimitBytes,
    onStored: () => deps.wakeWorkers(),
  });
  await app.register(adminRoutes, { deps, adminToken: opts.adminToken });
  await app.register(demoRoutes, { getDemo: opts.getDemo ?? (() => undefined) });
  await app.register(simulatorRoutes, { deps });
  if (opts.serveWeb && existsSync(join(webDistDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDistDir, wildcard: false });
    app.get('/*', (req, reply) => {
      if (req.url.startsWith('/api/') || req.url.startsWith('/webhooks/')) {
        return reply.callNotFound();
      }
      return reply.sendFile('index.html');
    });
  }
  return app;
}
