/**
 * `GET /api/admin/contacts/:ref/export` (GDPR-18, GDPR-06): the access export as JSON or as a printable HTML page;
 * registered inside the guarded admin scope (http/admin.routes.ts). The CLI's `parley contact export` uses it
 * while the server holds the embedded database.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db.js';
import { parseInput } from '../../platform/errors.js';
import type { AuditContext } from '../audit/index.js';
import { renderContactExport } from './privacy.service.js';

const ExportQuery = z.object({
  format: z.enum(['json', 'html']).default('json'),
  lang: z.enum(['de', 'en']).default('en'),
  consentOnly: z.enum(['true', 'false', '1', '0']).optional(),
  /** The access request (GDPR-17) this export answers: its requester must be verified. */
  request: z.string().uuid().optional(),
});

export async function privacyRoutes(app: FastifyInstance, deps: { db: Db; workspaceId: string; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  app.get<{ Params: { ref: string } }>('/api/admin/contacts/:ref/export', { config: { access: { roles: ['admin', 'compliance'] } } }, async (req, reply) => {
    const { format, lang, consentOnly, request } = parseInput(ExportQuery, req.query, 'format must be json or html, lang de or en, consentOnly true or false, request a request id.');
    const result = await renderContactExport(deps.db, deps.workspaceId, req.params.ref, {
      format,
      lang,
      consentOnly: consentOnly === 'true' || consentOnly === '1',
      audit: deps.auditOf(req),
      request,
    });
    // Personal data: never cached by a proxy or the browser.
    void reply.header('cache-control', 'no-store').header('x-contact-id', result.contactId).type(result.contentType);
    return reply.send(result.body);
  });
}
