import { describe, expect, it } from 'vitest';
import type { ComposerTemplate } from './composer-api';
import { fillPreview, missingInputs, templateInputs, toTemplateParams } from './template-values';

const reminder: ComposerTemplate = {
  name: 'appointment_reminder',
  language: 'de',
  category: 'utility',
  parameterFormat: 'positional',
  variables: {
    header: { format: 'text', text: 'Termin {{1}}', fields: [{ key: '1', position: 1 }] },
    body: { text: 'Hallo {{1}}, Ihr Termin ist am {{2}}.', fields: [{ key: '2', position: 2 }, { key: '1', position: 1 }] },
    buttons: [{ index: 0, type: 'quick_reply', dynamic: false }, { index: 1, type: 'url', dynamic: true }],
  },
  preview: 'Termin {{1}}\n\nHallo {{1}}, Ihr Termin ist am {{2}}.',
  purposes: ['service'],
};

describe('template form', () => {
  it('asks for header, body and dynamic button values in reading order', () => {
    expect(templateInputs(reminder).map((i) => i.id)).toEqual(['header.1', 'body.1', 'body.2', 'buttons.1']);
  });

  it('fills the preview with what was typed and leaves the rest visible', () => {
    expect(fillPreview(reminder, { 'body.1': 'Eva' })).toBe('Termin {{1}}\n\nHallo Eva, Ihr Termin ist am {{2}}.');
    expect(fillPreview(reminder, { 'header.1': 'morgen', 'body.2': 'Montag' })).toBe('Termin morgen\n\nHallo {{1}}, Ihr Termin ist am Montag.');
  });

  it('names the empty inputs and builds the request’s params', () => {
    const values = { 'header.1': 'Mo', 'body.1': ' Eva ', 'body.2': 'Montag', 'buttons.1': 'abc' };
    expect(missingInputs(reminder, { ...values, 'body.2': ' ' }).map((i) => i.id)).toEqual(['body.2']);
    expect(toTemplateParams(reminder, values)).toEqual({ header: { '1': 'Mo' }, body: { '1': 'Eva', '2': 'Montag' }, buttons: { '1': 'abc' } });
  });
});
