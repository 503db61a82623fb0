/**
 * The inbox's realtime feed (issue #5 item 5): an append-only log of what changed in conversations, written by
 * database triggers in the same transaction as the change (migration 0015), so no code path can forget it. Part of
 * schema.ts (re-exported there).
 */
import { bigserial, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

/**
 * One change a signed-in inbox may show: `message.created`, `message.status` (sent, delivered, read, failed) or
 * `conversation.changed` (state, queue, assignee, read position). The payload holds ids, statuses and times —
 * never message content. Ids grow with every event; a client resumes after the last id it saw. Purged after
 * 7 days (modules/realtime).
 */
export const inboxEvents = pgTable(
  'inbox_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  // A client's catch-up reads one workspace's events after an id.
  (t) => [index('inbox_events_workspace_idx').on(t.workspaceId, t.id)],
);
