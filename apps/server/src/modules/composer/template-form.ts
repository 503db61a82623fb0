/**
 * A template as the composer's form (pure): which fields each component needs, a preview as the contact will read
 * it, and the form's values turned into a template message — checked against the registry entry before anything is
 * stored, with every problem named by its field (`body.1`, `header.link`, `buttons.0`), so 132000/132001/132012
 * never come back from the provider (providers.md §2.12).
 */
import type { ComposerTemplate, TemplateField, TemplateFieldError, TemplateFormParams, TemplateParameter } from '@parley/contracts';
import { buttonSubType, type TemplateContent, type TemplateEntry, type TemplateSendError, validateTemplateSend } from '../templates/index.js';

type Entry = Pick<TemplateEntry, 'name' | 'language' | 'category' | 'status' | 'parameterFormat' | 'variables' | 'components'>;

export type TemplateFormOutcome = { ok: true; content: TemplateContent } | { ok: false; code: string; message: string; errors: TemplateFieldError[] };

/** Problems of the template itself rather than of a field: the send is refused with their own code. */
const TEMPLATE_LEVEL = new Set(['template.unknown', 'template.not_approved', 'template.paused', 'template.disabled']);

/**
 * What the composer shows of a registry entry; `purposes` are the ones its category may carry (WA-03).
 *
 * @example describeTemplate(entry, ['service']).variables.body.fields // [{ key: '1', position: 1 }, { key: '2', position: 2 }]
 */
export function describeTemplate(entry: Entry, purposes: string[]): ComposerTemplate {
  const header = entry.variables.header;
  const format = header ? (header.format.toLowerCase() as NonNullable<ComposerTemplate['variables']['header']>['format']) : undefined;
  const headerFields = !header ? [] : format === 'text' ? fields(header.params) : format === 'location' ? [] : [{ key: 'link', position: 1 }];
  const footer = entry.components.find((c): c is { type: string; text: string } => isRecord(c) && String(c.type).toUpperCase() === 'FOOTER' && typeof c.text === 'string');
  const category = entry.category.toLowerCase();
  return {
    name: entry.name,
    language: entry.language,
    category: category === 'marketing' || category === 'authentication' ? category : 'utility',
    parameterFormat: entry.parameterFormat === 'NAMED' ? 'named' : 'positional',
    variables: {
      header: header && format ? { format, text: format === 'text' ? header.text : null, fields: headerFields } : null,
      body: { text: entry.variables.body.text, fields: fields(entry.variables.body.params) },
      buttons: entry.variables.buttons.map((b) => ({ index: b.index, type: b.type.toLowerCase(), dynamic: b.dynamic })),
    },
    preview: [format === 'text' ? header?.text : undefined, entry.variables.body.text, footer?.text].filter((t): t is string => Boolean(t)).join('\n\n'),
    purposes,
  };
}

/**
 * The form's values as a template message for `entry` (undefined: no such template on the channel), or every
 * problem found. A template that is unknown, not approved, paused or disabled is refused with that code; field
 * problems come together as `template.params_invalid`.
 *
 * @example toTemplateContent(entry, 'appointment_reminder', 'de', { body: { '1': 'Eva', '2': 'Montag' } })
 */
export function toTemplateContent(entry: Entry | undefined, name: string, language: string, form: TemplateFormParams): TemplateFormOutcome {
  const bare: TemplateContent = { type: 'template', name, language };
  const status = validateTemplateSend(entry, bare);
  const refusal = status.ok ? undefined : status.errors.find((e) => TEMPLATE_LEVEL.has(e.code));
  if (!entry || refusal) {
    const error = refusal ?? { code: 'template.unknown', message: `template "${name}" does not exist in ${language} for this channel` };
    return { ok: false, code: error.code, message: error.message, errors: [{ field: null, code: error.code, message: error.message }] };
  }
  const errors: TemplateFieldError[] = [];
  const named = entry.parameterFormat === 'NAMED';
  const header = headerParams(entry, form.header ?? {}, named, errors);
  const body = textParams('body', entry.variables.body.params, form.body ?? {}, named, errors);
  const buttons = buttonParams(entry, form.buttons ?? {}, errors);
  if (errors.length > 0) {
    return invalid(errors);
  }
  const content: TemplateContent = { ...bare, ...(header.length > 0 ? { header } : {}), ...(body.length > 0 ? { body } : {}), ...(buttons.length > 0 ? { buttons } : {}) };
  const check = validateTemplateSend(entry, content);
  return check.ok ? { ok: true, content } : invalid(check.errors.map(toFieldError));
}

function headerParams(entry: Entry, given: Record<string, string>, named: boolean, errors: TemplateFieldError[]): TemplateParameter[] {
  const header = entry.variables.header;
  if (!header) {
    Object.keys(given).forEach((key) => errors.push({ field: `header.${key}`, code: 'template.parameter_name', message: 'the template has no header' }));
    return [];
  }
  if (header.format === 'TEXT') {
    return textParams('header', header.params, given, named, errors);
  }
  if (header.format === 'LOCATION') {
    return []; // refused by validateTemplateSend: Parley cannot fill a location header yet
  }
  unknownKeys('header', given, ['link'], errors);
  const link = given.link?.trim() ?? '';
  if (link === '') {
    errors.push({ field: 'header.link', code: 'template.parameter_empty', message: `the ${header.format.toLowerCase()} header needs a link` });
    return [];
  }
  if (!/^https:\/\/[^\s]+$/.test(link)) {
    errors.push({ field: 'header.link', code: 'template.header_media', message: 'the header link must be a public https URL' });
    return [];
  }
  return [{ type: header.format.toLowerCase() as 'image' | 'video' | 'document', link }];
}

function textParams(component: 'header' | 'body', vars: string[], given: Record<string, string>, named: boolean, errors: TemplateFieldError[]): TemplateParameter[] {
  unknownKeys(component, given, vars, errors);
  return vars.flatMap((v): TemplateParameter[] => {
    const text = given[v]?.trim() ?? '';
    if (text === '') {
      errors.push({ field: `${component}.${v}`, code: 'template.parameter_empty', message: `{{${v}}} needs a value` });
      return [];
    }
    return [named ? { type: 'text', text, name: v } : { type: 'text', text }];
  });
}

function buttonParams(entry: Entry, given: Record<string, string>, errors: TemplateFieldError[]): NonNullable<TemplateContent['buttons']> {
  const out: NonNullable<TemplateContent['buttons']> = [];
  for (const [key, raw] of Object.entries(given)) {
    const button = entry.variables.buttons[Number(key)];
    const subType = button ? buttonSubType(button.type) : undefined;
    const value = raw.trim();
    if (!button) {
      errors.push({ field: `buttons.${key}`, code: 'template.button_unknown', message: `the template has ${entry.variables.buttons.length} button(s); there is no button ${key}` });
    } else if (!subType || (!button.dynamic && subType !== 'quick_reply')) {
      errors.push({ field: `buttons.${key}`, code: 'template.parameter_count', message: `button ${key} (${button.type.toLowerCase()}) takes no value` });
    } else if (value !== '') {
      out.push({ index: button.index, subType, value });
    }
  }
  for (const button of entry.variables.buttons) {
    if (button.dynamic && !out.some((b) => b.index === button.index) && !errors.some((e) => e.field === `buttons.${button.index}`)) {
      errors.push({ field: `buttons.${button.index}`, code: 'template.parameter_empty', message: `button ${button.index} (${button.type.toLowerCase()}) needs a value` });
    }
  }
  return out;
}

function unknownKeys(component: string, given: Record<string, string>, known: string[], errors: TemplateFieldError[]): void {
  for (const key of Object.keys(given).filter((k) => !known.includes(k))) {
    errors.push({ field: `${component}.${key}`, code: 'template.parameter_name', message: known.length === 0 ? `the ${component} takes no values` : `the ${component} has no variable "${key}" (it has ${known.join(', ')})` });
  }
}

function toFieldError(e: TemplateSendError): TemplateFieldError {
  const button = /^button (\d+)$/.exec(e.component ?? '');
  const field = button ? `buttons.${button[1]}` : e.component === 'header' || e.component === 'body' ? e.component : null;
  return { field, code: e.code, message: e.message };
}

function invalid(errors: TemplateFieldError[]): TemplateFormOutcome {
  const levels = errors.filter((e) => TEMPLATE_LEVEL.has(e.code));
  const code = levels[0]?.code ?? 'template.params_invalid';
  return { ok: false, code, message: `The template cannot be sent like this: ${errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ')}.`, errors };
}

function fields(params: string[]): TemplateField[] {
  return params.map((key, i) => ({ key, position: i + 1 }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
