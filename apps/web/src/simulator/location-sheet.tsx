import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useT } from '../i18n';
import type { InboundContent } from './demo-api';
import { toLocationContent } from './inbound-content';
import { Sheet } from './sheet';

type Props = { onSend: (content: InboundContent) => void; onClose: () => void };

// A neutral default so one tap is enough; any point can be typed in.
const defaults = { name: 'Alexanderplatz, Berlin', latitude: '52.521918', longitude: '13.413215' };

/** Lets the simulated user share a location (name and coordinates). */
export function LocationSheet({ onSend, onClose }: Props): ReactNode {
  const t = useT();
  const ids = { name: useId(), latitude: useId(), longitude: useId(), error: useId() };
  const [draft, setDraft] = useState(defaults);
  const [invalid, setInvalid] = useState(false);

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const content = toLocationContent(Number(draft.latitude), Number(draft.longitude), draft.name);
    if (!content || draft.latitude.trim() === '' || draft.longitude.trim() === '') {
      setInvalid(true);
      return;
    }
    onSend(content);
    onClose();
  };

  const field = (key: keyof typeof defaults, label: string, mode: 'text' | 'decimal'): ReactNode => (
    <div className="field">
      <label htmlFor={ids[key]}>{label}</label>
      <input
        id={ids[key]}
        inputMode={mode}
        value={draft[key]}
        aria-invalid={invalid && key !== 'name' ? true : undefined}
        aria-describedby={invalid && key !== 'name' ? ids.error : undefined}
        onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
      />
    </div>
  );

  return (
    <Sheet title={t('location.title')} onClose={onClose} testId="location-sheet">
      <form className="form" onSubmit={onSubmit} noValidate>
        {field('name', t('location.name'), 'text')}
        {field('latitude', t('location.latitude'), 'decimal')}
        {field('longitude', t('location.longitude'), 'decimal')}
        {invalid ? (
          <p id={ids.error} className="field__error" role="alert">
            {t('location.invalid')}
          </p>
        ) : null}
        <div className="form__actions">
          <button type="button" className="button button--quiet" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="button" data-testid="location-send">
            {t('location.send')}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
