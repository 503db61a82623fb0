import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Role } from '../auth/auth-api';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import { describeUserError, RolePicker } from './role-picker';
import { createUser, type StaffUser } from './users-api';

type Created = { email: string; password: string | undefined };

/**
 * Adds a user. The fields are a draft that survives the sign-in form (a session that ends while typing loses
 * nothing); the generated password is shown once, for the admin to pass on.
 */
export function AddUserForm({ onAdded }: { onAdded: (user: StaffUser) => void }): ReactNode {
  const t = useT();
  const ids = { email: useId(), name: useId(), error: useId() };
  const [draft, setDraft, clearDraft] = useDraft<{ email: string; name: string; roles: Role[] }>('users.add', { email: '', name: '', roles: ['agent'] });
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (draft.roles.length === 0) {
      setError(t('users.noRole'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await createUser({ email: draft.email.trim(), name: draft.name.trim(), roles: draft.roles });
      setCreated({ email: result.user.email, password: result.password });
      clearDraft();
      onAdded(result.user);
    } catch (err) {
      setError(describeUserError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${ids.email}-title`}>
      <h3 id={`${ids.email}-title`}>{t('users.addTitle')}</h3>
      <form className="form form--inline" onSubmit={(event) => void onSubmit(event)} data-testid="add-user-form">
        <div className="field">
          <label htmlFor={ids.email}>{t('users.email')}</label>
          <input id={ids.email} type="email" required autoComplete="off" value={draft.email} data-testid="add-user-email" onChange={(event) => setDraft({ ...draft, email: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.name}>{t('users.name')}</label>
          <input id={ids.name} required autoComplete="off" value={draft.name} data-testid="add-user-name" onChange={(event) => setDraft({ ...draft, name: event.target.value })} />
        </div>
        <RolePicker value={draft.roles} onChange={(roles) => setDraft({ ...draft, roles })} legend={t('users.roles')} testId="add-user-roles" />
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy} data-testid="add-user-submit">
            {t('users.add')}
          </button>
        </div>
      </form>
      {error ? (
        <p id={ids.error} className="field__error" role="alert" data-testid="add-user-error">
          {error}
        </p>
      ) : null}
      {created?.password ? (
        <div className="secret" role="status" data-testid="new-user-password">
          <p>{t('users.created', { email: created.email })}</p>
          <code>{created.password}</code>
        </div>
      ) : null}
    </section>
  );
}
