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

/** The latest version of every consent text, all its languages (for export). */
export async function listLatestConsentTexts(ex: Executor, workspaceId: string): Promise<Array<{ id: string; version: number; purpose: string; text: Record<string, string> }>> {
  const rows = await query<{ slug: string; version: number; language: string; purposes: string[]; text: string }>(
    ex,
    sql`select t.slug, t.version, t.language, t.purposes, t.text from consent_texts t
        where t.workspace_id = ${workspaceId} and t.version = (select max(version) from consent_texts x where x.workspace_id = t.workspace_id and x.slug = t.slug)
        order by t.slug, t.language`,
  );
  const texts = new Map<string, { id: string; version: number; purpose: string; text: Record<string, string> }>();
  for (const r of rows) {
    const entry = texts.get(r.slug) ?? { id: r.slug, version: r.version, purpose: r.purposes[0] ?? '', text: {} };
    entry.text[r.language] = r.text;
    texts.set(r.slug, entry);
  }
  return [...texts.values()];
}
