import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useCurrentUser } from '../auth/session';
import { useLanguage, useT } from '../i18n';
import type { ConversationSummary, OwnershipMove } from './inbox-api';
import { usePeople, useQueues } from './inbox-queries';
import { queueName } from './list-filters';

/**
 * Where the conversation goes: a person (with how many open conversations each has) or, for a conversation that
 * waits or is with someone, a queue. From the bot or resolved it can only be given to a person (assign).
 */
export function TransferForm({ row, busy, onSubmit, onCancel }: { row: ConversationSummary; busy: boolean; onSubmit: (move: OwnershipMove) => void; onCancel: () => void }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const me = useCurrentUser();
  const ids = { person: useId(), queue: useId() };
  const people = (usePeople().data ?? []).filter((person) => person.id !== row.assignee?.id);
  const queues = (useQueues().data ?? []).filter((queue) => queue.defined && !(row.state === 'queued' && queue.id === row.queue));
  const transfer = row.state === 'agent' || row.state === 'queued';
  const [target, setTarget] = useState<{ userId: string } | { queue: string } | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!target) {
      return;
    }
    if (!transfer && 'userId' in target) {
      onSubmit({ kind: 'assign', userId: target.userId });
    } else {
      onSubmit({ kind: 'transfer', to: target });
    }
  };

  return (
    <form className="transfer" onSubmit={submit} data-testid="transfer-form">
      <p className="transfer__title">{transfer ? t('inbox.transfer.title') : t('inbox.transfer.assignTitle')}</p>
      <div className="field">
        <label htmlFor={ids.person}>{t('inbox.transfer.person')}</label>
        <select
          id={ids.person}
          value={target && 'userId' in target ? target.userId : ''}
          data-testid="transfer-person"
          onChange={(e) => setTarget(e.target.value ? { userId: e.target.value } : null)}
        >
          <option value="">{t('inbox.transfer.choose')}</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {t('inbox.transfer.open', { name: person.id === me?.id ? `${person.name} (${t('inbox.row.you')})` : person.name, count: person.openConversations })}
            </option>
          ))}
        </select>
      </div>
      {transfer ? (
        <div className="field">
          <label htmlFor={ids.queue}>{t('inbox.transfer.queue')}</label>
          <select id={ids.queue} value={target && 'queue' in target ? target.queue : ''} data-testid="transfer-queue" onChange={(e) => setTarget(e.target.value ? { queue: e.target.value } : null)}>
            <option value="">{t('inbox.transfer.choose')}</option>
            {queues.map((queue) => (
              <option key={queue.id} value={queue.id}>
                {queueName(queue, language)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="form__actions">
        <button type="button" className="button button--quiet" onClick={onCancel}>
          {t('action.cancel')}
        </button>
        <button type="submit" className="button" disabled={busy || !target} data-testid="transfer-submit">
          {transfer ? t('inbox.transfer.submit') : t('inbox.transfer.assignSubmit')}
        </button>
      </div>
    </form>
  );
}
