import { GraphError, invalidParam, missingParam } from './errors.js';
import { isRecord } from './http.js';
import { createNumericId } from './ids.js';
import { isMediaKind, validateMediaObject, type MediaRef } from './media-refs.js';
import type { FakeTemplate } from './types.js';
import { rejectUnknownKeys } from './validation.js';

export type TemplateCategory = FakeTemplate['category'];

/** A template as the fake stores it (components in creation format, §4.8). */
export interface StoredTemplate {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory;
  status: string;
  parameterFormat: 'positional' | 'named';
  components: Array<Record<string, unknown>>;
  paced: boolean;
}

export interface TemplateStore {
  list(): StoredTemplate[];
  find(name: string, language: string): StoredTemplate | undefined;
  get(id: string): StoredTemplate | undefined;
  add(template: FakeTemplate): StoredTemplate;
  remove(id: string): boolean;
}

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Distinct variable names in a template text, in order of first appearance. */
export function variablesIn(text: unknown): string[] {
  if (typeof text !== 'string') {
    return [];
  }
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1] ?? ''))];
}

export function createTemplateStore(initial: FakeTemplate[]): TemplateStore {
  const templates = new Map<string, StoredTemplate>();
  const store: TemplateStore = {
    list: () => [...templates.values()],
    find: (name, language) => [...templates.values()].find((t) => t.name === name && t.language === language),
    get: (id) => templates.get(id),
    add(template) {
      const texts = template.components.flatMap((c) => [c.text, ...(Array.isArray(c.buttons) ? (c.buttons as unknown[]).map((b) => (isRecord(b) ? b.url : undefined)) : [])]);
      const named = texts.some((t) => variablesIn(t).some((v) => !/^\d+$/.test(v)));
      const stored: StoredTemplate = {
        id: template.id ?? createNumericId(15),
        name: template.name,
        language: template.language,
        category: template.category,
        status: template.status ?? 'APPROVED',
        parameterFormat: template.parameterFormat ?? (named ? 'named' : 'positional'),
        components: structuredClone(template.components),
        paced: template.paced ?? false,
      };
      templates.set(stored.id, stored);
      return stored;
    },
    remove: (id) => templates.delete(id),
  };
  for (const template of initial) {
    store.add(template);
  }
  return store;
}

interface TemplateButton {
  type: string;
  dynamic: boolean;
}

/** What a send must supply for a template: header/body variables and dynamic buttons. */
interface TemplateShape {
  headerFormat: string | undefined;
  headerVars: string[];
  bodyText: string;
  bodyVars: string[];
  buttons: TemplateButton[];
}

function componentOf(template: StoredTemplate, type: string): Record<string, unknown> | undefined {
  return template.components.find((c) => typeof c.type === 'string' && c.type.toUpperCase() === type);
}

function shapeOf(template: StoredTemplate): TemplateShape {
  const header = componentOf(template, 'HEADER');
  const body = componentOf(template, 'BODY');
  const buttonsComponent = componentOf(template, 'BUTTONS');
  const rawButtons = Array.isArray(buttonsComponent?.buttons) ? (buttonsComponent.buttons as unknown[]) : [];
  return {
    headerFormat: header === undefined ? undefined : typeof header.format === 'string' ? header.format.toUpperCase() : 'TEXT',
    headerVars: positionalOrder(variablesIn(header?.text)),
    bodyText: typeof body?.text === 'string' ? body.text : '',
    bodyVars: positionalOrder(variablesIn(body?.text)),
    buttons: rawButtons.map((b) => {
      const type = isRecord(b) && typeof b.type === 'string' ? b.type.toUpperCase() : 'UNKNOWN';
      const dynamic = type === 'COPY_CODE' || type === 'OTP' || (type === 'URL' && isRecord(b) && variablesIn(b.url).length > 0);
      return { type, dynamic };
    }),
  };
}

/** Positional parameters fill {{1}}, {{2}}, … in numeric order, whatever order the text uses them in. */
function positionalOrder(vars: string[]): string[] {
  return vars.every((v) => /^\d+$/.test(v)) ? [...vars].sort((a, b) => Number(a) - Number(b)) : vars;
}

const BUTTON_SUB_TYPES: Record<string, string> = {
  QUICK_REPLY: 'quick_reply',
  URL: 'url',
  COPY_CODE: 'copy_code',
  FLOW: 'flow',
  // Authentication templates send their one-time code through a url-type button parameter.
  OTP: 'url',
  PHONE_NUMBER: 'phone_number',
};

/** Hydrated body text longer than this fails with 132005 (§2.12). */
const HYDRATED_BODY_MAX = 1024;

export interface TemplateSendResult {
  template: StoredTemplate;
  mediaRefs: MediaRef[];
  hydratedBody: string;
}

/**
 * Checks a send's `template` object against the stored template (providers.md §2.6):
 * 132001 unknown / not approved, 132015 paused, 132016 disabled, 132000 parameter count or names,
 * 132012 parameter format, 132005 hydrated body too long.
 */
export function validateTemplateSend(store: TemplateStore, request: Record<string, unknown>): TemplateSendResult {
  rejectUnknownKeys(request, new Set(['name', 'language', 'components', 'namespace']), 'template');
  const name = String(request.name);
  const language = isRecord(request.language) ? String(request.language.code) : '';
  const template = store.find(name, language);
  if (template === undefined || !['APPROVED', 'PAUSED', 'DISABLED'].includes(template.status)) {
    // Observed details wording (§2.12).
    throw new GraphError(132001, `template name (${name}) does not exist in ${language}`);
  }
  if (template.status === 'PAUSED') {
    throw new GraphError(132015, `Template ${name} is paused because of low quality.`);
  }
  if (template.status === 'DISABLED') {
    throw new GraphError(132016, `Template ${name} has been disabled.`);
  }
  const components = request.components ?? [];
  if (!Array.isArray(components)) {
    throw invalidParam("Parameter template['components'] must be an array.");
  }
  const shape = shapeOf(template);
  const named = template.parameterFormat === 'named';
  const mediaRefs: MediaRef[] = [];
  let headerSeen = false;
  let hydratedBody = shape.bodyText;
  let bodySeen = false;
  const buttonsSeen = new Set<number>();
  (components as unknown[]).forEach((component, i) => {
    if (!isRecord(component) || typeof component.type !== 'string') {
      throw missingParam(`template['components'][${i}]['type']`);
    }
    const params = parametersOf(component, i);
    switch (component.type.toLowerCase()) {
      case 'header':
        headerSeen = true;
        mediaRefs.push(...checkHeader(shape, params, named));
        return;
      case 'body':
        bodySeen = true;
        hydratedBody = checkBody(shape, params, named);
        return;
      case 'button':
        buttonsSeen.add(checkButton(shape, component, params));
        return;
      default:
        throw invalidParam(`Invalid component type ${component.type}. Expected header, body or button.`);
    }
  });
  const headerNeeded = shape.headerVars.length > 0 || (shape.headerFormat !== undefined && shape.headerFormat !== 'TEXT');
  if (headerNeeded && !headerSeen) {
    throw countMismatch('header', 0, shape.headerFormat === 'TEXT' ? shape.headerVars.length : 1);
  }
  if (shape.bodyVars.length > 0 && !bodySeen) {
    throw countMismatch('body', 0, shape.bodyVars.length);
  }
  shape.buttons.forEach((button, index) => {
    if (button.dynamic && !buttonsSeen.has(index)) {
      throw countMismatch(`button ${index}`, 0, 1);
    }
  });
  if (hydratedBody.length > HYDRATED_BODY_MAX) {
    throw new GraphError(132005, `Hydrated body text is ${hydratedBody.length} characters; the maximum is ${HYDRATED_BODY_MAX}.`);
  }
  return { template, mediaRefs, hydratedBody };
}

function countMismatch(where: string, got: number, expected: number): GraphError {
  return new GraphError(132000, `${where}: number of localizable_params (${got}) does not match the expected number of params (${expected})`);
}

function parametersOf(component: Record<string, unknown>, index: number): Array<Record<string, unknown>> {
  const params = component.parameters ?? [];
  if (!Array.isArray(params) || !(params as unknown[]).every(isRecord)) {
    throw invalidParam(`Parameter template['components'][${index}]['parameters'] must be an array of objects.`);
  }
  return params as Array<Record<string, unknown>>;
}

function checkHeader(shape: TemplateShape, params: Array<Record<string, unknown>>, named: boolean): MediaRef[] {
  if (shape.headerFormat === undefined) {
    throw countMismatch('header', params.length, 0);
  }
  if (shape.headerFormat === 'TEXT') {
    checkTextParams('header', shape.headerVars, params, named);
    return [];
  }
  if (params.length !== 1) {
    throw countMismatch('header', params.length, 1);
  }
  const param = params[0] ?? {};
  const expected = shape.headerFormat.toLowerCase();
  if (param.type !== expected) {
    throw new GraphError(132012, `header: parameter type ${String(param.type)} does not match the template header format ${shape.headerFormat}.`);
  }
  const value = param[expected];
  if (!isRecord(value)) {
    throw missingParam(`header parameter ${expected}`);
  }
  if (expected === 'location') {
    if (value.latitude === undefined || value.longitude === undefined) {
      throw missingParam("header parameter location['latitude'/'longitude']");
    }
    return [];
  }
  if (!isMediaKind(expected)) {
    throw new GraphError(132012, `header: unsupported header format ${shape.headerFormat}.`);
  }
  return [validateMediaObject(expected, value, `header parameter ${expected}`)];
}

function checkBody(shape: TemplateShape, params: Array<Record<string, unknown>>, named: boolean): string {
  const values = checkTextParams('body', shape.bodyVars, params, named);
  return shape.bodyText.replace(VARIABLE, (whole, variable: string) => values.get(variable) ?? whole);
}

/** Validates text-like parameters and returns variable → rendered value. */
function checkTextParams(where: string, vars: string[], params: Array<Record<string, unknown>>, named: boolean): Map<string, string> {
  if (params.length !== vars.length) {
    throw countMismatch(where, params.length, vars.length);
  }
  const values = new Map<string, string>();
  params.forEach((param, i) => {
    const allowed = where === 'body' ? ['text', 'currency', 'date_time'] : ['text'];
    if (typeof param.type !== 'string' || !allowed.includes(param.type)) {
      throw new GraphError(132012, `${where}: parameter ${i} has type ${String(param.type)}; expected one of ${allowed.join(', ')}.`);
    }
    const rendered = renderParam(where, i, param);
    const variable = named ? param.parameter_name : vars[i];
    if (typeof variable !== 'string' || !vars.includes(variable) || values.has(variable)) {
      throw new GraphError(132000, `${where}: parameter names (${params.map((p) => String(p.parameter_name)).join(', ')}) do not match the expected names (${vars.join(', ')})`);
    }
    values.set(variable, rendered);
  });
  return values;
}

function renderParam(where: string, i: number, param: Record<string, unknown>): string {
  const type = String(param.type);
  if (type === 'text') {
    if (typeof param.text !== 'string' || param.text === '') {
      throw missingParam(`${where} parameter ${i} text`);
    }
    return param.text;
  }
  const value = param[type];
  if (!isRecord(value) || typeof value.fallback_value !== 'string') {
    throw missingParam(`${where} parameter ${i} ${type}['fallback_value']`);
  }
  if (type === 'currency' && (typeof value.code !== 'string' || typeof value.amount_1000 !== 'number')) {
    throw missingParam(`${where} parameter ${i} currency['code'/'amount_1000']`);
  }
  return value.fallback_value;
}

function checkButton(shape: TemplateShape, component: Record<string, unknown>, params: Array<Record<string, unknown>>): number {
  const index = typeof component.index === 'number' ? component.index : Number(component.index);
  const button = Number.isInteger(index) ? shape.buttons[index] : undefined;
  if (button === undefined) {
    throw invalidParam(`Invalid button index ${String(component.index)}: the template has ${shape.buttons.length} buttons.`);
  }
  const expected = BUTTON_SUB_TYPES[button.type] ?? button.type.toLowerCase();
  if (component.sub_type !== expected) {
    throw new GraphError(132012, `button ${index}: sub_type ${String(component.sub_type)} does not match the template button type ${button.type}.`);
  }
  const [first] = params;
  switch (expected) {
    case 'url':
      if (params.length !== (button.dynamic ? 1 : 0)) {
        throw countMismatch(`button ${index}`, params.length, button.dynamic ? 1 : 0);
      }
      if (first !== undefined && (first.type !== 'text' || typeof first.text !== 'string')) {
        throw new GraphError(132012, `button ${index}: url parameters must be {"type":"text","text":…}.`);
      }
      break;
    case 'quick_reply':
      if (params.length > 1) {
        throw countMismatch(`button ${index}`, params.length, 1);
      }
      if (first !== undefined && (first.type !== 'payload' || typeof first.payload !== 'string')) {
        throw new GraphError(132012, `button ${index}: quick_reply parameters must be {"type":"payload","payload":…}.`);
      }
      break;
    case 'copy_code':
      if (params.length !== 1 || first?.type !== 'coupon_code' || typeof first.coupon_code !== 'string') {
        throw new GraphError(132012, `button ${index}: copy_code needs one {"type":"coupon_code","coupon_code":…} parameter.`);
      }
      break;
    default:
      break;
  }
  return index;
}
