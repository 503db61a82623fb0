/**
 * The admin API (`/api/admin/*`), used by the web app, by operators and by the CLI while the server holds the
 * embedded database. Each route declares its roles (http/access.ts checks them; the admin token acts as admin).
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { anchorAudit, exportAudit, getWorkspaceId, parseAuditExportOptions, verifyAudit } from '../modules/audit/index.js';
import { channelRoutes } from '../modules/channels/index.js';
import { listUnanswered } from '../modules/content/index.js';
import { createTemplateService, templateRoutes } from '../modules/templates/index.js';
import { outboundRoutes } from '../modules/outbound/index.js';
import { privacyRoutes, requestRoutes, rightsRoutes } from '../modules/privacy/index.js';
import { applyWorkspace, exportWorkspace } from '../modules/workspaces/index.js';
import { consentRoutes } from '../modules/consent/index.js';
import { createDoubleOptInService } from '../modules/double-opt-in/index.js';
import { AppError } from '../platform/errors.js';
import { readStats } from '../platform/stats.js';
import type { RouteAccess } from '../modules/users/index.js';
import { auditOf } from './access.js';

const ADMIN: RouteAccess = { roles: ['admin'] };
/** Reading the evidence: the audit trail and exports of it (AUD-08). */
const COMPLIANCE: RouteAccess = { roles: ['admin', 'compliance'] };
/** Content as files: apply and export the workspace. */
const CONTENT: RouteAccess = { roles: ['admin', 'editor'] };

export async function adminRoutes(app: FastifyInstance, opts: { deps: Deps }): Promise<void> {
  const { deps } = opts;
  const db = deps.database.db;
  const workspaceId = deps.workspace.id;
  await app.register(channelRoutes, { channels: deps.channels, workspaceId, auditOf });
  // `parley template sync|list` while the server holds the embedded database, and operators.
  await app.register(templateRoutes, { templates: createTemplateService({ db, channels: deps.channels }), workspaceId, auditOf });
  // `parley contact export` (GDPR-18, GDPR-06): GET /api/admin/contacts/:ref/export?format=&lang=&consentOnly=
  await app.register(privacyRoutes, { db, workspaceId, auditOf });
  await app.register(requestRoutes, { db, workspaceId, auditOf });
  // Sending through the API, past the same send gate (issue #4 item 6).
  await app.register(outboundRoutes, { db, workspaceId, wake: () => deps.wakeWorkers(), auditOf });
  // Objection, restriction, legal holds, erasure and the retention sweep (GDPR-15/16/20-23).
  await app.register(rightsRoutes, { db, workspaceId, keyedHash: (v) => deps.secretBox.keyedHash(v), auditOf });
  // Consent decisions recorded outside the chat: agent-recorded withdrawals (GDPR-16); imports and API numbers are
  // pending and asked to confirm on the channel (double opt-in, GDPR-10/11).
  const doubleOptIn = createDoubleOptInService({ db, keyedHash: (v) => deps.secretBox.keyedHash(v) });
  await app.register(consentRoutes, { db, workspaceId, auditOf, doubleOptIn });
  app.get('/api/admin/stats', { config: { access: ADMIN } }, async () => readStats(db));
  app.get<{ Querystring: { days?: string; limit?: string } }>('/api/admin/content/unanswered', { config: { access: CONTENT } }, async (req) => {
    const days = Number(req.query.days ?? 30);
    const limit = Number(req.query.limit ?? 50);
    if (!Number.isInteger(days) || days < 1 || days > 3650 || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new AppError('validation.failed', 'days must be 1–3650 and limit 1–1000.');
    }
    return { questions: await listUnanswered(db, workspaceId, { sinceDays: days, limit }) };
  });
  // The CLI's `parley apply` while the server holds the embedded database; the directory is on this machine.
  app.post<{ Body: { dir?: unknown } }>('/api/admin/apply', { config: { access: CONTENT } }, async (req, reply) => {
    const dir = req.body?.dir;
    if (typeof dir !== 'string' || !dir.startsWith('/')) {
      throw new AppError('validation.failed', 'Give the workspace directory as an absolute path: { "dir": "/…" }.');
    }
    const result = await applyWorkspace(db, workspaceId, dir, auditOf(req));
    return reply.code(result.ok ? 200 : 422).send(result);
  });
  // The CLI's `parley export` while the server holds the embedded database: the files as JSON, the CLI writes them.
  app.get('/api/admin/export', { config: { access: CONTENT } }, async (req) => exportWorkspace(db, workspaceId, auditOf(req)));
  // `parley audit verify|export` while the server holds the embedded database (AUD-04, AUD-08).
  app.post('/api/admin/audit/checkpoint', { config: { access: COMPLIANCE } }, async () => ({
    publicKey: deps.secretBox.signer.publicKeyPem,
    results: await anchorAudit(db, { signer: deps.secretBox.signer, anchorDir: deps.config.auditAnchorDir, now: new Date() }),
  }));
  app.get<{ Querystring: { workspace?: string } }>('/api/admin/audit/verify', { config: { access: COMPLIANCE } }, async (req) => verifyAudit(db, { workspaceSlug: req.query.workspace, publicKeyPem: deps.secretBox.signer.publicKeyPem }));
  app.get<{ Querystring: { workspace?: string; format?: string; since?: string; until?: string; action?: string } }>('/api/admin/audit/export', { config: { access: COMPLIANCE } }, async (req) => {
    const parsed = parseAuditExportOptions(req.query);
    if (!parsed.ok) {
      throw new AppError('validation.failed', parsed.message);
    }
    const target = req.query.workspace === undefined ? workspaceId : await getWorkspaceId(db, req.query.workspace);
    return exportAudit(db, { ...parsed.options, workspaceId: target, publicKeyPem: deps.secretBox.signer.publicKeyPem, ...auditOf(req) });
  });
}
