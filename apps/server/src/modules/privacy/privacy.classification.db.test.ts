/**
 * GDPR-22: every table has a data class (or is a compliance record, or holds no contact's personal data). A new
 * table that nobody classified fails here — there is no "keep forever" default.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../platform/db.js';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { TABLE_CLASSIFICATION } from './index.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe('deletion concept (GDPR-22)', () => {
  it('GDPR-22 classifies every table of the schema, and names no table that does not exist', async () => {
    const rows = await query<{ name: string }>(
      database.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'parley_migrations' order by 1`,
    );
    const tables = rows.map((r) => r.name);
    expect(tables.filter((t) => !(t in TABLE_CLASSIFICATION)), 'tables without a data class').toEqual([]);
    expect(Object.keys(TABLE_CLASSIFICATION).filter((t) => !tables.includes(t)), 'classified tables that do not exist').toEqual([]);
  });
});
