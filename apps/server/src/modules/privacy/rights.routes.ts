/**
 * The admin API of data-subject rights (GDPR-15/16/20/21/23) and the retention sweep (GDPR-22); registered inside
 * the guarded admin scope (http/admin.routes.ts). The CLI uses it while the server holds the embedded database.
 *
 *   POST   /api/admin/contacts/:ref/erasure       { dryRun?, by? }         erase what may be erased
 *   POST   /api/admin/contacts/:ref/objection     { evidence?, by? }       objection to direct marketing
 *   POST   /api/admin/contacts/:ref/restriction   { reason, by? }          restrict processing (Art. 18)
 *   DELETE /api/admin/contacts/:ref/restriction   { reason, by? }          lift it
 *   POST   /api/admin/legal-holds                 { contact, reason, reference?, by }
 *   POST   /api/admin/legal-holds/:id/:step       { by, reason? }          step: approve | lift | confirm-lift
 *   POST   /api/admin/retention/sweep             { dryRun? }
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db.js';
import { parseInput } from '../../platform/errors.js';
import type { AuditContext } from '../audit/index.js';
import { runSweep } from './retention.service.js';
import { advanceLegalHold, eraseContact, liftRestriction, objectToMarketing, requestLegalHold, restrictContact } from './rights.service.js';
import type { KeyedHash } from './suppression.store.js';

const By = z.string().trim().min(1).max(200).optional();
const EraseBody = z.object({ dryRun: z.boolean().default(false), by: By }).strict();
const ObjectionBody = z.object({ evidence: z.record(z.string(), z.unknown()).default({}), by: By }).strict();
const ReasonBody = z.object({ reason: z.string().trim().min(1).max(2000), by: By }).strict();
const HoldBody = z.object({ contact: z.string().min(1).max(100), reason: z.string().trim().min(1).max(2000), reference: z.string().max(200).optional(), by: z.string().trim().min(1).max(200) }).strict();
const HoldStepBody = z.object({ by: z.string().trim().min(1).max(200), reason: z.string().trim().min(1).max(2000).optional() }).strict();
const HoldStep = z.enum(['approve', 'lift', 'confirm-lift']);
const SweepBody = z.object({ dryRun: z.boolean().default(false) }).strict();
/** Data-subject requests are the data protection team's work: admin and compliance (docs/users-and-roles.md). */
const access = { config: { access: { roles: ['admin', 'compliance'] } } } as const;

export async function rightsRoutes(app: FastifyInstance, opts: { db: Db; workspaceId: string; keyedHash: KeyedHash; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  const deps = { db: opts.db, workspaceId: opts.workspaceId, keyedHash: opts.keyedHash };
  const body = <T extends z.ZodType>(schema: T, req: FastifyRequest) => parseInput(schema, req.body ?? {});

  app.post<{ Params: { ref: string } }>('/api/admin/contacts/:ref/erasure', access, async (req) => {
    const { dryRun, by } = body(EraseBody, req);
    return eraseContact(deps, req.params.ref, { audit: opts.auditOf(req), dryRun, ...(by ? { by } : {}) });
  });
  app.post<{ Params: { ref: string } }>('/api/admin/contacts/:ref/objection', access, async (req, reply) => {
    const { evidence, by } = body(ObjectionBody, req);
    return reply.code(201).send(await objectToMarketing(deps, req.params.ref, { audit: opts.auditOf(req), evidence, ...(by ? { by } : {}) }));
  });
  app.post<{ Params: { ref: string } }>('/api/admin/contacts/:ref/restriction', access, async (req, reply) => {
    const { reason, by } = body(ReasonBody, req);
    const result = await restrictContact(deps, req.params.ref, { audit: opts.auditOf(req), reason, ...(by ? { by } : {}) });
    return reply.code(result.created ? 201 : 200).send(result);
  });
  app.delete<{ Params: { ref: string } }>('/api/admin/contacts/:ref/restriction', access, async (req) => {
    const { reason, by } = body(ReasonBody, req);
    return liftRestriction(deps, req.params.ref, { audit: opts.auditOf(req), reason, ...(by ? { by } : {}) });
  });
  app.post('/api/admin/legal-holds', access, async (req, reply) => {
    const { contact, reason, reference, by } = body(HoldBody, req);
    return reply.code(201).send(await requestLegalHold(deps, contact, { audit: opts.auditOf(req), reason, by, ...(reference ? { reference } : {}) }));
  });
  app.post<{ Params: { id: string; step: string } }>('/api/admin/legal-holds/:id/:step', access, async (req) => {
    const step = parseInput(HoldStep, req.params.step, 'The step is approve, lift or confirm-lift.');
    const id = parseInput(z.uuid(), req.params.id, 'A legal hold is named by its id (a UUID).');
    const { by, reason } = body(HoldStepBody, req);
    return advanceLegalHold(deps, id, step, { audit: opts.auditOf(req), by, ...(reason ? { reason } : {}) });
  });
  app.post('/api/admin/retention/sweep', access, async (req) => {
    const { dryRun } = body(SweepBody, req);
    return runSweep(opts.db, { now: new Date(), keyedHash: opts.keyedHash, dryRun });
  });
}
