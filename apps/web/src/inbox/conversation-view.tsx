import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../auth/api-client';
import { useCurrentUser } from '../auth/session';
import { useLanguage, useT } from '../i18n';
import { navigate, PATHS } from '../router';
import { OwnerChip } from './conversation-row';
import { currentWait, formatDuration } from './format';
import { History } from './history';
import { markRead, type ConversationSummary } from './inbox-api';
import { useConversation, useQueues } from './inbox-queries';
import { queueName } from './list-filters';
import { OwnershipActions } from './ownership-actions';
import { useNow } from './use-now';

/**
 * One conversation: who and where, its owner and the moves, the whole history, and (below) the composer. The
 * contact's messages count as read once the agent who has the conversation sees them.
 */
export function ConversationView({ id, composer }: { id: string; composer?: (row: ConversationSummary) => ReactNode }): ReactNode {
  const t = useT();
  const detail = useConversation(id);
  useMarkRead(detail.data?.conversation);
  if (detail.error && !detail.data) {
    // 404: no such conversation for this person — also one whose contact's processing was just restricted (GDPR-20).
    const gone = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <p className="inline-notice inline-notice--error inbox__placeholder" role="alert" data-testid="conversation-unavailable">
        {gone ? t('inbox.conv.unavailable') : t('inbox.conv.loadError', { message: detail.error instanceof ApiError ? detail.error.message : String(detail.error) })}
      </p>
    );
  }
  if (!detail.data) {
    return (
      <p className="inbox__placeholder" role="status">
        {t('state.loading')}
      </p>
    );
  }
  const row = detail.data.conversation;
  return (
    <>
      <ConversationHeader row={row} fetchedAt={detail.dataUpdatedAt} />
      <History detail={detail.data} />
      {composer ? composer(row) : null}
    </>
  );
}

function ConversationHeader({ row, fetchedAt }: { row: ConversationSummary; fetchedAt: number }): ReactNode {
  const t = useT();
  const { language } = useLanguage();
  const queue = useQueues().data?.find((q) => q.id === row.queue);
  const now = useNow(15_000);
  const wait = currentWait(row, fetchedAt, now, queue?.slaMinutes);
  return (
    <header className="conv-head" data-testid="conversation-head" data-state={row.state}>
      <button type="button" className="link-button conv-head__back" onClick={() => navigate(PATHS.inbox)}>
        {t('inbox.conv.back')}
      </button>
      <div className="conv-head__who">
        <h2 className="conv-head__name" data-testid="conversation-name">
          {row.contact.name ?? `+${row.contact.address}`}
        </h2>
        <p className="conv-head__meta">
          <span>+{row.contact.address}</span>
          <span>{row.channel.name || row.channel.kind}</span>
          <OwnerChip row={row} />
          {row.queue ? <span>{t('inbox.conv.queue', { queue: queueName(queue, language, row.queue) })}</span> : null}
          {wait ? (
            <span className={`inbox-wait${wait.late ? ' inbox-wait--late' : ''}`} data-late={wait.late ? 'true' : 'false'}>
              {t('inbox.row.waiting', { time: formatDuration(wait.seconds, t) })}
              {wait.late ? ` · ${t('inbox.row.late')}` : ''}
            </span>
          ) : null}
        </p>
      </div>
      <OwnershipActions row={row} />
    </header>
  );
}

/** Marks the contact's messages read while the conversation is open for the agent who has it (once per message). */
function useMarkRead(row: ConversationSummary | undefined): void {
  const me = useCurrentUser();
  const client = useQueryClient();
  const done = useRef<number | null>(null);
  const seq = row?.lastMessage?.seq;
  const mine = row?.state === 'agent' && row.assignee?.id === me?.id;
  const unread = row?.unreadCount ?? 0;
  useEffect(() => {
    if (!row || !mine || unread === 0 || seq === undefined || done.current === seq || document.visibilityState !== 'visible') {
      return;
    }
    done.current = seq;
    markRead(row.id, seq)
      .then(() => Promise.all([client.invalidateQueries({ queryKey: ['inbox', 'head'] }), client.invalidateQueries({ queryKey: ['inbox', 'conversation', row.id] })]))
      .catch(() => {
        done.current = null;
      });
  }, [row, mine, unread, seq, client]);
}
