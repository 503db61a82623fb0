/**
 * Use cases of the template registry: sync a channel's WhatsApp Business Account templates from the provider
 * (and, on request, first submit the workspace's desired templates it does not hold yet), list the registry, and
 * check a template send against it before the dispatcher calls the provider.
 */
import { canonicalJson, sha256Hex } from '../../platform/canonical.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type AuditContext, type AuditEntryInput, appendAudit, SYSTEM_AUDIT } from '../audit/index.js';
import { type ChannelError, type ChannelService, createGraphTemplate, getGraphTemplate, type GraphAccountTarget, type GraphApi, listGraphTemplates, type ResolvedChannel } from '../channels/index.js';
import { summarizeTemplateErrors, type TemplateContent, type TemplateSendError, validateTemplateSend } from './template-send.js';
import { deriveVariables, GraphTemplate, type TemplateEntry, toCreateRequest } from './templates.schemas.js';
import { findTemplate, listTemplates, lockChannelTemplates, markTemplateGone, markTemplateRefused, markTemplateSubmitted, type SyncedTemplate, upsertSyncedTemplate } from './templates.store.js';

export interface SyncOptions {
  /** One channel by slug; default every WhatsApp channel of the workspace. */
  channelSlug?: string;
  /** The WhatsApp Business Account id, when the channel's settings do not name one (`businessAccountId`). */
  businessAccountId?: string;
  /** First submit desired templates (workspace files) the provider does not hold yet (§4.8 create). */
  submit?: boolean;
}

export interface ChannelSyncSummary {
  channel: string;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  submitted: number;
  refused: Array<{ name: string; language: string; reason: string }>;
  /** Provider entries that did not have the expected shape (skipped). */
  skipped: number;
}

export interface TemplateView {
  channel: string;
  name: string;
  language: string;
  category: string;
  status: string;
  statusReason: string | null;
  parameterFormat: string;
  variables: TemplateEntry['variables'];
  providerId: string | null;
  source: string;
  managedByWorkspace: boolean;
  syncedAt: string | null;
}

export interface TemplateService {
  syncTemplates(workspaceId: string, opts?: SyncOptions, audit?: AuditContext): Promise<ChannelSyncSummary[]>;
  /** One template (by the provider's id) as the provider holds it now; what changed in the registry. */
  refreshTemplate(workspaceId: string, channelId: string, providerId: string): Promise<'created' | 'updated' | 'unchanged' | 'removed' | 'unknown'>;
  listTemplateViews(workspaceId: string, channelSlug?: string): Promise<TemplateView[]>;
}

/** @example const templates = createTemplateService({ db, channels }); await templates.syncTemplates(workspaceId, { channelSlug: 'wa-main' }); */
export function createTemplateService(deps: { db: Db; channels: ChannelService; fetch?: typeof fetch }): TemplateService {
  const { db, channels } = deps;

  async function whatsappChannels(workspaceId: string, slug?: string): Promise<ResolvedChannel[]> {
    const views = (await channels.listChannels(workspaceId)).filter((c) => c.kind === 'whatsapp' && (slug === undefined || c.slug === slug));
    if (slug !== undefined && views.length === 0) {
      throw new AppError('channel.not_found', `There is no WhatsApp channel "${slug}" in this workspace.`, { slug });
    }
    return Promise.all(views.map((v) => channels.getById(v.id)));
  }

  async function syncChannel(workspaceId: string, channel: ResolvedChannel, opts: SyncOptions, audit: AuditContext): Promise<ChannelSyncSummary> {
    const target = accountOf(channel, opts.businessAccountId);
    const slug = channel.row.slug;
    const summary: ChannelSyncSummary = { channel: slug, created: 0, updated: 0, unchanged: 0, removed: 0, submitted: 0, refused: [], skipped: 0 };
    if (opts.submit) {
      await submitDesired(workspaceId, channel, target, audit, summary);
    }
    const listed = await listGraphTemplates(target, deps.fetch);
    if (!listed.ok) {
      throw providerFailed(slug, listed.error);
    }
    const remote: SyncedTemplate[] = [];
    for (const raw of listed.value) {
      const t = toSynced(raw);
      if (t) {
        remote.push(t);
      } else {
        summary.skipped++;
      }
    }
    await db.transaction(async (tx) => {
      const before = new Map((await lockChannelTemplates(tx, channel.row.id)).map((r) => [`${r.name}\u0000${r.language}`, r]));
      const entries: AuditEntryInput[] = [];
      for (const t of remote) {
        const old = before.get(`${t.name}\u0000${t.language}`);
        before.delete(`${t.name}\u0000${t.language}`);
        summary[await storeRemote(tx, { workspaceId, channelId: channel.row.id, slug, audit }, t, old, entries)]++;
      }
      // What the provider no longer lists was deleted there; a row never submitted is the workspace's wish only.
      for (const old of before.values()) {
        if (await storeGone(tx, { workspaceId, slug, audit }, old, entries)) {
          summary.removed++;
        }
      }
      await appendAudit(tx, entries);
    });
    return summary;
  }

  /**
   * One template as the provider holds it now, after a status webhook (providers.md §1.9): webhooks may arrive late
   * or out of order, so the registry takes the provider's current answer rather than the event's word. Returns
   * what changed; a provider failure is thrown (the job retries).
   */
  async function refreshTemplate(workspaceId: string, channelId: string, providerId: string): Promise<'created' | 'updated' | 'unchanged' | 'removed' | 'unknown'> {
    const channel = await channels.getById(channelId);
    const fetched = await getGraphTemplate(graphApiOf(channel), providerId, deps.fetch);
    const audit: AuditContext = { actor: { kind: 'system', id: 'template-refresh' } };
    return db.transaction(async (tx) => {
      const rows = (await lockChannelTemplates(tx, channelId)).filter((r) => r.providerId === providerId);
      const entries: AuditEntryInput[] = [];
      let outcome: 'created' | 'updated' | 'unchanged' | 'removed' | 'unknown' = 'unknown';
      if (!fetched.ok) {
        if (!fetched.gone) {
          throw providerFailed(channel.row.slug, fetched.error);
        }
        for (const old of rows) {
          outcome = (await storeGone(tx, { workspaceId, slug: channel.row.slug, audit }, old, entries)) ? 'removed' : 'unchanged';
        }
      } else {
        const t = toSynced(fetched.value);
        if (t) {
          outcome = await storeRemote(tx, { workspaceId, channelId, slug: channel.row.slug, audit }, t, rows.find((r) => r.name === t.name && r.language === t.language), entries);
        }
      }
      await appendAudit(tx, entries);
      return outcome;
    });
  }

  async function submitDesired(workspaceId: string, channel: ResolvedChannel, target: GraphAccountTarget, audit: AuditContext, summary: ChannelSyncSummary): Promise<void> {
    const wanted = (await listTemplates(db, workspaceId, channel.row.id)).filter((t) => t.status === 'NOT_SUBMITTED' && t.desired !== null);
    for (const t of wanted) {
      const desired = t.desired;
      if (desired === null) {
        continue;
      }
      const created = await createGraphTemplate(target, toCreateRequest(desired), deps.fetch);
      await db.transaction(async (tx) => {
        const object = { type: 'whatsapp_template', id: `${channel.row.slug}/${t.name}/${t.language}` };
        if (created.ok) {
          summary.submitted++;
          await markTemplateSubmitted(tx, t.id, created.value.id, created.value.status.toUpperCase());
          await appendAudit(tx, [{ workspaceId, ...audit, action: 'template.submitted', object, after: { providerId: created.value.id, status: created.value.status } }]);
        } else {
          summary.refused.push({ name: t.name, language: t.language, reason: created.error.reason });
          await markTemplateRefused(tx, t.id, created.error.reason);
          await appendAudit(tx, [{ workspaceId, ...audit, action: 'template.submitted', object, outcome: 'failure', reason: `${created.error.code}: ${created.error.reason}` }]);
        }
      });
    }
  }

  return {
    refreshTemplate,
    async syncTemplates(workspaceId, opts = {}, audit = SYSTEM_AUDIT) {
      const summaries: ChannelSyncSummary[] = [];
      for (const channel of await whatsappChannels(workspaceId, opts.channelSlug)) {
        summaries.push(await syncChannel(workspaceId, channel, opts, audit));
      }
      return summaries;
    },
    async listTemplateViews(workspaceId, channelSlug) {
      const views = (await channels.listChannels(workspaceId)).filter((c) => c.kind === 'whatsapp');
      const slugs = new Map(views.map((v) => [v.id, v.slug]));
      const only = channelSlug === undefined ? undefined : views.find((v) => v.slug === channelSlug);
      if (channelSlug !== undefined && only === undefined) {
        throw new AppError('channel.not_found', `There is no WhatsApp channel "${channelSlug}" in this workspace.`, { slug: channelSlug });
      }
      return (await listTemplates(db, workspaceId, only?.id)).map((t) => toView(t, slugs.get(t.channelId) ?? t.channelId));
    },
  };
}

/**
 * The dispatcher's template check (one call before a template send): the registry entry of the message's channel,
 * name and language, validated against the content. Undefined for non-template content and valid sends; otherwise
 * a final (not retryable) error whose reason names the first problem — the provider is never called for it.
 *
 * @example const invalid = await checkTemplateMessage(db, msg); if (invalid) return { ok: false, error: invalid };
 */
export async function checkTemplateMessage(ex: Executor, msg: { channelId: string; content: { type: string } }): Promise<(ChannelError & { errors: TemplateSendError[] }) | undefined> {
  if (msg.content.type !== 'template') {
    return undefined;
  }
  const content = msg.content as TemplateContent;
  const entry = await findTemplate(ex, msg.channelId, content.name, content.language);
  const check = validateTemplateSend(entry, content);
  if (check.ok) {
    return undefined;
  }
  return { code: check.errors[0]?.code ?? 'template.invalid', retryable: false, reason: summarizeTemplateErrors(check.errors), errors: check.errors };
}

function accountOf(channel: ResolvedChannel, override: string | undefined): GraphAccountTarget {
  const fromSettings = channel.row.settings.businessAccountId;
  const businessAccountId = override ?? (typeof fromSettings === 'string' ? fromSettings : undefined);
  if (businessAccountId === undefined || !/^\d{5,30}$/.test(businessAccountId)) {
    throw new AppError('template.account_unknown', `Channel "${channel.row.slug}" names no WhatsApp Business Account id; pass it (--waba / businessAccountId).`, { channel: channel.row.slug });
  }
  return { ...graphApiOf(channel), businessAccountId };
}

/** Where a WhatsApp channel's Graph API is and the token it calls it with. */
function graphApiOf(channel: ResolvedChannel): GraphApi {
  const settings = channel.settings;
  return {
    apiBaseUrl: String(settings.apiBaseUrl ?? 'https://graph.facebook.com'),
    apiVersion: String(settings.apiVersion ?? 'v24.0'),
    accessToken: String(channel.secrets.accessToken ?? ''),
  };
}

/** The registry's fields of a provider template (§4.8), or undefined when it does not have the expected shape. */
function toSynced(raw: unknown): SyncedTemplate | undefined {
  const parsed = GraphTemplate.safeParse(raw);
  if (!parsed.success) {
    return undefined;
  }
  const t = parsed.data;
  return {
    name: t.name,
    language: t.language,
    category: t.category.toUpperCase(),
    parameterFormat: t.parameter_format?.toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: t.components,
    variables: deriveVariables(t.components),
    status: t.status.toUpperCase(),
    providerId: t.id,
  };
}

interface StoreContext {
  workspaceId: string;
  slug: string;
  audit: AuditContext;
}

/** Writes the provider's view of a template over its registry row (`old`), with the audit entry of what changed. */
async function storeRemote(tx: Executor, ctx: StoreContext & { channelId: string }, t: SyncedTemplate, old: TemplateEntry | undefined, entries: AuditEntryInput[]): Promise<'created' | 'updated' | 'unchanged'> {
  const now = fingerprint(t);
  await upsertSyncedTemplate(tx, ctx.workspaceId, ctx.channelId, t);
  if (old === undefined || old.providerId === null) {
    entries.push(templateEntry(ctx, 'template.synced', t, now));
    return 'created';
  }
  if (canonicalJson(fingerprint(old)) !== canonicalJson(now)) {
    entries.push(templateEntry(ctx, old.status === t.status ? 'template.updated' : 'template.status_changed', t, now, fingerprint(old)));
    return 'updated';
  }
  return 'unchanged';
}

/** Marks a row the provider no longer holds as DELETED (a row never submitted is the workspace's wish only). */
async function storeGone(tx: Executor, ctx: StoreContext, old: TemplateEntry, entries: AuditEntryInput[]): Promise<boolean> {
  if (old.providerId === null || old.status === 'DELETED') {
    return false;
  }
  await markTemplateGone(tx, old.id);
  entries.push(templateEntry(ctx, 'template.status_changed', old, { ...fingerprint(old), status: 'DELETED' }, fingerprint(old)));
  return true;
}

function templateEntry(ctx: StoreContext, action: string, t: { name: string; language: string }, after: unknown, before?: unknown): AuditEntryInput {
  return { workspaceId: ctx.workspaceId, ...ctx.audit, action, object: { type: 'whatsapp_template', id: `${ctx.slug}/${t.name}/${t.language}` }, after, ...(before === undefined ? {} : { before }) };
}

function providerFailed(slug: string, error: ChannelError): AppError {
  return new AppError('template.provider_failed', `The template list of channel "${slug}" could not be read: ${error.reason}`, { channel: slug, code: error.code, retryable: error.retryable });
}

/** What the audit trail keeps of a template: status, category, format and a hash of the components (no text). */
function fingerprint(t: Pick<SyncedTemplate, 'category' | 'parameterFormat' | 'components' | 'status'> & { providerId: string | null }): Record<string, unknown> {
  return { status: t.status, category: t.category, parameterFormat: t.parameterFormat, providerId: t.providerId, componentsHash: sha256Hex(canonicalJson(t.components)) };
}

function toView(t: TemplateEntry, channel: string): TemplateView {
  return {
    channel,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status,
    statusReason: t.statusReason,
    parameterFormat: t.parameterFormat,
    variables: t.variables,
    providerId: t.providerId,
    source: t.source,
    managedByWorkspace: t.desired !== null,
    syncedAt: t.syncedAt === null ? null : new Date(t.syncedAt).toISOString(),
  };
}

/**
 * The category of a registry template, lower-case as the send gate takes it (WA-03), or undefined when the channel
 * holds no such template. For the gate's input; the full check stays in checkTemplateMessage.
 */
export async function findTemplateCategory(ex: Executor, channelId: string, name: string, language: string): Promise<'marketing' | 'utility' | 'authentication' | undefined> {
  const category = (await findTemplate(ex, channelId, name, language))?.category.toLowerCase();
  return category === 'marketing' || category === 'utility' || category === 'authentication' ? category : undefined;
}
