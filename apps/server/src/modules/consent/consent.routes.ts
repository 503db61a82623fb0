/** `POST /api/admin/consents`: a consent decision recorded outside the chat (GDPR-16, GDPR-10 pending). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db.js';
import { parseInput } from '../../platform/errors.js';
import type { AuditContext } from '../audit/index.js';
import { RecordConsentBody, recordConsent } from './consent.service.js';

export async function consentRoutes(app: FastifyInstance, opts: { db: Db; workspaceId: string; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  app.post('/api/admin/consents', async (req, reply) => {
    const body = parseInput(RecordConsentBody, req.body);
    const event = await recordConsent(opts.db, opts.workspaceId, body, opts.auditOf(req));
    return reply.code(201).send({ id: event.id, at: event.at, decision: event.decision, purpose: event.purpose });
  });
}
