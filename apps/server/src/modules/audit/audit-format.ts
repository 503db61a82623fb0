/**
 * The export files of the audit trail (AUD-08). JSON Lines is the machine format: every entry line holds exactly
 * the fields its hash covers plus `prevHash` and `hash`, so anyone can recompute the chain from the file. CSV is
 * for people and spreadsheets: RFC 4180 quoting, and cells that a spreadsheet would run as a formula are defused.
 */
import type { AuditEntry } from './audit.schemas.js';

const CSV_COLUMNS = [
  'seq', 'at', 'action', 'outcome', 'actorKind', 'actorId', 'actorRole', 'onBehalfOf', 'objectType', 'objectId', 'objectVersion',
  'before', 'after', 'reason', 'sourceIp', 'sourceUserAgent', 'sourceChannel', 'correlationId', 'id', 'workspaceId', 'prevHash', 'hash',
] as const satisfies ReadonlyArray<keyof AuditEntry>;

/** A header line `{"auditExport": {…, verification}}`, then one entry per line. */
export function toJsonl(header: Record<string, unknown>, entries: readonly AuditEntry[]): string {
  return [JSON.stringify({ auditExport: header }), ...entries.map((e) => JSON.stringify(e))].map((l) => `${l}\n`).join('');
}

/**
 * `#` lines with the export's facts and the verification result, then a header row and one row per entry
 * (before/after as JSON text). Lines end with CRLF as RFC 4180 says.
 */
export function toCsv(header: Record<string, unknown> & { verification: { ok: boolean; chains: Array<{ firstBreak?: { seq: number; message: string } }> } }, entries: readonly AuditEntry[]): string {
  const broken = header.verification.chains.find((c) => c.firstBreak)?.firstBreak;
  const facts = [
    `# parley audit export ${String(header.exportedAt)} workspace ${String(header.workspaceId)}: ${entries.length} entries`,
    `# filters: ${JSON.stringify(header.filters)}`,
    `# verification: ${header.verification.ok ? 'ok, the chain is intact' : `BROKEN at entry ${broken?.seq ?? '?'}: ${broken?.message ?? ''}`}`,
  ].map((l) => l.replace(/[\r\n]/g, ' '));
  const rows = entries.map((e) => CSV_COLUMNS.map((c) => toCsvCell(e[c])).join(','));
  return [...facts, CSV_COLUMNS.join(','), ...rows].map((l) => `${l}\r\n`).join('');
}

/** One CSV cell: JSON for objects, quoted when it holds a comma, quote or line break, formula starts defused. */
export function toCsvCell(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // OWASP CSV injection: a leading = + - @ (or tab/CR) makes spreadsheets evaluate the cell.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
