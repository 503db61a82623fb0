import type { MouseEvent, ReactNode } from 'react';
import { useCurrentUser } from '../auth/session';
import { useLanguage, useT } from '../i18n';
import { navigate } from '../router';
import { currentWait, formatDuration, formatMessageTime, previewLine } from './format';
import type { ConversationSummary, InboxQueue } from './inbox-api';
import { queueName } from './list-filters';
import type { ListRow } from './list-merge';

/** Where a conversation opens. */
export function conversationHref(id: string): string {
  return `/inbox/${encodeURIComponent(id)}`;
}

/**
 * One row of the list: who, the latest message (as text), the owner, how long the contact has waited (red past the
 * queue's SLA) and how many of their messages nobody has read. Fixed height, for the virtualised list.
 */
export function ConversationRow({ item, queue, now, selected }: { item: ListRow; queue: InboxQueue | undefined; now: number; selected: boolean }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const { row, fetchedAt } = item;
  const wait = currentWait(row, fetchedAt, now, queue?.slaMinutes);
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(conversationHref(row.id));
  };
  return (
    <a
      href={conversationHref(row.id)}
      className={`inbox-row${row.unreadCount > 0 ? ' inbox-row--unread' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid="conversation-row"
      data-id={row.id}
      data-state={row.state}
      onClick={onClick}
    >
      <span className="inbox-row__top">
        <span className="inbox-row__name">{row.contact.name ?? `+${row.contact.address}`}</span>
        <span className="inbox-row__time">{formatMessageTime(row.lastActivityAt, language, new Date(now))}</span>
      </span>
      <span className="inbox-row__line">
        <span className="inbox-row__preview">
          {row.lastMessage ? `${row.lastMessage.direction === 'out' ? '↪ ' : ''}${previewLine(row.lastMessage, t)}` : t('inbox.row.noMessages')}
        </span>
        {row.unreadCount > 0 ? (
          <span className="inbox-unread" data-testid="row-unread" title={t('inbox.row.unread', { count: row.unreadCount })}>
            {row.unreadCount}
            <span className="visually-hidden">{` ${t('inbox.row.unread', { count: row.unreadCount })}`}</span>
          </span>
        ) : null}
      </span>
      <span className="inbox-row__meta">
        <OwnerChip row={row} />
        {row.queue ? <span className="inbox-row__queue">{queueName(queue, language, row.queue)}</span> : null}
        <span className="inbox-row__channel">{row.channel.kind}</span>
        {wait ? (
          <span className={`inbox-wait${wait.late ? ' inbox-wait--late' : ''}`} data-testid="row-waiting" data-late={wait.late ? 'true' : 'false'}>
            {t('inbox.row.waiting', { time: formatDuration(wait.seconds, t) })}
            {wait.late ? <span className="visually-hidden">{` · ${t('inbox.row.late')}`}</span> : null}
          </span>
        ) : null}
      </span>
    </a>
  );
}

/** The owner as a coloured chip: bot, waiting, with whom, resolved. */
export function OwnerChip({ row }: { row: Pick<ConversationSummary, 'state' | 'assignee'> }): ReactNode {
  const t = useT();
  const me = useCurrentUser();
  const label =
    row.state === 'agent'
      ? t('inbox.state.agent', { name: row.assignee?.id === me?.id ? t('inbox.row.you') : (row.assignee?.name ?? t('inbox.someone')) })
      : t(`inbox.state.${row.state}`);
  return (
    <span className={`inbox-state inbox-state--${row.state}`} data-testid="owner-chip" data-state={row.state}>
      {label}
    </span>
  );
}
