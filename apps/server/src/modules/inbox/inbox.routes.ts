/**
 * The inbox API (`/api/inbox/*`, docs/inbox.md) for agents and admins: the conversation list and one conversation's
 * history; take, assign, transfer, resolve, return to the bot, mark read; the queues and the people in them. Queue
 * membership is the admins'. Nothing here sends a message to a contact.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/index.js';
import type { RouteAccess } from '../users/index.js';
import { parseInput } from '../../platform/errors.js';
import type { InboxActor, InboxService } from './inbox.service.js';
import {
  AssignBody,
  ConversationHistoryQuery,
  ConversationParams,
  ListConversationsQuery,
  MarkReadBody,
  MediaParams,
  QueueMembersBody,
  QueueParams,
  TransferBody,
} from './inbox.schemas.js';
import type { QueueService } from './queues.service.js';
import { mediaHeaders } from './media.policy.js';
import { seesRestricted } from './inbox.policy.js';
import type { InboxMediaService } from './media.service.js';

/** Who works in the inbox. */
const INBOX: RouteAccess = { roles: ['admin', 'agent'] };
const ADMIN: RouteAccess = { roles: ['admin'] };

export interface InboxRouteDeps {
  inbox: InboxService;
  queues: QueueService;
  media: InboxMediaService;
  workspaceId: string;
  auditOf: (req: FastifyRequest) => AuditContext;
}

/** Who acts in an inbox request: the signed-in user (none for the admin token) and whether they are an admin. */
export function inboxActorOf(req: FastifyRequest, auditOf: (req: FastifyRequest) => AuditContext): InboxActor {
  const p = req.principal;
  return { audit: auditOf(req), userId: p?.kind === 'user' ? p.userId : undefined, admin: p?.roles.includes('admin') ?? false };
}

export async function inboxRoutes(app: FastifyInstance, deps: InboxRouteDeps): Promise<void> {
  const { inbox, workspaceId } = deps;
  const actorOf = (req: FastifyRequest): InboxActor => inboxActorOf(req, deps.auditOf);
  const idOf = (req: FastifyRequest) => parseInput(ConversationParams, req.params).id;

  app.get('/api/inbox/conversations', { config: { access: INBOX } }, async (req) => inbox.listConversations(workspaceId, parseInput(ListConversationsQuery, req.query), actorOf(req)));

  app.get('/api/inbox/conversations/:id', { config: { access: INBOX } }, async (req) => inbox.getConversation(workspaceId, idOf(req), parseInput(ConversationHistoryQuery, req.query), actorOf(req)));

  // A file the contact sent (image, voice note, video, document), fetched from the provider as it is opened.
  app.get('/api/inbox/conversations/:id/messages/:messageId/media', { config: { access: INBOX } }, async (req, reply) => {
    const { id, messageId } = parseInput(MediaParams, req.params);
    const file = await deps.media.open(workspaceId, id, messageId, actorOf(req));
    return reply.headers(mediaHeaders(file)).send(Readable.fromWeb(file.body as NodeReadableStream<Uint8Array>));
  });
  app.post('/api/inbox/conversations/:id/take', { config: { access: INBOX } }, async (req) => ({ conversation: await inbox.take(workspaceId, idOf(req), actorOf(req)) }));

  app.post('/api/inbox/conversations/:id/assign', { config: { access: INBOX } }, async (req) => {
    const body = parseInput(AssignBody, req.body ?? {});
    return { conversation: await inbox.assign(workspaceId, idOf(req), body.userId, actorOf(req)) };
  });

  app.post('/api/inbox/conversations/:id/transfer', { config: { access: INBOX } }, async (req) => {
    const body = parseInput(TransferBody, req.body ?? {}, 'give the person ({ "userId": "…" }) or the queue ({ "queue": "…" }) to transfer to');
    return { conversation: await inbox.transfer(workspaceId, idOf(req), body, actorOf(req)) };
  });

  app.post('/api/inbox/conversations/:id/resolve', { config: { access: INBOX } }, async (req) => ({ conversation: await inbox.resolve(workspaceId, idOf(req), actorOf(req)) }));

  app.post('/api/inbox/conversations/:id/return-to-bot', { config: { access: INBOX } }, async (req) => ({ conversation: await inbox.returnToBot(workspaceId, idOf(req), actorOf(req)) }));

  app.post('/api/inbox/conversations/:id/read', { config: { access: INBOX } }, async (req) => {
    const body = parseInput(MarkReadBody, req.body ?? {});
    return inbox.markRead(workspaceId, idOf(req), body.seq, actorOf(req));
  });

  // Counts as the reader's list shows them: an agent's without restricted contacts' conversations (GDPR-20).
  const counting = (req: FastifyRequest) => ({ hideRestricted: !seesRestricted(actorOf(req)) });
  app.get('/api/inbox/queues', { config: { access: INBOX } }, async (req) => ({ queues: await deps.queues.listQueues(workspaceId, counting(req)) }));

  app.put('/api/inbox/queues/:id/members', { config: { access: ADMIN } }, async (req) => {
    const queue = parseInput(QueueParams, req.params).id;
    const body = parseInput(QueueMembersBody, req.body ?? {});
    return { queue: await deps.queues.setMembers(workspaceId, queue, body.userIds, deps.auditOf(req)) };
  });

  app.get('/api/inbox/people', { config: { access: INBOX } }, async (req) => ({ people: await deps.queues.listPeople(workspaceId, counting(req)) }));
}
