/**
 * Data-subject rights on the command line (GDPR-15/16/20-23): `parley contact erase|object|restrict|unrestrict`,
 * `parley hold request|approve|lift|confirm-lift` and `parley retention sweep`. Straight on the database, or through
 * the running server's admin API when it holds the embedded one — the same rule as every other command (cli.ts).
 */
import { parseArgs } from 'node:util';
import { type CliTools, parseCliArgs } from './cli-tools.js';
import { cliAudit } from './cli-audit.js';
import type { Config } from './config.js';
import {
  advanceLegalHold,
  eraseContact,
  type ErasureOutcome,
  extendRequest,
  liftRestriction,
  listRequestCases,
  objectToMarketing,
  openAccessRequest,
  refuseRequest,
  type RequestCase,
  requestLegalHold,
  restrictContact,
  type RightsDeps,
  runSweep,
  type SweepReport,
  VERIFICATION_METHODS,
  type VerificationMethod,
  verifyRequest,
} from './modules/privacy/index.js';

type Out = { log: (s: string) => void; error: (s: string) => void };


export const PRIVACY_USAGE = `  contact erase <id|phone> [--dry-run] [--by NAME] [--json]
                                 erase per data class (GDPR-20): kept classes stay restricted until their duty ends
  contact object <id|phone> [--by NAME]     objection to direct marketing (GDPR-15): withdraws and suppresses
  contact restrict|unrestrict <id|phone> --reason TEXT [--by NAME]   restriction of processing (Art. 18)
  hold request <id|phone> --reason TEXT --by NAME [--reference REF]   ask for a legal hold (GDPR-23)
  hold approve|lift|confirm-lift <hold-id> --by NAME [--reason TEXT]  the second person's steps
  retention sweep [--dry-run] [--json]      run the nightly retention sweep now (GDPR-22)
  request list [--all] [--json]             access requests (GDPR-17) with their deadlines; --all: answered ones too
  request open <id|phone> [--received ISO-TIME] [--by NAME]   log an access request: due one month after receipt
  request verify <request-id> --method ${VERIFICATION_METHODS.join('|')} [--by NAME]
                                 the requester's identity is checked: from now on the export may answer it
  request extend <request-id> --months 1|2 --reason TEXT [--notified ISO-TIME] [--by NAME]   Art. 12(3)
  request refuse <request-id> --reason TEXT [--by NAME]`;

const RIGHTS = new Set(['erase', 'object', 'restrict', 'unrestrict']);

/** Whether `parley contact <sub>` is one of these commands (the rest of `contact` lives in cli-contacts.ts). */
export const isRightsCommand = (sub: string | undefined) => sub !== undefined && RIGHTS.has(sub);

export async function commandRights(group: 'contact' | 'hold' | 'retention' | 'request', args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseCliArgs(tools, () => parseArgs({ args: rest, allowPositionals: true, strict: true, options: {
    'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, by: { type: 'string' }, reason: { type: 'string' }, reference: { type: 'string' },
    all: { type: 'boolean' }, received: { type: 'string' }, method: { type: 'string' }, months: { type: 'string' }, notified: { type: 'string' },
  } }));
  const [target, ...extra] = positionals;
  const by = values.by ?? undefined;
  const run = <T>(direct: (d: RightsDeps) => Promise<T>, method: string, path: string, body?: Record<string, unknown>) =>
    tools.withDatabase<T>(
      config,
      (deps) => direct({ db: deps.database.db, workspaceId: deps.workspace.id, keyedHash: (v) => deps.secretBox.keyedHash(v) }),
      async (server) => (await tools.callAdmin(server, method, path, body)) as T,
    );
  const audit = cliAudit();
  const print = (value: unknown, line: string) => out.log(values.json ? JSON.stringify(value, null, 2) : line);

  if (group === 'retention') {
    if (sub !== 'sweep' || target !== undefined) {
      throw tools.usageError('usage: parley retention sweep [--dry-run] [--json]');
    }
    const dryRun = values['dry-run'] === true;
    const result = await run((d) => runSweep(d.db, { now: new Date(), keyedHash: d.keyedHash, dryRun }), 'POST', '/api/admin/retention/sweep', { dryRun });
    print(result, result.reports.map((r) => formatSweep(r, dryRun)).join('\n'));
    return 0;
  }
  if (group === 'request') {
    return commandRequest(sub, target, extra, values, { run, audit, print, tools });
  }
  if (!target || extra.length > 0) {
    throw tools.usageError(`usage:\n${PRIVACY_USAGE}`);
  }
  const ref = encodeURIComponent(target);
  if (group === 'hold') {
    if (!by) {
      throw tools.usageError('a legal hold needs the authorised person taking this step: --by NAME');
    }
    if (sub === 'request') {
      if (!values.reason) {
        throw tools.usageError('a legal hold needs a --reason');
      }
      const body = { contact: target, reason: values.reason, by, ...(values.reference ? { reference: values.reference } : {}) };
      const held = await run((d) => requestLegalHold(d, target, { audit, ...body }), 'POST', '/api/admin/legal-holds', body);
      print(held, `Legal hold ${held.holdId} requested for contact ${held.contactId}; it stops deletion now and needs a second person: parley hold approve ${held.holdId} --by NAME`);
      return 0;
    }
    if (sub !== 'approve' && sub !== 'lift' && sub !== 'confirm-lift') {
      throw tools.usageError(`unknown hold command "${sub ?? ''}" (request, approve, lift, confirm-lift)`);
    }
    const body = { by, ...(values.reason ? { reason: values.reason } : {}) };
    const step = await run((d) => advanceLegalHold(d, target, sub, { audit, ...body }), 'POST', `/api/admin/legal-holds/${ref}/${sub}`, body);
    print(step, `Legal hold ${step.holdId} is now ${step.status.replace('_', ' ')}.`);
    return 0;
  }
  switch (sub) {
    case 'erase': {
      const dryRun = values['dry-run'] === true;
      const body = { dryRun, ...(by ? { by } : {}) };
      const result = await run((d) => eraseContact(d, target, { audit, ...body }), 'POST', `/api/admin/contacts/${ref}/erasure`, body);
      print(result, formatErasure(result));
      return 0;
    }
    case 'object': {
      const body = by ? { by } : {};
      const result = await run((d) => objectToMarketing(d, target, { audit, ...body }), 'POST', `/api/admin/contacts/${ref}/objection`, body);
      print(result, `Objection recorded for contact ${result.contactId}: withdrew ${result.purposes.length ? result.purposes.join(', ') : 'no promotional purpose'} on every channel; ${result.suppressedAddresses} address(es) on the suppression list.`);
      return 0;
    }
    default: {
      if (!values.reason) {
        throw tools.usageError(`contact ${sub} needs a --reason`);
      }
      const body = { reason: values.reason, ...(by ? { by } : {}) };
      if (sub === 'restrict') {
        const result = await run((d) => restrictContact(d, target, { audit, ...body }), 'POST', `/api/admin/contacts/${ref}/restriction`, body);
        print(result, result.created ? `Contact ${result.contactId} is restricted: nothing but legally required notices reaches them.` : `Contact ${result.contactId} was restricted already.`);
      } else {
        const result = await run((d) => liftRestriction(d, target, { audit, ...body }), 'DELETE', `/api/admin/contacts/${ref}/restriction`, body);
        print(result, result.lifted > 0 ? `Lifted the restriction of contact ${result.contactId}.` : `Contact ${result.contactId} had no restriction to lift.`);
      }
      return 0;
    }
  }
}

export function formatErasure(r: ErasureOutcome & { dryRun: boolean }): string {
  const lines = [`${r.dryRun ? 'Dry run — nothing changed. Would erase' : 'Erased'} contact ${r.contactId}: ${r.status}${r.dryRun ? '' : ` (request ${r.requestId})`}`];
  for (const [dataClass, counts] of Object.entries(r.deleted)) {
    lines.push(`  deleted ${dataClass}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  }
  for (const [dataClass, until] of Object.entries(r.kept)) {
    lines.push(`  kept ${dataClass}: ${until === 'hold' ? 'under a legal hold' : `restricted until ${until.slice(0, 10)} (retention duty)`}`);
  }
  return lines.join('\n');
}

function formatSweep(r: SweepReport, dryRun: boolean): string {
  return `${dryRun ? 'Dry run — would delete' : 'Deleted'} in workspace ${r.workspaceId}: ${r.messages} messages (${r.statusEvents} statuses, ${r.rawEvents} raw events, ${r.unansweredQuestions} unanswered questions), ${r.runStates} run states, ${r.contactsErased} inactive contacts; ${r.expiredPending} pending consents expired; ${r.erasures.resumed} open erasures resumed (${r.erasures.done} finished).`;
}

type RequestValues = { json?: boolean; by?: string; reason?: string; all?: boolean; received?: string; method?: string; months?: string; notified?: string };
type RequestTools = {
  run: <T>(direct: (d: RightsDeps) => Promise<T>, method: string, path: string, body?: Record<string, unknown>) => Promise<T>;
  audit: ReturnType<typeof cliAudit>;
  print: (value: unknown, line: string) => void;
  tools: CliTools;
};

/** `parley request list|open|verify|extend|refuse` (GDPR-17): access requests as cases. */
async function commandRequest(sub: string | undefined, target: string | undefined, extra: string[], values: RequestValues, t: RequestTools): Promise<number> {
  const { run, audit, print, tools } = t;
  const by = values.by;
  const instant = (value: string | undefined, flag: string) => {
    if (value === undefined) {
      return undefined;
    }
    const at = new Date(value);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
      throw tools.usageError(`--${flag} takes an ISO 8601 time, e.g. 2026-11-20T09:30:00Z`);
    }
    return at;
  };
  if (sub === 'list') {
    if (target !== undefined) {
      throw tools.usageError('usage: parley request list [--all] [--json]');
    }
    const open = values.all !== true;
    const result = await run(async (d) => ({ requests: await listRequestCases(d, { open }) }), 'GET', `/api/admin/privacy-requests?open=${open}`);
    print(result, result.requests.length === 0 ? (open ? 'No access request waits for an answer.' : 'No access requests.') : result.requests.map(formatRequest).join('\n'));
    return 0;
  }
  if (!target || extra.length > 0 || !['open', 'verify', 'extend', 'refuse'].includes(sub ?? '')) {
    throw tools.usageError(`usage:\n${PRIVACY_USAGE.split('\n').filter((l) => l.includes('request ') || l.startsWith('    ')).join('\n')}`);
  }
  const id = encodeURIComponent(target);
  let result: { request: RequestCase };
  if (sub === 'open') {
    const receivedAt = instant(values.received, 'received');
    const body = { contact: target, ...(receivedAt ? { receivedAt: receivedAt.toISOString() } : {}), ...(by ? { by } : {}) };
    result = await run(async (d) => ({ request: await openAccessRequest(d, target, { audit, by, receivedAt }) }), 'POST', '/api/admin/privacy-requests', body);
  } else if (sub === 'verify') {
    const method = values.method as VerificationMethod | undefined;
    if (!method || !VERIFICATION_METHODS.includes(method)) {
      throw tools.usageError(`request verify needs --method ${VERIFICATION_METHODS.join('|')}`);
    }
    const body = { method, ...(by ? { by } : {}) };
    result = await run(async (d) => ({ request: await verifyRequest(d, target, { audit, by, method }) }), 'POST', `/api/admin/privacy-requests/${id}/verify`, body);
  } else if (sub === 'extend') {
    const months = Number(values.months);
    if (!values.reason || !(months === 1 || months === 2)) {
      throw tools.usageError('request extend needs --months 1 or 2 and a --reason (told to the requester within the first month)');
    }
    const notifiedAt = instant(values.notified, 'notified');
    const body = { months, reason: values.reason, ...(notifiedAt ? { notifiedAt: notifiedAt.toISOString() } : {}), ...(by ? { by } : {}) };
    result = await run(async (d) => ({ request: await extendRequest(d, target, { audit, by, months, reason: values.reason!, notifiedAt }) }), 'POST', `/api/admin/privacy-requests/${id}/extend`, body);
  } else {
    if (!values.reason) {
      throw tools.usageError('request refuse needs a --reason');
    }
    const body = { reason: values.reason, ...(by ? { by } : {}) };
    result = await run(async (d) => ({ request: await refuseRequest(d, target, { audit, by, reason: values.reason! }) }), 'POST', `/api/admin/privacy-requests/${id}/refuse`, body);
  }
  const r = result.request;
  const next = r.status === 'open' ? `; verify the requester next: parley request verify ${r.id} --method …` : r.status === 'verified' ? `; answer it: parley contact export ${r.contactId} --request ${r.id} --out FILE` : '';
  print(result, `${formatRequest(r)}${next}`);
  return 0;
}

/** One line per case: id, contact, status, deadline and how far off it is. */
export function formatRequest(r: RequestCase): string {
  const left = r.status === 'open' || r.status === 'verified' ? (r.overdue ? `OVERDUE by ${-r.daysLeft} day(s)` : `${r.daysLeft} day(s) left`) : (r.completedAt ?? '').slice(0, 10);
  const extended = r.extensionMonths > 0 ? `, extended by ${r.extensionMonths} month(s)` : '';
  return `${r.id}  contact ${r.contactId}  ${r.status.padEnd(8)}  received ${r.receivedAt.slice(0, 10)}  due ${r.dueAt.slice(0, 10)}${extended}  ${left}`;
}
