import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isRecord } from './http.js';
import { startWhatsAppFake } from './server.js';
import type { FakeTemplate, FakeUser, WhatsAppFakeOptions } from './types.js';

export const USAGE = `Usage: npm run fake:whatsapp -- --app-secret S --access-token T --phone-number-id P --display-phone-number D [options]

Required:
  --app-secret <secret>            signs webhooks (X-Hub-Signature-256)
  --access-token <token>           valid bearer token (repeatable)
  --phone-number-id <id>           Graph phone-number id (digits)
  --display-phone-number <number>  business number, e.g. 15550001111
Options:
  --port <n>                       default 4010 (0 = ephemeral)
  --host <host>                    default 127.0.0.1
  --webhook-url <url>              where webhooks are POSTed
  --verify-token <token>           token for the hub.challenge handshake
  --waba-id <id>                   default 880011223344556
  --config <file.json>             extra options: templates, users, delivery, statusDelaysMs, autoRead, pairLimit
  --help`;

/** Bad command-line arguments; the CLI prints the message and exits with code 2. */
export class CliUsageError extends Error {}

const VALUE_FLAGS = new Set([
  'port', 'host', 'app-secret', 'access-token', 'phone-number-id', 'display-phone-number', 'webhook-url', 'verify-token', 'waba-id', 'config',
]);

/** Parses `--flag value` / `--flag=value` arguments into fake options; throws CliUsageError. */
export function parseCliArgs(argv: string[], readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): WhatsAppFakeOptions {
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null || match[1] === undefined) {
      throw new CliUsageError(`Unexpected argument "${arg}".`);
    }
    const flag = match[1];
    if (flag === 'help') {
      throw new CliUsageError('');
    }
    if (!VALUE_FLAGS.has(flag)) {
      throw new CliUsageError(`Unknown option --${flag}.`);
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined || (match[2] === undefined && value.startsWith('--'))) {
      throw new CliUsageError(`Option --${flag} needs a value.`);
    }
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  const one = (flag: string): string | undefined => values.get(flag)?.at(-1);
  const missing = ['app-secret', 'access-token', 'phone-number-id', 'display-phone-number'].filter((f) => !values.has(f));
  if (missing.length > 0) {
    throw new CliUsageError(`Missing required option${missing.length > 1 ? 's' : ''}: ${missing.map((f) => `--${f}`).join(', ')}.`);
  }
  const port = Number(one('port') ?? '4010');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliUsageError(`--port must be an integer between 0 and 65535, got "${one('port')}".`);
  }
  const webhookUrl = one('webhook-url');
  if (webhookUrl !== undefined && !/^https?:\/\/\S+$/.test(webhookUrl)) {
    throw new CliUsageError(`--webhook-url must be an http(s) URL, got "${webhookUrl}".`);
  }
  const options: WhatsAppFakeOptions = {
    port,
    host: one('host') ?? '127.0.0.1',
    appSecret: one('app-secret') ?? '',
    accessTokens: values.get('access-token') ?? [],
    verifyToken: one('verify-token'),
    wabaId: one('waba-id'),
    phoneNumbers: [{ phoneNumberId: one('phone-number-id') ?? '', displayPhoneNumber: one('display-phone-number') ?? '', webhookUrl }],
  };
  const configPath = one('config');
  return configPath === undefined ? options : { ...options, ...readConfig(configPath, readFile) };
}

function readConfig(path: string, readFile: (path: string) => string): Partial<WhatsAppFakeOptions> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (err) {
    throw new CliUsageError(`Cannot read --config ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(parsed)) {
    throw new CliUsageError(`--config ${path} must contain a JSON object.`);
  }
  const config: Partial<WhatsAppFakeOptions> = {};
  for (const key of ['templates', 'users'] as const) {
    const list = parsed[key];
    if (list !== undefined && (!Array.isArray(list) || !(list as unknown[]).every(isRecord))) {
      throw new CliUsageError(`--config ${path}: ${key} must be an array of objects.`);
    }
  }
  // Shapes below are checked by resolveOptions when the fake starts.
  if (Array.isArray(parsed.templates)) {
    config.templates = parsed.templates as FakeTemplate[];
  }
  if (Array.isArray(parsed.users)) {
    config.users = parsed.users as FakeUser[];
  }
  for (const key of ['delivery', 'statusDelaysMs', 'pairLimit'] as const) {
    if (isRecord(parsed[key])) {
      Object.assign(config, { [key]: parsed[key] });
    }
  }
  if (typeof parsed.autoRead === 'boolean' || typeof parsed.autoRead === 'number') {
    config.autoRead = parsed.autoRead;
  }
  if (typeof parsed.graphVersionDefault === 'string') {
    config.graphVersionDefault = parsed.graphVersionDefault;
  }
  return config;
}

/** Runs the fake until SIGINT/SIGTERM; returns the process exit code for argument errors. */
export async function runCli(argv: string[]): Promise<number | undefined> {
  let options: WhatsAppFakeOptions;
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    if (err instanceof CliUsageError) {
      console.error(err.message === '' ? USAGE : `${err.message}\n\n${USAGE}`);
      return err.message === '' ? 0 : 2;
    }
    throw err;
  }
  let fake;
  try {
    fake = await startWhatsAppFake(options);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 2;
  }
  console.log(`WhatsApp fake listening on ${fake.url}`);
  console.log(`  Graph API:   ${fake.url}/v24.0/${options.phoneNumbers[0]?.phoneNumberId ?? ''}/messages`);
  console.log(`  Control API: ${fake.url}/_fake/state`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return undefined;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runCli(process.argv.slice(2)).then((code) => {
    if (code !== undefined) {
      process.exit(code);
    }
  });
}
