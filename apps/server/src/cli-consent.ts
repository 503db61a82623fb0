/**
 * `parley consent import <file.csv>` (GDPR-10/11/15): numbers collected elsewhere become `pending` consents, each
 * with its confirmation request queued on the channel — through the same double opt-in service as the admin API.
 * Straight on the database, or through the running server's admin API when it holds the embedded one (cli.ts).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { type CliTools, parseCliArgs } from './cli-tools.js';
import { cliAudit } from './cli-audit.js';
import type { Config } from './config.js';
import type { ConsentImportBody, ConsentImportOutcome, ConsentImportReport } from './modules/consent/index.js';
import { createDoubleOptInService, parseConsentCsv } from './modules/double-opt-in/index.js';

type Out = { log: (s: string) => void; error: (s: string) => void };


export const CONSENT_USAGE = `  consent import <file.csv> --channel SLUG --purpose ID --text ID@VERSION [--method import|api] [--json]
                                 numbers collected elsewhere (columns phone, name, language) become pending consents,
                                 each asked to confirm on the channel (double opt-in, GDPR-10/11); suppressed numbers
                                 are refused (GDPR-15). Exit 1 when a row is invalid or failed — the others still count`;

/** Rows per request to the service: a large file goes in parts under one batch id. */
const CHUNK = 1000;

const OUTCOMES: Array<[ConsentImportOutcome, string]> = [
  ['requested', 'requested'],
  ['already_granted', 'already granted'],
  ['already_pending', 'already pending'],
  ['suppressed', 'suppressed'],
  ['expired', 'expired'],
  ['invalid', 'invalid'],
  ['failed', 'failed'],
];

/** `parley consent …`: exit 0 when every row was handled, 1 when a row was invalid or failed (or all of it failed), 2 for bad usage. */
export async function commandConsent(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') {
    throw tools.usageError(sub ? `unknown consent command "${sub}" (import)` : 'consent needs a subcommand: import');
  }
  const { values, positionals } = parseCliArgs(tools, () => parseArgs({ args: rest, allowPositionals: true, strict: true, options: {
    channel: { type: 'string' },
    purpose: { type: 'string' },
    text: { type: 'string' },
    method: { type: 'string' },
    json: { type: 'boolean' },
  } }));
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0 || !values.channel || !values.purpose || !values.text) {
    throw tools.usageError('usage: parley consent import <file.csv> --channel SLUG --purpose ID --text ID@VERSION [--method import|api] [--json]');
  }
  const text = /^([a-z0-9][a-z0-9_-]*)@([1-9]\d{0,8})$/.exec(values.text);
  if (!text) {
    throw tools.usageError(`--text takes the consent text and its version, e.g. newsletter-optin@2 (got "${values.text}")`);
  }
  const method = values.method ?? 'import';
  if (method !== 'import' && method !== 'api') {
    throw tools.usageError(`--method is import or api (got "${method}")`);
  }
  if (!existsSync(file)) {
    throw tools.usageError(`no such file: ${file}`);
  }
  const csv = parseConsentCsv(readFileSync(file, 'utf8'));
  const base: Omit<ConsentImportBody, 'rows'> = { channel: values.channel, purpose: values.purpose, text: { id: text[1]!, version: Number(text[2]) }, method, batch: randomUUID(), source: basename(file) };
  const chunks: Array<ConsentImportBody['rows']> = [];
  for (let i = 0; i < csv.rows.length; i += CHUNK) {
    chunks.push(csv.rows.slice(i, i + CHUNK));
  }
  const reports = await tools.withDatabase(
    config,
    async (deps) => {
      const service = createDoubleOptInService({ db: deps.database.db, keyedHash: (v) => deps.secretBox.keyedHash(v) });
      const done: ConsentImportReport[] = [];
      for (const rows of chunks) {
        done.push(await service.importConsents(deps.workspace.id, { ...base, rows }, cliAudit()));
      }
      return done;
    },
    async (server) => {
      const done: ConsentImportReport[] = [];
      for (const rows of chunks) {
        done.push((await tools.callAdmin(server, 'POST', '/api/admin/consents/import', { ...base, rows })) as ConsentImportReport);
      }
      return done;
    },
  );
  const report = mergeReports(base.batch!, reports, csv.invalid);
  if (values.json) {
    out.log(JSON.stringify(report, null, 2));
  } else {
    const counts = OUTCOMES.map(([key, label]) => `${report.counts[key]} ${label}`).join(', ');
    out.log(`Imported ${basename(file)} (batch ${report.batch}): ${counts}.`);
    for (const row of report.rows.filter((r) => r.outcome !== 'requested')) {
      const line = `  line ${row.line}: ${OUTCOMES.find(([key]) => key === row.outcome)?.[1] ?? row.outcome}${row.reason ? ` — ${row.reason}` : ''}`;
      (row.outcome === 'invalid' || row.outcome === 'failed' ? out.error : out.log)(line);
    }
  }
  return report.counts.invalid + report.counts.failed > 0 ? 1 : 0;
}

/** One report for the whole file: the service's rows and the records the file itself got wrong, in line order. */
function mergeReports(batch: string, reports: ConsentImportReport[], invalid: Array<{ line: number; reason: string }>): ConsentImportReport {
  const rows = [...reports.flatMap((r) => r.rows), ...invalid.map((i) => ({ line: i.line, outcome: 'invalid' as const, reason: i.reason }))].sort((a, b) => a.line - b.line);
  const counts = Object.fromEntries(OUTCOMES.map(([key]) => [key, rows.filter((r) => r.outcome === key).length])) as Record<ConsentImportOutcome, number>;
  return { batch, counts, rows };
}
