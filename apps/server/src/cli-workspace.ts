/**
 * `parley apply <dir>`, `parley export <dir>`, `parley flow validate <file>` and `parley workspace validate <dir>`:
 * workspaces as code (issue #3 item 7). Straight on the database, or through the running server's admin API when
 * it holds the embedded one — the same rule as every other command (cli.ts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CliTools, parseCliArgs } from './cli-tools.js';
import { cliAudit } from './cli-audit.js';
import type { Config } from './config.js';
import { type ApplyResult, applyWorkspace, exportWorkspace, findExportTargetProblem, formatExportSummary, formatProblems, formatSummary, loadWorkspaceDir, validateFlowFile, type WorkspaceExport, writeWorkspaceExport } from './modules/workspaces/index.js';

type Out = { log: (s: string) => void; error: (s: string) => void };


export async function commandApply(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const { values, positionals } = parseCliArgs(tools, () => parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true }));
  const [target, ...extra] = positionals;
  if (!target || extra.length > 0) {
    throw tools.usageError('usage: parley apply <dir> [--json]');
  }
  const dir = resolve(target);
  if (!existsSync(dir)) {
    throw tools.usageError(`no such directory: ${target}`);
  }
  const result = await tools.withDatabase(
    config,
    async (deps) => applyWorkspace(deps.database.db, deps.workspace.id, dir, cliAudit()),
    async (server) => (await tools.callAdmin(server, 'POST', '/api/admin/apply', { dir }, [422])) as ApplyResult,
  );
  if (values.json) {
    out.log(JSON.stringify(result, null, 2));
  } else if (result.ok) {
    out.log(`Applied ${target}:\n${formatSummary(result.summary)}`);
  } else {
    out.error(`${formatProblems(result.problems)}\n${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}: nothing was applied.`);
  }
  return result.ok ? 0 : 1;
}

export async function commandExport(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const { values, positionals } = parseCliArgs(tools, () => parseArgs({ args, options: { force: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true }));
  const [target, ...extra] = positionals;
  if (!target || extra.length > 0) {
    throw tools.usageError('usage: parley export <dir> [--force] [--json]');
  }
  const dir = resolve(target);
  const problem = findExportTargetProblem(dir, values.force === true);
  if (problem) {
    throw tools.usageError(problem);
  }
  const exported = await tools.withDatabase(
    config,
    async (deps) => exportWorkspace(deps.database.db, deps.workspace.id, cliAudit()),
    async (server) => (await tools.callAdmin(server, 'GET', '/api/admin/export')) as WorkspaceExport,
  );
  const written = writeWorkspaceExport(dir, exported.files);
  if (values.json) {
    out.log(JSON.stringify({ dir, counts: exported.counts, files: written.written, warnings: exported.warnings, leftAlone: written.leftAlone }, null, 2));
  } else {
    out.log(`Exported the workspace to ${target}:\n${formatExportSummary(exported, written)}`);
  }
  return 0;
}

/** `flow validate <file>` and `workspace validate <dir>`: no database needed; exit 1 when anything is wrong. */
export function commandValidate(what: 'flow' | 'workspace', args: string[], out: Out, tools: CliTools): number {
  const [sub, target, ...extra] = args;
  if (sub !== 'validate' || !target || extra.length > 0) {
    throw tools.usageError(`usage: parley ${what} validate <${what === 'flow' ? 'file' : 'dir'}>`);
  }
  if (what === 'flow' && !existsSync(target)) {
    throw tools.usageError(`no such file: ${target}`);
  }
  const problems = what === 'flow' ? validateFlowFile(target) : loadWorkspaceDir(target).problems;
  if (problems.length > 0) {
    out.error(`${formatProblems(problems)}\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${target}`);
    return 1;
  }
  out.log(`${target}: no problems`);
  return 0;
}
