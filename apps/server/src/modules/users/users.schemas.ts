/**
 * Roles, the shapes of users as the API shows them, and the request bodies of the auth and user routes.
 * What each role may do is declared on the routes (`config.access`), not here; docs/users-and-roles.md lists it.
 */
import { z } from 'zod';

/** The staff roles (SEC-05 baseline): a user has one or more. */
export const ROLES = ['admin', 'agent', 'editor', 'approver', 'compliance'] as const;
export type Role = (typeof ROLES)[number];

/** Narrows a stored string to a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A user as the API and the CLI show it: never the password hash. */
export type UserView = {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
};

/** Shortest password Parley accepts (NIST SP 800-63B asks for at least 8; staff accounts reach personal data). */
export const MIN_PASSWORD_LENGTH = 12;

const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an e-mail address' }).max(254));
const RoleList = z
  .array(z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }))
  .min(1, 'at least one role')
  .transform((roles) => [...new Set(roles)]);
const Password = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(200, 'at most 200 characters');

/** `POST /api/auth/login`. Lengths are capped so nobody makes the server hash a megabyte. */
export const LoginBody = z.object({ email: z.string().max(254), password: z.string().max(200) }).strict();
export type LoginBody = z.infer<typeof LoginBody>;

/** `POST /api/admin/users`, `parley user add`: without a password, one is generated and shown once. */
export const CreateUserBody = z
  .object({ email: Email, name: z.string().trim().min(1).max(200), roles: RoleList, password: Password.optional() })
  .strict();
export type CreateUserBody = z.infer<typeof CreateUserBody>;

/** `PATCH /api/admin/users/:ref`: any of name, roles, disabled. */
export const UpdateUserBody = z
  .object({ name: z.string().trim().min(1).max(200).optional(), roles: RoleList.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.roles !== undefined || b.disabled !== undefined, 'give name, roles or disabled');
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

/** `POST /api/admin/users/:ref/password`, `parley user password`: without a password, one is generated. */
export const SetPasswordBody = z.object({ password: Password.optional() }).strict();
export type SetPasswordBody = z.infer<typeof SetPasswordBody>;

/** Normalises an e-mail address the way it is stored (trimmed, lower case). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
