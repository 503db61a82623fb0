/**
 * `parley user add|list|roles|disable|enable|password` (issue #5 item 1). Straight on the database, or through the
 * running server's admin API when it holds the embedded one — the same rule as every other command (cli.ts).
 * Generated passwords are printed once; only their scrypt hash is stored.
 */
import { parseArgs } from 'node:util';
import { type AdminServer, type CliTools, parseCliArgs } from './cli-tools.js';
import { cliAudit } from './cli-audit.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { isAppError, parseInput } from './platform/errors.js';
import { CreateUserBody, createUserService, type DemoAccount, formatDemoAccounts, isRole, ROLES, SetPasswordBody, UpdateUserBody, type UserService, type UserView } from './modules/users/index.js';

type Out = { log: (s: string) => void; error: (s: string) => void };

/** CliTools, and where --password-stdin reads from. */
export interface UserCliTools extends CliTools {
  /** Reads the whole standard input (for --password-stdin); tests pass their own. */
  readStdin?: () => Promise<string>;
}

export const USER_USAGE = `  user add <email> --name NAME --role ROLE[,ROLE…] [--password-stdin] [--json]
                                 create a staff account (roles: ${ROLES.join(', ')}); prints a generated password
                                 once, or takes the password from standard input
  user list [--json]             the accounts with their roles
  user roles <email> --set ROLE[,ROLE…]   replace a user's roles (audited)
  user disable|enable <email>    disable (ends every session) or enable an account
  user password <email> [--password-stdin]   set a new password (printed once when generated); ends the sessions`;

/** `parley user …`: exit 0 when done, 1 when refused (unknown user, e-mail taken, last admin), 2 for bad usage. */
export async function commandUser(args: string[], config: Config, out: Out, tools: UserCliTools): Promise<number> {
  const [sub, ...rest] = args;
  const valid = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      throw tools.usageError(isAppError(err) ? err.message : String(err));
    }
  };
  const run = <T>(direct: (users: UserService) => Promise<T>, viaServer: (server: AdminServer) => Promise<T>) =>
    tools.withDatabase(config, (deps) => direct(usersOf(deps)), viaServer);
  const one = (positionals: string[], usage: string): string => {
    if (positionals.length !== 1 || !positionals[0]) {
      throw tools.usageError(`usage: parley ${usage}`);
    }
    return positionals[0];
  };
  const readPassword = async (): Promise<string> => (await (tools.readStdin ?? readStdin)()).replace(/\r?\n$/, '');

  if (sub === 'add') {
    const { values, positionals } = parseCliArgs(tools, () =>
      parseArgs({ args: rest, strict: true, allowPositionals: true, options: { name: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' } } }),
    );
    const email = one(positionals, 'user add <email> --name NAME --role ROLE[,ROLE…]');
    if (!values.name || !values.role) {
      throw tools.usageError('user add needs --name and --role');
    }
    const password = values['password-stdin'] ? await readPassword() : undefined;
    const body = valid(() => parseInput(CreateUserBody, { email, name: values.name, roles: splitRoles(values.role as string, tools), ...(password !== undefined ? { password } : {}) }));
    const result = await run(
      (users) => users.createUser(body, cliAudit()),
      async (server) => (await tools.callAdmin(server, 'POST', '/api/admin/users', body)) as { user: UserView; password?: string },
    );
    if (values.json) {
      out.log(JSON.stringify(result, null, 2));
    } else {
      out.log(`User ${result.user.email} added with the role(s) ${result.user.roles.join(', ')}.`);
      if (result.password) {
        out.log(`Password (shown only now; pass it on safely): ${result.password}`);
      }
    }
    return 0;
  }
  if (sub === 'list') {
    const { values } = parseCliArgs(tools, () => parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean' } } }));
    const users = await run(
      (s) => s.listUsers(),
      async (server) => ((await tools.callAdmin(server, 'GET', '/api/admin/users')) as { users: UserView[] }).users,
    );
    if (values.json) {
      out.log(JSON.stringify(users, null, 2));
    } else if (users.length === 0) {
      out.log('No users yet. Add the first admin with: parley user add <email> --name NAME --role admin');
    } else {
      for (const u of users) {
        out.log(`${u.email}\t${u.name}\t${u.roles.join(',')}\t${u.disabled ? 'disabled' : 'active'}`);
      }
    }
    return 0;
  }
  if (sub === 'roles' || sub === 'disable' || sub === 'enable') {
    const { values, positionals } = parseCliArgs(tools, () => parseArgs({ args: rest, strict: true, allowPositionals: true, options: { set: { type: 'string' } } }));
    const email = one(positionals, sub === 'roles' ? 'user roles <email> --set ROLE[,ROLE…]' : `user ${sub} <email>`);
    const set = values.set;
    if (sub !== 'roles' && set !== undefined) {
      throw tools.usageError(`user ${sub} takes no --set`);
    }
    if (sub === 'roles' && !set) {
      throw tools.usageError('user roles needs --set ROLE[,ROLE…]');
    }
    const change = valid(() => parseInput(UpdateUserBody, sub === 'roles' ? { roles: splitRoles(set as string, tools) } : { disabled: sub === 'disable' }));
    const user = await run(
      (users) => users.updateUser(email, change, cliAudit()),
      async (server) => ((await tools.callAdmin(server, 'PATCH', `/api/admin/users/${encodeURIComponent(email)}`, change)) as { user: UserView }).user,
    );
    out.log(sub === 'roles' ? `${user.email} now has the role(s) ${user.roles.join(', ')}.` : `${user.email} is ${user.disabled ? 'disabled; every session of it has ended' : 'enabled'}.`);
    return 0;
  }
  if (sub === 'password') {
    const { values, positionals } = parseCliArgs(tools, () => parseArgs({ args: rest, strict: true, allowPositionals: true, options: { 'password-stdin': { type: 'boolean' } } }));
    const email = one(positionals, 'user password <email> [--password-stdin]');
    const password = values['password-stdin'] ? await readPassword() : undefined;
    const checked = valid(() => parseInput(SetPasswordBody, password === undefined ? {} : { password }));
    const result = await run(
      (users) => users.setPassword(email, checked.password, cliAudit()),
      async (server) => (await tools.callAdmin(server, 'POST', `/api/admin/users/${encodeURIComponent(email)}/password`, checked)) as { user: UserView; password?: string },
    );
    out.log(result.password ? `New password for ${result.user.email} (shown only now): ${result.password}` : `Password of ${result.user.email} set.`);
    out.log('Every session of this account has ended.');
    return 0;
  }
  throw tools.usageError(sub ? `unknown user command "${sub}" (add, list, roles, disable, enable, password)` : 'user needs a subcommand: add, list, roles, disable, enable or password');
}

function usersOf(deps: Deps): UserService {
  return createUserService({ db: deps.database.db, workspaceId: deps.workspace.id, keyedHash: (v) => deps.secretBox.keyedHash(v) });
}

function splitRoles(list: string, tools: UserCliTools): string[] {
  const roles = list.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0 || roles.length === 0) {
    throw tools.usageError(`unknown role(s) ${unknown.join(', ') || '(none)'}; roles are ${ROLES.join(', ')}`);
  }
  return roles;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What `parley start` prints in demo mode: the simulator's address and the demo accounts to sign in with. */
export function demoBanner(publicUrl: string, accounts: readonly DemoAccount[]): string {
  return [
    `  Phone simulator: ${publicUrl}/  (demo mode: a simulated WhatsApp number, no Meta account needed)`,
    `  Sign in at ${publicUrl}/login with a demo account:`,
    ...formatDemoAccounts(accounts),
    '',
  ].join('\n');
}
