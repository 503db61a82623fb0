import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n';
import { previewLine } from './format';

describe('previewLine (the list’s line for the last message)', () => {
  const de = createTranslator('de');
  const en = createTranslator('en');

  it.each([
    [{ type: 'media', preview: '[image]' }, 'Bild', 'Image'],
    [{ type: 'media', preview: '[audio]' }, 'Audio', 'Audio'],
    [{ type: 'media', preview: 'Befund.pdf' }, '📎 Befund.pdf', '📎 Befund.pdf'],
    [{ type: 'media', preview: 'Rötung am Arm' }, '📎 Rötung am Arm', '📎 Rötung am Arm'],
    [{ type: 'template', preview: '[appointment_reminder]' }, 'Vorlage: appointment_reminder', 'Template: appointment_reminder'],
    // What a contact wrote stays as it is, brackets included.
    [{ type: 'text', preview: '[image]' }, '[image]', '[image]'],
    [{ type: 'media', preview: '[hologram]' }, '📎 [hologram]', '📎 [hologram]'],
  ])('%o → %s / %s', (last, german, english) => {
    expect(previewLine(last, de)).toBe(german);
    expect(previewLine(last, en)).toBe(english);
  });
});
