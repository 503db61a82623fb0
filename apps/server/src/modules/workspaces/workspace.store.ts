import { sql } from 'drizzle-orm';
import type { WorkspaceSettings } from '@parley/contracts';
import { canonicalJson } from '../../platform/canonical.js';
import { type Executor, query, queryOne } from '../../platform/db.js';

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

/** Stores workspace.yaml; its `defaultLanguage` is also the workspace's. */
export async function storeWorkspaceSettings(ex: Executor, workspaceId: string, settings: WorkspaceSettings): Promise<'updated' | 'unchanged'> {
  const json = canonicalJson(settings);
  const changed = await query<{ id: string }>(
    ex,
    sql`update workspaces set settings = ${json}::jsonb, default_language = coalesce(${settings.defaultLanguage ?? null}::text, default_language)
        where id = ${workspaceId} and (settings is distinct from ${json}::jsonb or default_language is distinct from coalesce(${settings.defaultLanguage ?? null}::text, default_language))
        returning id`,
  );
  return changed.length > 0 ? 'updated' : 'unchanged';
}

export async function readWorkspaceSettings(ex: Executor, workspaceId: string): Promise<Record<string, unknown>> {
  const [row] = await query<{ settings: Record<string, unknown> }>(ex, sql`select settings from workspaces where id = ${workspaceId}`);
  return row?.settings ?? {};
}
