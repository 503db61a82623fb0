/**
 * The templates part of `parley apply`: `templates/*.yaml` entries become the workspace's desired templates in the
 * registry (status NOT_SUBMITTED until `parley template sync --submit` hands them to the provider).
 */
import { canonicalJson, sha256Hex } from '../../platform/canonical.js';
import type { Executor } from '../../platform/db.js';
import type { AuditContext, AuditEntryInput } from '../audit/index.js';
import { deriveVariables, type TemplateFile, toCreateRequest } from './templates.schemas.js';
import { findTemplate, listWhatsAppChannelSlugs, upsertDesiredTemplate } from './templates.store.js';

/** One entry of a templates file, with where it was read from. */
export interface DesiredTemplate {
  template: TemplateFile;
  file: string;
  index: number;
}

export type DesiredTemplatesOutcome =
  | { ok: true; counts: { created: number; updated: number; unchanged: number }; audit: AuditEntryInput[] }
  | { ok: false; problems: Array<{ file: string; path: string; message: string }> };

/**
 * Stores each desired template on its channel (named by slug, or the workspace's only WhatsApp channel) in the
 * caller's transaction and returns the audit entries for the caller to append with the rest of the apply. Problems
 * (an unknown or ambiguous channel) come back before anything is written.
 */
export async function applyDesiredTemplates(tx: Executor, workspaceId: string, templates: DesiredTemplate[], audit: AuditContext): Promise<DesiredTemplatesOutcome> {
  if (templates.length === 0) {
    return { ok: true, counts: { created: 0, updated: 0, unchanged: 0 }, audit: [] };
  }
  const channels = await listWhatsAppChannelSlugs(tx, workspaceId);
  const problems: Array<{ file: string; path: string; message: string }> = [];
  const placed: Array<DesiredTemplate & { channel: { id: string; slug: string } }> = [];
  for (const d of templates) {
    const slug = d.template.channel;
    const channel = slug === undefined ? (channels.length === 1 ? channels[0] : undefined) : channels.find((c) => c.slug === slug);
    if (channel === undefined) {
      const message = slug !== undefined
        ? `WhatsApp channel "${slug}" does not exist in this workspace`
        : `name the channel (channel: <slug>): the workspace has ${channels.length === 0 ? 'no WhatsApp channel' : `${channels.length} WhatsApp channels`}`;
      problems.push({ file: d.file, path: `${d.index}.channel`, message });
    } else {
      placed.push({ ...d, channel });
    }
  }
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const entries: AuditEntryInput[] = [];
  for (const d of placed) {
    const t = d.template;
    const existing = await findTemplate(tx, d.channel.id, t.name, t.language);
    if (existing?.desired && canonicalJson(existing.desired) === canonicalJson(t)) {
      counts.unchanged++;
      continue;
    }
    const request = toCreateRequest(t);
    const components = request.components as unknown[];
    await upsertDesiredTemplate(tx, workspaceId, d.channel.id, { desired: t, category: t.category.toUpperCase(), parameterFormat: t.parameterFormat.toUpperCase(), components, variables: deriveVariables(components) });
    counts[existing?.desired ? 'updated' : 'created']++;
    entries.push({
      workspaceId,
      ...audit,
      action: 'template.desired_saved',
      object: { type: 'whatsapp_template', id: `${d.channel.slug}/${t.name}/${t.language}` },
      after: { hash: sha256Hex(canonicalJson(t)), category: t.category, file: d.file },
      ...(existing?.desired ? { before: { hash: sha256Hex(canonicalJson(existing.desired)) } } : {}),
    });
  }
  return { ok: true, counts, audit: entries };
}
