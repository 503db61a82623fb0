/** Reads for the simulator's flow panel: the stored flow versions and the simulated user's conversation. */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';

export interface FlowVersionRow {
  flowId: string;
  version: number;
  status: 'draft' | 'published';
  name: string;
}

/** Every stored version of every flow of the workspace, flows by id, versions newest first. */
export async function listFlowVersions(ex: Executor, workspaceId: string): Promise<FlowVersionRow[]> {
  return query<FlowVersionRow>(
    ex,
    sql`select f.slug as "flowId", v.version, v.status, v.definition->>'name' as name
        from flow_versions v join flows f on f.id = v.flow_id
        where f.workspace_id = ${workspaceId}
        order by f.slug, v.version desc`,
  );
}

export async function findFlowVersion(ex: Executor, workspaceId: string, flowId: string, version: number): Promise<{ definition: Record<string, unknown> } | undefined> {
  const [row] = await query<{ definition: Record<string, unknown> }>(
    ex,
    sql`select v.definition from flow_versions v join flows f on f.id = v.flow_id
        where f.workspace_id = ${workspaceId} and f.slug = ${flowId} and v.version = ${version}`,
  );
  return row;
}

export interface SimulatedConversation {
  id: string;
  channelId: string;
  address: string;
  ownership: string;
  flowState: unknown;
  language: string | null;
}

/** The conversation of a WhatsApp user (`waId`) with the channel of `phoneNumberId`. */
export async function findConversation(ex: Executor, workspaceId: string, phoneNumberId: string, waId: string): Promise<SimulatedConversation | undefined> {
  const [row] = await query<SimulatedConversation>(
    ex,
    sql`select c.id, c.channel_id as "channelId", c.address, c.state as ownership, c.flow_state as "flowState", ct.language
        from conversations c join channels ch on ch.id = c.channel_id join contacts ct on ct.id = c.contact_id
        where ch.workspace_id = ${workspaceId} and ch.kind = 'whatsapp' and ch.provider_ref = ${phoneNumberId} and c.address = ${waId}`,
  );
  return row;
}
