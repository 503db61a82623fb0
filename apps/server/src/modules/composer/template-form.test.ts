/**
 * The composer's template form (pure): the fields a template needs, and the form's values checked against the
 * registry before anything is stored — every problem named by its field (WA-02: outside the window only approved
 * templates; 132000/132012 never reach the provider).
 */
import { describe, expect, it } from 'vitest';
import { deriveVariables } from '../templates/index.js';
import { describeTemplate, toTemplateContent } from './template-form.js';

function entry(components: unknown[], opts: { name?: string; status?: string; named?: boolean; category?: string } = {}) {
  return {
    name: opts.name ?? 'appointment_reminder',
    language: 'de',
    category: opts.category ?? 'UTILITY',
    status: opts.status ?? 'APPROVED',
    parameterFormat: (opts.named ? 'NAMED' : 'POSITIONAL') as 'NAMED' | 'POSITIONAL',
    components,
    variables: deriveVariables(components),
  };
}

const reminder = entry([{ type: 'BODY', text: 'Hallo {{1}}, Ihr Termin ist am {{2}}.' }]);
const order = entry(
  [
    { type: 'HEADER', format: 'TEXT', text: 'Bestellung {{order}}' },
    { type: 'BODY', text: 'Hallo {{name}}, Ihre Bestellung ist unterwegs.' },
    { type: 'FOOTER', text: 'Aurelia Pharma' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Verfolgen', url: 'https://example.org/t/{{1}}' }, { type: 'QUICK_REPLY', text: 'Danke' }] },
  ],
  { name: 'order_shipped', named: true },
);
const leaflet = entry([{ type: 'HEADER', format: 'DOCUMENT' }, { type: 'BODY', text: 'Ihr Dokument.' }], { name: 'leaflet' });

describe('describeTemplate: the form the composer shows', () => {
  it('names each field by its key and position, and previews header, body and footer', () => {
    const view = describeTemplate(order, ['service']);
    expect(view).toMatchObject({
      name: 'order_shipped',
      category: 'utility',
      parameterFormat: 'named',
      variables: {
        header: { format: 'text', text: 'Bestellung {{order}}', fields: [{ key: 'order', position: 1 }] },
        body: { fields: [{ key: 'name', position: 1 }] },
        buttons: [{ index: 0, type: 'url', dynamic: true }, { index: 1, type: 'quick_reply', dynamic: false }],
      },
      preview: 'Bestellung {{order}}\n\nHallo {{name}}, Ihre Bestellung ist unterwegs.\n\nAurelia Pharma',
      purposes: ['service'],
    });
    expect(describeTemplate(reminder, []).variables.body.fields).toEqual([{ key: '1', position: 1 }, { key: '2', position: 2 }]);
    expect(describeTemplate(leaflet, []).variables.header).toEqual({ format: 'document', text: null, fields: [{ key: 'link', position: 1 }] });
  });
});

describe('toTemplateContent: the form checked against the registry', () => {
  it('positional values become the body parameters in order', () => {
    expect(toTemplateContent(reminder, 'appointment_reminder', 'de', { body: { '2': 'Montag', '1': 'Eva' } })).toEqual({
      ok: true,
      content: { type: 'template', name: 'appointment_reminder', language: 'de', body: [{ type: 'text', text: 'Eva' }, { type: 'text', text: 'Montag' }] },
    });
  });

  it('WA-02 a missing, empty or unknown variable is named by its field (template.params_invalid)', () => {
    const outcome = toTemplateContent(reminder, 'appointment_reminder', 'de', { body: { '1': '  ', '3': 'zu viel' } });
    expect(outcome).toMatchObject({ ok: false, code: 'template.params_invalid' });
    expect(outcome.ok ? [] : outcome.errors.map((e) => [e.field, e.code])).toEqual([
      ['body.3', 'template.parameter_name'],
      ['body.1', 'template.parameter_empty'],
      ['body.2', 'template.parameter_empty'],
    ]);
  });

  it('named variables keep their names; a dynamic URL button takes its value, a quick reply an optional payload', () => {
    const outcome = toTemplateContent(order, 'order_shipped', 'de', { header: { order: 'A-17' }, body: { name: 'Eva' }, buttons: { '0': 'A17', '1': 'thanks' } });
    expect(outcome).toEqual({
      ok: true,
      content: {
        type: 'template',
        name: 'order_shipped',
        language: 'de',
        header: [{ type: 'text', text: 'A-17', name: 'order' }],
        body: [{ type: 'text', text: 'Eva', name: 'name' }],
        buttons: [{ index: 0, subType: 'url', value: 'A17' }, { index: 1, subType: 'quick_reply', value: 'thanks' }],
      },
    });
  });

  it('a dynamic button without a value, and a button that does not exist, are named', () => {
    const outcome = toTemplateContent(order, 'order_shipped', 'de', { header: { order: 'A-17' }, body: { name: 'Eva' }, buttons: { '5': 'x' } });
    expect(outcome.ok ? [] : outcome.errors.map((e) => [e.field, e.code])).toEqual([
      ['buttons.5', 'template.button_unknown'],
      ['buttons.0', 'template.parameter_empty'],
    ]);
  });

  it('132005 a body longer than 1,024 characters once filled in is refused for the body', () => {
    const outcome = toTemplateContent(reminder, 'appointment_reminder', 'de', { body: { '1': 'x'.repeat(1000), '2': 'Montag' } });
    expect(outcome).toMatchObject({ ok: false, code: 'template.params_invalid', errors: [{ field: 'body', code: 'template.text_too_long' }] });
  });

  it('a media header takes a public https link', () => {
    expect(toTemplateContent(leaflet, 'leaflet', 'de', {})).toMatchObject({ ok: false, errors: [{ field: 'header.link', code: 'template.parameter_empty' }] });
    expect(toTemplateContent(leaflet, 'leaflet', 'de', { header: { link: 'http://intranet/x.pdf' } })).toMatchObject({ ok: false, errors: [{ field: 'header.link', code: 'template.header_media' }] });
    expect(toTemplateContent(leaflet, 'leaflet', 'de', { header: { link: 'https://example.org/x.pdf' } })).toMatchObject({ ok: true, content: { header: [{ type: 'document', link: 'https://example.org/x.pdf' }] } });
  });

  it('132001 an unknown template, or one that is not approved, is refused with its own code', () => {
    expect(toTemplateContent(undefined, 'nope', 'de', {})).toMatchObject({ ok: false, code: 'template.unknown', errors: [{ field: null, code: 'template.unknown' }] });
    expect(toTemplateContent({ ...reminder, status: 'PAUSED' }, 'appointment_reminder', 'de', { body: { '1': 'Eva', '2': 'Montag' } })).toMatchObject({ ok: false, code: 'template.paused' });
    expect(toTemplateContent({ ...reminder, status: 'PENDING' }, 'appointment_reminder', 'de', {})).toMatchObject({ ok: false, code: 'template.not_approved' });
  });
});
