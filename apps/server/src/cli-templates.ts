/**
 * `parley template sync|list` (issue #4 item 7). Straight on the database, or through the running server's admin API
 * when it holds the embedded one — the same rule as every other command (cli.ts).
 */
import { parseArgs } from 'node:util';
import { type CliTools, parseCliArgs } from './cli-tools.js';
import { cliAudit } from './cli-audit.js';
import type { Config } from './config.js';
import { type ChannelSyncSummary, createTemplateService, type TemplateView } from './modules/templates/index.js';

type Out = { log: (s: string) => void; error: (s: string) => void };


export const TEMPLATE_USAGE = `  template sync [--channel SLUG] [--waba ID] [--submit] [--json]
                                 read the WhatsApp templates of the channel's business account into the registry;
                                 --submit first hands the workspace's not yet submitted templates to the provider
  template list [--channel SLUG] [--json]   the template registry: name, language, category, status, variables`;

/** `parley template …`: exit 0 when done, 1 when a submission was refused, 2 for bad usage. */
export async function commandTemplate(args: string[], config: Config, out: Out, tools: CliTools): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'sync') {
    const { values } = parseCliArgs(tools, () => parseArgs({ args: rest, strict: true, options: { channel: { type: 'string' }, waba: { type: 'string' }, submit: { type: 'boolean' }, json: { type: 'boolean' } } }));
    if (values.waba !== undefined && !/^\d{5,30}$/.test(values.waba)) {
      throw tools.usageError('--waba takes the digits of the WhatsApp Business Account id');
    }
    const opts = { channelSlug: values.channel, businessAccountId: values.waba, submit: values.submit === true };
    const body = { channel: opts.channelSlug, businessAccountId: opts.businessAccountId, submit: opts.submit };
    const summaries = await tools.withDatabase(
      config,
      async (deps) => createTemplateService({ db: deps.database.db, channels: deps.channels }).syncTemplates(deps.workspace.id, opts, cliAudit()),
      async (server) => ((await tools.callAdmin(server, 'POST', '/api/admin/templates/sync', body)) as { channels: ChannelSyncSummary[] }).channels,
    );
    if (values.json) {
      out.log(JSON.stringify(summaries, null, 2));
    } else if (summaries.length === 0) {
      out.log('No WhatsApp channel to sync. Add one with: parley channel add whatsapp …');
    }
    for (const s of values.json ? [] : summaries) {
      out.log(`${s.channel}: ${s.created} new, ${s.updated} changed, ${s.unchanged} unchanged, ${s.removed} gone${opts.submit ? `, ${s.submitted} submitted` : ''}${s.skipped ? `, ${s.skipped} unreadable` : ''}`);
      s.refused.forEach((r) => out.error(`  refused ${r.name} (${r.language}): ${r.reason}`));
    }
    return summaries.some((s) => s.refused.length > 0) ? 1 : 0;
  }
  if (sub === 'list') {
    const { values } = parseCliArgs(tools, () => parseArgs({ args: rest, strict: true, options: { channel: { type: 'string' }, json: { type: 'boolean' } } }));
    const query = values.channel === undefined ? '' : `?channel=${encodeURIComponent(values.channel)}`;
    const templates = await tools.withDatabase(
      config,
      async (deps) => createTemplateService({ db: deps.database.db, channels: deps.channels }).listTemplateViews(deps.workspace.id, values.channel),
      async (server) => ((await tools.callAdmin(server, 'GET', `/api/admin/templates${query}`)) as { templates: TemplateView[] }).templates,
    );
    if (values.json) {
      out.log(JSON.stringify(templates, null, 2));
    } else if (templates.length === 0) {
      out.log('No templates yet. Run: parley template sync --channel SLUG --waba ID');
    } else {
      templates.forEach((t) => out.log(`${t.channel}\t${t.name}\t${t.language}\t${t.category}\t${t.status}\t${describeVariables(t)}`));
    }
    return 0;
  }
  throw tools.usageError(sub ? `unknown template command "${sub}" (sync, list)` : 'template needs a subcommand: sync or list');
}

/** `header:image body:2 buttons:1` — what a send of this template must fill. */
function describeVariables(t: TemplateView): string {
  const v = t.variables;
  const header = v.header ? `header:${v.header.format === 'TEXT' ? v.header.params.length : v.header.format.toLowerCase()} ` : '';
  const dynamic = v.buttons.filter((b) => b.dynamic).length;
  return `${header}body:${v.body.params.length}${dynamic ? ` buttons:${dynamic}` : ''}`;
}
