/**
 * Tables of compliance (issue #4): the hash-chained audit trail, consent texts and the consent ledger (all
 * append-only by database triggers), and the WhatsApp template registry. Part of schema.ts (re-exported there).
 */
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
// Only inside references(() => …): evaluated lazily, so the import cycle with schema.ts is harmless.
import { channels, workspaces } from './schema.js';

/**
 * The audit trail (ARCHITECTURE §7, AUD-01..AUD-08): append-only, one hash chain per workspace
 * (`hash = sha256(prev_hash ‖ canonical_json(entry))`). Rows are written only by modules/audit in the transaction of
 * the change they record; database triggers refuse UPDATE, DELETE and TRUNCATE (AUD-03). No foreign key on
 * `workspace_id`: the trail must outlive what it describes, and the nil uuid names the installation's own chain.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    /** 1, 2, 3 … per workspace without gaps; the chain order. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    /** user | cli | api | system | contact */
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    onBehalfOf: text('on_behalf_of'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    objectVersion: text('object_version'),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    sourceIp: text('source_ip'),
    sourceUserAgent: text('source_user_agent'),
    sourceChannel: text('source_channel'),
    correlationId: text('correlation_id'),
    /** success | failure | denied */
    outcome: text('outcome').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_log_workspace_seq_key').on(t.workspaceId, t.seq),
    index('audit_log_object_idx').on(t.workspaceId, t.objectType, t.objectId),
    index('audit_log_at_idx').on(t.workspaceId, t.at),
  ],
);

/**
 * Signed checkpoints of the audit chains (AUD-04): the head (seq and hash) of a workspace's chain, signed with the
 * installation's Ed25519 key, so that a chain cut short or replaced by an older copy is detected by `audit verify`.
 * Append-only like the trail itself (triggers, migration 0013); a copy of each goes to the anchor directory.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    /** The signing key's id (first 16 hex digits of the SHA-256 of its public key). */
    keyId: text('key_id').notNull(),
    /** Ed25519 over the canonical JSON of { workspaceId, seq, hash, at } (base64). */
    signature: text('signature').notNull(),
  },
  (t) => [uniqueIndex('audit_checkpoints_workspace_seq_key').on(t.workspaceId, t.seq)],
);

/**
 * Consent texts (GDPR-05, GDPR-08): the exact wording a contact was shown, per version and language, with the
 * SHA-256 of the rendered text. Immutable once stored (a new wording is a new version).
 */
export const consentTexts = pgTable(
  'consent_texts',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    slug: text('slug').notNull(),
    version: integer('version').notNull(),
    language: text('language').notNull(),
    /** The purposes this wording asks for (one decision per purpose, GDPR-07). */
    purposes: jsonb('purposes').notNull().$type<string[]>(),
    text: text('text').notNull(),
    hash: text('hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('consent_texts_version_key').on(t.workspaceId, t.slug, t.version, t.language)],
);

/**
 * The consent ledger (GDPR-05): append-only decisions per contact, purpose and channel; the current state is
 * derived from it, never stored as a flag. `channel_id` null means every channel (an objection, GDPR-15).
 */
export const consentEvents = pgTable(
  'consent_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    /** No foreign key: the proof of a consent outlives the contact's erasure (pseudonymous id). */
    contactId: uuid('contact_id').notNull(),
    purpose: text('purpose').notNull(),
    channelId: uuid('channel_id'),
    /** granted | denied | withdrawn | expired | pending */
    decision: text('decision').notNull(),
    textSlug: text('text_slug'),
    textVersion: integer('text_version'),
    textLanguage: text('text_language'),
    textHash: text('text_hash'),
    /** button | keyword | web_form_doi | import | api | agent | provider_signal */
    method: text('method').notNull(),
    /** Provider message id, IP and user agent, DOI token events … */
    evidence: jsonb('evidence').notNull().default({}).$type<Record<string, unknown>>(),
    actor: jsonb('actor').notNull().$type<Record<string, unknown>>(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('consent_events_contact_idx').on(t.workspaceId, t.contactId, t.purpose, t.id)],
);

/**
 * WhatsApp message templates per channel (one row per name and language): the registry that template sends are
 * validated against before the provider is called (132000/132001 never leave Parley). Rows come from the
 * provider's template API (`synced_at`) and/or from the workspace files (`desired`, the definition to submit).
 */
export const whatsappTemplates = pgTable(
  'whatsapp_templates',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    channelId: uuid('channel_id').notNull().references(() => channels.id),
    name: text('name').notNull(),
    language: text('language').notNull(),
    /** MARKETING | UTILITY | AUTHENTICATION (upper-case as the provider reads it back). */
    category: text('category').notNull(),
    /** POSITIONAL | NAMED */
    parameterFormat: text('parameter_format').notNull().default('POSITIONAL'),
    /** The provider's components (HEADER/BODY/FOOTER/BUTTONS) as last read or as defined. */
    components: jsonb('components').notNull().$type<unknown[]>(),
    /** Variables per component derived from `components` (header format and params, body params, button params). */
    variables: jsonb('variables').notNull().$type<Record<string, unknown>>(),
    /** APPROVED | PENDING | REJECTED | PAUSED | DISABLED | … as the provider reports; NOT_SUBMITTED for file-only rows. */
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    providerId: text('provider_id'),
    /** provider | workspace: who defined the row first; `desired` holds the workspace file's definition. */
    source: text('source').notNull().default('provider'),
    desired: jsonb('desired').$type<Record<string, unknown>>(),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('whatsapp_templates_channel_name_language_key').on(t.channelId, t.name, t.language),
    index('whatsapp_templates_workspace_idx').on(t.workspaceId),
  ],
);
