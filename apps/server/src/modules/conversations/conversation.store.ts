import type { InboundContent } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { type Executor, query, toPgArray } from '../../platform/db.js';

export type ConversationState = 'bot' | 'queued' | 'agent' | 'resolved';

export interface InboundMessageInput {
  workspaceId: string;
  channelId: string;
  kind: string;
  address: string;
  profileName?: string;
  providerMessageId: string;
  replyToProviderId?: string;
  content: InboundContent;
  providerTimestamp: Date;
}

export interface ReceivedMessage {
  conversationId: string;
  state: ConversationState;
  /** The bot's run in this conversation (FlowRunState JSON), null when none. */
  flowState: unknown;
  /** True when this message opened the conversation. */
  isNew: boolean;
  contactLanguage: string | null;
  /** The runner's latest menu in this conversation (see flows' TurnInput.lastMenu). */
  lastMenu: Array<{ id: string; title: string }> | null;
  /** Undefined when this provider message was stored before (a redelivery). */
  messageId: string | undefined;
}

/**
 * The hot path of inbound messages, set-based in ONE statement: find or create each contact behind its address
 * (keeping the profile name current), find or create each conversation and LOCK it (the upsert takes the row
 * lock), and store each message (a redelivered provider id stores nothing). The inputs must be of different
 * conversations — the job queue's ordering keys guarantee it. Returns one result per input, in order, or
 * undefined for an input whose identity a concurrent transaction created first (the caller retries).
 */
export async function receiveInboundMessages(ex: Executor, inputs: InboundMessageInput[]): Promise<Array<ReceivedMessage | undefined>> {
  if (inputs.length === 0) {
    return [];
  }
  const contactIdFor = newContactIds();
  const col = <T extends string | null>(f: (i: InboundMessageInput) => T) => toPgArray(inputs.map(f));
  const rows = await query<{ ord: number; conversationId: string; state: ConversationState; flowState: unknown; lastMenu: Array<{ id: string; title: string }> | null; isNew: boolean; contactLanguage: string | null; messageId: string | null }>(
    ex,
    sql`with x as (
          -- a new contact is named by its profile name; the contact chooses its language later
          select u.*, u.name as display, null::text as lang
          from unnest(${col((i) => i.workspaceId)}::uuid[], ${col((i) => i.channelId)}::uuid[], ${col((i) => i.kind)}::text[],
                      ${col((i) => i.address)}::text[], ${col((i) => i.profileName ?? null)}::text[], ${col((i) => i.providerMessageId)}::text[],
                      ${col((i) => i.replyToProviderId ?? null)}::text[], ${col((i) => i.content.type)}::text[], ${col((i) => JSON.stringify(i.content))}::text[],
                      ${col((i) => i.providerTimestamp.toISOString())}::timestamptz[], ${col(contactIdFor)}::uuid[])
            with ordinality as u(ws, ch, kind, address, name, pmid, reply_to, type, content, ts, new_contact, ord)),
        ${CONVERSATION_CTES},
        msg as (
          insert into messages (workspace_id, conversation_id, channel_id, direction, type, content, provider_message_id, reply_to_provider_id, status, provider_timestamp)
          select x.ws, cv.id, x.ch, 'in', x.type, x.content::jsonb, x.pmid, x.reply_to, 'received', x.ts
          from x join contact c on c.ord = x.ord join conv cv on cv.channel_id = x.ch and cv.contact_id = c.contact_id
          order by x.ord
          on conflict (channel_id, provider_message_id) do nothing
          returning id, channel_id, provider_message_id)
        select x.ord::int as ord, cv.id as "conversationId", cv.state, cv.flow_state as "flowState", cv.last_menu as "lastMenu", cv.created as "isNew", ct.language as "contactLanguage",
               m.id as "messageId"
        from x join contact c on c.ord = x.ord join conv cv on cv.channel_id = x.ch and cv.contact_id = c.contact_id
        left join contacts ct on ct.id = c.contact_id
        left join msg m on m.channel_id = x.ch and m.provider_message_id = x.pmid`,
  );
  const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
  return inputs.map((_, i) => {
    const r = byOrd.get(i + 1);
    return r
      ? { conversationId: r.conversationId, state: r.state, flowState: r.flowState, lastMenu: r.lastMenu, isNew: r.isNew, contactLanguage: r.contactLanguage, messageId: r.messageId ?? undefined }
      : undefined;
  });
}

export interface OpenConversationInput {
  workspaceId: string;
  channelId: string;
  kind: string;
  /** Normalised by the channel's adapter. */
  address: string;
  /** For a contact created here: its name and language (an existing contact keeps its own). */
  displayName?: string;
  language?: string;
}

export interface OpenedConversation {
  conversationId: string;
  contactId: string;
  /** True when the contact was created here. */
  contactCreated: boolean;
  contactLanguage: string | null;
  /** When the contact last wrote in this conversation (null: never — no customer-service window). */
  lastInboundAt: Date | null;
}

/**
 * Finds or creates the contact, identity and conversation for addresses Parley has not necessarily seen (an import,
 * the admin API) — the same statement parts as an inbound message, without a message, so the conversation has no
 * inbound time (no open window). Locks each conversation. Returns one result per input, or undefined for an input
 * whose identity a concurrent transaction created first (the caller retries).
 */
export async function openConversations(ex: Executor, inputs: OpenConversationInput[]): Promise<Array<OpenedConversation | undefined>> {
  if (inputs.length === 0) {
    return [];
  }
  const contactIdFor = newContactIds();
  const col = <T extends string | null>(f: (i: OpenConversationInput) => T) => toPgArray(inputs.map(f));
  const rows = await query<{ ord: number; conversationId: string; contactId: string; contactCreated: boolean; contactLanguage: string | null; lastInboundAt: Date | string | null }>(
    ex,
    sql`with x as (
          select u.ws, u.ch, u.kind, u.address, null::text as name, u.display, u.lang, null::timestamptz as ts, u.new_contact, u.ord
          from unnest(${col((i) => i.workspaceId)}::uuid[], ${col((i) => i.channelId)}::uuid[], ${col((i) => i.kind)}::text[], ${col((i) => i.address)}::text[],
                      ${col((i) => i.displayName ?? null)}::text[], ${col((i) => i.language ?? null)}::text[], ${col(contactIdFor)}::uuid[])
            with ordinality as u(ws, ch, kind, address, display, lang, new_contact, ord)),
        ${CONVERSATION_CTES}
        select x.ord::int as ord, cv.id as "conversationId", c.contact_id as "contactId", (c.contact_id = x.new_contact) as "contactCreated",
               coalesce(ct.language, case when c.contact_id = x.new_contact then x.lang end) as "contactLanguage", cv.last_inbound_at as "lastInboundAt"
        from x join contact c on c.ord = x.ord join conv cv on cv.channel_id = x.ch and cv.contact_id = c.contact_id
        left join contacts ct on ct.id = c.contact_id`,
  );
  const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
  return inputs.map((_, i) => {
    const r = byOrd.get(i + 1);
    return r
      ? { conversationId: r.conversationId, contactId: r.contactId, contactCreated: r.contactCreated, contactLanguage: r.contactLanguage, lastInboundAt: r.lastInboundAt === null ? null : new Date(r.lastInboundAt) }
      : undefined;
  });
}

/**
 * The statement parts that find or create each row's contact (keeping the identity's profile name current) and
 * its conversation, locking it. They read `x(ws, ch, kind, address, name, display, lang, ts, new_contact, ord)`:
 * `name` is the provider's profile name, `display`/`lang` name a contact created here, `ts` is the inbound time
 * (null: none). They define `contact(ord, contact_id)` and `conv(id, channel_id, contact_id, …)`.
 */
const CONVERSATION_CTES = sql`
        existing as (
          select x.ord, ci.contact_id from x join contact_identities ci on ci.workspace_id = x.ws and ci.kind = x.kind and ci.address = x.address),
        latest as (
          -- per identity, the newest row of the batch: its profile name is the current one
          select distinct on (x.ws, x.kind, x.address) x.* from x order by x.ws, x.kind, x.address, x.ord desc),
        missing as (
          select l.* from latest l where not exists (select 1 from existing e join x on x.ord = e.ord where x.ws = l.ws and x.kind = l.kind and x.address = l.address)),
        created as (
          insert into contacts (id, workspace_id, display_name, language) select new_contact, ws, display, lang from missing returning id),
        identity as (
          insert into contact_identities (workspace_id, contact_id, kind, address, profile_name)
          select ws, new_contact, kind, address, name from missing
          on conflict (workspace_id, kind, address) do nothing
          returning contact_id, workspace_id, kind, address),
        contact as (
          select x.ord, coalesce(e.contact_id, i.contact_id) as contact_id from x
          left join existing e on e.ord = x.ord
          left join identity i on i.workspace_id = x.ws and i.kind = x.kind and i.address = x.address),
        renamed as (
          update contact_identities ci set profile_name = l.name from latest l
          where ci.workspace_id = l.ws and ci.kind = l.kind and ci.address = l.address and l.name is not null and ci.profile_name is distinct from l.name),
        conv as (
          insert into conversations (workspace_id, channel_id, contact_id, address, last_inbound_at, last_message_at)
          select x.ws, x.ch, c.contact_id, x.address, x.ts, x.ts from x join contact c on c.ord = x.ord where c.contact_id is not null
          -- lock order (channel, address), the dispatcher's too: the two cannot deadlock
          order by x.ch, x.address
          on conflict (channel_id, contact_id) do update set
            -- greatest() ignores nulls: a row without an inbound time keeps the conversation's
            last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at),
            last_message_at = greatest(conversations.last_message_at, excluded.last_message_at),
            address = excluded.address
          returning id, channel_id, contact_id, state, flow_state, last_menu, last_inbound_at, (xmax = 0) as created)`;

/** A new contact's id is chosen before the statement so rows can be matched to it; rows sharing an identity share it. */
function newContactIds(): (i: { workspaceId: string; kind: string; address: string }) => string {
  const ids = new Map<string, string>();
  return (i) => {
    const key = `${i.workspaceId}|${i.kind}|${i.address}`;
    let id = ids.get(key);
    if (!id) {
      id = randomUUID();
      ids.set(key, id);
    }
    return id;
  };
}
