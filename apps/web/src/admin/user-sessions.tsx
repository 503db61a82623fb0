import { useEffect, useState, type ReactNode } from 'react';
import { useLanguage, useT } from '../i18n';
import { formatMessageTime } from '../inbox/format';
import { describeUserError } from './role-picker';
import { endSessions, listSessions, type StaffSession, type StaffUser } from './users-api';

/**
 * Where a staff account is signed in, and a button that ends those sessions on every server (SEC-07). For the admin's
 * own account it signs out everywhere else and keeps this browser.
 */
export function UserSessions({ user, isSelf, onError }: { user: StaffUser; isSelf: boolean; onError: (message: string) => void }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const [sessions, setSessions] = useState<StaffSession[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [ended, setEnded] = useState<number | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    listSessions(user.id, abort.signal).then(setSessions, (err: unknown) => {
      if (!abort.signal.aborted) {
        onError(describeUserError(err, t));
      }
    });
    return () => abort.abort();
  }, [user.id, onError, t]);

  const end = async () => {
    setBusy(true);
    try {
      // The list first, then the note: once "n ended" shows, the list is the one after ending.
      const n = await endSessions(user.id);
      setSessions(await listSessions(user.id));
      setEnded(n);
    } catch (err) {
      onError(describeUserError(err, t));
    } finally {
      setBusy(false);
    }
  };

  if (sessions === null) {
    return <p role="status">{t('state.loading')}</p>;
  }
  const others = sessions.filter((s) => !s.current);
  return (
    <section className="user-sessions" aria-label={t('users.sessions.title', { name: user.name })} data-testid="user-sessions">
      <h3 className="user-sessions__title">{t('users.sessions.title', { name: user.name })}</h3>
      {sessions.length === 0 ? (
        <p className="muted">{t('users.sessions.none')}</p>
      ) : (
        <ul className="user-sessions__list">
          {sessions.map((s) => (
            <li key={`${s.startedAt}-${s.ip ?? ''}-${s.userAgent ?? ''}`} data-testid="user-session">
              {t('users.sessions.entry', { started: formatMessageTime(s.startedAt, language), seen: formatMessageTime(s.lastSeenAt, language), ip: s.ip ?? t('users.sessions.unknownIp') })}
              {s.current ? <strong> · {t('users.sessions.current')}</strong> : null}
              {s.userAgent ? <span className="muted user-sessions__agent">{s.userAgent}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 ? (
        <button type="button" className="button button--quiet" disabled={busy} onClick={() => void end()} data-testid="end-sessions">
          {isSelf ? t('users.sessions.endOthers') : t('users.sessions.endAll')}
        </button>
      ) : null}
      {ended !== null ? (
        <p role="status" data-testid="sessions-ended">
          {t('users.sessions.ended', { count: String(ended) })}
        </p>
      ) : null}
    </section>
  );
}
