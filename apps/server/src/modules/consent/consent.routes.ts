/**
 * `POST /api/admin/consents`: a consent decision recorded outside the chat (GDPR-16), or a `pending` consent for a
 * contact or a new number, which is a double opt-in request (GDPR-10/11). `POST /api/admin/consents/import`: the
 * rows of an import file (`parley consent import`), each row on its own.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db.js';
import { parseInput } from '../../platform/errors.js';
import type { AuditContext } from '../audit/index.js';
import { ConsentImportBody, type DoubleOptInRequests, RecordConsentBody } from './consent.schemas.js';
import { recordConsent } from './consent.service.js';

/**
 * Who records consent decisions outside the chat: admins, and agents who take down a withdrawal by phone or letter
 * (GDPR-13, GDPR-16). Not the compliance role: it reads the evidence but may not change consents (SEC-05).
 */
const access = { config: { access: { roles: ['admin', 'agent'] } } } as const;
/** A whole import file sends confirmation requests to many numbers: admins only. */
const importAccess = { config: { access: { roles: ['admin'] } } } as const;

export async function consentRoutes(
  app: FastifyInstance,
  opts: { db: Db; workspaceId: string; auditOf: (req: FastifyRequest) => AuditContext; doubleOptIn: DoubleOptInRequests },
): Promise<void> {
  app.post('/api/admin/consents', access, async (req, reply) => {
    const body = parseInput(RecordConsentBody, req.body);
    if (body.decision !== 'pending') {
      const event = await recordConsent(opts.db, opts.workspaceId, body, opts.auditOf(req));
      return reply.code(201).send({ id: event.id, at: event.at, decision: event.decision, purpose: event.purpose });
    }
    const result = await opts.doubleOptIn.requestConfirmation(opts.workspaceId, body, opts.auditOf(req));
    if (result.outcome !== 'requested') {
      // Nothing to do: the number confirmed already, or its request is still open (GDPR-12: no reminders).
      return reply.code(200).send(result);
    }
    const { event, ...rest } = result;
    return reply.code(201).send({ id: event.id, at: event.at, decision: event.decision, purpose: event.purpose, ...rest });
  });
  app.post('/api/admin/consents/import', importAccess, async (req) => {
    const body = parseInput(ConsentImportBody, req.body);
    return opts.doubleOptIn.importConsents(opts.workspaceId, body, opts.auditOf(req));
  });
}
