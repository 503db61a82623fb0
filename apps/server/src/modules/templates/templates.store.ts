/**
 * All SQL of the template registry (`whatsapp_templates`, one row per channel, name and language).
 */
import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../platform/db.js';
import type { TemplateEntry, TemplateFile, TemplateVariables } from './templates.schemas.js';

const columns = sql`id, workspace_id as "workspaceId", channel_id as "channelId", name, language, category,
  parameter_format as "parameterFormat", components, variables, status, status_reason as "statusReason",
  provider_id as "providerId", source, desired, synced_at as "syncedAt", updated_at as "updatedAt"`;

/** The provider's view of one template, as a sync writes it: the registry's fields the provider owns. */
export type SyncedTemplate = Pick<TemplateEntry, 'name' | 'language' | 'category' | 'parameterFormat' | 'components' | 'variables'> & { status: string; providerId: string };

export async function findTemplate(ex: Executor, channelId: string, name: string, language: string): Promise<TemplateEntry | undefined> {
  const rows = await query<TemplateEntry>(ex, sql`select ${columns} from whatsapp_templates where channel_id = ${channelId} and name = ${name} and language = ${language}`);
  return rows[0];
}

/** The registry of a workspace (optionally one channel), by channel, name and language. */
export async function listTemplates(ex: Executor, workspaceId: string, channelId?: string): Promise<TemplateEntry[]> {
  const byChannel = channelId === undefined ? sql`` : sql`and channel_id = ${channelId}`;
  return query<TemplateEntry>(ex, sql`select ${columns} from whatsapp_templates where workspace_id = ${workspaceId} ${byChannel} order by channel_id, name, language`);
}

/** Rows of a channel locked for a sync, so two syncs of one channel do not interleave. */
export async function lockChannelTemplates(ex: Executor, channelId: string): Promise<TemplateEntry[]> {
  return query<TemplateEntry>(ex, sql`select ${columns} from whatsapp_templates where channel_id = ${channelId} order by name, language for update`);
}

/** Inserts or overwrites the provider's view of a template; keeps `desired` and `source`. */
export async function upsertSyncedTemplate(ex: Executor, workspaceId: string, channelId: string, t: SyncedTemplate): Promise<void> {
  await ex.execute(sql`
    insert into whatsapp_templates (workspace_id, channel_id, name, language, category, parameter_format, components, variables, status, provider_id, source, synced_at)
    values (${workspaceId}, ${channelId}, ${t.name}, ${t.language}, ${t.category}, ${t.parameterFormat}, ${JSON.stringify(t.components)}::jsonb,
            ${JSON.stringify(t.variables)}::jsonb, ${t.status}, ${t.providerId}, 'provider', now())
    on conflict (channel_id, name, language) do update set
      category = excluded.category, parameter_format = excluded.parameter_format, components = excluded.components,
      variables = excluded.variables, status = excluded.status, provider_id = excluded.provider_id,
      status_reason = null, synced_at = now(), updated_at = now()`);
}

/** A template the provider no longer lists: kept for the record, but never sendable again. */
export async function markTemplateGone(ex: Executor, id: string): Promise<void> {
  await ex.execute(sql`update whatsapp_templates set status = 'DELETED', synced_at = now(), updated_at = now() where id = ${id}`);
}

/**
 * Stores a workspace file's definition as the desired template. A row the provider has not seen yet also takes the
 * definition as its components (status NOT_SUBMITTED); a synced row keeps the provider's components and status.
 */
export async function upsertDesiredTemplate(
  ex: Executor,
  workspaceId: string,
  channelId: string,
  t: { desired: TemplateFile; category: string; parameterFormat: string; components: unknown[]; variables: TemplateVariables },
): Promise<void> {
  const { desired } = t;
  await ex.execute(sql`
    insert into whatsapp_templates (workspace_id, channel_id, name, language, category, parameter_format, components, variables, status, source, desired)
    values (${workspaceId}, ${channelId}, ${desired.name}, ${desired.language}, ${t.category}, ${t.parameterFormat}, ${JSON.stringify(t.components)}::jsonb,
            ${JSON.stringify(t.variables)}::jsonb, 'NOT_SUBMITTED', 'workspace', ${JSON.stringify(desired)}::jsonb)
    on conflict (channel_id, name, language) do update set
      desired = excluded.desired, updated_at = now(),
      category = case when whatsapp_templates.status = 'NOT_SUBMITTED' then excluded.category else whatsapp_templates.category end,
      parameter_format = case when whatsapp_templates.status = 'NOT_SUBMITTED' then excluded.parameter_format else whatsapp_templates.parameter_format end,
      components = case when whatsapp_templates.status = 'NOT_SUBMITTED' then excluded.components else whatsapp_templates.components end,
      variables = case when whatsapp_templates.status = 'NOT_SUBMITTED' then excluded.variables else whatsapp_templates.variables end`);
}

/** After the provider accepted a submission: its id and status (PENDING). */
export async function markTemplateSubmitted(ex: Executor, id: string, providerId: string, status: string): Promise<void> {
  await ex.execute(sql`update whatsapp_templates set provider_id = ${providerId}, status = ${status}, status_reason = null, updated_at = now() where id = ${id}`);
}

/** A submission the provider refused: the row stays NOT_SUBMITTED with the reason. */
export async function markTemplateRefused(ex: Executor, id: string, reason: string): Promise<void> {
  await ex.execute(sql`update whatsapp_templates set status_reason = ${reason}, updated_at = now() where id = ${id}`);
}

/** The WhatsApp channels of a workspace (id and slug), for placing workspace-file templates. */
export async function listWhatsAppChannelSlugs(ex: Executor, workspaceId: string): Promise<Array<{ id: string; slug: string }>> {
  return query<{ id: string; slug: string }>(ex, sql`select id, slug from channels where workspace_id = ${workspaceId} and kind = 'whatsapp' order by created_at`);
}

/**
 * A status webhook (`message_template_status_update`, providers.md §1.9) applied to the registry rows of that template:
 * by the provider's id in the workspace (every channel of the account shares it), else by name and language on the
 * channel that received it. REINSTATED and UNARCHIVED make it APPROVED again; FLAGGED (a quality warning) keeps the
 * status and notes the flag. Returns the rows changed, with the status before, for the audit trail.
 */
export async function applyTemplateStatus(
  ex: Executor,
  input: { workspaceId: string; channelId: string; templateId: string; name: string; language: string; event: string; reason: string | null },
): Promise<Array<{ id: string; channelSlug: string; name: string; language: string; before: string; after: string }>> {
  const next = input.event === 'REINSTATED' || input.event === 'UNARCHIVED' ? 'APPROVED' : input.event === 'FLAGGED' ? null : input.event;
  const reason = input.event === 'FLAGGED' ? 'FLAGGED' : input.reason && input.reason !== 'NONE' ? input.reason : null;
  return query(
    ex,
    sql`with target as (
          select id, status from whatsapp_templates
          where workspace_id = ${input.workspaceId}
            and (provider_id = ${input.templateId} or (provider_id is null and channel_id = ${input.channelId} and name = ${input.name} and language = ${input.language}))
          for update)
        update whatsapp_templates t set status = coalesce(${next}::text, t.status), status_reason = ${reason}, updated_at = now()
        from target where t.id = target.id and (t.status is distinct from coalesce(${next}::text, t.status) or t.status_reason is distinct from ${reason})
        returning t.id, (select slug from channels c where c.id = t.channel_id) as "channelSlug", t.name, t.language, target.status as before, t.status as after`,
  );
}
