/**
 * The inbox's realtime feed in the browser (`GET /api/inbox/stream`; docs/inbox.md "Realtime"). One socket for the
 * whole app: it subscribes with the last event id it has, so after any reconnect the server sends exactly what was
 * missed; it reconnects with exponential backoff (with jitter, so a restarted server is not stormed), notices a dead
 * connection by missing heartbeats, and stops when the session ends. Views subscribe to events and to `reset` (then
 * they reload their lists: more was missed than the server replays).
 */
import { FEED_CLOSE, type FeedServerMessage, type InboxEvent } from '@parley/contracts';
import { onSessionEnded } from '../auth/api-client';

/** `live` once the server said `ready`; `signed-out` stops reconnecting until `resume()`. */
export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'signed-out' | 'closed';

/** What the feed needs of a WebSocket (the browser's, or a fake in tests). */
export interface FeedSocketLike {
  onopen: (() => void) | null;
  onmessage: ((message: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface InboxFeedOptions {
  /** Default: this page's host, `ws:` or `wss:` like the page. */
  url?: string;
  createSocket?: (url: string) => FeedSocketLike;
  /** Reconnect delays: `initialMs · factor^attempt`, at most `maxMs`, less up to `jitter` (a fraction) at random. */
  backoff?: { initialMs: number; maxMs: number; factor: number; jitter: number };
  random?: () => number;
  /** Subscribes to "the session ended" (default: the API client's 401 signal). */
  sessionEnded?: (listener: () => void) => () => void;
  /** Subscribes to "the network is back" (default: the window's `online` event): reconnect at once. */
  networkBack?: (listener: () => void) => () => void;
}

export interface InboxFeed {
  /**
   * Calls `listener` with each event, in order, once. Returns the unsubscribe function.
   * @example const stop = feed.subscribe((e) => { if (e.kind === 'message.created') queryClient.invalidateQueries(…); });
   */
  subscribe(listener: (event: InboxEvent) => void): () => void;
  /** Calls `listener` when the lists must be reloaded (events were missed beyond what the server replays). */
  onReset(listener: () => void): () => void;
  onStatus(listener: (status: FeedStatus) => void): () => void;
  readonly status: FeedStatus;
  /** The last event id received: where a reconnect resumes. */
  readonly lastEventId: number | null;
  /** After signing in again: connect and catch up from the last id. */
  resume(): void;
  close(): void;
}

export const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.3 };
/** How many recent ids are remembered to drop an event that came twice (across a reconnect). */
const SEEN_LIMIT = 2000;

/**
 * Opens the feed and keeps it open until `close()`.
 * @example const feed = createInboxFeed(); feed.onReset(() => queryClient.invalidateQueries({ queryKey: ['inbox'] }));
 */
export function createInboxFeed(opts: InboxFeedOptions = {}): InboxFeed {
  const url = opts.url ?? defaultUrl();
  const createSocket = opts.createSocket ?? ((u: string) => new WebSocket(u) as unknown as FeedSocketLike);
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const random = opts.random ?? Math.random;
  const listeners = new Set<(event: InboxEvent) => void>();
  const resetListeners = new Set<() => void>();
  const statusListeners = new Set<(status: FeedStatus) => void>();
  const seen = new Set<number>();

  let status: FeedStatus = 'connecting';
  let lastEventId: number | null = null;
  let socket: FeedSocketLike | undefined;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let silenceMs = 0;

  const setStatus = (next: FeedStatus) => {
    if (next !== status) {
      status = next;
      statusListeners.forEach((l) => l(next));
    }
  };

  /** No message for about two and a half heartbeats: the connection is dead even if the browser has not noticed. */
  const armWatchdog = () => {
    clearTimeout(watchdog);
    if (silenceMs > 0) {
      watchdog = setTimeout(() => socket?.close(), silenceMs);
    }
  };

  const deliver = (events: InboxEvent[]) => {
    for (const event of events) {
      if (seen.has(event.id)) {
        continue;
      }
      seen.add(event.id);
      if (seen.size > SEEN_LIMIT) {
        seen.delete(seen.values().next().value as number);
      }
      lastEventId = Math.max(lastEventId ?? 0, event.id);
      listeners.forEach((l) => l(event));
    }
  };

  const onMessage = (message: FeedServerMessage) => {
    armWatchdog();
    switch (message.type) {
      case 'events':
        deliver(message.events);
        return;
      case 'ready':
        lastEventId = Math.max(lastEventId ?? 0, message.lastEventId);
        silenceMs = Math.round(message.heartbeatMs * 2.5);
        armWatchdog();
        attempt = 0;
        setStatus('live');
        return;
      case 'reset':
        // The server's position, even if lower (a restored database): from here on its ids count.
        lastEventId = message.lastEventId;
        seen.clear();
        resetListeners.forEach((l) => l());
        return;
      case 'heartbeat':
      case 'error':
        return;
      default: {
        const never: never = message;
        return never;
      }
    }
  };

  const connect = () => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    const s = createSocket(url);
    socket = s;
    s.onopen = () => s.send(JSON.stringify({ type: 'subscribe', after: lastEventId }));
    s.onmessage = (m) => {
      if (socket === s && typeof m.data === 'string') {
        onMessage(JSON.parse(m.data) as FeedServerMessage);
      }
    };
    s.onclose = (event) => {
      if (socket !== s) {
        return;
      }
      socket = undefined;
      clearTimeout(watchdog);
      if (status === 'closed' || status === 'signed-out') {
        return;
      }
      if (event.code === FEED_CLOSE.sessionEnded) {
        setStatus('signed-out');
        return;
      }
      setStatus('reconnecting');
      const delay = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** attempt) * (1 - backoff.jitter * random());
      attempt++;
      retryTimer = setTimeout(connect, delay);
    };
  };

  const stop = (next: 'closed' | 'signed-out') => {
    setStatus(next);
    clearTimeout(retryTimer);
    clearTimeout(watchdog);
    const s = socket;
    socket = undefined;
    s?.close();
  };

  const stopOnSessionEnd = (opts.sessionEnded ?? onSessionEnded)(() => stop('signed-out'));
  const stopOnNetworkBack = (opts.networkBack ?? onlineEvents)(() => {
    if (status === 'reconnecting' && !socket) {
      attempt = 0;
      connect();
    }
  });
  connect();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onReset(listener) {
      resetListeners.add(listener);
      return () => resetListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    get status() {
      return status;
    },
    get lastEventId() {
      return lastEventId;
    },
    resume() {
      if (status === 'signed-out') {
        attempt = 0;
        setStatus('connecting');
        connect();
      }
    },
    close() {
      stopOnSessionEnd();
      stopOnNetworkBack();
      stop('closed');
    },
  };
}

function defaultUrl(): string {
  return `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/api/inbox/stream`;
}

function onlineEvents(listener: () => void): () => void {
  if (typeof window === 'undefined') {
    return () => undefined;
  }
  window.addEventListener('online', listener);
  return () => window.removeEventListener('online', listener);
}
