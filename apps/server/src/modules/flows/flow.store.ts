import type { Flow } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { canonicalJson, sha256Hex } from '../../platform/canonical.js';
import { type Executor, query } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

/**
 * Stores a flow version. A published version number is published once: the same content again is a no-op, other
 * content under a published number is refused (bump `version`) — a conversation stays on the version it started.
 * A draft (`status: draft`) is stored for the simulator and may change until that version is published.
 */
export async function publishFlowVersion(ex: Executor, workspaceId: string, flow: Flow, file: string): Promise<'created' | 'updated' | 'new_version' | 'unchanged'> {
  // The status is the row's, not part of the content: `status: published` written out or left away is the same
  // version, and publishing a draft keeps its content.
  const { status = 'published', ...definition } = flow;
  const hash = sha256Hex(canonicalJson(definition));
  const [row] = await query<{ flowId: string; existingHash: string | null; existingStatus: string | null; versions: number }>(
    ex,
    sql`with ins as (
          insert into flows (workspace_id, slug) values (${workspaceId}, ${flow.id})
          on conflict (workspace_id, slug) do nothing returning id),
        f as (select id from ins union all select id from flows where workspace_id = ${workspaceId} and slug = ${flow.id})
        select f.id as "flowId",
               (select hash from flow_versions where flow_id = f.id and version = ${flow.version}) as "existingHash",
               (select status from flow_versions where flow_id = f.id and version = ${flow.version}) as "existingStatus",
               (select count(*)::int from flow_versions where flow_id = f.id and status = 'published') as versions
        from f limit 1`,
  );
  if (!row) {
    throw new Error(`flow ${flow.id} could not be stored`);
  }
  if (row.existingHash === hash && row.existingStatus === status) {
    return 'unchanged';
  }
  if (row.existingStatus === 'published') {
    throw new AppError('flow.version_published', `${file}: flow "${flow.id}" version ${flow.version} is published already with other content; raise its version.`, {
      flow: flow.id,
      version: flow.version,
    });
  }
  if (row.existingStatus === 'draft') {
    await ex.execute(
      sql`update flow_versions set definition = ${JSON.stringify(definition)}::jsonb, hash = ${hash}, status = ${status} where flow_id = ${row.flowId} and version = ${flow.version}`,
    );
    return status === 'draft' ? 'updated' : row.versions === 0 ? 'created' : 'new_version';
  }
  await ex.execute(
    sql`insert into flow_versions (workspace_id, flow_id, version, status, definition, hash) values (${workspaceId}, ${row.flowId}, ${flow.version}, ${status}, ${JSON.stringify(definition)}::jsonb, ${hash})`,
  );
  return status === 'draft' || row.versions === 0 ? 'created' : 'new_version';
}
