/**
 * The agent's side of a conversation under `/api/inbox` (docs/inbox.md "Replying"), for agents and admins: what the
 * composer may offer, replies through the send gate, internal notes, the content picker, canned answers and the
 * contact panel.
 */
import { AgentMessageBody, NoteBody, PickerQuery } from '@parley/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../../platform/errors.js';
import type { AuditContext } from '../audit/index.js';
import { inboxActorOf } from '../inbox/index.js';
import type { RouteAccess } from '../users/index.js';
import type { ComposerService } from './composer.service.js';
import type { ContactPanelService } from './contact-panel.service.js';
import type { ReplyService } from './reply.service.js';

/** Who works in the inbox. Who may reply in a conversation is decided per conversation (its agent, or an admin). */
const INBOX: RouteAccess = { roles: ['admin', 'agent'] };

const ConversationParams = z.object({ id: z.uuid({ message: 'a conversation id is a UUID' }) });

export interface ComposerRouteDeps {
  composer: ComposerService;
  replies: ReplyService;
  contacts: ContactPanelService;
  workspaceId: string;
  auditOf: (req: FastifyRequest) => AuditContext;
}

export async function composerRoutes(app: FastifyInstance, deps: ComposerRouteDeps): Promise<void> {
  const { workspaceId } = deps;
  const actorOf = (req: FastifyRequest) => inboxActorOf(req, deps.auditOf);
  const idOf = (req: FastifyRequest) => parseInput(ConversationParams, req.params).id;

  app.get('/api/inbox/conversations/:id/composer', { config: { access: INBOX } }, async (req) => deps.composer.getComposer(workspaceId, idOf(req), actorOf(req)));

  app.post('/api/inbox/conversations/:id/messages', { config: { access: INBOX } }, async (req, reply) => {
    const id = idOf(req);
    const body = parseInput(AgentMessageBody, req.body ?? {});
    const { decided, result } = await deps.replies.send(workspaceId, id, body, actorOf(req));
    // 201: the gate allowed it (it may still be on its way); 202: not decided yet — the realtime feed or the
    // conversation's history tells the outcome (a block arrives as status `blocked` with its gateReason).
    return reply.code(decided ? 201 : 202).send(result);
  });

  app.post('/api/inbox/conversations/:id/notes', { config: { access: INBOX } }, async (req, reply) => {
    const id = idOf(req);
    const body = parseInput(NoteBody, req.body ?? {});
    return reply.code(201).send({ note: await deps.replies.addNote(workspaceId, id, body.text, actorOf(req)) });
  });

  app.get('/api/inbox/conversations/:id/contact', { config: { access: INBOX } }, async (req) => deps.contacts.getContactPanel(workspaceId, idOf(req), actorOf(req)));

  app.get('/api/inbox/library', { config: { access: INBOX } }, async (req) => ({ items: await deps.composer.listLibrary(workspaceId, parseInput(PickerQuery, req.query)) }));

  app.get('/api/inbox/canned', { config: { access: INBOX } }, async (req) => ({ answers: await deps.composer.listCanned(workspaceId, parseInput(PickerQuery, req.query)) }));
}
