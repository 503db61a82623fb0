import { useEffect, useState, type ReactNode } from 'react';
import { useCurrentUser } from '../auth/session';
import { useT } from '../i18n';
import { AddUserForm } from './add-user-form';
import { describeUserError } from './role-picker';
import { UserRow } from './user-row';
import { listUsers, type StaffUser } from './users-api';

/** The admin page: every user with their roles and status; add, change roles, disable. Shown to admins only. */
export function UsersPage(): ReactNode {
  const t = useT();
  const me = useCurrentUser();
  const [users, setUsers] = useState<StaffUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    listUsers(controller.signal)
      .then(setUsers)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) {
          setError(describeUserError(err, t));
        }
      });
    return () => controller.abort();
  }, [t]);

  const replace = (changed: StaffUser): void => {
    setError(null);
    setUsers((list) => (list ?? []).map((u) => (u.id === changed.id ? changed : u)));
  };
  const add = (added: StaffUser): void => {
    setUsers((list) => [...(list ?? []), added].sort((a, b) => a.email.localeCompare(b.email)));
  };

  return (
    <div className="staff-page" data-testid="users-page">
      <h2>{t('users.title')}</h2>
      <p className="muted">{t('users.intro')}</p>
      {error ? (
        <p className="field__error" role="alert" data-testid="users-error">
          {error}
        </p>
      ) : null}
      {users === null ? (
        <p role="status">{t('state.loading')}</p>
      ) : users.length === 0 ? (
        <p>{t('users.empty')}</p>
      ) : (
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('users.email')}</th>
              <th scope="col">{t('users.roles')}</th>
              <th scope="col">{t('users.status')}</th>
              <th scope="col">{t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.id} user={user} isSelf={user.id === me?.id} onChanged={replace} onError={setError} />
            ))}
          </tbody>
        </table>
      )}
      <AddUserForm onAdded={add} />
    </div>
  );
}
