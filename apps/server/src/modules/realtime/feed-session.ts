/**
 * One client's feed over one WebSocket: the protocol of packages/contracts/src/realtime.ts. On `subscribe` the
 * session joins the hub FIRST (live events are buffered), then replays what the client missed from the table up to
 * the hub's cursor, then flushes the buffer — so nothing falls between catch-up and live, and nothing comes twice.
 * Heartbeats find dead connections both ways; the sign-in is re-checked while the socket stays open.
 *
 * A reader who may not see restricted contacts (GDPR-20) gets none of their conversations' events, live (the hub
 * filters) or replayed (the catch-up query filters, before its limit). Withheld events are simply left out: ids
 * are not contiguous for any client anyway (they are counted across workspaces), the client resumes from the last
 * id it received or the `ready` position, and a resumed catch-up applies the same rule again — so nothing visible is
 * lost and a withheld event never counts as missed. Ordering and gaps are the hub's (event-sequencer.ts), which sees
 * every id before anything is filtered.
 */
import { FEED_CLOSE, FeedClientMessage, type FeedServerMessage, type InboxEvent } from '@parley/contracts';
import type { Logger } from '../../platform/logger.js';
import type { FeedAudience, FeedHub, FeedSubscription } from './realtime.hub.js';

/** What the session needs of a WebSocket (the `ws` library's socket, as @fastify/websocket hands it over). */
export interface FeedSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  on(event: 'pong' | 'close', listener: () => void): unknown;
}

export interface FeedSessionOptions {
  hub: FeedHub;
  /** The workspace, and whether this reader sees restricted contacts (asked again at every catch-up and delivery). */
  audience: FeedAudience;
  /**
   * The workspace's events with after < id ≤ upTo, at most `limit`; with `hideRestricted`, without those of
   * conversations whose contact is restricted now (realtime.store.ts).
   */
  listEventsBetween(after: number, upTo: number, limit: number, filter: { hideRestricted: boolean }): Promise<InboxEvent[]>;
  /** Lowest and highest event id still stored. */
  findEventBounds(): Promise<{ minId: number | null; maxId: number | null }>;
  /** Whether the caller may still read the feed (session alive, role kept); checked every `recheckMs`. */
  stillAllowed?: () => Promise<boolean>;
  logger: Logger;
  heartbeatMs: number;
  recheckMs: number;
  /** More missed events than this: `reset` instead of a replay. */
  replayLimit: number;
  /** A client that lets this much pile up unread is closed (it resumes from its last id when it reconnects). */
  maxBufferedBytes: number;
}

const OPEN = 1;

/**
 * Runs the feed protocol on `socket` until it closes.
 * @example startFeedSession(socket, { hub, audience: { workspaceId, seesRestricted: () => false }, listEventsBetween, findEventBounds, logger, … });
 */
export function startFeedSession(socket: FeedSocket, opts: FeedSessionOptions): void {
  let subscription: FeedSubscription | undefined;
  let generation = 0;
  let alive = true;
  let closed = false;

  const send = (message: FeedServerMessage) => {
    if (closed || socket.readyState !== OPEN) {
      return;
    }
    if (socket.bufferedAmount > opts.maxBufferedBytes) {
      socket.close(FEED_CLOSE.tooSlow, 'too far behind: reconnect and resume');
      return;
    }
    socket.send(JSON.stringify(message));
  };

  const subscribe = async (after: number | null) => {
    const gen = ++generation;
    subscription?.close();
    const buffered: InboxEvent[] = [];
    let replaying = true;
    const replayed = new Set<number>();
    let cursor = 0;
    let floor = 0;
    // Live events: past the cursor except those the client already has (it was ahead of this process), and never
    // an event the catch-up already sent (a late event below the cursor can be in both).
    const onEvents = (events: InboxEvent[]) => {
      if (gen !== generation) {
        return;
      }
      const fresh = events.filter((e) => !replayed.has(e.id) && !(e.id > cursor && e.id <= floor));
      if (replaying) {
        buffered.push(...fresh);
      } else if (fresh.length > 0) {
        send({ type: 'events', events: fresh });
      }
    };
    const sub = await opts.hub.subscribe(opts.audience, onEvents);
    if (gen !== generation || closed) {
      sub.close();
      return;
    }
    subscription = sub;
    cursor = sub.cursor;
    floor = after ?? cursor;
    let position = Math.max(floor, cursor);
    if (after !== null && after < cursor) {
      const missed = await catchUp(after, cursor);
      if (gen !== generation) {
        return;
      }
      if (missed === 'reset') {
        floor = cursor;
        position = cursor;
        send({ type: 'reset', lastEventId: cursor });
      } else {
        missed.forEach((e) => replayed.add(e.id));
        for (let i = 0; i < missed.length; i += 500) {
          send({ type: 'events', events: missed.slice(i, i + 500) });
        }
      }
    } else if (after !== null && after > cursor && !(await isKnown(after))) {
      // An id this database never gave out (restored from a backup, another installation): start over.
      floor = cursor;
      position = cursor;
      send({ type: 'reset', lastEventId: cursor });
    }
    if (gen !== generation) {
      return;
    }
    replaying = false;
    const pending = buffered.filter((e) => !replayed.has(e.id) && !(e.id > cursor && e.id <= floor));
    if (pending.length > 0) {
      send({ type: 'events', events: pending });
    }
    send({ type: 'ready', lastEventId: position, heartbeatMs: opts.heartbeatMs });
  };

  /** The events after `after` up to `upTo`, or `reset` when more are missing than a replay sends (or were purged). */
  const catchUp = async (after: number, upTo: number): Promise<InboxEvent[] | 'reset'> => {
    const { minId } = await opts.findEventBounds();
    if (minId === null || minId > after + 1) {
      return 'reset';
    }
    const events = await opts.listEventsBetween(after, upTo, opts.replayLimit + 1, { hideRestricted: !opts.audience.seesRestricted() });
    return events.length > opts.replayLimit ? 'reset' : events;
  };

  const isKnown = async (id: number) => {
    const { maxId } = await opts.findEventBounds();
    return maxId !== null && id <= maxId;
  };

  socket.on('message', (data) => {
    const parsed = FeedClientMessage.safeParse(parseJson(String(data)));
    if (!parsed.success) {
      send({ type: 'error', code: 'feed.bad_message', message: 'Send {"type":"subscribe","after":<last event id or null>}.' });
      return;
    }
    subscribe(parsed.data.after).catch((err: unknown) => {
      opts.logger.warn({ err }, 'realtime feed: subscribe failed');
      socket.close(1011, 'the feed is unavailable; reconnect');
    });
  });

  socket.on('pong', () => {
    alive = true;
  });

  const heartbeat = setInterval(() => {
    if (!alive) {
      // No pong since the last ping: the connection is dead (a laptop lid closed, a NAT forgot it).
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
    send({ type: 'heartbeat' });
  }, opts.heartbeatMs);

  const recheck = opts.stillAllowed
    ? setInterval(() => {
        opts.stillAllowed?.()
          .then((ok) => {
            if (!ok) {
              socket.close(FEED_CLOSE.sessionEnded, 'signed out');
            }
          })
          .catch(() => undefined);
      }, opts.recheckMs)
    : undefined;

  socket.on('close', () => {
    closed = true;
    generation++;
    clearInterval(heartbeat);
    clearInterval(recheck);
    subscription?.close();
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
