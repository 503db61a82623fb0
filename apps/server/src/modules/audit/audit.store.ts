/**
 * All SQL of the audit trail. Appends are set-based (three statements per batch, whatever its size) and
 * serialised per workspace by a transaction-scoped advisory lock, so parallel transactions extend each chain one
 * after another without gaps or forks.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema.js';
import { sha256Hex } from '../../platform/canonical.js';
import { type Executor, query, toPgArray, type Tx } from '../../platform/db.js';
import { type AuditEntry, type AuditEntryInput, computeEntryHash, GENESIS_HASH, toJsonValue, toSafeText } from './audit.schemas.js';

/** Rows per INSERT statement: 22 parameters a row stays far below PostgreSQL's 65,535. */
const INSERT_CHUNK = 1000;

/**
 * Appends entries to their workspaces' chains inside the caller's transaction (AUD-06: if this fails, the change
 * it records fails with it). Entries keep their order within a workspace. Call it once per transaction with all
 * its entries — e.g. 100 send decisions in one call — and late in the transaction: the per-workspace lock is held
 * until commit. Needs READ COMMITTED (the default): the chain head is read after the lock is taken.
 *
 * @example await db.transaction(async (tx) => { await insertChannel(tx, …); await appendAudit(tx, [{ workspaceId, actor, action: 'channel.created', … }]); });
 */
export async function appendAudit(tx: Tx, entries: readonly AuditEntryInput[]): Promise<AuditEntry[]> {
  if (entries.length === 0) {
    return [];
  }
  const workspaceIds = [...new Set(entries.map((e) => e.workspaceId))].sort();
  // Locks in a fixed order so two batches that touch the same workspaces cannot deadlock.
  const keys = workspaceIds.map(lockKey);
  await tx.execute(sql`select pg_advisory_xact_lock(k) from unnest(${toPgArray(keys)}::bigint[]) with ordinality as t(k, n) order by n`);
  // clock_timestamp(), not now(): read after the lock, so `at` never goes backwards along a chain.
  const heads = await query<{ workspaceId: string | null; seq: string | null; hash: string | null; at: string }>(
    tx,
    sql`select h.workspace_id as "workspaceId", h.seq::text as seq, h.hash,
               to_char(date_trunc('milliseconds', clock_timestamp()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
        from (select 1) one
        left join lateral (
          select distinct on (workspace_id) workspace_id, seq, hash from audit_log
          where workspace_id = any(${toPgArray(workspaceIds)}::uuid[]) order by workspace_id, seq desc) h on true`,
  );
  const at = heads[0]?.at ?? new Date().toISOString();
  const head = new Map(heads.filter((h) => h.workspaceId).map((h) => [h.workspaceId as string, { seq: Number(h.seq), hash: h.hash as string }]));
  const stored: AuditEntry[] = entries.map((input) => {
    const prev = head.get(input.workspaceId) ?? { seq: 0, hash: GENESIS_HASH };
    const body = toEntryBody(input, prev.seq + 1, at);
    const hash = computeEntryHash(prev.hash, body);
    head.set(input.workspaceId, { seq: body.seq, hash });
    return { ...body, prevHash: prev.hash, hash };
  });
  for (let i = 0; i < stored.length; i += INSERT_CHUNK) {
    await tx.insert(auditLog).values(stored.slice(i, i + INSERT_CHUNK).map((e) => ({ ...e, at: new Date(e.at) })));
  }
  return stored;
}

/** The chain of one workspace from `afterSeq` on, in seq order, one page. */
export async function listChainPage(ex: Executor, workspaceId: string, afterSeq: number, limit: number): Promise<AuditEntry[]> {
  return selectEntries(ex, sql`workspace_id = ${workspaceId} and seq > ${afterSeq}`, limit);
}

export interface AuditFilter {
  workspaceId: string;
  since?: Date;
  until?: Date;
  /** `flow` matches `flow.…` and `flow_version.…`: a plain prefix of the action. */
  actionPrefix?: string;
}

/** Entries matching the filter, in seq order, one page from `afterSeq` on. */
export async function listEntries(ex: Executor, f: AuditFilter, afterSeq: number, limit: number): Promise<AuditEntry[]> {
  const since = f.since ? sql`and at >= ${f.since.toISOString()}::timestamptz` : sql``;
  const until = f.until ? sql`and at < ${f.until.toISOString()}::timestamptz` : sql``;
  const action = f.actionPrefix ? sql`and starts_with(action, ${f.actionPrefix})` : sql``;
  return selectEntries(ex, sql`workspace_id = ${f.workspaceId} and seq > ${afterSeq} ${since} ${until} ${action}`, limit);
}

/** The workspaces that have a chain, with their slug when the workspace still exists. */
export async function listChains(ex: Executor, workspaceId?: string): Promise<Array<{ workspaceId: string; slug: string | null }>> {
  const filter = workspaceId ? sql`where a.workspace_id = ${workspaceId}` : sql``;
  return query(ex, sql`select a.workspace_id as "workspaceId", w.slug from (select distinct workspace_id from audit_log a ${filter}) a
                       left join workspaces w on w.id = a.workspace_id order by w.slug nulls last, a.workspace_id`);
}

export async function findWorkspaceIdBySlug(ex: Executor, slug: string): Promise<string | undefined> {
  const rows = await query<{ id: string }>(ex, sql`select id from workspaces where slug = ${slug}`);
  return rows[0]?.id;
}

async function selectEntries(ex: Executor, where: ReturnType<typeof sql>, limit: number): Promise<AuditEntry[]> {
  const rows = await query<Omit<AuditEntry, 'seq'> & { seq: string }>(
    ex,
    sql`select id, workspace_id as "workspaceId", seq::text as seq,
               to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
               actor_kind as "actorKind", actor_id as "actorId", actor_role as "actorRole", on_behalf_of as "onBehalfOf",
               action, object_type as "objectType", object_id as "objectId", object_version as "objectVersion",
               before, after, reason, source_ip as "sourceIp", source_user_agent as "sourceUserAgent",
               source_channel as "sourceChannel", correlation_id as "correlationId", outcome,
               prev_hash as "prevHash", hash
        from audit_log where ${where} order by audit_log.seq limit ${limit}`,
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

function toEntryBody(e: AuditEntryInput, seq: number, at: string): Omit<AuditEntry, 'prevHash' | 'hash'> {
  return {
    id: randomUUID(),
    workspaceId: e.workspaceId,
    seq,
    at,
    actorKind: e.actor.kind,
    actorId: toSafeText(e.actor.id),
    actorRole: toSafeText(e.actor.role),
    onBehalfOf: toSafeText(e.actor.onBehalfOf),
    action: toSafeText(e.action) ?? '',
    objectType: toSafeText(e.object?.type),
    objectId: toSafeText(e.object?.id),
    objectVersion: toSafeText(e.object?.version),
    before: toJsonValue(e.before),
    after: toJsonValue(e.after),
    reason: toSafeText(e.reason),
    sourceIp: toSafeText(e.source?.ip),
    sourceUserAgent: toSafeText(e.source?.userAgent),
    sourceChannel: toSafeText(e.source?.channel),
    correlationId: toSafeText(e.correlationId),
    outcome: e.outcome ?? 'success',
  };
}

/** A signed 64-bit advisory-lock key per workspace chain. */
function lockKey(workspaceId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${sha256Hex(`parley.audit:${workspaceId}`).slice(0, 16)}`)).toString();
}
