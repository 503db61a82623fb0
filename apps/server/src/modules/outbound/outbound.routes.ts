/**
 * `POST /api/admin/messages` — send through the API, past the same send gate as every other message — and
 * `GET /api/admin/messages/:id` for its status. Registered inside the admin scope (http/admin.routes.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db.js';
import { parseInput } from '../../platform/errors.js';
import type { AuditContext } from '../audit/index.js';
import { readMessage, SendMessageBody, sendMessage } from './send.service.js';

/** Who may send on the organisation's behalf: admins (agents send from the inbox, issue #5). */
const access = { config: { access: { roles: ['admin'] } } } as const;

export async function outboundRoutes(app: FastifyInstance, opts: { db: Db; workspaceId: string; wake: () => void; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  app.post('/api/admin/messages', access, async (req, reply) => {
    const body = parseInput(SendMessageBody, req.body);
    const sent = await sendMessage({ db: opts.db, wake: opts.wake }, opts.workspaceId, body, opts.auditOf(req));
    // 201: the gate allowed it (it may still be on its way); 202: not decided yet — poll GET /api/admin/messages/:id.
    return reply.code(sent.gateReason === null ? 202 : 201).send(sent);
  });
  app.get<{ Params: { id: string } }>('/api/admin/messages/:id', access, async (req) => {
    const id = parseInput(z.uuid(), req.params.id, 'A message is named by its id (a UUID).');
    return readMessage(opts.db, id, opts.workspaceId);
  });
}
