/** Column helpers shared by the schema files. */
import { timestamp, uuid } from 'drizzle-orm/pg-core';

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const id = () => uuid('id').primaryKey().defaultRandom();
