/** Channel administration (`/api/admin/channels`, admins only); registered inside the admin scope (http/admin.routes.ts). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/index.js';
import type { ChannelService } from './channel.service.js';

export async function channelRoutes(app: FastifyInstance, deps: { channels: ChannelService; workspaceId: string; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  app.get('/api/admin/channels', { config: { access: { roles: ['admin'] } } }, async () => ({ channels: await deps.channels.listChannels(deps.workspaceId) }));
  app.post('/api/admin/channels', { config: { access: { roles: ['admin'] } } }, async (req, reply) => {
    const channel = await deps.channels.createChannel(deps.workspaceId, req.body, deps.auditOf(req));
    return reply.code(201).send({ channel });
  });
}
