/** SQL of queue membership, the queues' counts and the people who can take conversations. */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, query, toPgArray } from '../../platform/db.js';
import { isRestrictedSql } from '../privacy/index.js';

export interface MemberRow {
  queue: string;
  userId: string;
  name: string;
}

export async function listQueueMembers(ex: Executor, workspaceId: string): Promise<MemberRow[]> {
  return query<MemberRow>(
    ex,
    sql`select m.queue, m.user_id as "userId", u.name from queue_members m join users u on u.id = m.user_id
        where m.workspace_id = ${workspaceId} order by m.queue, u.name, m.user_id`,
  );
}

/** Replaces the members of one queue; returns the user ids before and after. */
export async function replaceQueueMembers(ex: Executor, workspaceId: string, queue: string, userIds: string[]): Promise<{ before: string[]; after: string[] }> {
  const before = await query<{ userId: string }>(
    ex,
    sql`delete from queue_members where workspace_id = ${workspaceId} and queue = ${queue} returning user_id as "userId"`,
  );
  const after = [...new Set(userIds)].sort();
  if (after.length > 0) {
    await ex.execute(
      sql`insert into queue_members (workspace_id, queue, user_id) select ${workspaceId}, ${queue}, u from unnest(${toPgArray(after)}::uuid[]) as u`,
    );
  }
  return { before: before.map((r) => r.userId).sort(), after };
}

export interface QueueCountRow {
  queue: string;
  waiting: number;
  withAgent: number;
  oldestQueuedAt: string | null;
}

/** Per queue: conversations waiting, with an agent, and since when the longest one waits. */
export async function countByQueue(ex: Executor, workspaceId: string, opts: { hideRestricted?: boolean } = {}): Promise<QueueCountRow[]> {
  return query<QueueCountRow>(
    ex,
    sql`select queue, count(*) filter (where state = 'queued')::int as waiting, count(*) filter (where state = 'agent')::int as "withAgent",
               to_char(min(queued_at) filter (where state = 'queued') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "oldestQueuedAt"
        from conversations c where c.workspace_id = ${workspaceId} and c.state in ('queued', 'agent') and c.queue is not null ${unlessRestricted(workspaceId, opts)}
        group by c.queue`,
  );
}

/** Leaves out conversations of restricted contacts when the reader may not see them (GDPR-20; alias `c`). */
function unlessRestricted(workspaceId: string, opts: { hideRestricted?: boolean }): SQL {
  return opts.hideRestricted ? sql`and not ${isRestrictedSql(workspaceId, sql`c.contact_id`)}` : sql``;
}

export interface StaffRow {
  id: string;
  name: string;
  roles: string[];
  disabled: boolean;
  openConversations: number;
}

/**
 * People who may work in the inbox (agent or admin role), with how many conversations each has open; disabled ones
 * only with `includeDisabled`.
 */
export async function listInboxStaff(ex: Executor, workspaceId: string, opts: { ids?: string[]; includeDisabled?: boolean; hideRestricted?: boolean } = {}): Promise<StaffRow[]> {
  const only = opts.ids ? sql`and u.id = any(${toPgArray(opts.ids)}::uuid[])` : sql``;
  const enabled = opts.includeDisabled ? sql`` : sql`and u.disabled_at is null`;
  const rows = await query<Omit<StaffRow, 'roles'> & { roles: string[] | string }>(
    ex,
    sql`select u.id, u.name, u.roles, u.disabled_at is not null as disabled,
               (select count(*) from conversations c where c.workspace_id = ${workspaceId} and c.assigned_user_id = u.id and c.state = 'agent'
                  ${unlessRestricted(workspaceId, opts)})::int as "openConversations"
        from users u where u.roles && array['agent', 'admin']::text[] ${enabled} ${only} order by u.name, u.id`,
  );
  // node-postgres parses text[]; be lenient with the literal form.
  return rows.map((r) => ({ ...r, roles: Array.isArray(r.roles) ? r.roles : r.roles.replace(/^\{|\}$/g, '').split(',').filter(Boolean) }));
}

/**
 * A user by id whatever their roles or state (to explain why they cannot take a conversation), locked FOR SHARE:
 * nobody disables them before the caller's transaction ends.
 */
export async function findUserForAssignment(ex: Executor, userId: string): Promise<{ id: string; name: string; roles: string[]; disabled: boolean } | undefined> {
  const [row] = await query<{ id: string; name: string; roles: string[] | string; disabled: boolean }>(
    ex,
    sql`select id, name, roles, disabled_at is not null as disabled from users where id = ${userId} for share`,
  );
  return row ? { ...row, roles: Array.isArray(row.roles) ? row.roles : row.roles.replace(/^\{|\}$/g, '').split(',').filter(Boolean) } : undefined;
}
