import type { Flow } from '@parley/contracts';
import { sql } from 'drizzle-orm';
import { canonicalJson, sha256Hex } from '../../platform/canonical.js';
import { type Executor, query } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

/**
 * Publishes a flow version. A version number is published once: the same content again is a no-op, other
 * content under a published number is refused (bump `version`) — a conversation stays on the version it started.
 */
export async function publishFlowVersion(ex: Executor, workspaceId: string, flow: Flow, file: string): Promise<'created' | 'new_version' | 'unchanged'> {
  const hash = sha256Hex(canonicalJson(flow));
  const [row] = await query<{ flowId: string; existingHash: string | null; versions: number }>(
    ex,
    sql`with ins as (
          insert into flows (workspace_id, slug) values (${workspaceId}, ${flow.id})
          on conflict (workspace_id, slug) do nothing returning id),
        f as (select id from ins union all select id from flows where workspace_id = ${workspaceId} and slug = ${flow.id})
        select f.id as "flowId",
               (select hash from flow_versions where flow_id = f.id and version = ${flow.version}) as "existingHash",
               (select count(*)::int from flow_versions where flow_id = f.id) as versions
        from f limit 1`,
  );
  if (!row) {
    throw new Error(`flow ${flow.id} could not be stored`);
  }
  if (row.existingHash === hash) {
    return 'unchanged';
  }
  if (row.existingHash !== null) {
    throw new AppError('flow.version_published', `${file}: flow "${flow.id}" version ${flow.version} is published already with other content; raise its version.`, {
      flow: flow.id,
      version: flow.version,
    });
  }
  await ex.execute(
    sql`insert into flow_versions (workspace_id, flow_id, version, definition, hash) values (${workspaceId}, ${row.flowId}, ${flow.version}, ${JSON.stringify(flow)}::jsonb, ${hash})`,
  );
  return row.versions === 0 ? 'created' : 'new_version';
}
