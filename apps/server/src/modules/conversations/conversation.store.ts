import type { InboundContent } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, query, queryOne } from '../../platform/db.js';

export type ConversationState = 'bot' | 'queued' | 'agent' | 'resolved';

export interface ConversationRow {
  id: string;
  state: ConversationState;
}

/**
 * The conversation of a contact on a channel, created on first contact and LOCKED for the rest of the
 * transaction (the upsert takes the row lock), so its events are applied one at a time.
 */
export async function lockConversation(
  ex: Executor,
  c: { workspaceId: string; channelId: string; contactId: string; address: string; inboundAt?: Date },
): Promise<ConversationRow> {
  const at = c.inboundAt?.toISOString() ?? null;
  return queryOne<ConversationRow>(
    ex,
    sql`insert into conversations (workspace_id, channel_id, contact_id, address, last_inbound_at, last_message_at)
        values (${c.workspaceId}, ${c.channelId}, ${c.contactId}, ${c.address}, ${at}::timestamptz, coalesce(${at}::timestamptz, now()))
        on conflict (channel_id, contact_id) do update set
          last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at),
          last_message_at = greatest(conversations.last_message_at, excluded.last_message_at),
          address = excluded.address
        returning id, state`,
  );
}

/** Stores an inbound message; returns its id, or undefined when the provider id is stored already. */
export async function insertInboundMessage(
  ex: Executor,
  m: { workspaceId: string; conversationId: string; channelId: string; providerMessageId: string; replyToProviderId?: string; content: InboundContent; providerTimestamp: Date },
): Promise<string | undefined> {
  const rows = await query<{ id: string }>(
    ex,
    sql`insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, provider_message_id, reply_to_provider_id, status, provider_timestamp)
        values (${m.workspaceId}, ${m.conversationId}, ${m.channelId}, 'in', ${m.content.type}, ${JSON.stringify(m.content)}::jsonb,
                ${m.providerMessageId}, ${m.replyToProviderId ?? null}, 'received', ${m.providerTimestamp.toISOString()}::timestamptz)
        on conflict (channel_id, provider_message_id) do nothing
        returning id`,
  );
  return rows[0]?.id;
}
