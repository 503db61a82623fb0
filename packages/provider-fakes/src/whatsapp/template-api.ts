import { deliverForAccount, type FakeContext } from './context.js';
import { GraphError } from './errors.js';
import { isRecord } from './http.js';
import { variablesIn, type StoredTemplate, type TemplateCategory } from './templates.js';

const CATEGORIES: readonly TemplateCategory[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];
const DEFAULT_PAGE_SIZE = 25;

/** The read shape of a template: component/format enums upper-case (providers.md §4.8). */
export function toGraphTemplate(t: StoredTemplate): Record<string, unknown> {
  const components = t.components.map((c) => {
    const copy: Record<string, unknown> = { ...c };
    for (const key of ['type', 'format'] as const) {
      const value = copy[key];
      if (typeof value === 'string') {
        copy[key] = value.toUpperCase();
      }
    }
    if (Array.isArray(copy.buttons)) {
      copy.buttons = (copy.buttons as unknown[]).map((b) => (isRecord(b) && typeof b.type === 'string' ? { ...b, type: b.type.toUpperCase() } : b));
    }
    return copy;
  });
  return {
    name: t.name,
    parameter_format: t.parameterFormat.toUpperCase(),
    components,
    language: t.language,
    status: t.status,
    category: t.category,
    id: t.id,
  };
}

function pickFields(item: Record<string, unknown>, fields: string | null): Record<string, unknown> {
  if (fields === null || fields === '') {
    return item;
  }
  const picked: Record<string, unknown> = {};
  for (const field of fields.split(',').map((f) => f.trim())) {
    if (field in item) {
      picked[field] = item[field];
    }
  }
  picked.id = item.id;
  return picked;
}

const encodeCursor = (index: number): string => Buffer.from(String(index)).toString('base64url');
const decodeCursor = (cursor: string | null): number | undefined => {
  if (cursor === null) {
    return undefined;
  }
  const value = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Number.isInteger(value) && value >= 0 ? value : undefined;
};

/** `GET /{waba-id}/message_templates` with name/status/language/category filters and cursor paging (§4.8). */
export function listTemplates(ctx: FakeContext, url: URL): Record<string, unknown> {
  const q = url.searchParams;
  const filtered = ctx.templates.list().filter(
    (t) =>
      (q.get('name') === null || t.name.includes(q.get('name') ?? '')) &&
      (q.get('status') === null || t.status === q.get('status')?.toUpperCase()) &&
      (q.get('language') === null || t.language === q.get('language')) &&
      (q.get('category') === null || t.category === q.get('category')?.toUpperCase()),
  );
  const limit = Math.max(1, Math.min(1000, Number(q.get('limit') ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE));
  const after = decodeCursor(q.get('after'));
  const before = decodeCursor(q.get('before'));
  const start = after !== undefined ? after + 1 : before !== undefined ? Math.max(0, before - limit) : 0;
  const end = before !== undefined && after === undefined ? before : start + limit;
  const page = filtered.slice(start, end);
  const data = page.map((t) => pickFields(toGraphTemplate(t), q.get('fields')));
  if (page.length === 0) {
    return { data };
  }
  const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(start + page.length - 1) } };
  const link = (key: 'after' | 'before', cursor: string): string => {
    const next = new URL(url.pathname, ctx.baseUrl);
    for (const [k, v] of q) {
      if (k !== 'after' && k !== 'before') {
        next.searchParams.set(k, v);
      }
    }
    next.searchParams.set('limit', String(limit));
    next.searchParams.set(key, cursor);
    return next.toString();
  };
  if (start + page.length < filtered.length) {
    paging.next = link('after', encodeCursor(start + page.length - 1));
  }
  if (start > 0) {
    paging.previous = link('before', encodeCursor(start));
  }
  return { data, paging };
}

function invalid(details: string, subcode?: number): GraphError {
  return new GraphError(100, details, subcode === undefined ? {} : { subcode });
}

/** Validates creation-format components (§4.8 limits) and returns them. */
function parseComponents(raw: unknown, format: 'positional' | 'named'): Array<Record<string, unknown>> {
  if (!Array.isArray(raw) || !(raw as unknown[]).every(isRecord)) {
    throw invalid('components must be an array of objects.');
  }
  const components = raw as Array<Record<string, unknown>>;
  const typeOf = (c: Record<string, unknown>): string => (typeof c.type === 'string' ? c.type.toUpperCase() : '');
  const bodies = components.filter((c) => typeOf(c) === 'BODY');
  if (bodies.length !== 1 || typeof bodies[0]?.text !== 'string' || bodies[0].text.length > 1024) {
    throw invalid('A template needs exactly one BODY component with text of at most 1024 characters.');
  }
  for (const c of components) {
    const type = typeOf(c);
    if (!['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(type)) {
      throw invalid(`Unknown component type ${String(c.type)}.`);
    }
    if (type === 'FOOTER' && (typeof c.text !== 'string' || c.text.length > 60)) {
      throw invalid('FOOTER text is required and must be at most 60 characters.');
    }
    if (type === 'HEADER' && c.text !== undefined && (typeof c.text !== 'string' || c.text.length > 60)) {
      throw invalid('HEADER text must be at most 60 characters.');
    }
    if (type === 'BUTTONS') {
      const buttons = Array.isArray(c.buttons) ? (c.buttons as unknown[]) : [];
      if (buttons.length === 0 || !buttons.every((b) => isRecord(b) && typeof b.text === 'string' && b.text.length >= 1 && b.text.length <= 25)) {
        throw invalid('BUTTONS needs buttons whose text is 1–25 characters.');
      }
    }
    if (type === 'HEADER' || type === 'BODY') {
      checkVariables(c, type, format);
    }
  }
  return components;
}

/** §4.8: positional variables are {{1}}..{{n}}, named ones lowercase + underscore, all with examples. */
function checkVariables(component: Record<string, unknown>, type: string, format: 'positional' | 'named'): void {
  const vars = variablesIn(component.text);
  if (vars.length === 0) {
    return;
  }
  if (format === 'positional') {
    const sorted = vars.map(Number).sort((a, b) => a - b);
    if (!sorted.every((n, i) => n === i + 1)) {
      throw invalid(`${type} variables must be {{1}}, {{2}}, … in sequence.`);
    }
  } else if (!vars.every((v) => /^[a-z_][a-z0-9_]*$/.test(v))) {
    throw invalid(`${type} named variables must be lowercase letters, digits and underscores.`);
  }
  const example = component.example;
  const key = `${type.toLowerCase()}_text${format === 'named' ? '_named_params' : ''}`;
  if (!isRecord(example) || example[key] === undefined) {
    throw invalid(`${type} has variables, so example.${key} is required.`, 2388043);
  }
}

/** `POST /{waba-id}/message_templates` → PENDING, approved after a short simulated review (§4.8). */
export function createTemplate(ctx: FakeContext, body: Record<string, unknown>): Record<string, unknown> {
  const { name, language } = body;
  if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) {
    throw invalid('name must be 1–512 lowercase letters, digits and underscores.');
  }
  if (typeof language !== 'string' || language === '') {
    throw invalid('language is required.');
  }
  const category = typeof body.category === 'string' ? body.category.toUpperCase() : '';
  const known = CATEGORIES.find((c) => c === category);
  if (known === undefined) {
    throw invalid('category must be MARKETING, UTILITY or AUTHENTICATION.');
  }
  const formatRaw = typeof body.parameter_format === 'string' ? body.parameter_format.toLowerCase() : 'positional';
  if (formatRaw !== 'positional' && formatRaw !== 'named') {
    throw invalid('parameter_format must be positional or named.');
  }
  const components = parseComponents(body.components, formatRaw);
  if (ctx.templates.find(name, language) !== undefined) {
    throw invalid(`Content in this language already exists for template ${name} (${language}).`, 2388024);
  }
  const template = ctx.templates.add({ name, language, category: known, status: 'PENDING', components, parameterFormat: formatRaw });
  scheduleReview(ctx, template);
  return { id: template.id, status: 'PENDING', category: known };
}

/** `POST /{template-id}`: new components/category go back to review (§4.8). */
export function editTemplate(ctx: FakeContext, template: StoredTemplate, body: Record<string, unknown>): Record<string, unknown> {
  if (body.category !== undefined) {
    const category = CATEGORIES.find((c) => typeof body.category === 'string' && c === body.category.toUpperCase());
    if (category === undefined) {
      throw invalid('category must be MARKETING, UTILITY or AUTHENTICATION.');
    }
    template.category = category;
  }
  if (body.components !== undefined) {
    template.components = structuredClone(parseComponents(body.components, template.parameterFormat));
  }
  setTemplateStatus(ctx, template, 'PENDING');
  scheduleReview(ctx, template);
  return { success: true };
}

/** `DELETE /{waba-id}/message_templates?name=…[&hsm_id=…]` (§4.8): all languages unless hsm_id is given. */
export function deleteTemplates(ctx: FakeContext, url: URL): Record<string, unknown> {
  const name = url.searchParams.get('name');
  const hsmId = url.searchParams.get('hsm_id');
  if (name === null || name === '') {
    throw new GraphError(100, 'The parameter name is required.', { message: '(#100) The parameter name is required.' });
  }
  const victims = ctx.templates.list().filter((t) => t.name === name && (hsmId === null || t.id === hsmId));
  if (victims.length === 0) {
    throw invalid(`Message template "${name}" not found.`);
  }
  for (const t of victims) {
    ctx.templates.remove(t.id);
  }
  return { success: true };
}

/** `GET /{template-id}[?fields=…]`. */
export function getTemplate(template: StoredTemplate, url: URL): Record<string, unknown> {
  return pickFields(toGraphTemplate(template), url.searchParams.get('fields'));
}

function scheduleReview(ctx: FakeContext, template: StoredTemplate): void {
  ctx.clock.schedule(ctx.options.templateReviewDelayMs, () => {
    if (ctx.templates.get(template.id) === template && template.status === 'PENDING') {
      setTemplateStatus(ctx, template, 'APPROVED', 'NONE');
    }
  });
}

/**
 * Applies a status event and emits `message_template_status_update` (§1.9; template id as a number). REINSTATED and
 * UNARCHIVED are events only: the template they leave behind reads as APPROVED (§4.8’s status list has neither).
 */
export function setTemplateStatus(ctx: FakeContext, template: StoredTemplate, event: string, reason: string | null = 'NONE'): void {
  const status = event === 'REINSTATED' || event === 'UNARCHIVED' ? 'APPROVED' : event;
  template.status = status;
  const now = ctx.clock.now();
  deliverForAccount(ctx, `template:${template.id}`, {
    field: 'message_template_status_update',
    time: Math.floor(now / 1000),
    value: {
      event,
      message_template_id: Number(template.id),
      message_template_name: template.name,
      message_template_language: template.language,
      reason,
      message_template_category: template.category,
    },
  });
}
