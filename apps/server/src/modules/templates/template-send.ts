/**
 * Checks a template send against the registry entry before anything goes out, so that the provider's sync errors
 * for templates (providers.md §2.6, §2.12: 132001 unknown/not approved, 132000 parameter count, 132012 format,
 * 132005 hydrated text too long, 132015 paused, 132016 disabled) never come back from a send of ours.
 */
import type { OutboundContent, TemplateParameter } from '@parley/contracts';
import { hydrate, type TemplateEntry, type TemplateVariables } from './templates.schemas.js';

export type TemplateContent = Extract<OutboundContent, { type: 'template' }>;

export type TemplateSendErrorCode =
  | 'template.unknown'
  | 'template.not_approved'
  | 'template.paused'
  | 'template.disabled'
  | 'template.parameter_count'
  | 'template.parameter_type'
  | 'template.parameter_name'
  | 'template.parameter_empty'
  | 'template.header_media'
  | 'template.button_unknown'
  | 'template.text_too_long';

export interface TemplateSendError {
  code: TemplateSendErrorCode;
  message: string;
  /** header | body | button <index> */
  component?: string;
  expected?: number | string;
  actual?: number | string;
}

export type TemplateSendCheck = { ok: true } | { ok: false; errors: TemplateSendError[] };

/** §2.12 132005: the body after hydration; a text header is limited like its template text (§4.8). */
const BODY_MAX = 1024;
const HEADER_MAX = 60;
const BUTTON_VALUE_MAX = 2000;

/** Template button type (read format) → the `sub_type` a send uses for it (OTP buttons take a url parameter). */
const SUB_TYPE: Record<string, 'quick_reply' | 'url' | 'copy_code'> = { QUICK_REPLY: 'quick_reply', URL: 'url', COPY_CODE: 'copy_code', OTP: 'url' };

/** The `sub_type` a send gives a parameter of a template button of this type (read format), if it takes one. */
export function buttonSubType(type: string): 'quick_reply' | 'url' | 'copy_code' | undefined {
  return SUB_TYPE[type];
}

/**
 * Validates `content` against `template` (undefined: not in the registry for that channel, name and language).
 * Returns every problem found, not only the first, each with a stable code.
 *
 * @example
 * const check = validateTemplateSend(entry, { type: 'template', name: 'order_ready', language: 'de', body: [{ type: 'text', text: 'Ana' }] });
 * if (!check.ok) console.log(check.errors[0].code); // 'template.parameter_count'
 */
export function validateTemplateSend(template: Pick<TemplateEntry, 'name' | 'language' | 'status' | 'parameterFormat' | 'variables'> | undefined, content: TemplateContent): TemplateSendCheck {
  if (template === undefined) {
    return fail({ code: 'template.unknown', message: `template "${content.name}" does not exist in ${content.language} for this channel (sync the templates first)` });
  }
  if (template.status !== 'APPROVED') {
    const code = template.status === 'PAUSED' ? 'template.paused' : template.status === 'DISABLED' ? 'template.disabled' : 'template.not_approved';
    return fail({ code, message: `template "${template.name}" (${template.language}) is ${template.status}; only APPROVED templates can be sent`, expected: 'APPROVED', actual: template.status });
  }
  const errors: TemplateSendError[] = [];
  const named = template.parameterFormat === 'NAMED';
  checkHeader(template.variables, content.header ?? [], named, errors);
  const values = checkTextParams('body', template.variables.body.params, content.body ?? [], named, ['text', 'currency', 'date_time'], errors);
  const body = hydrate(template.variables.body.text, values);
  if (body.length > BODY_MAX) {
    errors.push({ code: 'template.text_too_long', component: 'body', message: `the body would be ${body.length} characters; at most ${BODY_MAX}`, expected: BODY_MAX, actual: body.length });
  }
  checkButtons(template.variables, content.buttons ?? [], errors);
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

function checkHeader(vars: TemplateVariables, params: TemplateParameter[], named: boolean, errors: TemplateSendError[]): void {
  const header = vars.header;
  if (header === undefined || header.format === 'TEXT') {
    const values = checkTextParams('header', header?.params ?? [], params, named, ['text'], errors);
    const text = hydrate(header?.text ?? '', values);
    if (text.length > HEADER_MAX) {
      errors.push({ code: 'template.text_too_long', component: 'header', message: `the header would be ${text.length} characters; at most ${HEADER_MAX}`, expected: HEADER_MAX, actual: text.length });
    }
    return;
  }
  if (header.format === 'LOCATION') {
    errors.push({ code: 'template.header_media', component: 'header', message: 'the template has a location header, which Parley cannot fill yet', expected: 'location' });
    return;
  }
  if (params.length !== 1) {
    errors.push({ code: 'template.parameter_count', component: 'header', message: `the ${header.format.toLowerCase()} header takes 1 parameter, got ${params.length}`, expected: 1, actual: params.length });
    return;
  }
  const [param] = params;
  const expected = header.format.toLowerCase();
  if (param?.type !== expected) {
    errors.push({ code: 'template.parameter_type', component: 'header', message: `the header needs a ${expected}, got ${param?.type ?? 'nothing'}`, expected, actual: param?.type ?? '' });
  } else if (!('link' in param && param.link) && !('mediaId' in param && param.mediaId)) {
    errors.push({ code: 'template.header_media', component: 'header', message: `the ${expected} header needs a link or a media id` });
  }
}

/** Count, types, emptiness and (named templates) names of text-like parameters; returns variable → value. */
function checkTextParams(component: 'header' | 'body', vars: string[], params: TemplateParameter[], named: boolean, allowed: string[], errors: TemplateSendError[]): Map<string, string> {
  const values = new Map<string, string>();
  if (params.length !== vars.length) {
    errors.push({ code: 'template.parameter_count', component, message: `${component} takes ${vars.length} parameter(s), got ${params.length}`, expected: vars.length, actual: params.length });
    return values;
  }
  params.forEach((p, i) => {
    if (!allowed.includes(p.type)) {
      errors.push({ code: 'template.parameter_type', component, message: `${component} parameter ${i + 1} is ${p.type}; allowed: ${allowed.join(', ')}`, expected: allowed.join('|'), actual: p.type });
      return;
    }
    const value = p.type === 'text' ? p.text : 'fallback' in p ? p.fallback : '';
    if (value.trim() === '') {
      errors.push({ code: 'template.parameter_empty', component, message: `${component} parameter ${i + 1} is empty` });
    }
    const name = named ? (p.type === 'text' ? p.name : undefined) : vars[i];
    if (name === undefined || !vars.includes(name) || values.has(name)) {
      errors.push({ code: 'template.parameter_name', component, message: `${component} parameter ${i + 1} must name one of ${vars.join(', ')} once`, expected: vars.join(','), actual: name ?? '' });
      return;
    }
    values.set(name, value);
  });
  return values;
}

function checkButtons(vars: TemplateVariables, buttons: NonNullable<TemplateContent['buttons']>, errors: TemplateSendError[]): void {
  const seen = new Set<number>();
  for (const b of buttons) {
    const component = `button ${b.index}`;
    const button = vars.buttons[b.index];
    if (button === undefined || seen.has(b.index)) {
      errors.push({ code: 'template.button_unknown', component, message: button ? `button ${b.index} is given twice` : `the template has ${vars.buttons.length} button(s); there is no button ${b.index}`, expected: vars.buttons.length, actual: b.index });
      continue;
    }
    seen.add(b.index);
    const subType = SUB_TYPE[button.type];
    if (subType !== b.subType) {
      errors.push({ code: 'template.parameter_type', component, message: `button ${b.index} is ${button.type.toLowerCase()}; a ${b.subType} parameter does not fit`, expected: subType ?? button.type.toLowerCase(), actual: b.subType });
      continue;
    }
    if (subType === 'url' && !button.dynamic) {
      errors.push({ code: 'template.parameter_count', component, message: `button ${b.index} has a fixed URL and takes no parameter`, expected: 0, actual: 1 });
    } else if (b.value.trim() === '' || b.value.length > BUTTON_VALUE_MAX) {
      errors.push({ code: 'template.parameter_empty', component, message: `button ${b.index} needs a value of 1–${BUTTON_VALUE_MAX} characters` });
    }
  }
  for (const button of vars.buttons) {
    if (button.dynamic && !seen.has(button.index)) {
      errors.push({ code: 'template.parameter_count', component: `button ${button.index}`, message: `button ${button.index} (${button.type.toLowerCase()}) needs a parameter in every send`, expected: 1, actual: 0 });
    }
  }
}

function fail(error: TemplateSendError): TemplateSendCheck {
  return { ok: false, errors: [error] };
}

/** One line for a message's error reason: the first problem, and how many more there are. */
export function summarizeTemplateErrors(errors: TemplateSendError[]): string {
  const [first] = errors;
  return first === undefined ? '' : `${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
}
