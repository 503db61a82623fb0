/** Channel administration (`/api/admin/channels`); registered inside the guarded admin scope (http/admin.routes.ts). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/index.js';
import type { ChannelService } from './channel.service.js';

export async function channelRoutes(app: FastifyInstance, deps: { channels: ChannelService; workspaceId: string; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  app.get('/api/admin/channels', async () => ({ channels: await deps.channels.listChannels(deps.workspaceId) }));
  app.post('/api/admin/channels', async (req, reply) => {
    const channel = await deps.channels.createChannel(deps.workspaceId, req.body, deps.auditOf(req));
    return reply.code(201).send({ channel });
  });
}
