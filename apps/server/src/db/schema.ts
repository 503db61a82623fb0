/**
 * THE schema of Parley (ARCHITECTURE §9). Every tenant table carries `workspace_id`.
 * Migrations are generated from this file with `npm run db:generate` into ./migrations.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

import { createdAt, id } from './columns.js';
import { users } from './schema-users.js';

export const workspaces = pgTable('workspaces', {
  id: id(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  defaultLanguage: text('default_language').notNull().default('de'),
  /** workspace.yaml (WorkspaceSettings): global commands, menu flow, hand-off queue, own runner texts. */
  settings: jsonb('settings').notNull().default({}).$type<Record<string, unknown>>(),
  createdAt: createdAt(),
});

export const channels = pgTable(
  'channels',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    kind: text('kind').notNull(),
    /** Part of the webhook URL (`/webhooks/:kind/:slug`); unique across the installation. */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    status: text('status').notNull().default('active'),
    /** Non-secret settings of the adapter (phone number id, API base URL, throughput, auto-reply …). */
    settings: jsonb('settings').notNull().$type<Record<string, unknown>>(),
    /** The provider's id of this sender (WhatsApp: phone number id): webhooks of one app name it per event. */
    providerRef: text('provider_ref'),
    /** Secrets (tokens, app secret) as AES-256-GCM ciphertext, see platform/crypto.ts. */
    secrets: text('secrets').notNull(),
    /** Token bucket shared by all processes: messages per second for this sender number. */
    rateTokens: real('rate_tokens').notNull().default(0),
    rateRefilledAt: timestamp('rate_refilled_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('channels_kind_slug_key').on(t.kind, t.slug),
    index('channels_workspace_idx').on(t.workspaceId),
    index('channels_provider_ref_idx').on(t.kind, t.providerRef),
  ],
);

/** Raw provider events, stored on the webhook request path under the provider's id (ARCHITECTURE §3 step 2). */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    channelId: uuid('channel_id').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('inbound_events_provider_key').on(t.channelId, t.providerEventId)],
);

/**
 * The transactional job table (ARCHITECTURE §9). Claimed with FOR UPDATE SKIP LOCKED; jobs that share an
 * `ordering_key` run strictly one after another in id order (a conversation's events, a conversation's sends).
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id'),
    queue: text('queue').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    orderingKey: text('ordering_key'),
    idempotencyKey: text('idempotency_key'),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(10),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('jobs_idempotency_key').on(t.queue, t.idempotencyKey),
    index('jobs_pending_idx').on(t.id).where(sql`status = 'pending'`),
    index('jobs_ordering_idx').on(t.orderingKey, t.id).where(sql`status in ('pending', 'running')`),
    index('jobs_running_idx').on(t.lockedUntil).where(sql`status = 'running'`),
    index('jobs_finished_idx').on(t.finishedAt).where(sql`status = 'done'`),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    displayName: text('display_name'),
    language: text('language'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contacts_workspace_idx').on(t.workspaceId)],
);

/** A contact's address on one kind of channel, normalised by the adapter (e.g. WhatsApp wa_id digits). */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id),
    kind: text('kind').notNull(),
    address: text('address').notNull(),
    profileName: text('profile_name'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contact_identities_address_key').on(t.workspaceId, t.kind, t.address),
    index('contact_identities_contact_idx').on(t.contactId),
  ],
);

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    channelId: uuid('channel_id').notNull().references(() => channels.id),
    contactId: uuid('contact_id').notNull().references(() => contacts.id),
    /** The contact's normalised address on this channel (where replies go). */
    address: text('address').notNull(),
    /** Ownership (ARCHITECTURE §6): bot → queued → agent → resolved | bot (modules/inbox/ownership.ts). */
    state: text('state').notNull().default('bot'),
    /** The inbox queue it waits in or came from (workspace.yaml `queues`); null while the bot has it. */
    queue: text('queue'),
    /** The agent who has it (state `agent`), or who resolved it. */
    assignedUserId: uuid('assigned_user_id').references(() => users.id),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** The last message (`messages.seq`) an agent has read: the contact's later messages count as unread. */
    agentReadSeq: bigint('agent_read_seq', { mode: 'number' }),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    /** The bot's flow run in this conversation (FlowRunState), null when none. */
    flowState: jsonb('flow_state').$type<Record<string, unknown>>(),
    /** The runner's latest menu (topic pages, "did you mean"), so a typed number picks from it; null when stale. */
    lastMenu: jsonb('last_menu').$type<Array<{ id: string; title: string }>>(),
    /** Per-recipient pair limit bucket (providers.md §4.5). */
    pairTokens: real('pair_tokens'),
    pairRefilledAt: timestamp('pair_refilled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('conversations_channel_contact_key').on(t.channelId, t.contactId),
    index('conversations_workspace_idx').on(t.workspaceId, t.lastMessageAt),
    // The inbox list: newest activity first (keyset on the expression and id), queues, an agent's own, load counts.
    index('conversations_activity_idx').on(t.workspaceId, sql`(coalesce(${t.lastMessageAt}, ${t.createdAt}))`, t.id),
    index('conversations_queue_idx').on(t.workspaceId, t.state, t.queue, t.queuedAt),
    index('conversations_assignee_idx').on(t.workspaceId, t.assignedUserId, t.state),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id),
    channelId: uuid('channel_id').notNull(),
    /** `in`, `out`, or `event`: a system event of the conversation (hand-off, taken, resolved …; type `system`). */
    direction: text('direction').notNull(),
    /** Insertion order across the installation: a conversation's history in the order it happened. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /** Channel-neutral type: text, menu, media, location, contacts, reaction, interactive_reply, order, system, unsupported, template … */
    type: text('type').notNull(),
    content: jsonb('content').notNull().$type<Record<string, unknown>>(),
    /** The provider's id (wamid) — known for inbound at once, for outbound once the provider accepted it. */
    /** The purpose it resolved to (GDPR-01): `service` for replies unless the workspace configures others. */
    purpose: text('purpose').notNull().default('service'),
    /** Library items the message carries, re-checked by the send gate at dispatch (MLR-01, HWG-01). */
    contentRefs: jsonb('content_refs').$type<string[]>(),
    /**
     * Who had an outbound message sent: `bot`, a `user` (an agent; `author_user_id`), or a machine caller (`api`,
     * `cli`, `system`). Null for inbound messages, events, and messages stored before authors were recorded.
     */
    authorKind: text('author_kind'),
    authorUserId: uuid('author_user_id'),
    /** The send gate's reason code (send.allowed, send.window_closed …), set at dispatch. */
    gateReason: text('gate_reason'),
    providerMessageId: text('provider_message_id'),
    replyToProviderId: text('reply_to_provider_id'),
    /** in: received. out: queued → sending → accepted → sent → delivered → read, or failed (terminal). */
    status: text('status').notNull(),
    statusRank: integer('status_rank').notNull().default(0),
    errorCode: text('error_code'),
    errorReason: text('error_reason'),
    attempts: integer('attempts').notNull().default(0),
    sendingAt: timestamp('sending_at', { withTimezone: true }),
    providerTimestamp: timestamp('provider_timestamp', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_provider_key').on(t.channelId, t.providerMessageId),
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    index('messages_conversation_seq_idx').on(t.conversationId, t.seq),
  ],
);

/** Every status the provider reported, in arrival order; kept even for messages not (yet) known. */
export const messageStatusEvents = pgTable(
  'message_status_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    channelId: uuid('channel_id').notNull(),
    messageId: uuid('message_id'),
    providerMessageId: text('provider_message_id').notNull(),
    status: text('status').notNull(),
    errorCode: text('error_code'),
    errorReason: text('error_reason'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    details: jsonb('details'),
  },
  (t) => [
    index('message_status_events_message_idx').on(t.messageId),
    index('message_status_events_orphan_idx').on(t.channelId, t.providerMessageId).where(sql`message_id is null`),
  ],
);

/** Content topics: a tree that doubles as the pull menu. Not versioned (they carry no approved wording). */
export const topics = pgTable(
  'topics',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    slug: text('slug').notNull(),
    parentSlug: text('parent_slug'),
    title: jsonb('title').notNull().$type<Record<string, string>>(),
    description: jsonb('description').$type<Record<string, string>>(),
    sortOrder: integer('sort_order'),
    keywords: jsonb('keywords').$type<Record<string, string[]>>(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('topics_workspace_slug_key').on(t.workspaceId, t.slug)],
);

export const contentItems = pgTable(
  'content_items',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    slug: text('slug').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('content_items_workspace_slug_key').on(t.workspaceId, t.slug)],
);

/**
 * Versions of an item. An approved version's wording never changes (a database trigger refuses it, MLR-02):
 * an edit is a new version. Only approved versions valid now are visible to the bot.
 */
export const contentVersions = pgTable(
  'content_versions',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    itemId: uuid('item_id').notNull().references(() => contentItems.id),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    topicSlug: text('topic_slug').notNull(),
    audience: text('audience').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    /** Title, body, keywords, synonyms, questions, media, links — as in the workspace file. */
    data: jsonb('data').notNull().$type<Record<string, unknown>>(),
    /** sha256 of the canonical item: an unchanged file applies as a no-op. */
    hash: text('hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('content_versions_item_version_key').on(t.itemId, t.version), index('content_versions_workspace_idx').on(t.workspaceId, t.status)],
);

export const flows = pgTable(
  'flows',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    slug: text('slug').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('flows_workspace_slug_key').on(t.workspaceId, t.slug)],
);

/** Published flow versions; a conversation stays on the version it started with. */
export const flowVersions = pgTable(
  'flow_versions',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    flowId: uuid('flow_id').notNull().references(() => flows.id),
    version: integer('version').notNull(),
    status: text('status').notNull().default('published'),
    definition: jsonb('definition').notNull().$type<Record<string, unknown>>(),
    hash: text('hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('flow_versions_flow_version_key').on(t.flowId, t.version)],
);

/** Questions the library could not answer with confidence: the content team's to-do list (issue #3). */
export const unansweredQuestions = pgTable(
  'unanswered_questions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    text: text('text').notNull(),
    language: text('language').notNull(),
    /** What the matcher offered instead (item ids with confidence). */
    candidates: jsonb('candidates').notNull().$type<unknown[]>(),
    /**
     * What the person did next: `picked` one of the offered items (`picked_item`, its slug) or `escalated` to a
     * person. The content team's evidence of which item the question belongs to.
     */
    outcome: text('outcome'),
    pickedItem: text('picked_item'),
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('unanswered_questions_workspace_idx').on(t.workspaceId, t.createdAt)],
);

/** Processes alive in this installation; a worker whose heartbeat is stale loses its job leases. */
export const workers = pgTable('workers', {
  id: text('id').primaryKey(),
  roles: text('roles').notNull(),
  pid: integer('pid').notNull(),
  host: text('host').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Key/value facts about the installation itself (e.g. whether the demo was seeded). */
export const installation = pgTable('installation', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});


/**
 * Topics a contact subscribed to in a flow (subscribe/unsubscribe nodes), one row per contact and topic. Consent
 * for topic purposes and the send gate that checks it come with issue #4; programmes read active rows.
 */
export const topicSubscriptions = pgTable(
  'topic_subscriptions',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id),
    topicSlug: text('topic_slug').notNull(),
    /** active | ended */
    status: text('status').notNull(),
    /** The conversation (so the channel) the last change came from. */
    conversationId: uuid('conversation_id'),
    subscribedAt: timestamp('subscribed_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('topic_subscriptions_contact_topic_key').on(t.workspaceId, t.contactId, t.topicSlug), index('topic_subscriptions_topic_idx').on(t.workspaceId, t.topicSlug, t.status)],
);

// Compliance: audit trail, consent, templates (issue #4).
export * from './schema-compliance.js';
export * from './schema-privacy.js';
export * from './schema-users.js';
export * from './schema-inbox.js';
export * from './schema-realtime.js';
