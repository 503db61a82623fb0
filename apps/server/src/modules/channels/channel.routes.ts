/**
 * Admin API for channels (`/api/admin/channels`), used by the CLI while the server holds the embedded
 * database. Guarded by the admin bearer token until users and roles arrive (issue #5).
 */
import type { FastifyInstance } from 'fastify';
import { safeEqual } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { UnansweredSummary } from '../content/index.js';
import type { ApplyResult } from '../workspaces/index.js';
import type { ChannelService } from './channel.service.js';

export async function channelRoutes(app: FastifyInstance, deps: { channels: ChannelService; workspaceId: string; adminToken: string | undefined; stats: () => Promise<unknown>; apply: (dir: string) => Promise<ApplyResult>; unanswered: (o: { sinceDays: number; limit: number }) => Promise<UnansweredSummary[]> }): Promise<void> {
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!deps.adminToken) {
      throw new AppError('auth.forbidden', 'The admin API is off: set PARLEY_ADMIN_TOKEN to use it.');
    }
    if (!token || !safeEqual(token, deps.adminToken)) {
      throw new AppError('auth.required', 'A valid admin token is required (Authorization: Bearer …).');
    }
  });
  app.get('/api/admin/channels', async () => ({ channels: await deps.channels.listChannels(deps.workspaceId) }));
  app.get('/api/admin/stats', async () => deps.stats());
  app.get<{ Querystring: { days?: string; limit?: string } }>('/api/admin/content/unanswered', async (req) => {
    const days = Number(req.query.days ?? 30);
    const limit = Number(req.query.limit ?? 50);
    if (!Number.isInteger(days) || days < 1 || days > 3650 || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new AppError('validation.failed', 'days must be 1–3650 and limit 1–1000.');
    }
    return { questions: await deps.unanswered({ sinceDays: days, limit }) };
  });
  // The CLI's `parley apply` while the server holds the embedded database; the directory is on this machine.
  app.post<{ Body: { dir?: unknown } }>('/api/admin/apply', async (req, reply) => {
    const dir = req.body?.dir;
    if (typeof dir !== 'string' || !dir.startsWith('/')) {
      throw new AppError('validation.failed', 'Give the workspace directory as an absolute path: { "dir": "/…" }.');
    }
    const result = await deps.apply(dir);
    return reply.code(result.ok ? 200 : 422).send(result);
  });
  app.post('/api/admin/channels', async (req, reply) => {
    const channel = await deps.channels.createChannel(deps.workspaceId, req.body);
    return reply.code(201).send({ channel });
  });
}
