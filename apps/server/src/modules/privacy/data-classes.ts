/**
 * The deletion concept (GDPR-22, DIN 66398 style): every table is classified. A contact's personal data falls into
 * three data classes, each with a retention rule (days after the start event, and whether a statutory duty keeps
 * it through an erasure request); compliance records are kept by design; staff accounts are the organisation's
 * own; the rest holds no personal data of contacts. A table missing here fails CI (privacy.classification.db.test.ts) — there is no "keep forever" default.
 */
import type { WorkspaceSettings } from '@parley/contracts';

export type DataClass = 'profile' | 'messages' | 'conversationState';
export const DATA_CLASSES: readonly DataClass[] = ['profile', 'messages', 'conversationState'];

export interface RetentionRule {
  days: number;
  duty: boolean;
}

/** Parley's defaults; the workspace's `retention` (workspace.yaml) overrides them per class. */
export const DEFAULT_RETENTION: Record<DataClass, RetentionRule> = {
  /** Contact, identities, topic subscriptions: two years after the contact's last message. */
  profile: { days: 730, duty: false },
  /** Conversations and their messages, delivery statuses, raw provider events, unanswered questions: two years. */
  messages: { days: 730, duty: false },
  /** The bot's run state, the last menu and the flow's pending jobs: 90 days after the conversation went quiet. */
  conversationState: { days: 90, duty: false },
};

export function retentionRules(settings: WorkspaceSettings): Record<DataClass, RetentionRule> {
  const configured = settings.retention ?? {};
  return {
    profile: configured.profile ?? DEFAULT_RETENTION.profile,
    messages: configured.messages ?? DEFAULT_RETENTION.messages,
    conversationState: configured.conversationState ?? DEFAULT_RETENTION.conversationState,
  };
}

/** Where each class lives, and what stays, table by table (documented in docs/compliance.md). */
export const TABLE_CLASSIFICATION: Record<string, DataClass | 'kept' | 'staff' | 'none'> = {
  contacts: 'profile',
  contact_identities: 'profile',
  topic_subscriptions: 'profile',
  conversations: 'messages',
  messages: 'messages',
  message_status_events: 'messages',
  inbound_events: 'messages',
  unanswered_questions: 'messages',
  // The inbox's realtime feed: conversation and message ids with statuses, no content; purged after 7 days.
  inbox_events: 'messages',
  // Jobs of a conversation (flow calls and timers) carry run state; dispatch/inbound jobs carry ids only.
  jobs: 'conversationState',
  // Compliance records, pseudonymous (contact ids, keyed hashes, no content): kept as evidence (Art. 7(1), 17(3)(e)).
  consent_events: 'kept',
  audit_log: 'kept',
  audit_checkpoints: 'kept',
  suppressions: 'kept',
  contact_restrictions: 'kept',
  legal_holds: 'kept',
  privacy_requests: 'kept',
  // The organisation's own staff (issue #5): accounts live while the account does; sessions end with their
  // timeouts; login attempts only count for the rate limit. Not contacts' data, not erased by a contact's request.
  users: 'staff',
  sessions: 'staff',
  login_attempts: 'staff',
  // Who works which inbox queue (issue #5): goes with the account.
  queue_members: 'staff',
  // Configuration and content of the organisation, and the installation's own bookkeeping.
  workspaces: 'none',
  channels: 'none',
  topics: 'none',
  content_items: 'none',
  content_versions: 'none',
  flows: 'none',
  flow_versions: 'none',
  consent_texts: 'none',
  whatsapp_templates: 'none',
  workers: 'none',
  installation: 'none',
};
