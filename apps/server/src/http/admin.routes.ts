/**
 * The admin API (`/api/admin/*`), used by the CLI while the server holds the embedded database and by operators.
 * One guard for all of it: the admin bearer token, until users and roles arrive (issue #5).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { type AuditContext, exportAudit, getWorkspaceId, parseAuditExportOptions, verifyAudit } from '../modules/audit/index.js';
import { channelRoutes } from '../modules/channels/index.js';
import { listUnanswered } from '../modules/content/index.js';
import { createTemplateService, templateRoutes } from '../modules/templates/index.js';
import { privacyRoutes } from '../modules/privacy/index.js';
import { applyWorkspace, exportWorkspace } from '../modules/workspaces/index.js';
import { consentRoutes } from '../modules/consent/index.js';
import { safeEqual } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import { readStats } from '../platform/stats.js';

export async function adminRoutes(app: FastifyInstance, opts: { deps: Deps; adminToken: string | undefined }): Promise<void> {
  const { deps, adminToken } = opts;
  const db = deps.database.db;
  const workspaceId = deps.workspace.id;
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!adminToken) {
      throw new AppError('auth.forbidden', 'The admin API is off: set PARLEY_ADMIN_TOKEN to use it.');
    }
    if (!token || !safeEqual(token, adminToken)) {
      throw new AppError('auth.required', 'A valid admin token is required (Authorization: Bearer …).');
    }
  });
  await app.register(channelRoutes, { channels: deps.channels, workspaceId, auditOf });
  // `parley template sync|list` while the server holds the embedded database, and operators.
  await app.register(templateRoutes, { templates: createTemplateService({ db, channels: deps.channels }), workspaceId, auditOf });
  // `parley contact export` (GDPR-18, GDPR-06): GET /api/admin/contacts/:ref/export?format=&lang=&consentOnly=
  await app.register(privacyRoutes, { db, workspaceId, auditOf });
  // Consent decisions recorded outside the chat: agent-recorded withdrawals (GDPR-16), imports as pending (GDPR-10).
  await app.register(consentRoutes, { db, workspaceId, auditOf });
  app.get('/api/admin/stats', async () => readStats(db));
  app.get<{ Querystring: { days?: string; limit?: string } }>('/api/admin/content/unanswered', async (req) => {
    const days = Number(req.query.days ?? 30);
    const limit = Number(req.query.limit ?? 50);
    if (!Number.isInteger(days) || days < 1 || days > 3650 || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new AppError('validation.failed', 'days must be 1–3650 and limit 1–1000.');
    }
    return { questions: await listUnanswered(db, workspaceId, { sinceDays: days, limit }) };
  });
  // The CLI's `parley apply` while the server holds the embedded database; the directory is on this machine.
  app.post<{ Body: { dir?: unknown } }>('/api/admin/apply', async (req, reply) => {
    const dir = req.body?.dir;
    if (typeof dir !== 'string' || !dir.startsWith('/')) {
      throw new AppError('validation.failed', 'Give the workspace directory as an absolute path: { "dir": "/…" }.');
    }
    const result = await applyWorkspace(db, workspaceId, dir, auditOf(req));
    return reply.code(result.ok ? 200 : 422).send(result);
  });
  // The CLI's `parley export` while the server holds the embedded database: the files as JSON, the CLI writes them.
  app.get('/api/admin/export', async (req) => exportWorkspace(db, workspaceId, auditOf(req)));
  // `parley audit verify|export` while the server holds the embedded database (AUD-04, AUD-08).
  app.get<{ Querystring: { workspace?: string } }>('/api/admin/audit/verify', async (req) => verifyAudit(db, { workspaceSlug: req.query.workspace }));
  app.get<{ Querystring: { workspace?: string; format?: string; since?: string; until?: string; action?: string } }>('/api/admin/audit/export', async (req) => {
    const parsed = parseAuditExportOptions(req.query);
    if (!parsed.ok) {
      throw new AppError('validation.failed', parsed.message);
    }
    const target = req.query.workspace === undefined ? workspaceId : await getWorkspaceId(db, req.query.workspace);
    return exportAudit(db, { ...parsed.options, workspaceId: target, ...auditOf(req) });
  });
}

/** Who acts through the admin API: the holder of the admin token, from this address (AUD-02). */
function auditOf(req: FastifyRequest): AuditContext {
  return { actor: { kind: 'api', id: 'admin-token' }, source: { ip: req.ip, userAgent: req.headers['user-agent'], channel: 'admin-api' }, correlationId: req.id };
}
