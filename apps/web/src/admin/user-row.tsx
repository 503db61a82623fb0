import { Fragment, useState, type ReactNode } from 'react';
import type { Role } from '../auth/auth-api';
import { useT } from '../i18n';
import { describeUserError, RolePicker } from './role-picker';
import { UserSessions } from './user-sessions';
import { type StaffUser, updateUser } from './users-api';

type Props = { user: StaffUser; isSelf: boolean; onChanged: (user: StaffUser) => void; onError: (message: string) => void };

/** One user: roles (editable), status, disable or enable, and where they are signed in (below the row, on demand). */
export function UserRow({ user, isSelf, onChanged, onError }: Props): ReactNode {
  const t = useT();
  const [editing, setEditing] = useState<Role[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [showSessions, setShowSessions] = useState(false);

  const change = async (body: { roles?: Role[]; disabled?: boolean }): Promise<void> => {
    setBusy(true);
    try {
      onChanged(await updateUser(user.id, body));
      setEditing(null);
    } catch (err) {
      onError(describeUserError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Fragment>
    <tr data-testid="user-row" data-email={user.email}>
      <td>
        {user.name} {isSelf ? <span className="muted">{t('users.you')}</span> : null}
      </td>
      <td>{user.email}</td>
      <td>
        {editing ? (
          <RolePicker value={editing} onChange={setEditing} legend={t('users.roles')} testId="edit-roles" />
        ) : (
          <span data-testid="user-roles">{user.roles.map((role) => t(`role.${role}`)).join(', ')}</span>
        )}
      </td>
      <td data-testid="user-status">{user.disabled ? t('users.disabled') : t('users.active')}</td>
      <td className="row-actions">
        {editing ? (
          <>
            <button type="button" className="button" disabled={busy || editing.length === 0} onClick={() => void change({ roles: editing })} data-testid="save-roles">
              {t('users.saveRoles')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setEditing(null)}>
              {t('action.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button button--quiet" disabled={busy} onClick={() => setEditing(user.roles)} data-testid="edit-roles-open">
              {t('users.editRoles')}
            </button>
            <button type="button" className="button button--quiet" disabled={busy} onClick={() => void change({ disabled: !user.disabled })} data-testid={user.disabled ? 'enable-user' : 'disable-user'}>
              {user.disabled ? t('users.enable') : t('users.disable')}
            </button>
            <button type="button" className="button button--quiet" aria-expanded={showSessions} onClick={() => setShowSessions((v) => !v)} data-testid="sessions-toggle">
              {t('users.sessions')}
            </button>
          </>
        )}
      </td>
    </tr>
    {showSessions ? (
      <tr className="user-row__details">
        <td colSpan={5}>
          <UserSessions user={user} isSelf={isSelf} onError={onError} />
        </td>
      </tr>
    ) : null}
    </Fragment>
  );
}
