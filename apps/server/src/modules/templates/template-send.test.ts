import { describe, expect, it } from 'vitest';
import { type TemplateContent, validateTemplateSend } from './template-send.js';
import { deriveVariables, type TemplateEntry } from './templates.schemas.js';

type Entry = Pick<TemplateEntry, 'name' | 'language' | 'status' | 'parameterFormat' | 'variables'>;

const entry = (components: unknown[], over: Partial<Entry> = {}): Entry => ({
  name: 'order_ready',
  language: 'de',
  status: 'APPROVED',
  parameterFormat: 'POSITIONAL',
  variables: deriveVariables(components),
  ...over,
});

// The provider's read format (upper-case enums, §4.8).
const orderReady = entry([
  { type: 'HEADER', format: 'IMAGE' },
  { type: 'BODY', text: 'Hallo {{1}}, deine Bestellung {{2}} ist fertig.' },
  { type: 'FOOTER', text: 'Laden' },
  { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop' }, { type: 'URL', text: 'Verfolgen', url: 'https://x.example/t/{{1}}' }] },
]);
const textHeader = entry([{ type: 'HEADER', format: 'TEXT', text: 'Bestellung {{1}}' }, { type: 'BODY', text: 'Fertig.' }]);
const named = entry([{ type: 'BODY', text: 'Hallo {{first_name}}, Termin {{date}}' }], { parameterFormat: 'NAMED' });
const fixedUrl = entry([{ type: 'BODY', text: 'Hi' }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Web', url: 'https://x.example/' }, { type: 'COPY_CODE', example: 'X1' }] }]);

const send = (over: Partial<TemplateContent> = {}): TemplateContent => ({
  type: 'template',
  name: 'order_ready',
  language: 'de',
  header: [{ type: 'image', link: 'https://x.example/a.jpg' }],
  body: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#7781' }],
  buttons: [{ index: 1, subType: 'url', value: '7781' }],
  ...over,
});

describe('validateTemplateSend', () => {
  const cases: Array<[string, Entry | undefined, TemplateContent, string | undefined, Record<string, unknown>?]> = [
    ['accepts a complete send', orderReady, send(), undefined],
    ['accepts an optional quick-reply payload', orderReady, send({ buttons: [{ index: 0, subType: 'quick_reply', value: 'STOP' }, { index: 1, subType: 'url', value: '1' }] }), undefined],
    ['rejects a template not in the registry (132001)', undefined, send(), 'template.unknown'],
    ['rejects a PENDING template (132001)', entry([], { status: 'PENDING' }), send(), 'template.not_approved', { actual: 'PENDING' }],
    ['rejects a REJECTED template (132001)', entry([], { status: 'REJECTED' }), send(), 'template.not_approved'],
    ['rejects a PAUSED template (132015)', entry([], { status: 'PAUSED' }), send(), 'template.paused'],
    ['rejects a DISABLED template (132016)', entry([], { status: 'DISABLED' }), send(), 'template.disabled'],
    ['rejects a missing body parameter (132000)', orderReady, send({ body: [{ type: 'text', text: 'Ana' }] }), 'template.parameter_count', { component: 'body', expected: 2, actual: 1 }],
    ['rejects an extra body parameter (132000)', orderReady, send({ body: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }, { type: 'text', text: 'c' }] }), 'template.parameter_count', { expected: 2, actual: 3 }],
    ['rejects a missing media header (132000)', orderReady, send({ header: [] }), 'template.parameter_count', { component: 'header', expected: 1, actual: 0 }],
    ['rejects a video for an image header (132012)', orderReady, send({ header: [{ type: 'video', link: 'https://x.example/v.mp4' }] }), 'template.parameter_type', { expected: 'image', actual: 'video' }],
    ['rejects a media header without link or id', orderReady, send({ header: [{ type: 'image' }] }), 'template.header_media'],
    ['rejects a header parameter for a template without one', entry([{ type: 'BODY', text: 'Hi' }]), send({ header: [{ type: 'text', text: 'x' }], body: [], buttons: [] }), 'template.parameter_count', { component: 'header', expected: 0, actual: 1 }],
    ['rejects a currency in a text header (132012)', textHeader, send({ header: [{ type: 'currency', fallback: '1 €', code: 'EUR', amount1000: 1000 }], body: [], buttons: [] }), 'template.parameter_type'],
    ['rejects an empty text parameter', orderReady, send({ body: [{ type: 'text', text: ' ' }, { type: 'text', text: '#1' }] }), 'template.parameter_empty'],
    ['rejects a hydrated body over 1024 characters (132005)', orderReady, send({ body: [{ type: 'text', text: 'a'.repeat(1000) }, { type: 'text', text: 'b'.repeat(30) }] }), 'template.text_too_long', { component: 'body' }],
    ['rejects a hydrated text header over 60 characters', textHeader, send({ header: [{ type: 'text', text: 'x'.repeat(55) }], body: [], buttons: [] }), 'template.text_too_long', { component: 'header' }],
    ['accepts named parameters in any order', named, send({ header: [], buttons: [], body: [{ type: 'text', text: 'Mo', name: 'date' }, { type: 'text', text: 'Ana', name: 'first_name' }] }), undefined],
    ['rejects an unknown parameter name', named, send({ header: [], buttons: [], body: [{ type: 'text', text: 'Mo', name: 'day' }, { type: 'text', text: 'Ana', name: 'first_name' }] }), 'template.parameter_name'],
    ['rejects a missing dynamic URL button parameter (132000)', orderReady, send({ buttons: [] }), 'template.parameter_count', { component: 'button 1', expected: 1, actual: 0 }],
    ['rejects a parameter for a fixed URL button', fixedUrl, send({ header: [], body: [], buttons: [{ index: 0, subType: 'url', value: 'x' }, { index: 1, subType: 'copy_code', value: 'C' }] }), 'template.parameter_count', { component: 'button 0', expected: 0 }],
    ['rejects a missing copy code', fixedUrl, send({ header: [], body: [], buttons: [] }), 'template.parameter_count', { component: 'button 1' }],
    ['rejects a quick-reply parameter on a URL button (132012)', orderReady, send({ buttons: [{ index: 1, subType: 'quick_reply', value: 'x' }] }), 'template.parameter_type'],
    ['rejects a button index the template does not have', orderReady, send({ buttons: [{ index: 1, subType: 'url', value: '1' }, { index: 5, subType: 'url', value: '1' }] }), 'template.button_unknown'],
  ];
  it.each(cases)('%s', (_name, template, content, code, details) => {
    const result = validateTemplateSend(template, content);
    if (code === undefined) {
      expect(result).toEqual({ ok: true });
      return;
    }
    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.errors.find((e) => e.code === code);
    expect(error, JSON.stringify(result)).toBeDefined();
    expect(error).toMatchObject(details ?? {});
  });

  it('reports every problem, not only the first', () => {
    const result = validateTemplateSend(orderReady, send({ header: [], body: [], buttons: [] }));
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['template.parameter_count', 'template.parameter_count', 'template.parameter_count']);
  });
});
