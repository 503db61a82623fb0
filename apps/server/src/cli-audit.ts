/**
 * `parley audit verify|export` (AUD-04, AUD-08). Straight on the database, or through the running server's admin
 * API when it holds the embedded one — the same rule as every other command (cli.ts).
 */
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { type CliTools, parseCliArgs } from './cli-tools.js';
import type { Config } from './config.js';
import { type AnchorResult, anchorAudit, type AuditContext, type AuditExport, exportAudit, getWorkspaceId, parseAuditExportOptions, verifyAudit, type VerifyResult } from './modules/audit/index.js';

type Out = { log: (s: string) => void; error: (s: string) => void };


export const AUDIT_USAGE = `  audit verify [--workspace SLUG] [--json]   recompute the audit hash chains and check the signed checkpoints;
                                 names the first broken entry (exit 1)
  audit checkpoint [--json]      sign every chain's head now (AUD-04; the server does it every 10 minutes)
  audit export --format jsonl|csv [--workspace SLUG] [--since ISO] [--until ISO] [--action PREFIX] [--out FILE]
                                 the audit trail with its verification result (the export is audited too)`;

/** Who acts when the CLI works on the database itself: the operating-system user running it (AUD-02). */
export function cliAudit(): AuditContext {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the entry still says it came from the CLI.
  }
  return { actor: { kind: 'cli', id: user }, source: { channel: 'cli' } };
}

/** `parley audit …`: exit 0 when the chain verifies, 1 when it is broken, 2 for bad usage. */
export async function commandAudit(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    return commandVerify(rest, config, out, tools);
  }
  if (sub === 'export') {
    return commandExport(rest, config, out, tools);
  }
  if (sub === 'checkpoint') {
    return commandCheckpoint(rest, config, out, tools);
  }
  throw tools.usageError(sub ? `unknown audit command "${sub}" (verify, export, checkpoint)` : 'audit needs a subcommand: verify, export or checkpoint');
}

async function commandVerify(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const { values } = parseCliArgs(tools, () => parseArgs({ args, strict: true, options: { workspace: { type: 'string' }, json: { type: 'boolean' } } }));
  const query = values.workspace === undefined ? '' : `?workspace=${encodeURIComponent(values.workspace)}`;
  const result = await tools.withDatabase(
    config,
    async (deps) => verifyAudit(deps.database.db, { workspaceSlug: values.workspace, publicKeyPem: deps.secretBox.signer.publicKeyPem }),
    async (server) => (await tools.callAdmin(server, 'GET', `/api/admin/audit/verify${query}`)) as VerifyResult,
  );
  if (values.json) {
    out.log(JSON.stringify(result, null, 2));
  } else {
    formatVerification(result).forEach((line) => (result.ok ? out.log(line) : out.error(line)));
  }
  return result.ok ? 0 : 1;
}

async function commandExport(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const { values } = parseCliArgs(tools, () => parseArgs({ args, strict: true, options: {
    format: { type: 'string' },
    workspace: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    action: { type: 'string' },
    out: { type: 'string' },
  } }));
  const parsed = parseAuditExportOptions(values);
  if (!parsed.ok) {
    throw tools.usageError(parsed.message);
  }
  const query = new URLSearchParams(Object.entries({ format: values.format, workspace: values.workspace, since: values.since, until: values.until, action: values.action }).filter((e): e is [string, string] => e[1] !== undefined));
  const exported = await tools.withDatabase(
    config,
    async (deps) => {
      const workspaceId = values.workspace === undefined ? deps.workspace.id : await getWorkspaceId(deps.database.db, values.workspace);
      return exportAudit(deps.database.db, { ...parsed.options, workspaceId, publicKeyPem: deps.secretBox.signer.publicKeyPem, ...cliAudit() });
    },
    async (server) => (await tools.callAdmin(server, 'GET', `/api/admin/audit/export?${query.toString()}`)) as AuditExport,
  );
  const summary = [`${exported.count} audit entr${exported.count === 1 ? 'y' : 'ies'} exported as ${exported.format}${values.out ? ` to ${values.out}` : ''}.`, ...formatVerification(exported.verification)];
  if (values.out) {
    // Audit entries name people's actions and addresses: readable by the owner only.
    writeFileSync(values.out, exported.content, { mode: 0o600 });
    summary.forEach((line) => out.log(line));
  } else {
    out.log(exported.content.replace(/\r?\n$/, ''));
    summary.forEach((line) => out.error(line));
  }
  return exported.verification.ok ? 0 : 1;
}

/** `parley audit checkpoint`: signs every chain's head now (AUD-04) and prints the public key to check it with. */
async function commandCheckpoint(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const { values } = parseCliArgs(tools, () => parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } }));
  const result = await tools.withDatabase(
    config,
    async (deps) => ({ publicKey: deps.secretBox.signer.publicKeyPem, results: await anchorAudit(deps.database.db, { signer: deps.secretBox.signer, anchorDir: config.auditAnchorDir, now: new Date() }) }),
    async (server) => (await tools.callAdmin(server, 'POST', '/api/admin/audit/checkpoint')) as { publicKey: string; results: AnchorResult[] },
  );
  if (values.json) {
    out.log(JSON.stringify(result, null, 2));
    return 0;
  }
  for (const r of result.results) {
    out.log(r.checkpoint ? `signed entry ${r.checkpoint.seq} of ${r.workspaceId} (key ${r.checkpoint.keyId})${r.streamed ? `; ${r.streamed} entries copied out` : ''}` : `${r.workspaceId}: no new entries since the last checkpoint`);
  }
  out.log(`Public key (verify the checkpoints with it; it is in every anchored checkpoint file too):\n${result.publicKey.trim()}`);
  return 0;
}

/** One line per chain: intact with its head, or the first broken entry. */
export function formatVerification(result: VerifyResult): string[] {
  if (result.chains.length === 0) {
    return ['audit trail: no entries yet.'];
  }
  return result.chains.map((c) => {
    const name = c.slug ?? c.workspaceId;
    return c.firstBreak
      ? `audit trail of ${name}: BROKEN at entry ${c.firstBreak.seq} (id ${c.firstBreak.id}): ${c.firstBreak.message}. ${c.entries} entries before it verify.`
      : `audit trail of ${name}: ok, ${c.entries} entries, head ${c.headSeq} ${c.headHash.slice(0, 16)}…, ${c.checkpoints.count === 0 ? 'no signed checkpoint yet' : `${c.checkpoints.count} signed checkpoint${c.checkpoints.count === 1 ? '' : 's'} hold (latest at entry ${c.checkpoints.latestSeq})`}`;
  });
}
