import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';

export interface ChannelRow {
  id: string;
  workspaceId: string;
  kind: string;
  slug: string;
  name: string;
  status: string;
  settings: Record<string, unknown>;
  secrets: string;
  providerRef: string | null;
  createdAt: Date;
}

const columns = sql`id, workspace_id as "workspaceId", kind, slug, name, status, settings, secrets, provider_ref as "providerRef", created_at as "createdAt"`;

export async function insertChannel(ex: Executor, c: Omit<ChannelRow, 'id' | 'createdAt' | 'status'> & { rateTokens: number }): Promise<ChannelRow | undefined> {
  const rows = await query<ChannelRow>(
    ex,
    sql`insert into channels (workspace_id, kind, slug, name, settings, secrets, provider_ref, rate_tokens)
        values (${c.workspaceId}, ${c.kind}, ${c.slug}, ${c.name}, ${JSON.stringify(c.settings)}::jsonb, ${c.secrets}, ${c.providerRef}, ${c.rateTokens})
        on conflict (kind, slug) do nothing
        returning ${columns}`,
  );
  return rows[0];
}

export async function findChannelBySlug(ex: Executor, kind: string, slug: string): Promise<ChannelRow | undefined> {
  const rows = await query<ChannelRow>(ex, sql`select ${columns} from channels where kind = ${kind} and slug = ${slug}`);
  return rows[0];
}

export async function listChannelsByRef(ex: Executor, kind: string, providerRef: string): Promise<ChannelRow[]> {
  return query<ChannelRow>(ex, sql`select ${columns} from channels where kind = ${kind} and provider_ref = ${providerRef} order by created_at`);
}

export async function findChannelById(ex: Executor, id: string): Promise<ChannelRow | undefined> {
  const rows = await query<ChannelRow>(ex, sql`select ${columns} from channels where id = ${id}`);
  return rows[0];
}

export async function listChannels(ex: Executor, workspaceId?: string): Promise<ChannelRow[]> {
  const filter = workspaceId ? sql`where workspace_id = ${workspaceId}` : sql``;
  return query<ChannelRow>(ex, sql`select ${columns} from channels ${filter} order by created_at`);
}

/**
 * Reserves up to `want` tokens from the channel's send bucket (capacity = rate = mps), shared by every
 * dispatcher process, in one short statement. Returns the tokens granted and, when none, the milliseconds until
 * one is due.
 */
export async function reserveChannelTokens(ex: Executor, channelId: string, mps: number, want: number): Promise<{ granted: number; waitMs: number }> {
  const rows = await query<{ granted: number; avail: number }>(
    ex,
    sql`with b as (
          select id, least(${mps}::real, rate_tokens + extract(epoch from (clock_timestamp() - rate_refilled_at)) * ${mps}) as avail
          from channels where id = ${channelId} for update),
        g as (select id, avail, least(floor(avail), ${want})::int as granted from b)
        update channels c set rate_tokens = g.avail - g.granted, rate_refilled_at = clock_timestamp()
        from g where c.id = g.id
        returning g.granted, g.avail`,
  );
  const row = rows[0];
  if (!row) {
    return { granted: 0, waitMs: 1000 };
  }
  return { granted: row.granted, waitMs: row.granted > 0 ? 0 : Math.max(1, Math.ceil(((1 - row.avail) / mps) * 1000)) };
}
