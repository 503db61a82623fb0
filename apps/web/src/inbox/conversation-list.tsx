import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { ApiError } from '../auth/api-client';
import { useT } from '../i18n';
import { ConversationRow } from './conversation-row';
import type { InboxQueue, ListFilters } from './inbox-api';
import { useConversationList, useQueues } from './inbox-queries';
import { useNow } from './use-now';

/** Every row has this height (px), so the virtualiser never has to measure and scrolling stays smooth. */
const ROW_HEIGHT = 86;
/** Load the next page when fewer rows than this are left below the visible ones. */
const PREFETCH_ROWS = 30;

/**
 * The conversation list: virtualised (only the visible rows and a few around them are in the page, so 10,000
 * conversations scroll like 10), loading keyset pages as the agent scrolls down.
 */
export function ConversationList({ filters, selectedId }: { filters: ListFilters; selectedId: string | null }): ReactNode {
  const t = useT();
  const list = useConversationList(filters);
  const queues = useQueues().data;
  const queueById = useMemo(() => new Map<string, InboxQueue>((queues ?? []).map((q) => [q.id, q])), [queues]);
  const now = useNow(15_000);
  const scroller = useRef<HTMLDivElement>(null);
  const count = list.rows.length + (list.hasNextPage ? 1 : 0);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= list.rows.length - PREFETCH_ROWS) {
      fetchNextPage();
    }
  }, [lastIndex, list.rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (list.error && list.rows.length === 0) {
    return (
      <p className="inline-notice inline-notice--error" role="alert">
        {t('inbox.list.error', { message: list.error instanceof ApiError ? list.error.message : String(list.error) })}
      </p>
    );
  }
  if (list.isLoading) {
    return (
      <p className="inbox-list__note" role="status">
        {t('state.loading')}
      </p>
    );
  }
  if (list.rows.length === 0) {
    return (
      <p className="inbox-list__note" data-testid="list-empty">
        {t('inbox.list.empty')}
      </p>
    );
  }
  return (
    <div ref={scroller} className="inbox-list__scroller" data-testid="conversation-list" data-count={list.rows.length}>
      <div role="list" aria-label={t('inbox.list.label')} className="inbox-list__canvas" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const entry = list.rows[item.index];
          return (
            <div
              key={entry?.row.id ?? 'more'}
              role="listitem"
              aria-posinset={item.index + 1}
              aria-setsize={list.hasNextPage ? -1 : list.rows.length}
              className="inbox-list__item"
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              {entry ? (
                <ConversationRow item={entry} queue={entry.row.queue ? queueById.get(entry.row.queue) : undefined} now={now} selected={entry.row.id === selectedId} />
              ) : (
                <p className="inbox-list__note" role="status">
                  {t('inbox.list.loadingMore')}
                </p>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
