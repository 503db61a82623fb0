import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useT } from '../i18n';
import { isValidWaId, type Identity } from './chat-store';

type Props = { identity: Identity; onChange: (identity: Identity) => void };

/** Edits who the simulated user is; another number simulates another user with a chat of its own. */
export function IdentityForm({ identity, onChange }: Props): ReactNode {
  const t = useT();
  const ids = { waId: useId(), name: useId(), error: useId(), hint: useId() };
  const [draft, setDraft] = useState(identity);
  const [invalid, setInvalid] = useState(false);

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const waId = draft.waId.replace(/[\s+\-()]/g, '');
    if (!isValidWaId(waId)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    onChange({ waId, name: draft.name.trim() });
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="identity-form">
      <div className="field">
        <label htmlFor={ids.waId}>{t('identity.waId')}</label>
        <input
          id={ids.waId}
          inputMode="numeric"
          autoComplete="off"
          value={draft.waId}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? `${ids.error} ${ids.hint}` : ids.hint}
          onChange={(event) => setDraft({ ...draft, waId: event.target.value })}
        />
        {invalid ? (
          <p id={ids.error} className="field__error" role="alert">
            {t('identity.invalid')}
          </p>
        ) : null}
        <p id={ids.hint} className="field__hint">
          {t('panel.identityHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.name}>{t('identity.name')}</label>
        <input id={ids.name} autoComplete="off" value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button">
          {t('identity.apply')}
        </button>
      </div>
    </form>
  );
}
