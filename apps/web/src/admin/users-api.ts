import { apiRequest } from '../auth/api-client';
import type { Role } from '../auth/auth-api';

/** A staff account as `GET /api/admin/users` lists it. */
export type StaffUser = { id: string; email: string; name: string; roles: Role[]; disabled: boolean; hasPassword: boolean };

export type NewUser = { email: string; name: string; roles: Role[] };

export async function listUsers(signal?: AbortSignal): Promise<StaffUser[]> {
  return (await apiRequest<{ users: StaffUser[] }>('GET', '/api/admin/users', undefined, { signal })).users;
}

/** Creates an account; the server generates its password and returns it this once. */
export async function createUser(user: NewUser): Promise<{ user: StaffUser; password?: string }> {
  return apiRequest('POST', '/api/admin/users', user);
}

export async function updateUser(id: string, change: { roles?: Role[]; disabled?: boolean }): Promise<StaffUser> {
  return (await apiRequest<{ user: StaffUser }>('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, change)).user;
}

/** A live session of a staff account (SEC-07): `current` is the caller's own. */
export type StaffSession = { startedAt: string; lastSeenAt: string; expiresAt: string; ip: string | null; userAgent: string | null; current: boolean };

export async function listSessions(id: string, signal?: AbortSignal): Promise<StaffSession[]> {
  return (await apiRequest<{ sessions: StaffSession[] }>('GET', `/api/admin/users/${encodeURIComponent(id)}/sessions`, undefined, { signal })).sessions;
}

/** Ends the account's sessions on every server; the caller's own stays when it is theirs. */
export async function endSessions(id: string): Promise<number> {
  return (await apiRequest<{ ended: number }>('DELETE', `/api/admin/users/${encodeURIComponent(id)}/sessions`)).ended;
}
