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
  createdAt: Date;
}

const columns = sql`id, workspace_id as "workspaceId", kind, slug, name, status, settings, secrets, created_at as "createdAt"`;

export async function insertChannel(ex: Executor, c: Omit<ChannelRow, 'id' | 'createdAt' | 'status'> & { rateTokens: number }): Promise<ChannelRow | undefined> {
  const rows = await query<ChannelRow>(
    ex,
    sql`insert into channels (workspace_id, kind, slug, name, settings, secrets, rate_tokens)
        values (${c.workspaceId}, ${c.kind}, ${c.slug}, ${c.name}, ${JSON.stringify(c.settings)}::jsonb, ${c.secrets}, ${c.rateTokens})
        on conflict (kind, slug) do nothing
        returning ${columns}`,
  );
  return rows[0];
}

export async function findChannelBySlug(ex: Executor, kind: string, slug: string): Promise<ChannelRow | undefined> {
  const rows = await query<ChannelRow>(ex, sql`select ${columns} from channels where kind = ${kind} and slug = ${slug}`);
  return rows[0];
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
 * Takes one token from the channel's send bucket (capacity = rate = mps). Shared by every dispatcher process,
 * one short row update each. Returns 0 when granted, else the milliseconds until a token is due.
 */
export async function takeChannelToken(ex: Executor, channelId: string, mps: number): Promise<number> {
  const rows = await query<{ granted: boolean; tokens: number }>(
    ex,
    sql`with b as (
          select id, least(${mps}::real, rate_tokens + extract(epoch from (clock_timestamp() - rate_refilled_at)) * ${mps}) as avail
          from channels where id = ${channelId} for update)
        update channels c set rate_tokens = case when b.avail >= 1 then b.avail - 1 else b.avail end, rate_refilled_at = clock_timestamp()
        from b where c.id = b.id
        returning b.avail >= 1 as granted, b.avail as tokens`,
  );
  const row = rows[0];
  if (!row || row.granted) {
    return 0;
  }
  return Math.max(1, Math.ceil(((1 - row.tokens) / mps) * 1000));
}
