/**
 * `parley contact export <id|phone>` (GDPR-18, GDPR-06): everything about a person as JSON or a printable HTML
 * page, or the consent history alone. Straight on the database, or through the running server's admin API when it
 * holds the embedded one — the same rule as every other command (cli.ts).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type AdminServer, type CliTools, parseCliArgs } from './cli-tools.js';
import { cliAudit } from './cli-audit.js';
import type { Config } from './config.js';
import { type ExportFormat, type ExportLanguage, parseContactRef, type RenderedExport, renderContactExport } from './modules/privacy/index.js';
import { AppError } from './platform/errors.js';

type Out = { log: (s: string) => void; error: (s: string) => void };
type Exported = Pick<RenderedExport, 'contactId' | 'body'>;


export const CONTACT_USAGE = `  contact export <id|phone> [--format json|html] [--out FILE] [--lang de|en] [--consent-only] [--request ID]
                                 everything stored about a person (access request, GDPR-18), or with --consent-only
                                 the consent history alone (GDPR-06); the export is audited. --request answers that
                                 access request (its requester must be verified, GDPR-17). Exit 1: no such contact`;

/** `parley contact …`: exit 0 when exported, 1 when there is no such contact (or it failed), 2 for bad usage. */
export async function commandContact(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'export') {
    throw tools.usageError(sub ? `unknown contact command "${sub}" (export, erase, object, restrict, unrestrict)` : 'contact needs a subcommand: export, erase, object, restrict or unrestrict');
  }
  const { values, positionals } = parseCliArgs(tools, () => parseArgs({ args: rest, allowPositionals: true, strict: true, options: {
    format: { type: 'string' },
    out: { type: 'string' },
    lang: { type: 'string' },
    'consent-only': { type: 'boolean' },
    request: { type: 'string' },
  } }));
  const [ref, ...extra] = positionals;
  if (!ref || extra.length > 0) {
    throw tools.usageError('usage: parley contact export <id|phone> [--format json|html] [--out FILE] [--lang de|en] [--consent-only] [--request ID]');
  }
  if (!parseContactRef(ref)) {
    throw tools.usageError(`"${ref}" is neither a contact id (UUID) nor a phone number in international format`);
  }
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'html') {
    throw tools.usageError(`unknown format "${format}" (json, html)`);
  }
  const lang = values.lang ?? 'en';
  if (lang !== 'de' && lang !== 'en') {
    throw tools.usageError(`unknown language "${lang}" (de, en)`);
  }
  const opts = { format: format as ExportFormat, lang: lang as ExportLanguage, consentOnly: values['consent-only'] === true, request: values.request };
  const result = await tools.withDatabase<Exported>(
    config,
    async (deps) => renderContactExport(deps.database.db, deps.workspace.id, ref, { ...opts, audit: cliAudit() }),
    async (server) => fetchExport(server, ref, opts),
  );
  if (values.out) {
    // The file holds a person's data: readable by its owner only.
    writeFileSync(values.out, result.body, { mode: 0o600 });
    out.log(`Exported contact ${result.contactId} as ${format}${opts.consentOnly ? ' (consent history only)' : ''} to ${values.out}${opts.request ? `; request ${opts.request} is answered` : ''}.`);
  } else {
    out.log(result.body.replace(/\n$/, ''));
  }
  return 0;
}

/** The export through the admin API; its problem JSON becomes the same AppError the direct path throws. */
async function fetchExport(server: AdminServer, ref: string, opts: { format: ExportFormat; lang: ExportLanguage; consentOnly: boolean; request?: string }): Promise<Exported> {
  const query = new URLSearchParams({ format: opts.format, lang: opts.lang, consentOnly: String(opts.consentOnly), ...(opts.request ? { request: opts.request } : {}) });
  let res: Response;
  try {
    res = await fetch(`${server.adminUrl}/api/admin/contacts/${encodeURIComponent(ref)}/export?${query.toString()}`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
  } catch {
    throw new Error(`The server (pid ${server.pid}) holds the data directory but does not answer at ${server.adminUrl}.`);
  }
  const body = await res.text();
  if (!res.ok) {
    const problem = (() => {
      try {
        return (JSON.parse(body) as { error?: { code?: string; message?: string } }).error;
      } catch {
        return undefined;
      }
    })();
    throw new AppError(problem?.code ?? 'internal', problem?.message ?? `the server answered HTTP ${res.status}`);
  }
  return { contactId: res.headers.get('x-contact-id') ?? '', body };
}
