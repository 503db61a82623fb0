import { describe, expect, it } from 'vitest';
import { renderTemplateText } from './template-text.js';
import type { TemplateEntry } from './templates.schemas.js';

const reminder: Pick<TemplateEntry, 'variables' | 'components'> = {
  variables: {
    header: { format: 'TEXT', params: ['1'], text: 'Termin {{1}}' },
    body: { params: ['1', '2'], text: 'Hallo {{1}}, Ihr Termin ist am {{2}}.' },
    buttons: [],
  },
  components: [{ type: 'HEADER', format: 'TEXT', text: 'Termin {{1}}' }, { type: 'BODY', text: 'Hallo {{1}}, Ihr Termin ist am {{2}}.' }, { type: 'FOOTER', text: 'Abmelden: STOP' }],
};

describe('renderTemplateText: what the contact read', () => {
  it('fills header and body positionally and adds the footer', () => {
    const text = renderTemplateText(reminder, {
      type: 'template',
      name: 'appointment_reminder',
      language: 'de',
      header: [{ type: 'text', text: 'Hautarzt' }],
      body: [{ type: 'text', text: 'Eva' }, { type: 'date_time', fallback: 'Montag, 9:00 Uhr' }],
    });
    expect(text).toBe('Termin Hautarzt\n\nHallo Eva, Ihr Termin ist am Montag, 9:00 Uhr.\n\nAbmelden: STOP');
  });

  it('fills named parameters by name, whatever their order; a missing value stays visible', () => {
    const named: Pick<TemplateEntry, 'variables' | 'components'> = {
      variables: { body: { params: ['name', 'order'], text: 'Hi {{name}}, order {{order}} is ready ({{ name }}).' }, buttons: [] },
      components: [],
    };
    expect(renderTemplateText(named, { type: 'template', name: 'x', language: 'en', body: [{ type: 'text', text: '#42', name: 'order' }, { type: 'text', text: 'Ana', name: 'name' }] })).toBe('Hi Ana, order #42 is ready (Ana).');
    expect(renderTemplateText(named, { type: 'template', name: 'x', language: 'en', body: [{ type: 'text', text: 'Ana', name: 'name' }] })).toBe('Hi Ana, order {{order}} is ready (Ana).');
  });

  it('leaves a media header out: it is not text', () => {
    const withImage: Pick<TemplateEntry, 'variables' | 'components'> = { variables: { header: { format: 'IMAGE', params: [], text: '' }, body: { params: [], text: 'Neu da.' }, buttons: [] }, components: [] };
    expect(renderTemplateText(withImage, { type: 'template', name: 'x', language: 'de', header: [{ type: 'image', link: 'https://x.example/a.png' }] })).toBe('Neu da.');
  });
});
