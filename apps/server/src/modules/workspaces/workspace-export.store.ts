/**
 * The reads of `parley export`: a workspace's topics, the latest version of every content item and the latest
 * published version of every flow. They live here, not in the content and flows modules, because export is
 * their only caller so far; move them there when a second one appears.
 */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';

export interface TopicRow {
  slug: string;
  parent: string | null;
  title: Record<string, string>;
  description: Record<string, string> | null;
  sortOrder: number | null;
  keywords: Record<string, string[]> | null;
}

export interface ItemVersionRow {
  slug: string;
  version: number;
  topic: string;
  audience: string;
  status: string;
  /** `YYYY-MM-DD`, read in the session's time zone: the one `apply` wrote the date in. */
  validFrom: string | null;
  validUntil: string | null;
  data: Record<string, unknown>;
  hash: string;
}

export interface FlowVersionRow {
  slug: string;
  version: number;
  definition: Record<string, unknown>;
}

/** Every topic of the workspace, by slug. */
export async function listTopicRows(ex: Executor, workspaceId: string): Promise<TopicRow[]> {
  return query<TopicRow>(
    ex,
    sql`select slug, parent_slug as parent, title, description, sort_order as "sortOrder", keywords
        from topics where workspace_id = ${workspaceId} order by slug`,
  );
}

/** The latest version of every content item, whatever its status (a withdrawal is part of the state). */
export async function listLatestItemVersions(ex: Executor, workspaceId: string): Promise<ItemVersionRow[]> {
  // to_char renders the timestamptz in the session's time zone: `apply` stored `2025-12-01` as midnight there.
  return query<ItemVersionRow>(
    ex,
    sql`select distinct on (i.slug) i.slug, v.version, v.topic_slug as topic, v.audience, v.status,
               to_char(v.valid_from, 'YYYY-MM-DD') as "validFrom", to_char(v.valid_until, 'YYYY-MM-DD') as "validUntil", v.data, v.hash
        from content_items i join content_versions v on v.item_id = i.id
        where i.workspace_id = ${workspaceId}
        order by i.slug, v.version desc`,
  );
}

/** The latest published version of every flow. */
export async function listLatestFlowVersions(ex: Executor, workspaceId: string): Promise<FlowVersionRow[]> {
  return query<FlowVersionRow>(
    ex,
    sql`select distinct on (f.slug) f.slug, v.version, v.definition
        from flows f join flow_versions v on v.flow_id = f.id
        where f.workspace_id = ${workspaceId} and v.status = 'published'
        order by f.slug, v.version desc`,
  );
}
