import { sql } from 'drizzle-orm';
import { type Executor, queryOne } from '../../platform/db.js';

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  defaultLanguage: string;
}

/** The default workspace, created on first start (idempotent under concurrent starts). */
export async function ensureDefaultWorkspace(ex: Executor): Promise<Workspace> {
  await ex.execute(sql`insert into workspaces (slug, name, default_language) values ('default', 'Default workspace', 'de') on conflict (slug) do nothing`);
  return queryOne<Workspace>(ex, sql`select id, slug, name, default_language as "defaultLanguage" from workspaces where slug = 'default'`);
}
