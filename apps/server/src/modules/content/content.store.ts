import type { ContentItem, Topic } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { canonicalJson, sha256Hex } from '../../platform/canonical.js';
import { type Executor, query } from '../../platform/db.js';

export type ApplyOutcome = 'created' | 'updated' | 'new_version' | 'unchanged';

/** Creates or updates a topic by slug. */
export async function upsertTopic(ex: Executor, workspaceId: string, t: Topic): Promise<ApplyOutcome> {
  const rows = await query<{ inserted: boolean; changed: boolean }>(
    ex,
    sql`insert into topics (workspace_id, slug, parent_slug, title, description, sort_order, keywords)
        values (${workspaceId}, ${t.id}, ${t.parent ?? null}, ${JSON.stringify(t.title)}::jsonb, ${t.description ? JSON.stringify(t.description) : null}::jsonb,
                ${t.order ?? null}, ${t.keywords ? JSON.stringify(t.keywords) : null}::jsonb)
        on conflict (workspace_id, slug) do update set
          parent_slug = excluded.parent_slug, title = excluded.title, description = excluded.description,
          sort_order = excluded.sort_order, keywords = excluded.keywords, updated_at = now()
        where (topics.parent_slug, topics.title, topics.description, topics.sort_order, topics.keywords)
              is distinct from (excluded.parent_slug, excluded.title, excluded.description, excluded.sort_order, excluded.keywords)
        returning (xmax = 0) as inserted, true as changed`,
  );
  const row = rows[0];
  return !row ? 'unchanged' : row.inserted ? 'created' : 'updated';
}

/**
 * Stores an item's content as a new version when it differs from the latest one (by content hash). Approved
 * versions are never edited in place (the database refuses it): a change is always a new version.
 */
export async function applyContentItem(ex: Executor, workspaceId: string, item: ContentItem): Promise<ApplyOutcome> {
  const { id: slug, topic, audience, status, validFrom, validUntil, ...data } = item;
  const hash = sha256Hex(canonicalJson(item));
  const [row] = await query<{ itemId: string; latestVersion: number | null; latestHash: string | null }>(
    ex,
    sql`with ins as (
          insert into content_items (workspace_id, slug) values (${workspaceId}, ${slug})
          on conflict (workspace_id, slug) do nothing returning id),
        it as (select id from ins union all select id from content_items where workspace_id = ${workspaceId} and slug = ${slug})
        select it.id as "itemId", v.version as "latestVersion", v.hash as "latestHash" from it
        left join lateral (select version, hash from content_versions where item_id = it.id order by version desc limit 1) v on true
        limit 1`,
  );
  if (!row) {
    throw new Error(`content item ${slug} could not be stored`);
  }
  if (row.latestHash === hash) {
    return 'unchanged';
  }
  const version = (row.latestVersion ?? 0) + 1;
  await ex.execute(
    sql`insert into content_versions (workspace_id, item_id, version, status, topic_slug, audience, valid_from, valid_until, data, hash)
        values (${workspaceId}, ${row.itemId}, ${version}, ${status}, ${topic}, ${audience}, ${validFrom ?? null}::timestamptz, ${validUntil ?? null}::timestamptz,
                ${JSON.stringify(data)}::jsonb, ${hash})`,
  );
  return version === 1 ? 'created' : 'new_version';
}

export interface UnansweredSummary {
  text: string;
  language: string;
  count: number;
  lastAskedAt: string;
  /** The items offered instead, as the matcher saw them the last time. */
  candidates: unknown[];
  /** The offered items people picked for this question, most often first: where it belongs as an example question. */
  picked: Array<{ itemId: string; count: number }>;
  /** How often people asked for a person right after it instead. */
  escalated: number;
}

/**
 * What people asked that the library could not answer, most frequent first (the content team's to-do list), with
 * what they did next: the item they picked from "Did you mean …?", or a request for a person.
 */
export async function listUnanswered(ex: Executor, workspaceId: string, opts: { sinceDays: number; limit: number }): Promise<UnansweredSummary[]> {
  const rows = await query<{ text: string; language: string; count: number; lastAskedAt: Date | string; candidates: unknown[]; picked: UnansweredSummary['picked']; escalated: number }>(
    ex,
    sql`with asked as (
          select lower(text) as text, language, created_at, candidates, outcome, picked_item
          from unanswered_questions
          where workspace_id = ${workspaceId} and created_at > now() - make_interval(days => ${opts.sinceDays})),
        questions as (
          select text, language, count(*)::int as count, max(created_at) as "lastAskedAt",
                 (array_agg(candidates order by created_at desc))[1] as candidates,
                 (count(*) filter (where outcome = 'escalated'))::int as escalated
          from asked group by text, language
          order by count(*) desc, max(created_at) desc
          limit ${opts.limit}),
        picks as (
          select text, language, jsonb_agg(jsonb_build_object('itemId', picked_item, 'count', n) order by n desc, picked_item) as picked
          from (select text, language, picked_item, count(*)::int as n from asked where picked_item is not null group by text, language, picked_item) p
          group by text, language)
        select q.text, q.language, q.count, q."lastAskedAt", q.candidates, coalesce(p.picked, '[]'::jsonb) as picked, q.escalated
        from questions q left join picks p on p.text = q.text and p.language = q.language
        order by q.count desc, q."lastAskedAt" desc`,
  );
  return rows.map((r) => ({ ...r, lastAskedAt: new Date(r.lastAskedAt).toISOString() }));
}
