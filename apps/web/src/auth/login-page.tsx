import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useT } from '../i18n';
import { useDemoConfig } from '../simulator/use-demo-config';
import { ApiError } from './api-client';
import { signIn, type SessionUser } from './auth-api';
import { useSession } from './session';

type Props = {
  /** The session ran out: say so, and that nothing typed was lost. */
  ended?: boolean;
  /** Called after signing in (the page that asked for it shows itself again). */
  onSignedIn?: (user: SessionUser) => void;
};

/**
 * The sign-in form. Every failure of e-mail or password shows the same text (the server says no more either);
 * too many attempts show when to try again.
 */
export function LoginPage({ ended = false, onSignedIn }: Props): ReactNode {
  const t = useT();
  const { signedIn } = useSession();
  const ids = { email: useId(), password: useId(), error: useId() };
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const demo = useDemoConfig();

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(email, password);
      setPassword('');
      signedIn(user);
      onSignedIn?.(user);
    } catch (err) {
      setError(messageFor(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="login" aria-labelledby={`${ids.email}-title`}>
      <h2 id={`${ids.email}-title`}>{t('login.title')}</h2>
      {ended ? (
        <p className="login__ended" role="status" data-testid="session-ended">
          {t('login.ended')}
        </p>
      ) : null}
      <form className="form" onSubmit={(event) => void onSubmit(event)} data-testid="login-form">
        <div className="field">
          <label htmlFor={ids.email}>{t('login.email')}</label>
          <input id={ids.email} type="email" autoComplete="username" required value={email} data-testid="login-email" onChange={(event) => setEmail(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>{t('login.password')}</label>
          <input
            id={ids.password}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            data-testid="login-password"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? ids.error : undefined}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        {error ? (
          <p id={ids.error} className="field__error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy} data-testid="login-submit">
            {busy ? t('login.busy') : t('login.submit')}
          </button>
        </div>
      </form>
      {demo.status === 'ready' && demo.config.demo ? <p className="field__hint">{t('login.demoHint')}</p> : null}
    </section>
  );
}

function messageFor(err: unknown, t: ReturnType<typeof useT>): string {
  if (err instanceof ApiError && err.code === 'auth.invalid_credentials') {
    return t('login.invalid');
  }
  if (err instanceof ApiError && err.code === 'auth.rate_limited') {
    return t('login.rateLimited', { minutes: Math.max(1, Math.ceil((err.retryAfterSeconds ?? 60) / 60)) });
  }
  return t('login.failed');
}
