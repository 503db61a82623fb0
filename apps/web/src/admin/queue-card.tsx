import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, type FormEvent, type ReactNode } from 'react';
import { ROLES, type Role } from '../auth/auth-api';
import { useLanguage, useT } from '../i18n';
import type { InboxPerson, InboxQueue } from '../inbox/inbox-api';
import { inboxKeys } from '../inbox/inbox-queries';
import { queueName } from '../inbox/list-filters';
import { describeQueueError, diffMembers, hasChanges, memberOptions, type MemberOption } from './queue-members';
import { setQueueMembers } from './queues-api';

type Props = {
  queue: InboxQueue;
  people: InboxPerson[];
  /** The ids checked now (the unsaved choice, else the saved members). */
  chosen: readonly string[];
  onToggle: (userId: string, checked: boolean) => void;
  /** The queue was saved: its unsaved choice is done with. */
  onSaved: (queueId: string) => void;
};

/**
 * One queue: its name, SLA and waiting count, and the people who can take conversations as checkboxes (checked =
 * member). Saving sends the whole membership; a refusal is shown in words and the choice stays.
 */
export function QueueCard({ queue, people, chosen, onToggle, onSaved }: Props): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const id = useId();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (userIds: readonly string[]) => setQueueMembers(queue.id, userIds),
    onSuccess: (saved) => {
      // The saved queue at once (no flash of the old members), then everything that counts members afresh.
      client.setQueryData<InboxQueue[]>(inboxKeys.queues, (list) => list?.map((q) => (q.id === saved.id ? saved : q)));
      onSaved(saved.id);
      void client.invalidateQueries({ queryKey: inboxKeys.queues });
      void client.invalidateQueries({ queryKey: inboxKeys.people });
    },
  });
  const name = queueName(queue, language);
  const options = memberOptions(people, queue);
  const diff = diffMembers(
    queue.members.map((m) => m.id),
    chosen,
  );
  const changed = hasChanges(diff);
  const nameOf = (userId: string): string => options.find((o) => o.id === userId)?.name ?? userId;

  const toggle = (userId: string, checked: boolean): void => {
    save.reset();
    onToggle(userId, checked);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (changed && !save.isPending) {
      save.mutate(chosen);
    }
  };

  return (
    <section className="card queue" aria-labelledby={`${id}-name`} data-testid="queue" data-queue={queue.id}>
      <div className="queue__head">
        <h3 id={`${id}-name`}>{name}</h3>
        <ul className="queue__facts">
          <li data-testid="queue-sla">{queue.slaMinutes === null ? t('queues.noSla') : t('queues.sla', { minutes: queue.slaMinutes })}</li>
          <li className={queue.slaBreached ? 'queue__late' : undefined} data-testid="queue-waiting">
            {t('queues.waiting', { count: queue.waiting })}
          </li>
          {queue.autoAssign ? <li>{t('queues.autoAssign')}</li> : null}
        </ul>
      </div>
      {queue.defined ? (
        <form className="queue__form" onSubmit={onSubmit}>
          <fieldset className="queue__members" disabled={save.isPending} data-testid="queue-members">
            <legend>
              {t('queues.members')}
              <span className="visually-hidden"> – {name}</span>
            </legend>
            {options.length === 0 ? <p className="muted">{t('queues.noPeople')}</p> : null}
            {options.map((option) => (
              <MemberCheckbox key={option.id} option={option} checked={chosen.includes(option.id)} inputId={`${id}-${option.id}`} onChange={(checked) => toggle(option.id, checked)} />
            ))}
          </fieldset>
          {chosen.length === 0 ? (
            <p className="inline-notice inline-notice--error" data-testid="queue-no-members">
              <span aria-hidden="true">⚠ </span>
              {t('queues.noMembers')}
            </p>
          ) : null}
          <div className="queue__actions">
            <button type="submit" className="button" disabled={!changed || save.isPending} data-testid="queue-save">
              {save.isPending ? t('queues.saving') : t('queues.save')}
            </button>
            <p className="queue__state muted" role="status" data-testid="queue-state">
              {changed ? t('queues.unsaved', { added: diff.added.length, removed: diff.removed.length }) : save.isSuccess ? t('queues.saved') : ''}
            </p>
          </div>
          {save.isError ? (
            <p className="field__error" role="alert" data-testid="queue-error">
              {describeQueueError(save.error, t, nameOf)}
            </p>
          ) : null}
        </form>
      ) : (
        <p className="muted" data-testid="queue-undefined">
          {t('queues.undefined')}
        </p>
      )}
    </section>
  );
}

const ROLE_NAMES: readonly string[] = ROLES;

function isRole(role: string): role is Role {
  return ROLE_NAMES.includes(role);
}

function MemberCheckbox({ option, checked, inputId, onChange }: { option: MemberOption; checked: boolean; inputId: string; onChange: (checked: boolean) => void }): ReactNode {
  const t = useT();
  const about = option.available
    ? [...option.roles.filter(isRole).map((role) => t(`role.${role}`)), t('queues.open', { count: option.openConversations ?? 0 })].join(' · ')
    : t('queues.memberUnavailable');
  return (
    <div className="queue__person" data-testid="queue-person" data-user={option.id}>
      <input id={inputId} type="checkbox" checked={checked} aria-describedby={`${inputId}-about`} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={inputId}>{option.name}</label>
      <span id={`${inputId}-about`} className={option.available ? 'muted' : 'queue__unavailable'}>
        {about}
      </span>
    </div>
  );
}
