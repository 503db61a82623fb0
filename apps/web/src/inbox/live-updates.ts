/**
 * How the inbox stays current without reloads: the realtime feed (`GET /api/inbox/stream`, apps/web/src/realtime)
 * says which conversation changed, and the views reload just that (and the list's first page). While the feed is
 * not live — connecting, reconnecting, or refused — the list's first page and the open conversation are polled
 * instead, so nothing waits for the socket.
 */
import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { createContext, createElement, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { InboxEvent } from '@parley/contracts';
import { hasRole } from '../auth/auth-api';
import { useCurrentUser } from '../auth/session';
import { createInboxFeed, type FeedStatus } from '../realtime/feed';
import type { ListPage } from './inbox-api';

/** `polling`: refreshed on a timer; `live`: pushed by the feed; `reconnecting`: the feed is catching up (and polling meanwhile). */
export type LiveStatus = 'polling' | 'live' | 'reconnecting';

export type LiveUpdates = {
  status: LiveStatus;
  /** How often the list's first page is reloaded (false: only on events). */
  listIntervalMs: number | false;
  /** How often the open conversation (and its composer state) is reloaded. */
  conversationIntervalMs: number | false;
  /** How often queues and people (the views' counts) are reloaded. */
  countsIntervalMs: number | false;
};

const POLLING: LiveUpdates = { status: 'polling', listIntervalMs: 3000, conversationIntervalMs: 2000, countsIntervalMs: 10_000 };
const RECONNECTING: LiveUpdates = { ...POLLING, status: 'reconnecting' };
/** Live: events drive the reloads; a slow timer only as a safety net. */
const LIVE: LiveUpdates = { status: 'live', listIntervalMs: 60_000, conversationIntervalMs: false, countsIntervalMs: 60_000 };

/** List-wide reloads (first pages, queues, people) at most this often, however many events arrive. */
const LIST_THROTTLE_MS = 400;

const LiveContext = createContext<LiveUpdates>(POLLING);

/**
 * Opens the feed for the inbox below it (one socket) and closes it when the inbox goes away, e.g. when the session
 * ends and the sign-in form takes the page's place.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }): ReactNode {
  const client = useQueryClient();
  const [status, setStatus] = useState<FeedStatus>('connecting');
  // Only admins see restricted contacts' conversations (GDPR-20); read when an event comes, not a reason to reconnect.
  const admin = useRef(false);
  admin.current = hasRole(useCurrentUser(), 'admin');
  useEffect(() => {
    const feed = createInboxFeed();
    const lists = throttle(() => invalidateLists(client), LIST_THROTTLE_MS);
    const stopEvents = feed.subscribe((event) => {
      const hidden = hiddenBy(event, admin.current);
      if (hidden) {
        hideConversation(client, hidden);
      } else {
        invalidateConversation(client, event);
      }
      lists();
    });
    const stopReset = feed.onReset(() => invalidateAll(client));
    const stopStatus = feed.onStatus((next) => {
      setStatus(next);
      if (next === 'live') {
        // What changed while there was no feed (before the first connect, or during a gap) is reloaded once.
        invalidateAll(client);
      }
    });
    return () => {
      stopEvents();
      stopReset();
      stopStatus();
      lists.cancel();
      feed.close();
    };
  }, [client]);
  const value = status === 'live' ? LIVE : status === 'reconnecting' ? RECONNECTING : POLLING;
  return createElement(LiveContext.Provider, { value }, children);
}

/** The update mode the inbox runs in. */
export function useLiveUpdates(): LiveUpdates {
  return useContext(LiveContext);
}

/** One conversation's queries: its history for any event, its composer when the window or the owner may have changed. */
function invalidateConversation(client: QueryClient, event: InboxEvent): void {
  void client.invalidateQueries({ queryKey: ['inbox', 'conversation', event.conversationId] });
  const ownershipOrAccess = event.kind === 'conversation.changed' || event.kind === 'conversation.visibility';
  if (ownershipOrAccess || (event.kind === 'message.created' && event.data.direction === 'in')) {
    void client.invalidateQueries({ queryKey: ['inbox', 'composer', event.conversationId] });
  }
  if (ownershipOrAccess) {
    void client.invalidateQueries({ queryKey: ['inbox', 'contact', event.conversationId] });
  }
}

/**
 * The conversation an event takes out of this reader's inbox: its contact's processing was restricted (GDPR-20)
 * and the reader is not an admin. The server sends no more of its events; what is on screen must go too.
 * @example hiddenBy({ id: 9, kind: 'conversation.visibility', conversationId: 'c1', data: { restricted: true, at: '' } }, false) // 'c1'
 */
export function hiddenBy(event: InboxEvent, seesRestricted: boolean): string | undefined {
  return event.kind === 'conversation.visibility' && event.data.restricted && !seesRestricted ? event.conversationId : undefined;
}

/**
 * Drops a conversation from every loaded list page and from the cache; an open view of it reloads and is told it
 * is not available (the server answers 404 now).
 */
function hideConversation(client: QueryClient, id: string): void {
  const without = (page: ListPage): ListPage => ({ ...page, conversations: page.conversations.filter((c) => c.id !== id) });
  client.setQueriesData<InfiniteData<ListPage>>({ queryKey: ['inbox', 'list'] }, (data) => (data ? { ...data, pages: data.pages.map(without) } : data));
  client.setQueriesData<ListPage>({ queryKey: ['inbox', 'head'] }, (data) => (data ? without(data) : data));
  for (const part of ['conversation', 'composer', 'contact']) {
    void client.resetQueries({ queryKey: ['inbox', part, id] });
  }
}

/** Everything but the loaded list pages, which the list's fresh first page keeps current (list-merge.ts). */
function invalidateAll(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: ['inbox'], predicate: (query) => query.queryKey[1] !== 'list' });
}

function invalidateLists(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: ['inbox', 'head'] });
  void client.invalidateQueries({ queryKey: ['inbox', 'queues'] });
  void client.invalidateQueries({ queryKey: ['inbox', 'people'] });
}

/** Runs `fn` at most once per `ms`, at the end of the window (the latest state is what gets loaded). */
function throttle(fn: () => void, ms: number): (() => void) & { cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        fn();
      }, ms);
    }
  };
  return Object.assign(run, { cancel: () => clearTimeout(timer) });
}
