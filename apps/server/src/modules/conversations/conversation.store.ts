import type { InboundContent } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';

export type ConversationState = 'bot' | 'queued' | 'agent' | 'resolved';

export interface ReceivedMessage {
  conversationId: string;
  state: ConversationState;
  /** Undefined when this provider message was stored before (a redelivery). */
  messageId: string | undefined;
}

/**
 * The hot path of an inbound message in ONE statement: find or create the contact behind the address, keep the
 * profile name current, find or create the conversation and LOCK it (the upsert takes the row lock), and store
 * the message (a redelivered provider id stores nothing). Undefined when a concurrent transaction created the
 * same identity first; the caller retries.
 */
export async function receiveInboundMessage(
  ex: Executor,
  m: {
    workspaceId: string;
    channelId: string;
    kind: string;
    address: string;
    profileName?: string;
    providerMessageId: string;
    replyToProviderId?: string;
    content: InboundContent;
    providerTimestamp: Date;
  },
): Promise<ReceivedMessage | undefined> {
  const name = m.profileName ?? null;
  const at = m.providerTimestamp.toISOString();
  const rows = await query<{ conversationId: string; state: ConversationState; messageId: string | null }>(
    ex,
    sql`with existing as (
          select contact_id from contact_identities where workspace_id = ${m.workspaceId} and kind = ${m.kind} and address = ${m.address}),
        created as (
          insert into contacts (workspace_id, display_name)
          select ${m.workspaceId}, ${name}::text where not exists (select 1 from existing)
          returning id),
        identity as (
          insert into contact_identities (workspace_id, contact_id, kind, address, profile_name)
          select ${m.workspaceId}, id, ${m.kind}, ${m.address}, ${name}::text from created
          on conflict (workspace_id, kind, address) do nothing
          returning contact_id),
        contact as (select contact_id from existing union all select contact_id from identity),
        renamed as (
          update contact_identities set profile_name = ${name}::text
          where workspace_id = ${m.workspaceId} and kind = ${m.kind} and address = ${m.address}
            and ${name}::text is not null and profile_name is distinct from ${name}::text),
        conv as (
          insert into conversations (workspace_id, channel_id, contact_id, address, last_inbound_at, last_message_at)
          select ${m.workspaceId}, ${m.channelId}, contact_id, ${m.address}, ${at}::timestamptz, ${at}::timestamptz from contact
          on conflict (channel_id, contact_id) do update set
            last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at),
            last_message_at = greatest(conversations.last_message_at, excluded.last_message_at),
            address = excluded.address
          returning id, state),
        msg as (
          insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, provider_message_id, reply_to_provider_id, status, provider_timestamp)
          select ${m.workspaceId}, conv.id, ${m.channelId}, 'in', ${m.content.type}, ${JSON.stringify(m.content)}::jsonb, ${m.providerMessageId},
                 ${m.replyToProviderId ?? null}, 'received', ${at}::timestamptz
          from conv
          on conflict (channel_id, provider_message_id) do nothing
          returning id)
        select conv.id as "conversationId", conv.state, (select id from msg) as "messageId" from conv`,
  );
  const row = rows[0];
  return row ? { conversationId: row.conversationId, state: row.state, messageId: row.messageId ?? undefined } : undefined;
}
