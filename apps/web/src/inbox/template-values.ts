/**
 * A template's form (pure): the inputs its variables need, the preview with what the agent typed, and the values
 * as the send request names them (`params.body["1"]`, `params.header.link`, `params.buttons["0"]`).
 */
import type { ComposerTemplate, TemplateFormParams } from './composer-api';

export type TemplateInput = { component: 'header' | 'body' | 'buttons'; key: string; id: string; placeholder: string };

/** Values by input id (`body.1`, `header.link`, `buttons.0`). */
export type TemplateValues = Record<string, string>;

/**
 * The inputs of `template`, in the order the contact reads them: header, body, dynamic buttons.
 * @example templateInputs(t).map((i) => i.id) // ['header.1', 'body.1', 'body.2', 'buttons.0']
 */
export function templateInputs(template: ComposerTemplate): TemplateInput[] {
  const byPosition = <T extends { position: number }>(fields: T[]) => [...fields].sort((a, b) => a.position - b.position);
  const header = byPosition(template.variables.header?.fields ?? []).map((f) => input('header', f.key));
  const body = byPosition(template.variables.body.fields).map((f) => input('body', f.key));
  const buttons = template.variables.buttons.filter((b) => b.dynamic).map((b) => input('buttons', String(b.index)));
  return [...header, ...body, ...buttons];
}

/** The preview with the typed values in place of `{{1}}` / `{{name}}` (untyped ones stay as they are). */
export function fillPreview(template: ComposerTemplate, values: TemplateValues): string {
  const fill = (text: string, component: 'header' | 'body') =>
    text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (match, key: string) => {
      const value = (values[`${component}.${key}`] ?? '').trim();
      return value || match;
    });
  const header = template.variables.header?.format === 'text' ? template.variables.header.text : null;
  // The preview is header, body and footer in one text; a text header's variables are its own.
  if (header && template.preview.startsWith(header)) {
    return fill(header, 'header') + fill(template.preview.slice(header.length), 'body');
  }
  return fill(template.preview, 'body');
}

/** The inputs still empty. */
export function missingInputs(template: ComposerTemplate, values: TemplateValues): TemplateInput[] {
  return templateInputs(template).filter((i) => !(values[i.id] ?? '').trim());
}

/** The values as the send request's `params`. */
export function toTemplateParams(template: ComposerTemplate, values: TemplateValues): TemplateFormParams {
  const params: TemplateFormParams = {};
  for (const i of templateInputs(template)) {
    const value = (values[i.id] ?? '').trim();
    params[i.component] = { ...params[i.component], [i.key]: value };
  }
  return params;
}

function input(component: TemplateInput['component'], key: string): TemplateInput {
  return { component, key, id: `${component}.${key}`, placeholder: component === 'buttons' ? `button ${key}` : key === 'link' ? 'https://…' : `{{${key}}}` };
}
