/**
 * The text a contact read for a template message (pure): the registry's header, body and footer with the values the
 * send carried in place of `{{1}}` / `{{name}}` (providers.md §2.3 parameters: positional in order, named by
 * `parameter_name`). Currency and date parameters read as their fallback; a media header is not text and is left
 * out. A placeholder without a value stays as it is, so a gap is visible rather than silently dropped.
 */
import type { TemplateParameter } from '@parley/contracts';
import type { TemplateContent } from './template-send.js';
import type { TemplateEntry } from './templates.schemas.js';

/**
 * @example renderTemplateText(entry, { type: 'template', name: 'x', language: 'de', body: [{ type: 'text', text: 'Eva' }] }) // 'Hallo Eva, …'
 */
export function renderTemplateText(entry: Pick<TemplateEntry, 'variables' | 'components'>, content: TemplateContent): string {
  const header = entry.variables.header;
  const headerText = header && header.format === 'TEXT' ? fill(header.text, header.params, content.header ?? []) : undefined;
  const body = fill(entry.variables.body.text, entry.variables.body.params, content.body ?? []);
  return [headerText, body, footerOf(entry.components)].filter((t): t is string => Boolean(t)).join('\n\n');
}

function fill(text: string, placeholders: string[], params: TemplateParameter[]): string {
  const values = new Map<string, string>();
  params.forEach((p, i) => {
    const key = p.type === 'text' && p.name ? p.name : placeholders[i];
    const value = p.type === 'text' ? p.text : 'fallback' in p ? p.fallback : undefined;
    if (key !== undefined && value !== undefined) {
      values.set(key, value);
    }
  });
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (match, key: string) => values.get(key) ?? match);
}

function footerOf(components: unknown[]): string | undefined {
  for (const c of components) {
    if (typeof c === 'object' && c !== null && String((c as { type?: unknown }).type).toUpperCase() === 'FOOTER') {
      const text = (c as { text?: unknown }).text;
      return typeof text === 'string' ? text : undefined;
    }
  }
  return undefined;
}
