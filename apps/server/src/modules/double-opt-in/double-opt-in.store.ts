/** The SQL of the double opt-in requests: the facts a request needs about the workspace and the contact. */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';

export interface WorkspaceFacts {
  /** The sender the request names (GDPR-11). */
  name: string;
  defaultLanguage: string;
  settings: unknown;
}

export async function findWorkspaceFacts(ex: Executor, workspaceId: string): Promise<WorkspaceFacts | undefined> {
  const [row] = await query<WorkspaceFacts>(ex, sql`select name, default_language as "defaultLanguage", settings from workspaces where id = ${workspaceId}`);
  return row;
}

/**
 * A known contact and its address on a channel: the conversation's address there, else its identity's address on
 * that kind of channel (null when it has none). Undefined for an unknown contact.
 */
export async function findContactAddress(ex: Executor, workspaceId: string, contactId: string, channel: { id: string; kind: string }): Promise<{ address: string | null } | undefined> {
  const [row] = await query<{ address: string | null }>(
    ex,
    sql`select coalesce(
              (select cv.address from conversations cv where cv.contact_id = c.id and cv.channel_id = ${channel.id}),
              (select ci.address from contact_identities ci where ci.contact_id = c.id and ci.kind = ${channel.kind} order by ci.created_at limit 1)) as address
        from contacts c where c.id = ${contactId} and c.workspace_id = ${workspaceId}`,
  );
  return row;
}

/** The contact behind an address on a kind of channel, if Parley knows it. */
export async function findContactIdByAddress(ex: Executor, workspaceId: string, kind: string, address: string): Promise<string | undefined> {
  const [row] = await query<{ contactId: string }>(
    ex,
    sql`select contact_id as "contactId" from contact_identities where workspace_id = ${workspaceId} and kind = ${kind} and address = ${address}`,
  );
  return row?.contactId;
}
