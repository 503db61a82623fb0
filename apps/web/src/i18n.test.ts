import { describe, expect, it } from 'vitest';
import { catalogs, createTranslator, pickLanguage, type Catalogs } from './i18n';

describe('pickLanguage', () => {
  it('picks German for any German browser language', () => {
    expect(pickLanguage(['de'])).toBe('de');
    expect(pickLanguage(['de-AT', 'en'])).toBe('de');
    expect(pickLanguage(['DE-ch'])).toBe('de');
  });

  it('picks English for everything else, including nothing', () => {
    expect(pickLanguage(['en-GB', 'de'])).toBe('en');
    expect(pickLanguage(['fr'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });
});

describe('createTranslator', () => {
  it('translates into German and English', () => {
    expect(createTranslator('de')('composer.send')).toBe('Senden');
    expect(createTranslator('en')('composer.send')).toBe('Send');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(createTranslator('de')('error.code', { code: 131047 })).toBe('Fehler 131047');
    expect(createTranslator('en')('msg.unknown')).toBe('Message of type “{type}”');
  });

  it('falls back to English when a German text is missing', () => {
    const partial: Catalogs = { en: catalogs.en, de: { 'composer.label': 'Nachricht schreiben' } };
    expect(createTranslator('de', partial)('composer.label')).toBe('Nachricht schreiben');
    expect(createTranslator('de', partial)('composer.send')).toBe('Send');
  });

  it('falls back to the key when no catalog has the text', () => {
    const empty = { en: {}, de: {} } as unknown as Catalogs;
    expect(createTranslator('de', empty)('composer.send')).toBe('composer.send');
  });

  it('has every German text, with the same placeholders as the English one', () => {
    for (const [key, english] of Object.entries(catalogs.en)) {
      const german = (catalogs.de as Record<string, string>)[key];
      expect(german, key).toBeTruthy();
      expect(placeholders(german ?? ''), key).toEqual(placeholders(english));
    }
  });
});

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}
