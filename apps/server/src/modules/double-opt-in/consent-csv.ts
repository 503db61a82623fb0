/**
 * The import file of `parley consent import` (pure): a header row naming the columns — `phone` (or `address`),
 * optionally `name` and `language` — then one number per row. Comma, semicolon (spreadsheets in German) or tab,
 * whichever the header uses; fields in double quotes may hold separators, quotes ("") and line breaks. Every record
 * keeps the line it starts on, so a report can name it.
 */
import { AppError } from '../../platform/errors.js';

export interface ConsentCsv {
  rows: Array<{ line: number; address: string; name?: string; language?: string }>;
  /** Records that cannot be a row at all (no number, too many fields, an open quote). */
  invalid: Array<{ line: number; reason: string }>;
}

const COLUMNS = { phone: 'address', address: 'address', name: 'name', language: 'language' } as const;

/**
 * @example parseConsentCsv('phone;name;language\n+49 171 1234567;Erika;de\n') // { rows: [{ line: 2, address: '+49 171 1234567', name: 'Erika', language: 'de' }], invalid: [] }
 */
export function parseConsentCsv(text: string): ConsentCsv {
  const records = splitRecords(text.replace(/^\uFEFF/, ''));
  const header = records.shift();
  if (!header) {
    throw new AppError('validation.failed', 'The file is empty: the first line names the columns (phone, name, language).');
  }
  const columns = header.fields.map((f) => COLUMNS[f.trim().toLowerCase() as keyof typeof COLUMNS]);
  if (!columns.includes('address')) {
    throw new AppError('validation.failed', `Line ${header.line} names no "phone" (or "address") column: ${header.fields.map((f) => `"${f.trim()}"`).join(', ')}.`);
  }
  const result: ConsentCsv = { rows: [], invalid: [] };
  for (const record of records) {
    if (record.unterminated) {
      result.invalid.push({ line: record.line, reason: 'a quoted field is not closed' });
      continue;
    }
    if (record.fields.every((f) => f.trim() === '')) {
      continue; // a blank line
    }
    if (record.fields.length > columns.length) {
      result.invalid.push({ line: record.line, reason: `${record.fields.length} fields, but the header names ${columns.length}` });
      continue;
    }
    const row: Partial<Record<'address' | 'name' | 'language', string>> = {};
    record.fields.forEach((value, i) => {
      const column = columns[i];
      if (column && value.trim() !== '') {
        row[column] = value.trim();
      }
    });
    if (row.address === undefined) {
      result.invalid.push({ line: record.line, reason: 'no phone number' });
      continue;
    }
    result.rows.push({ line: record.line, address: row.address, ...(row.name !== undefined ? { name: row.name } : {}), ...(row.language !== undefined ? { language: row.language } : {}) });
  }
  return result;
}

interface RawRecord {
  line: number;
  fields: string[];
  unterminated: boolean;
}

/** RFC 4180 records with the separator the first line uses most (comma, semicolon or tab). */
function splitRecords(text: string): RawRecord[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const separator = [',', ';', '\t'].map((s) => ({ s, n: firstLine.split(s).length })).sort((a, b) => b.n - a.n)[0]!.s;
  const records: RawRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let unterminated = false;
    for (;;) {
      if (i >= text.length) {
        unterminated = quoted;
        fields.push(field);
        break;
      }
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (ch === '"') {
          quoted = false;
          i += 1;
        } else {
          line += ch === '\n' ? 1 : 0;
          field += ch;
          i += 1;
        }
      } else if (ch === '"' && field.trim() === '') {
        quoted = true;
        field = '';
        i += 1;
      } else if (ch === separator) {
        fields.push(field);
        field = '';
        i += 1;
      } else if (ch === '\n' || ch === '\r') {
        fields.push(field);
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line += 1;
        break;
      } else {
        field += ch;
        i += 1;
      }
    }
    records.push({ line: start, fields, unterminated });
  }
  return records;
}
