/**
 * Shapes of the template registry: a registry entry, the variables each component expects, and the workspace-file
 * definition (`templates/*.yaml`) with its translation into the provider's creation format (providers.md §4.8).
 */
import { z } from 'zod';

/** Statuses the provider reports (§4.8), plus NOT_SUBMITTED for a workspace-file template never sent to it. */
export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'NOT_SUBMITTED' | (string & {});
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type HeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';

/** What a send must supply, per component, derived from the template's components. */
export interface TemplateVariables {
  /** Absent when the template has no header. `params` names the text header's variables ({{1}} or named). */
  header?: { format: HeaderFormat; params: string[]; text: string };
  body: { params: string[]; text: string };
  /** One per template button, by index; `dynamic` buttons need one parameter in every send. */
  buttons: Array<{ index: number; type: string; dynamic: boolean }>;
}

/** One row of the registry. */
export interface TemplateEntry {
  id: string;
  workspaceId: string;
  channelId: string;
  name: string;
  language: string;
  category: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: unknown[];
  variables: TemplateVariables;
  status: TemplateStatus;
  statusReason: string | null;
  providerId: string | null;
  source: 'provider' | 'workspace';
  desired: TemplateFile | null;
  syncedAt: Date | null;
  updatedAt: Date;
}

/** A template as the provider's list API returns it (§4.8); unknown keys are kept in `components`. */
export const GraphTemplate = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  language: z.string().min(1),
  status: z.string().min(1),
  category: z.string().min(1),
  parameter_format: z.string().optional(),
  components: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type GraphTemplate = z.infer<typeof GraphTemplate>;

const TemplateName = z.string().regex(/^[a-z0-9_]{1,512}$/, 'name: 1–512 lowercase letters, digits and underscores (§4.8)');

/**
 * One entry of `templates/*.yaml`: what a workspace wants the provider to hold. Examples are required for every
 * variable because the provider refuses a template without them (§4.8).
 */
export const TemplateFile = z
  .object({
    name: TemplateName,
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'language: a code such as de, en_US, es_MX'),
    category: z.enum(['marketing', 'utility', 'authentication']),
    /** The slug of the WhatsApp channel whose business account holds it; optional with one WhatsApp channel. */
    channel: z.string().min(1).optional(),
    parameterFormat: z.enum(['positional', 'named']).default('positional'),
    header: z
      .union([
        z.object({ format: z.literal('text'), text: z.string().min(1).max(60), examples: z.array(z.string().min(1)).optional() }),
        z.object({ format: z.enum(['image', 'video', 'document', 'location']) }),
      ])
      .optional(),
    body: z.object({ text: z.string().min(1).max(1024), examples: z.array(z.string().min(1)).optional() }),
    footer: z.string().min(1).max(60).optional(),
    buttons: z
      .array(
        z.union([
          z.object({ type: z.literal('quick_reply'), text: z.string().min(1).max(25) }),
          z.object({ type: z.literal('url'), text: z.string().min(1).max(25), url: z.string().url(), example: z.string().optional() }),
          z.object({ type: z.literal('phone_number'), text: z.string().min(1).max(25), phoneNumber: z.string().min(5) }),
          z.object({ type: z.literal('copy_code'), example: z.string().min(1).max(15) }),
        ]),
      )
      .max(10)
      .optional(),
  })
  .superRefine((t, ctx) => {
    const check = (text: string, examples: string[] | undefined, path: string[]) => {
      const vars = variablesIn(text);
      if (t.parameterFormat === 'positional' && !vars.map(Number).sort((a, b) => a - b).every((n, i) => n === i + 1)) {
        ctx.addIssue({ code: 'custom', path, message: 'positional variables must be {{1}}, {{2}}, … without gaps' });
      }
      if (t.parameterFormat === 'named' && !vars.every((v) => /^[a-z_][a-z0-9_]*$/.test(v))) {
        ctx.addIssue({ code: 'custom', path, message: 'named variables must be lowercase letters, digits and underscores' });
      }
      if (vars.length !== (examples?.length ?? 0)) {
        ctx.addIssue({ code: 'custom', path: [...path.slice(0, -1), 'examples'], message: `give one example per variable: ${vars.length} variable(s), ${examples?.length ?? 0} example(s)` });
      }
    };
    if (t.header?.format === 'text') {
      check(t.header.text, t.header.examples, ['header', 'text']);
    }
    check(t.body.text, t.body.examples, ['body', 'text']);
    t.buttons?.forEach((b, i) => {
      if (b.type === 'url' && variablesIn(b.url).length > 0 && b.example === undefined) {
        ctx.addIssue({ code: 'custom', path: ['buttons', i, 'example'], message: 'a URL with a variable needs an example' });
      }
    });
  });
export type TemplateFile = z.infer<typeof TemplateFile>;

/** Words that tell a reader how to stop advertising (German and English; STOP works in every Parley workspace). */
const OPT_OUT = /\b(stop|stopp|abmelden|abbestellen|abmeldung|unsubscribe|opt[- ]?out)\b/i;

/**
 * GDPR-14: an advertising template must say how to opt out — in the body, the footer or a quick-reply button
 * ("Abmelden: STOP"). Returns false for one that does not; other categories are not advertising.
 */
export function saysHowToOptOut(t: Pick<TemplateFile, 'category' | 'body' | 'footer' | 'buttons'>): boolean {
  if (t.category !== 'marketing') {
    return true;
  }
  const texts = [t.body.text, t.footer ?? '', ...(t.buttons ?? []).map((b) => ('text' in b ? b.text : ''))];
  return texts.some((text) => OPT_OUT.test(text));
}

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Distinct variable names of a template text, in order of first appearance. */
export function variablesIn(text: unknown): string[] {
  return typeof text === 'string' ? [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1] ?? ''))] : [];
}

/** Replaces `{{x}}` by `values.get(x)`; unknown variables stay as they are. */
export function hydrate(text: string, values: Map<string, string>): string {
  return text.replace(VARIABLE, (whole, name: string) => values.get(name) ?? whole);
}

/**
 * The variables each component of a template expects (header format and params, body params, dynamic buttons),
 * read from components in either the creation format or the upper-case read format of the provider (§4.8).
 */
export function deriveVariables(components: unknown[]): TemplateVariables {
  const records = components.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null);
  const typed = (type: string) => records.find((c) => typeof c.type === 'string' && c.type.toUpperCase() === type);
  const ordered = (vars: string[]) => (vars.every((v) => /^\d+$/.test(v)) ? [...vars].sort((a, b) => Number(a) - Number(b)) : vars);
  const header = typed('HEADER');
  const body = typed('BODY');
  const buttons = typed('BUTTONS');
  const rawButtons = Array.isArray(buttons?.buttons) ? (buttons.buttons as unknown[]) : [];
  const headerText = typeof header?.text === 'string' ? header.text : '';
  return {
    ...(header
      ? { header: { format: (typeof header.format === 'string' ? header.format.toUpperCase() : 'TEXT') as HeaderFormat, params: ordered(variablesIn(headerText)), text: headerText } }
      : {}),
    body: { params: ordered(variablesIn(body?.text)), text: typeof body?.text === 'string' ? body.text : '' },
    buttons: rawButtons.map((b, index) => {
      const button = typeof b === 'object' && b !== null ? (b as Record<string, unknown>) : {};
      const type = typeof button.type === 'string' ? button.type.toUpperCase() : 'UNKNOWN';
      // A URL button is dynamic only when its URL has a variable; copy-code and one-time-password buttons always are.
      const dynamic = type === 'COPY_CODE' || type === 'OTP' || (type === 'URL' && variablesIn(button.url).length > 0);
      return { index, type, dynamic };
    }),
  };
}

/** A workspace-file template in the provider's creation format (`POST /{waba-id}/message_templates`, §4.8). */
export function toCreateRequest(t: TemplateFile): Record<string, unknown> {
  const named = t.parameterFormat === 'named';
  const example = (component: 'header' | 'body', text: string, examples: string[] | undefined) => {
    if (!examples?.length) {
      return {};
    }
    if (named) {
      const vars = variablesIn(text);
      return { example: { [`${component}_text_named_params`]: vars.map((v, i) => ({ param_name: v, example: examples[i] })) } };
    }
    return { example: { [`${component}_text`]: component === 'body' ? [examples] : examples } };
  };
  const components: Array<Record<string, unknown>> = [];
  if (t.header) {
    components.push(t.header.format === 'text' ? { type: 'HEADER', format: 'TEXT', text: t.header.text, ...example('header', t.header.text, t.header.examples) } : { type: 'HEADER', format: t.header.format.toUpperCase() });
  }
  components.push({ type: 'BODY', text: t.body.text, ...example('body', t.body.text, t.body.examples) });
  if (t.footer) {
    components.push({ type: 'FOOTER', text: t.footer });
  }
  if (t.buttons?.length) {
    components.push({
      type: 'BUTTONS',
      buttons: t.buttons.map((b) => {
        switch (b.type) {
          case 'quick_reply':
            return { type: 'QUICK_REPLY', text: b.text };
          case 'url':
            return { type: 'URL', text: b.text, url: b.url, ...(b.example ? { example: [b.example] } : {}) };
          case 'phone_number':
            return { type: 'PHONE_NUMBER', text: b.text, phone_number: b.phoneNumber };
          case 'copy_code':
            return { type: 'COPY_CODE', example: b.example };
        }
      }),
    });
  }
  return { name: t.name, language: t.language, category: t.category.toUpperCase(), parameter_format: t.parameterFormat, components };
}
