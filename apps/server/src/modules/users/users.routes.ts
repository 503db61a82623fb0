/**
 * `GET|POST /api/admin/users`, `PATCH /api/admin/users/:ref`, `POST /api/admin/users/:ref/password`,
 * `GET|DELETE /api/admin/users/:ref/sessions` (`:ref` is the user's id or e-mail address): user administration,
 * admins only. Also the CLI's path (`parley user …`) while the
 * server holds the embedded database.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/index.js';
import { parseInput } from '../../platform/errors.js';
import type { RouteAccess } from './access.policy.js';
import type { UserService } from './users.service.js';
import { CreateUserBody, SetPasswordBody, UpdateUserBody } from './users.schemas.js';

const ADMIN: RouteAccess = { roles: ['admin'] };

export async function userRoutes(app: FastifyInstance, deps: { users: UserService; auditOf: (req: FastifyRequest) => AuditContext }): Promise<void> {
  app.get('/api/admin/users', { config: { access: ADMIN } }, async () => ({ users: await deps.users.listUsers() }));

  app.post('/api/admin/users', { config: { access: ADMIN } }, async (req, reply) => {
    const body = parseInput(CreateUserBody, req.body);
    return reply.code(201).send(await deps.users.createUser(body, deps.auditOf(req)));
  });

  app.patch<{ Params: { ref: string } }>('/api/admin/users/:ref', { config: { access: ADMIN } }, async (req) => {
    const body = parseInput(UpdateUserBody, req.body);
    return { user: await deps.users.updateUser(req.params.ref, body, deps.auditOf(req)) };
  });

  app.post<{ Params: { ref: string } }>('/api/admin/users/:ref/password', { config: { access: ADMIN } }, async (req) => {
    const body = parseInput(SetPasswordBody, req.body ?? {});
    return deps.users.setPassword(req.params.ref, body.password, deps.auditOf(req));
  });

  // SEC-07: an admin sees where a person is signed in and can end those sessions; their own current one is spared.
  const ownSession = (req: FastifyRequest) => (req.principal?.kind === 'user' ? req.principal.session.tokenHash : undefined);
  app.get<{ Params: { ref: string } }>('/api/admin/users/:ref/sessions', { config: { access: ADMIN } }, async (req) => ({
    sessions: await deps.users.listSessions(req.params.ref, ownSession(req)),
  }));

  app.delete<{ Params: { ref: string } }>('/api/admin/users/:ref/sessions', { config: { access: ADMIN } }, async (req) => {
    const self = req.principal?.kind === 'user' && (await deps.users.getUser(req.params.ref)).id === req.principal.userId;
    return deps.users.endSessions(req.params.ref, deps.auditOf(req), self ? ownSession(req) : undefined);
  });
}
