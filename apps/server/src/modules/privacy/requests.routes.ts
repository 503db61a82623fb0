/**
 * The admin API of access-request cases (GDPR-17); registered inside the guarded admin scope (http/admin.routes.ts).
 * The export answers a case with `GET /api/admin/contacts/:ref/export?request=<id>` (privacy.routes.ts).
 *
 *   GET  /api/admin/privacy-requests[?open=false]   the cases, nearest deadline first (default: not yet answered)
 *   POST /api/admin/privacy-requests                { contact, receivedAt?, by? }   open an access request
 *   GET  /api/admin/privacy-requests/:id
 *   POST /api/admin/privacy-requests/:id/verify     { method, by? }                 the requester's identity checked
 *   POST /api/admin/privacy-requests/:id/extend     { months, reason, notifiedAt?, by? }
 *   POST /api/admin/privacy-requests/:id/refuse     { reason, by? }
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db.js';
import { parseInput } from '../../platform/errors.js';
import type { AuditContext } from '../audit/index.js';
import { MAX_EXTENSION_MONTHS, VERIFICATION_METHODS } from './requests.policy.js';
import { extendRequest, getRequestCase, listRequestCases, openAccessRequest, refuseRequest, verifyRequest } from './requests.service.js';

const By = z.string().trim().min(1).max(200).optional();
const Reason = z.string().trim().min(1).max(2000);
const Instant = z.string().datetime({ offset: true }).transform((s) => new Date(s));
const OpenBody = z.object({ contact: z.string().min(1).max(100), receivedAt: Instant.optional(), by: By }).strict();
const VerifyBody = z.object({ method: z.enum(VERIFICATION_METHODS), by: By }).strict();
const ExtendBody = z.object({ months: z.number().int().min(1).max(MAX_EXTENSION_MONTHS), reason: Reason, notifiedAt: Instant.optional(), by: By }).strict();
const RefuseBody = z.object({ reason: Reason, by: By }).strict();
const ListQuery = z.object({ open: z.enum(['true', 'false']).default('true') });
const Params = z.object({ id: z.string().uuid() });
/** Data-subject requests are the data protection team's work: admin and compliance (docs/users-and-roles.md). */
const access = { config: { access: { roles: ['admin', 'compliance'] } } } as const;

export async function requestRoutes(app: FastifyInstance, opts: { db: Db; workspaceId: string; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  const deps = { db: opts.db, workspaceId: opts.workspaceId };
  const idOf = (req: FastifyRequest) => parseInput(Params, req.params, 'the request id is a UUID').id;

  app.get('/api/admin/privacy-requests', access, async (req) => {
    const { open } = parseInput(ListQuery, req.query, 'open must be true or false');
    return { requests: await listRequestCases(deps, { open: open === 'true' }) };
  });

  app.post('/api/admin/privacy-requests', access, async (req, reply) => {
    const b = parseInput(OpenBody, req.body ?? {}, 'give the contact (id or phone number), and receivedAt as an ISO 8601 time if not now');
    return reply.code(201).send({ request: await openAccessRequest(deps, b.contact, { audit: opts.auditOf(req), by: b.by, receivedAt: b.receivedAt }) });
  });

  app.get('/api/admin/privacy-requests/:id', access, async (req) => ({ request: await getRequestCase(deps, idOf(req)) }));

  app.post('/api/admin/privacy-requests/:id/verify', access, async (req) => {
    const b = parseInput(VerifyBody, req.body ?? {}, `method is one of ${VERIFICATION_METHODS.join(', ')}`);
    return { request: await verifyRequest(deps, idOf(req), { audit: opts.auditOf(req), by: b.by, method: b.method }) };
  });

  app.post('/api/admin/privacy-requests/:id/extend', access, async (req) => {
    const b = parseInput(ExtendBody, req.body ?? {}, `months is 1 or ${MAX_EXTENSION_MONTHS}, with a reason`);
    return { request: await extendRequest(deps, idOf(req), { audit: opts.auditOf(req), by: b.by, months: b.months, reason: b.reason, notifiedAt: b.notifiedAt }) };
  });

  app.post('/api/admin/privacy-requests/:id/refuse', access, async (req) => {
    const b = parseInput(RefuseBody, req.body ?? {}, 'give the reason');
    return { request: await refuseRequest(deps, idOf(req), { audit: opts.auditOf(req), by: b.by, reason: b.reason }) };
  });
}
