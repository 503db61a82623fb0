/**
 * The inbox's people (issue #5 item 3): who works which queue. Queues themselves are configuration
 * (workspace.yaml `queues`, reviewed in git like flows); membership is about people, who come and go with their
 * accounts, so it lives here. Part of schema.ts (re-exported there).
 */
import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
// Only inside references(() => …): evaluated lazily, so the import cycle with schema.ts is harmless.
import { workspaces } from './schema.js';
import { users } from './schema-users.js';

/** A member of a queue: auto-assignment picks among them (least load); the inbox lists their queues. */
export const queueMembers = pgTable(
  'queue_members',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** A queue id of workspace.yaml `queues`. */
    queue: text('queue').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.queue, t.userId] }), index('queue_members_user_idx').on(t.userId)],
);
