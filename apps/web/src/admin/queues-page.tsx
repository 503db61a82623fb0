import { useCallback, useRef, type ReactNode } from 'react';
import { useDraft } from '../drafts';
import { useT } from '../i18n';
import { usePeople, useQueues } from '../inbox/inbox-queries';
import { QueueCard } from './queue-card';
import { chosenMembers, describeQueueError, forgetDraft, toggleMember, type MemberDrafts } from './queue-members';

/**
 * The admin page that staffs the inbox's queues (docs/inbox.md "Queues"): every queue with its SLA and waiting
 * count, and who is a member. Unsaved choices are kept per queue until that queue is saved, also across the sign-in
 * form when the session ends. Shown to admins only.
 */
export function QueuesPage(): ReactNode {
  const t = useT();
  const queues = useQueues();
  const people = usePeople();
  const [drafts, setDrafts] = useDraft<MemberDrafts>('queues.members', {});
  // Every change goes through here, so a save that finishes later never undoes a change made meanwhile in another queue.
  const latest = useRef(drafts);
  const update = useCallback(
    (change: (current: MemberDrafts) => MemberDrafts) => {
      latest.current = change(latest.current);
      setDrafts(latest.current);
    },
    [setDrafts],
  );
  const error = queues.error ?? people.error;

  return (
    <div className="staff-page" data-testid="queues-page">
      <h2>{t('queues.title')}</h2>
      <p className="muted">{t('queues.intro')}</p>
      {error ? (
        <p className="field__error" role="alert" data-testid="queues-error">
          {describeQueueError(error, t)}
        </p>
      ) : null}
      {!queues.data || !people.data ? (
        error ? null : <p role="status">{t('state.loading')}</p>
      ) : queues.data.length === 0 ? (
        <p data-testid="queues-none">{t('queues.none')}</p>
      ) : (
        queues.data.map((queue) => (
          <QueueCard
            key={queue.id}
            queue={queue}
            people={people.data}
            chosen={chosenMembers(drafts, queue, people.data)}
            onToggle={(userId, checked) => update((current) => toggleMember(current, queue, userId, checked))}
            onSaved={(queueId) => update((current) => forgetDraft(current, queueId))}
          />
        ))
      )}
    </div>
  );
}
