import { describe, expect, it } from 'vitest';
import { parseConsentCsv } from './consent-csv.js';

describe('the consent import file', () => {
  it('reads comma, semicolon and tab files by their header, in any column order and case', () => {
    for (const sep of [',', ';', '\t']) {
      const csv = parseConsentCsv(['Language', 'Name', 'PHONE'].join(sep) + '\n' + ['en', 'Erika', '+49 171 1234567'].join(sep) + '\n');
      expect(csv).toEqual({ rows: [{ line: 2, address: '+49 171 1234567', name: 'Erika', language: 'en' }], invalid: [] });
    }
    expect(parseConsentCsv('\uFEFFaddress\r\n491711234567\r\n').rows).toEqual([{ line: 2, address: '491711234567' }]);
  });

  it('keeps each record\'s line: quoted separators, quotes and line breaks inside a field, blank lines', () => {
    const csv = parseConsentCsv('phone;name\n"+49 171 1"  ;"Muster; ""Erika""\nzweite Zeile"\n\n491712;\n');
    expect(csv.rows).toEqual([
      { line: 2, address: '+49 171 1', name: 'Muster; "Erika"\nzweite Zeile' },
      { line: 5, address: '491712' },
    ]);
  });

  it('reports records that cannot be a row with their line, and goes on', () => {
    const csv = parseConsentCsv('phone,name\n491711,Anna,extra\n,Ben\n491713,Carla\n491714,"open');
    expect(csv.invalid).toEqual([
      { line: 2, reason: '3 fields, but the header names 2' },
      { line: 3, reason: 'no phone number' },
      { line: 5, reason: 'a quoted field is not closed' },
    ]);
    expect(csv.rows).toEqual([{ line: 4, address: '491713', name: 'Carla' }]);
  });

  it('refuses a file without a phone column or without anything', () => {
    expect(() => parseConsentCsv('name,language\nErika,de\n')).toThrow(/Line 1 names no "phone" \(or "address"\) column: "name", "language"/);
    expect(() => parseConsentCsv('')).toThrow(/The file is empty/);
  });
});
