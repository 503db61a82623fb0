/**
 * Demo mode's two accounts, so a newcomer can sign in right after `npm start`: an admin and an agent, created once
 * with random passwords that the start-up prints. Later starts cannot show them again (only hashes are stored).
 */
import { SYSTEM_AUDIT } from '../audit/index.js';
import { isAppError } from '../../platform/errors.js';
import type { Role } from './users.schemas.js';
import type { UserService } from './users.service.js';

export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: 'admin@demo.parley.local', name: 'Demo Admin', role: 'admin' },
  { email: 'agent@demo.parley.local', name: 'Demo Agent', role: 'agent' },
];

/** A demo account; `password` only when it was set at this start (else it was printed at an earlier one). */
export type DemoAccount = { email: string; role: Role; password: string | undefined };

/**
 * Creates the demo accounts that do not exist yet (and gives one without a password a new one).
 * @example for (const a of await ensureDemoAccounts(users)) console.log(a.email, a.password ?? '(shown at first start)');
 */
export async function ensureDemoAccounts(users: UserService): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const existing = await users.getUser(account.email).catch((err: unknown) => {
      if (isAppError(err) && err.code === 'user.not_found') {
        return undefined;
      }
      throw err;
    });
    let password: string | undefined;
    if (!existing) {
      password = (await users.createUser({ email: account.email, name: account.name, roles: [account.role] }, SYSTEM_AUDIT)).password;
    } else if (!existing.hasPassword) {
      password = (await users.setPassword(account.email, undefined, SYSTEM_AUDIT)).password;
    }
    accounts.push({ email: account.email, role: account.role, password });
  }
  return accounts;
}

/** The lines the start-up prints about the demo accounts. */
export function formatDemoAccounts(accounts: readonly DemoAccount[]): string[] {
  return accounts.map((a) =>
    a.password
      ? `  ${a.role.padEnd(6)} ${a.email}  password: ${a.password}`
      : `  ${a.role.padEnd(6)} ${a.email}  (password shown at first start; new one: parley user password ${a.email})`,
  );
}
