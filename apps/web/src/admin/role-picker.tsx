import { useId, type ReactNode } from 'react';
import { ROLES, type Role } from '../auth/auth-api';
import { useT, type Translate } from '../i18n';
import { ApiError } from '../auth/api-client';

type Props = { value: Role[]; onChange: (roles: Role[]) => void; legend: string; testId: string };

/** One checkbox per role. */
export function RolePicker({ value, onChange, legend, testId }: Props): ReactNode {
  const t = useT();
  const id = useId();
  return (
    <fieldset className="roles" data-testid={testId}>
      <legend className="visually-hidden">{legend}</legend>
      {ROLES.map((role) => (
        <label key={role} className="roles__option" htmlFor={`${id}-${role}`}>
          <input
            id={`${id}-${role}`}
            type="checkbox"
            checked={value.includes(role)}
            data-testid={`${testId}-${role}`}
            onChange={(event) => onChange(event.target.checked ? [...value, role] : value.filter((r) => r !== role))}
          />
          {t(`role.${role}`)}
        </label>
      ))}
    </fieldset>
  );
}

/** What to tell an admin when a change was refused (the server's reason, in their language where we know it). */
export function describeUserError(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'user.last_admin':
        return t('users.lastAdmin');
      case 'user.email_taken':
        return t('users.emailTaken');
      case 'validation.failed':
        return t('users.invalid', { message: err.message });
      default:
        return t('users.error', { message: err.message });
    }
  }
  return t('users.error', { message: err instanceof Error ? err.message : String(err) });
}
