/**
 * How a confirmation request reaches the contact (GDPR-11, WA-02/03): inside the channel's customer-service window
 * (or on a channel without one) as free text with two buttons where the channel has them; on WhatsApp outside the
 * window only as the workspace's approved UTILITY template (`doubleOptIn.whatsappTemplate`), checked like every
 * template send. Anything the send gate or the provider would refuse is refused here, before anything is queued.
 */
import type { OutboundContent, TemplateParameter, WorkspaceSettings } from '@parley/contracts';
import type { Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { getAdapter } from '../channels/index.js';
import { DOUBLE_OPT_IN_BUTTONS, doubleOptInButtonId, doubleOptInRequest } from '../consent/index.js';
import { findTemplate, summarizeTemplateErrors, type TemplateEntry, validateTemplateSend } from '../templates/index.js';

export interface RequestFacts {
  channel: { id: string; kind: string; slug: string };
  /** When the contact last wrote in this conversation (null: never). */
  lastInboundAt: Date | null;
  now: Date;
  sender: string;
  purpose: string;
  purposeLabel: string;
  text: { slug: string; version: number; wording: string };
  language: string;
  expiresAfterDays: number;
  settings: WorkspaceSettings;
}

/** The request's messages (the ask last) and how it goes out. */
export async function composeRequest(ex: Executor, facts: RequestFacts): Promise<{ contents: OutboundContent[]; form: 'free' | 'template' }> {
  const capabilities = getAdapter(facts.channel.kind).capabilities;
  const window = capabilities.serviceWindowHours;
  const windowOpen = window === null || (facts.lastInboundAt !== null && facts.now.getTime() < facts.lastInboundAt.getTime() + window * 3_600_000);
  if (windowOpen) {
    const titles = Object.values(DOUBLE_OPT_IN_BUTTONS).flatMap((t) => Object.values(t));
    const buttons = capabilities.maxButtons >= 2 && titles.every((t) => t.length <= capabilities.buttonTitleMax);
    return { contents: doubleOptInRequest({ ...facts, buttons }), form: 'free' };
  }
  const configured = facts.settings.doubleOptIn?.whatsappTemplate;
  if (!configured || !capabilities.templates) {
    throw new AppError(
      'consent.confirmation_unavailable',
      `The contact has not written on channel "${facts.channel.slug}" within ${window} hours, so only an approved template may carry the confirmation request: name a UTILITY template in workspace.yaml (doubleOptIn.whatsappTemplate).`,
    );
  }
  // The template in the contact's language where the registry has it, else in the configured one.
  const entry = (await findTemplate(ex, facts.channel.id, configured.name, facts.language)) ?? (await findTemplate(ex, facts.channel.id, configured.name, configured.language));
  if (!entry) {
    throw templateProblem(`Template "${configured.name}" (${configured.language}) is not in the registry of channel "${facts.channel.slug}" (parley template sync).`);
  }
  if (entry.category.toUpperCase() !== 'UTILITY') {
    throw templateProblem(`Template "${entry.name}" is ${entry.category}; a confirmation request carries nothing promotional (GDPR-11): use a UTILITY template.`);
  }
  const content = templateContent(entry, facts);
  const check = validateTemplateSend(entry, content);
  if (!check.ok) {
    throw templateProblem(`Template "${entry.name}" (${entry.language}) cannot carry the request: ${summarizeTemplateErrors(check.errors)}`, { errors: check.errors });
  }
  return { contents: [content], form: 'template' };
}

/**
 * The template send: body variables filled by name — `sender`, `purpose`, `days` (positional {{1}}, {{2}}, {{3}} in
 * that order) — and the first two quick-reply buttons answering confirm and decline for this purpose.
 */
function templateContent(entry: TemplateEntry, facts: RequestFacts): Extract<OutboundContent, { type: 'template' }> {
  const values: Record<string, string> = { sender: facts.sender, purpose: facts.purposeLabel, days: String(facts.expiresAfterDays), 1: facts.sender, 2: facts.purposeLabel, 3: String(facts.expiresAfterDays) };
  const named = entry.parameterFormat === 'NAMED';
  const body = entry.variables.body.params.map((name): TemplateParameter => {
    const text = values[name];
    if (text === undefined) {
      throw templateProblem(`Template "${entry.name}" has the variable {{${name}}}; a confirmation template may use sender, purpose and days ({{1}}–{{3}}).`);
    }
    return named ? { type: 'text', text, name } : { type: 'text', text };
  });
  const quickReplies = entry.variables.buttons.filter((b) => b.type === 'QUICK_REPLY').slice(0, 2);
  const buttons = quickReplies.map((b, i) => ({ index: b.index, subType: 'quick_reply' as const, value: doubleOptInButtonId(i === 0 ? 'confirm' : 'decline', facts.purpose) }));
  return { type: 'template', name: entry.name, language: entry.language, ...(body.length > 0 ? { body } : {}), ...(buttons.length > 0 ? { buttons } : {}) };
}

function templateProblem(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('consent.confirmation_template_invalid', message, details);
}
