/**
 * The `parley` command line. Commands work whether or not a server is running: with PostgreSQL they use the
 * database directly; with the embedded database a running server holds the data directory, so they go through
 * its admin API (address and token from the lock file).
 */
import { parseArgs } from 'node:util';
import { type AdminServer, parseCliArgs } from './cli-tools.js';
import { AUDIT_USAGE, cliAudit, commandAudit } from './cli-audit.js';
import { commandTemplate, TEMPLATE_USAGE } from './cli-templates.js';
import { commandContact, CONTACT_USAGE } from './cli-contacts.js';
import { commandConsent, CONSENT_USAGE } from './cli-consent.js';
import { commandRights, isRightsCommand, PRIVACY_USAGE } from './cli-privacy.js';
import { commandApply, commandExport, commandValidate } from './cli-workspace.js';
import { commandUser, demoBanner, USER_USAGE } from './cli-users.js';
import { ConfigError, type Config, loadConfig } from './config.js';
import { buildDeps } from './deps.js';
import { createSecretBox } from './platform/crypto.js';
import { DataDirLockedError, readLiveLock } from './platform/data-dir-lock.js';
import { createLogger } from './platform/logger.js';
import { migrate } from './platform/migrate.js';
import { isAppError } from './platform/errors.js';
import { openDatabase, resolveKey, StartupError, startParley } from './server.js';
import { listUnanswered, type UnansweredSummary } from './modules/content/index.js';

const USAGE = `Usage: parley <command> [options]

Commands:
  start                          run the server (roles from ROLES, default api,worker,scheduler)
  migrate                        apply database migrations and exit
  channel add whatsapp --slug S --phone-number-id P --access-token T --app-secret A --verify-token V
                       [--display-phone-number N] [--api-base-url URL] [--api-version vX.Y] [--mps N]
                       [--auto-reply TEXT] [--name NAME] [--json]
  channel list [--json]
  apply <dir> [--json]           import a workspace directory (topics, content items, flows): all or nothing
  export <dir> [--force] [--json]  write the workspace as such a directory (latest item versions, latest flows);
                                 the directory must be empty or new, --force overwrites the files it writes
  content unanswered [--days N] [--limit N] [--examples] [--json]
                                 what people asked that the library could not answer, and what they picked
                                 instead; --examples prints the picked ones as example questions per item
  flow validate <file>           check a flow file (schema, unreachable nodes, dangling references, translations)
  workspace validate <dir>       check a workspace directory (content/topics.yaml, content/items/*.yaml, flows/*.yaml)
${AUDIT_USAGE}
${TEMPLATE_USAGE}
${CONTACT_USAGE}
${CONSENT_USAGE}
${PRIVACY_USAGE}
${USER_USAGE}
  help                           show this text

Configuration comes from the environment (see docs/operations.md): PORT, PUBLIC_URL, DATABASE_URL,
PARLEY_DATA_DIR, PARLEY_SECRET_KEY, ROLES, LOG_LEVEL.`;

class UsageError extends Error {}
const usage = { usageError: (m: string) => new UsageError(m) };

type Out = { log: (s: string) => void; error: (s: string) => void };

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 bad usage or configuration). */
export async function runCli(argv: string[], env: Record<string, string | undefined>, out: Out = console): Promise<number> {
  const [command, ...rest] = argv;
  const tools = { withDatabase, callAdmin, ...usage };
  try {
    switch (command) {
      case 'start':
        return await commandStart(loadConfig(env), out);
      case 'migrate':
        return await commandMigrate(loadConfig(env), out);
      case 'channel':
        return await commandChannel(rest, loadConfig(env), out);
      case 'apply':
        return await commandApply(rest, loadConfig(env), out, tools);
      case 'export':
        return await commandExport(rest, loadConfig(env), out, tools);
      case 'content':
        return await commandContent(rest, loadConfig(env), out);
      case 'audit':
        return await commandAudit(rest, loadConfig(env), out, tools);
      case 'hold':
      case 'retention':
      case 'request':
        return await commandRights(command, rest, loadConfig(env), out, tools);
      case 'contact':
        return await (isRightsCommand(rest[0]) ? commandRights('contact', rest, loadConfig(env), out, tools) : commandContact(rest, loadConfig(env), out, tools));
      case 'user':
        return await commandUser(rest, loadConfig(env), out, tools);
      case 'consent':
        return await commandConsent(rest, loadConfig(env), out, tools);
      case 'template':
        return await commandTemplate(rest, loadConfig(env), out, tools);
      case 'flow':
      case 'workspace':
        return commandValidate(command, rest, out, tools);
      case 'help':
      case '--help':
      case '-h':
        out.log(USAGE);
        return 0;
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      out.error(`parley: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      out.error(`parley: ${err.message}`);
      return 2;
    }
    if (err instanceof DataDirLockedError) {
      out.error(`parley: ${err.message}\nStop that process first, or point PARLEY_DATA_DIR at another directory.`);
      return 1;
    }
    if (err instanceof StartupError) {
      out.error(`parley: ${err.message}`);
      return 1;
    }
    if (isAppError(err)) {
      out.error(`parley: ${err.message}${formatIssues(err.details)}`);
      return 1;
    }
    out.error(`parley: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

async function commandStart(config: Config, out: Out): Promise<number> {
  const parley = await startParley(config, { isTty: process.stdout.isTTY === true });
  const log = parley.deps.logger;
  const where = config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;
  log.info({ roles: config.roles, url: parley.url }, `Parley is running on ${where}`);
  if (parley.url) {
    out.log(`\n  Parley is running: ${config.publicUrl}\n${parley.demo ? demoBanner(config.publicUrl, parley.demo.accounts) : ''}`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log.info('stopping');
  await parley.stop();
  return 0;
}

async function commandMigrate(config: Config, out: Out): Promise<number> {
  if (!config.databaseUrl) {
    const owner = readLiveLock(config.dataDir);
    if (owner) {
      out.log(`The server (pid ${owner.pid}) holds the data directory and migrated it at start; nothing to do.`);
      return 0;
    }
  }
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { database, lock } = await openDatabase(config, logger);
  try {
    const applied = await migrate(database.db);
    out.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await database.close();
    lock?.release();
  }
  return 0;
}

async function commandChannel(args: string[], config: Config, out: Out): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseCliArgs(usage, () => parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true }));
    const channels = await withDatabase(
      config,
      async (deps) => deps.channels.listChannels(deps.workspace.id),
      async (server) => ((await callAdmin(server, 'GET', '/api/admin/channels')) as { channels: ChannelSummary[] }).channels,
    );
    if (values.json) {
      out.log(JSON.stringify(channels, null, 2));
    } else if (channels.length === 0) {
      out.log('No channels yet. Add one with: parley channel add whatsapp --slug … (see parley help)');
    } else {
      for (const c of channels) {
        out.log(`${c.kind}\t${c.slug}\t${c.name}\t${c.status}\t${c.webhookUrl}`);
      }
    }
    return 0;
  }
  if (sub === 'add') {
    const [kind, ...opts] = rest;
    if (kind !== 'whatsapp') {
      throw new UsageError(kind ? `unknown channel kind "${kind}" (supported: whatsapp)` : 'channel add needs a kind: whatsapp');
    }
    const { values } = parseCliArgs(usage, () => parseArgs({ args: opts, strict: true, options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      'phone-number-id': { type: 'string' },
      'display-phone-number': { type: 'string' },
      'access-token': { type: 'string' },
      'app-secret': { type: 'string' },
      'verify-token': { type: 'string' },
      'api-base-url': { type: 'string' },
      'api-version': { type: 'string' },
      mps: { type: 'string' },
      'auto-reply': { type: 'string' },
      json: { type: 'boolean' },
    } }));
    const missing = ['slug', 'phone-number-id', 'access-token', 'app-secret', 'verify-token'].filter((k) => values[k as keyof typeof values] === undefined);
    if (missing.length > 0) {
      throw new UsageError(`channel add whatsapp is missing ${missing.map((m) => `--${m}`).join(', ')}`);
    }
    if (values.mps !== undefined && !/^\d+$/.test(values.mps)) {
      throw new UsageError('--mps takes a whole number of messages per second (1–1000)');
    }
    const body = {
      kind: 'whatsapp',
      slug: values.slug,
      name: values.name,
      phoneNumberId: values['phone-number-id'],
      displayPhoneNumber: values['display-phone-number'],
      accessToken: values['access-token'],
      appSecret: values['app-secret'],
      verifyToken: values['verify-token'],
      apiBaseUrl: values['api-base-url'],
      apiVersion: values['api-version'],
      mps: values.mps === undefined ? undefined : Number(values.mps),
      autoReply: values['auto-reply'],
    };
    const channel = await withDatabase(
      config,
      async (deps) => deps.channels.createChannel(deps.workspace.id, body, cliAudit()),
      async (server) => ((await callAdmin(server, 'POST', '/api/admin/channels', body)) as { channel: ChannelSummary }).channel,
    );
    if (values.json) {
      out.log(JSON.stringify(channel, null, 2));
    } else {
      out.log(`Channel "${channel.slug}" added.\nWebhook URL for Meta: ${channel.webhookUrl}\nVerify token: the one you passed with --verify-token.`);
    }
    return 0;
  }
  throw new UsageError(sub ? `unknown channel command "${sub}" (add, list)` : 'channel needs a subcommand: add or list');
}

async function commandContent(args: string[], config: Config, out: Out): Promise<number> {
  const [sub, ...opts] = args;
  if (sub !== 'unanswered') {
    throw new UsageError('usage: parley content unanswered [--days N] [--limit N] [--examples] [--json]');
  }
  const { values } = parseCliArgs(usage, () =>
    parseArgs({ args: opts, strict: true, options: { days: { type: 'string' }, limit: { type: 'string' }, examples: { type: 'boolean' }, json: { type: 'boolean' } } }),
  );
  const days = Number(values.days ?? 30);
  const limit = Number(values.limit ?? 50);
  if (!Number.isInteger(days) || days < 1 || !Number.isInteger(limit) || limit < 1) {
    throw new UsageError('--days and --limit take whole numbers from 1');
  }
  const questions = await withDatabase(
    config,
    async (deps) => listUnanswered(deps.database.db, deps.workspace.id, { sinceDays: days, limit }),
    async (server) => ((await callAdmin(server, 'GET', `/api/admin/content/unanswered?days=${days}&limit=${limit}`)) as { questions: UnansweredSummary[] }).questions,
  );
  if (values.json) {
    out.log(JSON.stringify(questions, null, 2));
  } else if (values.examples) {
    printPickedExamples(questions, days, out);
  } else if (questions.length === 0) {
    out.log(`No unanswered questions in the last ${days} days.`);
  } else {
    out.log(`Unanswered questions, last ${days} days (most asked first):`);
    for (const q of questions) {
      out.log(`${String(q.count).padStart(4)}×  ${q.language}  ${q.text}`);
      const next = [
        ...(q.picked.length > 0 ? [`picked ${q.picked.map((p) => `${p.itemId} ${p.count}×`).join(', ')}`] : []),
        ...(q.escalated > 0 ? [`asked for a person ${q.escalated}×`] : []),
      ];
      if (next.length > 0) {
        out.log(`           → ${next.join('; ')}`);
      }
    }
  }
  return 0;
}

/**
 * The questions people answered themselves by picking an item from "Did you mean …?", as example-question lines
 * per item and language, ready to review and paste into content/items/*.yaml (`questions`). Nothing is added by
 * itself: example questions are part of the approved content.
 */
function printPickedExamples(questions: UnansweredSummary[], days: number, out: Out): void {
  const byItem = new Map<string, Map<string, string[]>>();
  for (const q of questions) {
    // The item most people picked; a question split between items is for the editor to read in the plain list.
    const [top, second] = q.picked;
    if (!top || (second && second.count === top.count)) {
      continue;
    }
    const languages = byItem.get(top.itemId) ?? new Map<string, string[]>();
    languages.set(q.language, [...(languages.get(q.language) ?? []), q.text]);
    byItem.set(top.itemId, languages);
  }
  if (byItem.size === 0) {
    out.log(`No question of the last ${days} days was settled by picking an item.`);
    return;
  }
  out.log(`# Questions of the last ${days} days that people settled by picking the item; review, then add to its questions:`);
  for (const [itemId, languages] of [...byItem].sort(([a], [b]) => a.localeCompare(b))) {
    out.log(`${itemId}:`);
    for (const [language, texts] of [...languages].sort(([a], [b]) => a.localeCompare(b))) {
      out.log(`  ${language}: [${texts.map((t) => JSON.stringify(t)).join(', ')}]`);
    }
  }
}

interface ChannelSummary {
  kind: string;
  slug: string;
  name: string;
  status: string;
  webhookUrl: string;
}

/**
 * Runs `direct` on the database, or — when a live server holds the embedded database — `viaServer` against it.
 */
async function withDatabase<T>(
  config: Config,
  direct: (deps: Awaited<ReturnType<typeof buildDeps>>) => Promise<T>,
  viaServer: (server: AdminServer) => Promise<T>,
): Promise<T> {
  if (!config.databaseUrl) {
    const owner = readLiveLock(config.dataDir);
    if (owner) {
      if (!owner.adminUrl || !owner.adminToken) {
        throw new StartupError(`A Parley process (pid ${owner.pid}) holds ${config.dataDir} but runs no API; stop it or run this command while its API is up.`);
      }
      return viaServer({ pid: owner.pid, adminUrl: owner.adminUrl, adminToken: owner.adminToken });
    }
  }
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { database, lock } = await openDatabase(config, logger);
  try {
    await migrate(database.db);
    return await direct(await buildDeps(config, database, logger, createSecretBox(resolveKey(config, logger))));
  } finally {
    await database.close();
    lock?.release();
  }
}

async function callAdmin(server: AdminServer, method: string, path: string, body?: unknown, acceptStatuses: number[] = []): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${server.adminUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new StartupError(`The server (pid ${server.pid}) holds the data directory but does not answer at ${server.adminUrl}.`);
  }
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string; details?: unknown } };
  if (!res.ok && !acceptStatuses.includes(res.status)) {
    throw new StartupError(`${json.error?.message ?? `the server answered HTTP ${res.status}`}${formatIssues(json.error?.details)}`);
  }
  return json;
}


function formatIssues(details: unknown): string {
  const issues = (details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues;
  return Array.isArray(issues) ? `\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}` : '';
}
