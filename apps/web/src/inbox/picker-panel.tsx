import { useEffect, useId, useState, type ReactNode } from 'react';
import { ApiError } from '../auth/api-client';
import { useT } from '../i18n';
import type { AgentMessage } from './composer-api';
import { useCannedSearch, useLibrarySearch } from './composer-queries';

type Entry = { id: string; title: string; detail: string; extra?: string };

/**
 * Picks an approved library item or a canned answer and sends it as it is (the approved wording, in the contact's
 * language). A search waits a moment after typing.
 */
export function PickerPanel({ kind, language, busy, onSend, onClose }: { kind: 'content' | 'canned'; language: string; busy: boolean; onSend: (message: AgentMessage) => void; onClose: () => void }): ReactNode {
  const t = useT();
  const searchId = useId();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const library = useLibrarySearch(q, language, kind === 'content');
  const canned = useCannedSearch(q, language, kind === 'canned');
  const query = kind === 'content' ? library : canned;
  const entries: Entry[] =
    kind === 'content'
      ? (library.data ?? []).map((item) => ({ id: item.id, title: item.title, detail: item.snippet, extra: item.topic.title ?? undefined }))
      : (canned.data ?? []).map((answer) => ({ id: answer.id, title: answer.title, detail: answer.text }));
  const message = (id: string): AgentMessage => (kind === 'content' ? { kind: 'item', itemId: id, language } : { kind: 'canned', id, language });

  return (
    <div className="picker" data-testid={`${kind}-picker`}>
      <div className="picker__head">
        <p className="picker__title">{t(kind === 'content' ? 'ic.content.title' : 'ic.canned.title')}</p>
        <button type="button" className="link-button" onClick={onClose}>
          {t('action.close')}
        </button>
      </div>
      <label className="visually-hidden" htmlFor={searchId}>
        {t(kind === 'content' ? 'ic.content.search' : 'ic.canned.search')}
      </label>
      <input id={searchId} type="search" className="picker__search" placeholder={t(kind === 'content' ? 'ic.content.search' : 'ic.canned.search')} value={typed} data-testid="picker-search" onChange={(e) => setTyped(e.target.value)} />
      {query.error ? (
        <p className="field__error" role="alert">
          {t('ic.picker.error', { message: query.error instanceof ApiError ? query.error.message : String(query.error) })}
        </p>
      ) : query.isLoading ? (
        <p className="picker__note" role="status">
          {t('ic.picker.loading')}
        </p>
      ) : entries.length === 0 ? (
        <p className="picker__note">{t(kind === 'content' ? 'ic.content.empty' : 'ic.canned.empty')}</p>
      ) : (
        <ul className="picker__list">
          {entries.map((entry) => (
            <li key={entry.id} className="picker__item" data-testid="picker-item" data-id={entry.id}>
              <div className="picker__text">
                <p className="picker__item-title">
                  {entry.title}
                  {entry.extra ? <span className="picker__topic"> · {entry.extra}</span> : null}
                </p>
                <p className="picker__detail">{entry.detail}</p>
              </div>
              <button type="button" className="button button--quiet" disabled={busy} data-testid="picker-send" onClick={() => onSend(message(entry.id))}>
                {t(kind === 'content' ? 'ic.content.send' : 'ic.canned.use')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
