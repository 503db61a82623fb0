import { useEffect, useId, useState, type ReactNode } from 'react';
import { useCurrentUser } from '../auth/session';
import { useLanguage, useT, type MessageKey } from '../i18n';
import type { InboxQueue, InboxView, ListFilters } from './inbox-api';
import { usePeople, useQueues } from './inbox-queries';

const VIEWS: readonly InboxView[] = ['mine', 'unassigned', 'queue', 'all', 'resolved'];

/** Channel kinds the filter offers (a channel id works too, through the API). */
const CHANNEL_KINDS: ReadonlyArray<{ kind: string; label: string }> = [
  { kind: 'whatsapp', label: 'WhatsApp' },
  { kind: 'sms', label: 'SMS' },
  { kind: 'telegram', label: 'Telegram' },
  { kind: 'webchat', label: 'Web chat' },
];

/**
 * The list's filters: the view as tabs (with how many wait and how many are mine), queue, channel, search and
 * order. Typing in the search waits a moment before it asks the server.
 */
export function ListFiltersBar({ filters, onChange }: { filters: ListFilters; onChange: (next: ListFilters) => void }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const ids = { queue: useId(), channel: useId(), search: useId(), sort: useId() };
  const queues = useQueues().data ?? [];
  const counts = useViewCounts(queues);
  const [search, setSearch] = useState(filters.q ?? '');

  useEffect(() => {
    const timer = setTimeout(() => {
      if ((filters.q ?? '') !== search.trim()) {
        onChange({ ...filters, q: search.trim() || undefined });
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [search, filters, onChange]);

  const chooseView = (view: InboxView) => {
    const queue = view === 'queue' ? (filters.queue ?? queues[0]?.id) : filters.queue;
    onChange({ ...filters, view, queue });
  };

  return (
    <div className="inbox-filters">
      <div className="inbox-tabs" role="group" aria-label={t('inbox.view.label')}>
        {VIEWS.map((view) => (
          <button key={view} type="button" className="inbox-tab" aria-pressed={filters.view === view} data-testid={`view-${view}`} onClick={() => chooseView(view)}>
            {t(`inbox.view.${view}` as MessageKey)}
            {counts[view] ? <span className="inbox-tab__count">{counts[view]}</span> : null}
          </button>
        ))}
      </div>
      <div className="inbox-filters__row">
        <label className="visually-hidden" htmlFor={ids.queue}>
          {t('inbox.filter.queue')}
        </label>
        <select id={ids.queue} value={filters.queue ?? ''} data-testid="filter-queue" onChange={(e) => onChange({ ...filters, queue: e.target.value || undefined, view: filters.view === 'queue' && !e.target.value ? 'all' : filters.view })}>
          {filters.view === 'queue' ? null : <option value="">{t('inbox.filter.anyQueue')}</option>}
          {queues.map((queue) => (
            <option key={queue.id} value={queue.id}>
              {queueName(queue, language)}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={ids.channel}>
          {t('inbox.filter.channel')}
        </label>
        <select id={ids.channel} value={filters.channel ?? ''} data-testid="filter-channel" onChange={(e) => onChange({ ...filters, channel: e.target.value || undefined })}>
          <option value="">{t('inbox.filter.anyChannel')}</option>
          {CHANNEL_KINDS.map((channel) => (
            <option key={channel.kind} value={channel.kind}>
              {channel.label}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={ids.sort}>
          {t('inbox.filter.sort')}
        </label>
        <select id={ids.sort} value={filters.sort ?? 'recent'} data-testid="filter-sort" onChange={(e) => onChange({ ...filters, sort: e.target.value === 'waiting' ? 'waiting' : 'recent' })}>
          <option value="recent">{t('inbox.sort.recent')}</option>
          <option value="waiting">{t('inbox.sort.waiting')}</option>
        </select>
      </div>
      <label className="visually-hidden" htmlFor={ids.search}>
        {t('inbox.filter.search')}
      </label>
      <input id={ids.search} type="search" className="inbox-filters__search" placeholder={t('inbox.filter.searchPlaceholder')} value={search} data-testid="filter-search" onChange={(e) => setSearch(e.target.value)} />
    </div>
  );
}

/** A queue's name in the app's language (else German, else its id). */
export function queueName(queue: Pick<InboxQueue, 'id' | 'name'> | undefined, language: string, fallback?: string): string {
  if (!queue) {
    return fallback ?? '';
  }
  return queue.name[language] ?? queue.name.de ?? queue.name.en ?? queue.id;
}

/** How many conversations wait (all queues) and how many are with me: the numbers on the tabs. */
function useViewCounts(queues: InboxQueue[]): Partial<Record<InboxView, number>> {
  const me = useCurrentUser();
  const people = usePeople().data ?? [];
  const mine = people.find((person) => person.id === me?.id)?.openConversations ?? 0;
  const waiting = queues.reduce((sum, queue) => sum + queue.waiting, 0);
  return { mine, unassigned: waiting };
}
