import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';

/**
 * Finds or creates the contact behind a channel identity (kind + normalised address) in one statement.
 * Returns undefined when a concurrent transaction created the same identity first; the caller retries.
 */
export async function upsertContactByIdentity(
  ex: Executor,
  i: { workspaceId: string; kind: string; address: string; profileName?: string },
): Promise<string | undefined> {
  const rows = await query<{ contactId: string }>(
    ex,
    sql`with existing as (
          select contact_id from contact_identities where workspace_id = ${i.workspaceId} and kind = ${i.kind} and address = ${i.address}),
        renamed as (
          update contact_identities set profile_name = ${i.profileName ?? null}
          where workspace_id = ${i.workspaceId} and kind = ${i.kind} and address = ${i.address}
            and ${i.profileName ?? null}::text is not null and profile_name is distinct from ${i.profileName ?? null}
          returning contact_id),
        created as (
          insert into contacts (workspace_id, display_name)
          select ${i.workspaceId}, ${i.profileName ?? null} where not exists (select 1 from existing)
          returning id),
        identity as (
          insert into contact_identities (workspace_id, contact_id, kind, address, profile_name)
          select ${i.workspaceId}, id, ${i.kind}, ${i.address}, ${i.profileName ?? null} from created
          on conflict (workspace_id, kind, address) do nothing
          returning contact_id)
        select contact_id as "contactId" from existing
        union all select contact_id from identity
        union all select contact_id from renamed where false`,
  );
  return rows[0]?.contactId;
}
