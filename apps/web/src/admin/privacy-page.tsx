import { VERIFICATION_METHODS, type VerificationMethod } from '@parley/contracts';
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../auth/api-client';
import { useLanguage, useT, type Translate } from '../i18n';
import { formatMessageTime } from '../inbox/format';
import {
  answerRequest,
  extendRequest,
  listRequests,
  openRequest,
  refuseRequest,
  type RequestCase,
  verifyRequest,
} from './privacy-api';

/**
 * Access requests (GDPR-17) for the data protection team (admin and compliance): log a request with when it came
 * in, verify who is asking, answer it with the export, extend the deadline or refuse — the nearest deadline first,
 * overdue ones marked.
 */
export function PrivacyPage(): ReactNode {
  const t = useT();
  const [all, setAll] = useState(false);
  const [cases, setCases] = useState<RequestCase[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(
    (signal?: AbortSignal) =>
      listRequests(all, signal).then(setCases, (err: unknown) => {
        if (!signal?.aborted) {
          setError(describe(err, t));
        }
      }),
    [all, t],
  );
  useEffect(() => {
    const controller = new AbortController();
    void reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  /** Runs a step, then shows the list as it is now; whether the step worked (a form keeps its input if not). */
  const act = async (step: () => Promise<unknown>, done?: string): Promise<boolean> => {
    setError(null);
    setNotice(null);
    let ok = false;
    try {
      await step();
      ok = true;
      if (done) {
        setNotice(done);
      }
    } catch (err) {
      setError(describe(err, t));
    }
    await reload();
    return ok;
  };

  return (
    <div className="staff-page" data-testid="privacy-page">
      <h2>{t('privacy.title')}</h2>
      <p className="muted">{t('privacy.intro')}</p>
      <OpenRequestForm onOpen={(contact, receivedAt) => act(() => openRequest(contact, receivedAt))} />
      {error ? (
        <p className="field__error" role="alert" data-testid="privacy-error">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p role="status" data-testid="privacy-notice">
          {notice}
        </p>
      ) : null}
      <label className="checkbox">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="privacy-all" /> {t('privacy.showAll')}
      </label>
      {cases === null ? (
        <p role="status">{t('state.loading')}</p>
      ) : cases.length === 0 ? (
        <p data-testid="privacy-none">{t('privacy.none')}</p>
      ) : (
        <table className="table" data-testid="privacy-table">
          <thead>
            <tr>
              <th scope="col">{t('privacy.col.contact')}</th>
              <th scope="col">{t('privacy.col.received')}</th>
              <th scope="col">{t('privacy.col.due')}</th>
              <th scope="col">{t('privacy.col.status')}</th>
              <th scope="col">{t('privacy.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <RequestRow key={c.id} c={c} act={act} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function OpenRequestForm({ onOpen }: { onOpen: (contact: string, receivedAt: string | undefined) => Promise<boolean> }): ReactNode {
  const t = useT();
  const [contact, setContact] = useState('');
  const [received, setReceived] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // `datetime-local` is the browser's local time; the API takes an instant.
    void onOpen(contact.trim(), received ? new Date(received).toISOString() : undefined).then((ok) => {
      if (ok) {
        setContact('');
        setReceived('');
      }
    });
  };
  return (
    <form className="card privacy-open" onSubmit={submit} data-testid="privacy-open">
      <h3>{t('privacy.open.title')}</h3>
      <label className="field">
        <span className="field__label">{t('privacy.open.contact')}</span>
        <input value={contact} onChange={(e) => setContact(e.target.value)} required data-testid="privacy-open-contact" />
      </label>
      <label className="field">
        <span className="field__label">{t('privacy.open.received')}</span>
        <input type="datetime-local" value={received} onChange={(e) => setReceived(e.target.value)} data-testid="privacy-open-received" />
      </label>
      <button type="submit" className="button" data-testid="privacy-open-submit">
        {t('privacy.open.submit')}
      </button>
    </form>
  );
}

type Act = (step: () => Promise<unknown>, done?: string) => Promise<boolean>;

function RequestRow({ c, act }: { c: RequestCase; act: Act }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const [method, setMethod] = useState<VerificationMethod>('known_channel');
  const [form, setForm] = useState<'extend' | 'refuse' | null>(null);
  const [months, setMonths] = useState(1);
  const [reason, setReason] = useState('');
  const pending = c.status === 'open' || c.status === 'verified';
  const deadline = pending ? (c.overdue ? t('privacy.overdue', { days: -c.daysLeft }) : t('privacy.daysLeft', { days: c.daysLeft })) : null;
  const submitForm = (e: FormEvent) => {
    e.preventDefault();
    const text = reason.trim();
    void act(() => (form === 'extend' ? extendRequest(c.id, months, text) : refuseRequest(c.id, text))).then((ok) => ok && setForm(null));
  };
  return (
    <tr data-testid="privacy-row" data-id={c.id} data-status={c.status} data-overdue={String(c.overdue)}>
      <td className="privacy-row__contact">{c.contactId}</td>
      <td>{formatMessageTime(c.receivedAt, language)}</td>
      <td>
        {formatMessageTime(c.dueAt, language)}
        {deadline ? <span className={c.overdue ? 'privacy-row__late' : 'muted'} data-testid="privacy-deadline"> · {deadline}</span> : null}
        {c.extensionMonths > 0 ? <span className="muted"> · {t('privacy.extended', { months: c.extensionMonths })}</span> : null}
      </td>
      <td data-testid="privacy-status">{t(`privacy.status.${c.status}`)}</td>
      <td className="row-actions">
        {c.status === 'open' ? (
          <span className="privacy-row__verify">
            <label>
              {t('privacy.verify')}{' '}
              <select value={method} onChange={(e) => setMethod(e.target.value as VerificationMethod)} data-testid="privacy-method">
                {VERIFICATION_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {t(`privacy.method.${m}`)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button" onClick={() => void act(() => verifyRequest(c.id, method))} data-testid="privacy-verify">
              {t('privacy.verify.submit')}
            </button>
          </span>
        ) : null}
        {c.status === 'verified' ? (
          <button type="button" className="button" onClick={() => void act(() => answerRequest(c, language), t('privacy.answered'))} data-testid="privacy-answer">
            {t('privacy.answer')}
          </button>
        ) : null}
        {pending && form === null ? (
          <>
            <button type="button" className="button button--quiet" onClick={() => setForm('extend')} disabled={c.extensionMonths >= 2} data-testid="privacy-extend-open">
              {t('privacy.extend')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setForm('refuse')} data-testid="privacy-refuse-open">
              {t('privacy.refuse')}
            </button>
          </>
        ) : null}
        {form ? (
          <form className="privacy-row__form" onSubmit={submitForm}>
            {form === 'extend' ? (
              <select value={months} onChange={(e) => setMonths(Number(e.target.value))} data-testid="privacy-months">
                {[1, 2].filter((m) => c.extensionMonths + m <= 2).map((m) => (
                  <option key={m} value={m}>
                    {t('privacy.extend.months', { months: m })}
                  </option>
                ))}
              </select>
            ) : null}
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              placeholder={t(form === 'extend' ? 'privacy.reason' : 'privacy.refuse.reason')}
              aria-label={t(form === 'extend' ? 'privacy.reason' : 'privacy.refuse.reason')}
              data-testid="privacy-reason"
            />
            <button type="submit" className="button" data-testid="privacy-form-submit">
              {t(form === 'extend' ? 'privacy.extend' : 'privacy.refuse')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setForm(null)}>
              {t('privacy.cancel')}
            </button>
          </form>
        ) : null}
      </td>
    </tr>
  );
}

/** The refusals a person can act on, in their language; anything else with the server's words. */
const KNOWN_ERRORS = [
  'privacy_request.extension_too_late',
  'privacy_request.extension_limit',
  'privacy_request.not_verified',
  'privacy_request.closed',
  'privacy_request.received_at',
  'contact.not_found',
  'contact.ambiguous',
] as const;

function describe(err: unknown, t: Translate): string {
  const known = err instanceof ApiError ? KNOWN_ERRORS.find((code) => code === err.code) : undefined;
  if (known) {
    return t(`privacy.error.${known}`);
  }
  return t('privacy.error', { message: err instanceof Error ? err.message : String(err) });
}
