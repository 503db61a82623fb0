/**
 * Sending through the API (issue #4 item 6: "every outbound message — bot reply, agent reply, API send …"): the
 * message goes into the same outbox as a bot reply and meets the same send gate at dispatch. Nothing decides early:
 * the caller waits (up to `waitMs`) for the gate's decision at dispatch and gets it — a block as problem JSON with
 * the gate's reason code (`send.window_closed`, `send.no_consent` …), the message kept as `blocked` and audited.
 * A template whose parameters do not fit the registry is refused before anything is stored (132000/132001 never
 * reach the provider).
 *
 * Agents' replies from the inbox (modules/composer) use the same parts: `queueMessages`, `awaitGateDecisions` and
 * `blockedSendError`.
 */
import { OutboundContent } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, query, toPgArray, type Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, appendAudit } from '../audit/index.js';
import { openConversations } from '../conversations/index.js';
import { checkTemplateMessage } from '../templates/index.js';
import { enqueueOutbound, type MessageAuthor, type OutboundInput } from './outbound.store.js';

export const SendMessageBody = z
  .object({
    /** The conversation to write in … */
    conversationId: z.uuid().optional(),
    /** … or a channel (slug) and the contact's address on it; a new address opens a conversation. */
    channel: z.string().min(1).max(100).optional(),
    to: z.string().trim().min(3).max(200).optional(),
    /** What the message is for (workspace.yaml purposes); `service` is a reply the contact asked for. */
    purpose: z.string().min(1).max(100).default('service'),
    content: OutboundContent,
    /** Library items the message carries (re-checked at dispatch, MLR-01). */
    contentRefs: z.array(z.string().min(1).max(200)).max(20).optional(),
    /** Wait for the gate's decision (default); `false` answers 202 at once. */
    wait: z.boolean().default(true),
  })
  .strict()
  .refine((b) => (b.conversationId !== undefined) !== (b.channel !== undefined && b.to !== undefined), {
    message: 'Name the conversation ("conversationId") or the channel and address ("channel", "to"), not both.',
  });
export type SendMessageBody = z.infer<typeof SendMessageBody>;

export interface SentMessage {
  id: string;
  conversationId: string;
  status: string;
  /** The gate's reason code once it decided; null while the message waits for dispatch. */
  gateReason: string | null;
}

export async function sendMessage(deps: { db: Db; wake: () => void; waitMs?: number }, workspaceId: string, body: SendMessageBody, audit: AuditContext): Promise<SentMessage> {
  const { db } = deps;
  const target = await resolveTarget(db, workspaceId, body);
  const invalidTemplate = await checkTemplateMessage(db, { channelId: target.channelId, content: body.content });
  if (invalidTemplate) {
    throw new AppError(invalidTemplate.code, invalidTemplate.reason, { errors: invalidTemplate.errors });
  }
  const id = await db.transaction(async (tx) => {
    const [conversationId] = target.conversationId ? [target.conversationId] : [(await openConversations(tx, [{ workspaceId, channelId: target.channelId, kind: target.kind, address: body.to! }]))[0]?.conversationId];
    if (!conversationId) {
      throw new AppError('conversation.not_found', 'The conversation could not be opened.');
    }
    target.conversationId = conversationId;
    const [messageId] = await queueMessages(tx, [{ workspaceId, conversationId, channelId: target.channelId, content: body.content, purpose: body.purpose, ...(body.contentRefs ? { contentRefs: body.contentRefs } : {}) }], audit);
    return messageId!;
  });
  deps.wake();
  const [sent] = body.wait ? await awaitGateDecisions(db, [id], deps.waitMs ?? 5000) : await readMessages(db, [id]);
  const blocked = blockedSendError([sent!]);
  if (blocked) {
    throw blocked;
  }
  return sent!;
}

/**
 * Queues messages through the ONE outbound pipeline (enqueueOutbound) with an audit entry each, `message.queued`,
 * naming who asked for it (AUD-02), in the caller's transaction. The gate's decision follows at dispatch as
 * `send.decided`. Ids only, no content (AUD-07). Returns the message ids in input order.
 */
export async function queueMessages(tx: Tx, messages: OutboundInput[], audit: AuditContext): Promise<string[]> {
  const author = authorOf(audit);
  const ids = await enqueueOutbound(tx, messages.map((m) => ({ ...m, author: m.author ?? author })));
  await appendAudit(
    tx,
    messages.map((m, i) => ({
      workspaceId: m.workspaceId,
      ...audit,
      action: 'message.queued',
      object: { type: 'message', id: ids[i]! },
      after: { conversation: m.conversationId, purpose: m.purpose ?? 'service', type: m.content.type, ...(m.contentRefs?.length ? { items: m.contentRefs } : {}) },
    })),
  );
  return ids;
}

/**
 * The messages once the gate decided each (or it failed at the provider), or as they stand after `waitMs` — an
 * undecided one has `gateReason` null. Call `wake()` after the commit first, so a local worker dispatches at once.
 */
export async function awaitGateDecisions(db: Db, ids: string[], waitMs: number): Promise<SentMessage[]> {
  const until = Date.now() + waitMs;
  for (;;) {
    const rows = await readMessages(db, ids);
    if (rows.every((row) => row.gateReason !== null || row.status === 'failed') || Date.now() >= until) {
      return rows;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A block as the caller's error: the gate's reason code (`send.window_closed`, `send.restricted` …; 422) with the
 * blocked message's id. Undefined when none of `sent` was blocked.
 */
export function blockedSendError(sent: SentMessage[]): AppError | undefined {
  const blocked = sent.find((m) => m.status === 'blocked');
  if (!blocked) {
    return undefined;
  }
  return new AppError(blocked.gateReason ?? 'send.blocked', `The send gate blocked the message (${blocked.gateReason}); it was not sent and will not be retried.`, {
    messageId: blocked.id,
    conversationId: blocked.conversationId,
    ...(sent.length > 1 ? { messageIds: sent.map((m) => m.id) } : {}),
  });
}

export async function readMessage(db: Db, id: string, workspaceId?: string): Promise<SentMessage> {
  const [row] = await readMessages(db, [id], workspaceId);
  if (!row) {
    throw new AppError('message.not_found', `There is no outbound message ${id}.`);
  }
  return row;
}

/** Outbound messages by id, in the order asked (missing ones are left out). */
async function readMessages(db: Db, ids: string[], workspaceId?: string): Promise<SentMessage[]> {
  const rows = await query<SentMessage>(
    db,
    sql`select id, conversation_id as "conversationId", status, gate_reason as "gateReason" from messages
        where id = any(${toPgArray(ids)}::uuid[]) and direction = 'out' ${workspaceId ? sql`and workspace_id = ${workspaceId}` : sql``}`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

async function resolveTarget(db: Db, workspaceId: string, body: SendMessageBody): Promise<{ conversationId: string | undefined; channelId: string; kind: string }> {
  if (body.conversationId) {
    const [row] = await query<{ channelId: string; kind: string }>(
      db,
      sql`select c.channel_id as "channelId", ch.kind from conversations c join channels ch on ch.id = c.channel_id where c.id = ${body.conversationId} and c.workspace_id = ${workspaceId}`,
    );
    if (!row) {
      throw new AppError('conversation.not_found', `There is no conversation ${body.conversationId}.`);
    }
    return { conversationId: body.conversationId, ...row };
  }
  const [channel] = await query<{ id: string; kind: string }>(db, sql`select id, kind from channels where slug = ${body.channel!} and workspace_id = ${workspaceId}`);
  if (!channel) {
    throw new AppError('channel.not_found', `There is no channel "${body.channel}".`);
  }
  const [existing] = await query<{ id: string }>(db, sql`select id from conversations where channel_id = ${channel.id} and address = ${body.to!}`);
  return { conversationId: existing?.id, channelId: channel.id, kind: channel.kind };
}

/** The message's author is whoever the audit trail names as its actor: a signed-in user, or the kind of caller. */
function authorOf(audit: AuditContext): MessageAuthor {
  const { kind, id } = audit.actor;
  if (kind === 'user' && id) {
    return { kind: 'user', userId: id };
  }
  return { kind: kind === 'api' || kind === 'cli' ? kind : 'system' };
}
