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
