/**
 * All SQL of the access export (GDPR-18): read-only queries over the tables other modules write. Every function
 * takes the caller's executor, so the service runs them all inside ONE repeatable-read snapshot. Timestamps come
 * back as ISO 8601 UTC strings with milliseconds, formatted by the database, so both drivers give the same text.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';

/** A timestamp column as `2026-11-22T10:00:00.000Z`, or null. */
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export type ContactRow = { id: string; displayName: string | null; language: string | null; createdAt: string; updatedAt: string };

export async function findContact(ex: Executor, workspaceId: string, contactId: string): Promise<ContactRow | undefined> {
  const rows = await query<ContactRow>(
    ex,
    sql`select id, display_name as "displayName", language, ${iso(sql`created_at`)} as "createdAt", ${iso(sql`updated_at`)} as "updatedAt"
        from contacts where workspace_id = ${workspaceId} and id = ${contactId}`,
  );
  return rows[0];
}

/**
 * The contacts with an identity on this phone number, on any channel kind. Adapters store phone addresses as
 * digits (WhatsApp wa_ids); an address written with `+`, spaces or dashes matches too, but nothing with letters
 * or `@` (web chat ids, e-mail) — their digits are not a phone number.
 */
export async function listContactIdsByPhone(ex: Executor, workspaceId: string, digits: string): Promise<string[]> {
  const rows = await query<{ contactId: string }>(
    ex,
    sql`select distinct contact_id as "contactId" from contact_identities
        where workspace_id = ${workspaceId} and address ~ '^\\+?[0-9 ()./-]+$'
          and regexp_replace(regexp_replace(address, '[^0-9+]', '', 'g'), '^(\\+|00)', '') = ${digits}
        order by contact_id`,
  );
  return rows.map((r) => r.contactId);
}

export type IdentityRow = { id: string; kind: string; address: string; profileName: string | null; createdAt: string };

export async function listIdentities(ex: Executor, workspaceId: string, contactId: string): Promise<IdentityRow[]> {
  return query<IdentityRow>(
    ex,
    sql`select id, kind, address, profile_name as "profileName", ${iso(sql`created_at`)} as "createdAt"
        from contact_identities where workspace_id = ${workspaceId} and contact_id = ${contactId} order by created_at, kind, address`,
  );
}

export type ConversationRow = {
  id: string;
  channelId: string;
  channelKind: string | null;
  channelSlug: string | null;
  channelName: string | null;
  address: string;
  state: string;
  flowState: unknown;
  lastMenu: unknown;
  createdAt: string;
  lastInboundAt: string | null;
  lastMessageAt: string | null;
};

export async function listConversations(ex: Executor, workspaceId: string, contactId: string): Promise<ConversationRow[]> {
  return query<ConversationRow>(
    ex,
    sql`select c.id, c.channel_id as "channelId", ch.kind as "channelKind", ch.slug as "channelSlug", ch.name as "channelName",
               c.address, c.state, c.flow_state as "flowState", c.last_menu as "lastMenu", ${iso(sql`c.created_at`)} as "createdAt",
               ${iso(sql`c.last_inbound_at`)} as "lastInboundAt", ${iso(sql`c.last_message_at`)} as "lastMessageAt"
        from conversations c left join channels ch on ch.id = c.channel_id
        where c.workspace_id = ${workspaceId} and c.contact_id = ${contactId} order by c.created_at, c.id`,
  );
}

export type MessageRow = {
  id: string;
  conversationId: string;
  direction: string;
  type: string;
  content: Record<string, unknown>;
  purpose: string;
  contentRefs: string[] | null;
  gateReason: string | null;
  providerMessageId: string | null;
  replyToProviderId: string | null;
  status: string;
  errorCode: string | null;
  errorReason: string | null;
  providerTimestamp: string | null;
  createdAt: string;
  updatedAt: string;
};

export async function listMessages(ex: Executor, workspaceId: string, conversationIds: string[]): Promise<MessageRow[]> {
  if (conversationIds.length === 0) {
    return [];
  }
  return query<MessageRow>(
    ex,
    sql`select id, conversation_id as "conversationId", direction, type, content, purpose, content_refs as "contentRefs",
               gate_reason as "gateReason", provider_message_id as "providerMessageId", reply_to_provider_id as "replyToProviderId",
               status, error_code as "errorCode", error_reason as "errorReason", ${iso(sql`provider_timestamp`)} as "providerTimestamp",
               ${iso(sql`created_at`)} as "createdAt", ${iso(sql`updated_at`)} as "updatedAt"
        from messages where workspace_id = ${workspaceId} and conversation_id = any(${toPgArray(conversationIds)}::uuid[])
        order by created_at, id`,
  );
}

export type StatusEventRow = { messageId: string; status: string; errorCode: string | null; errorReason: string | null; occurredAt: string | null; receivedAt: string };

export async function listStatusEvents(ex: Executor, workspaceId: string, messageIds: string[]): Promise<StatusEventRow[]> {
  if (messageIds.length === 0) {
    return [];
  }
  return query<StatusEventRow>(
    ex,
    sql`select message_id as "messageId", status, error_code as "errorCode", error_reason as "errorReason",
               ${iso(sql`occurred_at`)} as "occurredAt", ${iso(sql`received_at`)} as "receivedAt"
        from message_status_events where workspace_id = ${workspaceId} and message_id = any(${toPgArray(messageIds)}::uuid[])
        order by coalesce(occurred_at, received_at), id`,
  );
}

/** An unanswered question, with what the person did next (picked an offered item, or asked for a person). */
export type UnansweredRow = { id: number; conversationId: string; text: string; language: string; createdAt: string; outcome: string | null; pickedItem: string | null };

export async function listUnansweredQuestions(ex: Executor, workspaceId: string, conversationIds: string[]): Promise<UnansweredRow[]> {
  if (conversationIds.length === 0) {
    return [];
  }
  const rows = await query<Omit<UnansweredRow, 'id'> & { id: string }>(
    ex,
    sql`select id::text as id, conversation_id as "conversationId", text, language, ${iso(sql`created_at`)} as "createdAt", outcome, picked_item as "pickedItem"
        from unanswered_questions where workspace_id = ${workspaceId} and conversation_id = any(${toPgArray(conversationIds)}::uuid[])
        order by created_at, id`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export type SubscriptionRow = { id: string; topicSlug: string; status: string; conversationId: string | null; subscribedAt: string | null; endedAt: string | null; updatedAt: string };

export async function listSubscriptions(ex: Executor, workspaceId: string, contactId: string): Promise<SubscriptionRow[]> {
  return query<SubscriptionRow>(
    ex,
    sql`select id, topic_slug as "topicSlug", status, conversation_id as "conversationId", ${iso(sql`subscribed_at`)} as "subscribedAt",
               ${iso(sql`ended_at`)} as "endedAt", ${iso(sql`updated_at`)} as "updatedAt"
        from topic_subscriptions where workspace_id = ${workspaceId} and contact_id = ${contactId} order by topic_slug`,
  );
}

export type AuditRow = {
  seq: number;
  at: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  actorKind: string;
  actorId: string | null;
  outcome: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  hash: string;
};

/** Audit entries whose object is one of `objectIds` (the contact, its conversations, messages, consent events …). */
export async function listAuditEntries(ex: Executor, workspaceId: string, objectIds: string[]): Promise<AuditRow[]> {
  const rows = await query<Omit<AuditRow, 'seq'> & { seq: string }>(
    ex,
    sql`select seq::text as seq, ${iso(sql`at`)} as at, action, object_type as "objectType", object_id as "objectId",
               actor_kind as "actorKind", actor_id as "actorId", outcome, reason, before, after, hash
        from audit_log where workspace_id = ${workspaceId} and object_id = any(${toPgArray(objectIds)}::text[]) order by seq`,
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export type WorkspaceRow = { id: string; slug: string; name: string };

export async function findWorkspace(ex: Executor, workspaceId: string): Promise<WorkspaceRow | undefined> {
  const rows = await query<WorkspaceRow>(ex, sql`select id, slug, name from workspaces where id = ${workspaceId}`);
  return rows[0];
}
