/**
 * Template registry administration (`/api/admin/templates`); registered inside the guarded admin scope
 * (http/admin.routes.ts), which is also the path the CLI takes while the server holds the embedded database.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../../platform/errors.js';
import type { AuditContext } from '../audit/index.js';
import type { TemplateService } from './templates.service.js';

const SyncTemplatesBody = z
  .object({
    channel: z.string().min(1).optional(),
    businessAccountId: z.string().regex(/^\d{5,30}$/, 'businessAccountId: the digits of the WhatsApp Business Account id').optional(),
    submit: z.boolean().optional(),
  })
  .strict();

const ListTemplatesQuery = z.object({ channel: z.string().min(1).optional() });

/** `POST /api/admin/templates/sync` → `{ channels: ChannelSyncSummary[] }`; `GET /api/admin/templates[?channel=]` → `{ templates }`. */
const NOT_VALID = 'The request is not valid.';

export async function templateRoutes(app: FastifyInstance, deps: { templates: TemplateService; workspaceId: string; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  app.post('/api/admin/templates/sync', { config: { access: { roles: ['admin'] } } }, async (req) => {
    const body = parseInput(SyncTemplatesBody, req.body ?? {}, NOT_VALID);
    const summaries = await deps.templates.syncTemplates(deps.workspaceId, { channelSlug: body.channel, businessAccountId: body.businessAccountId, submit: body.submit }, deps.auditOf(req));
    return { channels: summaries };
  });
  app.get('/api/admin/templates', { config: { access: { roles: ['admin', 'editor'] } } }, async (req) => {
    const query = parseInput(ListTemplatesQuery, req.query, NOT_VALID);
    return { templates: await deps.templates.listTemplateViews(deps.workspaceId, query.channel) };
  });
}

