import type { FeedServerMessage, InboxEvent } from '@parley/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { type FeedSessionOptions, type FeedSocket, startFeedSession } from './feed-session.js';
import type { FeedAudience, FeedHub } from './realtime.hub.js';

/** A socket that records what the session sends and lets the test play the client. */
class FakeSocket implements FeedSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: FeedServerMessage[] = [];
  pings = 0;
  terminated = false;
  closedWith: number | undefined;
  private listeners = new Map<string, Array<(data?: unknown) => void>>();
  send(data: string) {
    this.sent.push(JSON.parse(data) as FeedServerMessage);
  }
  close(code?: number) {
    this.closedWith = code;
    this.emit('close');
  }
  terminate() {
    this.terminated = true;
    this.emit('close');
  }
  ping() {
    this.pings++;
  }
  on(event: string, listener: (data?: unknown) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, data?: unknown) {
    this.listeners.get(event)?.forEach((l) => l(data));
  }
  client(message: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(message)));
  }
  events() {
    return this.sent.flatMap((m) => (m.type === 'events' ? m.events.map((e) => e.id) : []));
  }
}

/** Event ids of the restricted contact's conversation `r` in the fake table; every other id is conversation `c`'s. */
let restrictedIds = new Set<number>();
const event = (id: number): InboxEvent => ({ id, kind: 'message.created', conversationId: restrictedIds.has(id) ? 'r' : 'c', data: { messageId: `m${id}`, seq: id, direction: 'in', type: 'text', status: 'received', errorCode: null, gateReason: null, at: '' } });

/** A hub at `cursor` whose live deliveries the test triggers; the table holds `stored` ids. */
function fakeHub(cursor: number) {
  const listeners = new Set<(events: InboxEvent[]) => void>();
  const audiences: FeedAudience[] = [];
  const hub: FeedHub = {
    async subscribe(audience, onEvents) {
      audiences.push(audience);
      listeners.add(onEvents);
      return { cursor, close: () => listeners.delete(onEvents) };
    },
    async stop() {},
  };
  return { hub, deliver: (...ids: number[]) => listeners.forEach((l) => l(ids.map(event))), listeners, audiences };
}

let socket: FakeSocket;
let seesRestricted = true;
beforeEach(() => {
  socket = new FakeSocket();
  restrictedIds = new Set();
  seesRestricted = true;
});
afterEach(() => {
  socket.emit('close');
  vi.useRealTimers();
});

function start(hub: FeedHub, stored: number[], extra: Partial<FeedSessionOptions> = {}) {
  startFeedSession(socket, {
    hub,
    audience: { workspaceId: 'ws', seesRestricted: () => seesRestricted },
    listEventsBetween: async (after, upTo, limit, { hideRestricted }) =>
      stored.filter((id) => id > after && id <= upTo && !(hideRestricted && restrictedIds.has(id))).slice(0, limit).map(event),
    findEventBounds: async () => ({ minId: stored[0] ?? null, maxId: stored.at(-1) ?? null }),
    logger: createLogger('silent'),
    heartbeatMs: 1000,
    recheckMs: 5000,
    replayLimit: 5,
    maxBufferedBytes: 1024,
    ...extra,
  });
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('feed session', () => {
  it('replays what the client missed, then live events, each once and in order', async () => {
    const { hub, deliver } = fakeHub(10);
    start(hub, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    socket.client({ type: 'subscribe', after: 7 });
    await settle();
    deliver(11, 12);
    await settle();
    expect(socket.events()).toEqual([8, 9, 10, 11, 12]);
    expect(socket.sent.find((m) => m.type === 'ready')).toEqual({ type: 'ready', lastEventId: 10, heartbeatMs: 1000 });
  });

  it('buffers live events that come during the catch-up and drops one the catch-up already sent', async () => {
    const { hub, deliver } = fakeHub(10);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    start(hub, [8, 9, 10], {
      listEventsBetween: async (after, upTo) => {
        deliver(11, 9); // live during the catch-up: a new one, and a late one the table also holds
        await gate;
        return [8, 9, 10].filter((id) => id > after && id <= upTo).map(event);
      },
      findEventBounds: async () => ({ minId: 8, maxId: 11 }),
    });
    socket.client({ type: 'subscribe', after: 7 });
    await settle();
    expect(socket.events()).toEqual([]);
    release();
    await settle();
    expect(socket.events()).toEqual([8, 9, 10, 11]);
  });

  it('says reset instead of replaying more than the replay limit', async () => {
    const { hub } = fakeHub(10);
    start(hub, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    socket.client({ type: 'subscribe', after: 2 });
    await settle();
    expect(socket.sent.map((m) => m.type)).toEqual(['reset', 'ready']);
    expect(socket.sent[0]).toEqual({ type: 'reset', lastEventId: 10 });
  });

  it('says reset when the events after the client’s id were purged, or the id was never given out', async () => {
    const { hub } = fakeHub(10);
    start(hub, [6, 7, 8, 9, 10]);
    socket.client({ type: 'subscribe', after: 3 });
    await settle();
    socket.client({ type: 'subscribe', after: 99 });
    await settle();
    expect(socket.sent.map((m) => m.type)).toEqual(['reset', 'ready', 'reset', 'ready']);
  });

  it('a client ahead of this process (it was connected to another) gets nothing twice', async () => {
    const { hub, deliver } = fakeHub(10);
    start(hub, [8, 9, 10, 11, 12]);
    socket.client({ type: 'subscribe', after: 12 });
    await settle();
    deliver(11, 12, 13);
    await settle();
    expect(socket.events()).toEqual([13]);
    expect(socket.sent.find((m) => m.type === 'ready')).toMatchObject({ lastEventId: 12 });
  });

  it('from now on: no replay, live events only', async () => {
    const { hub, deliver } = fakeHub(10);
    start(hub, [9, 10]);
    socket.client({ type: 'subscribe', after: null });
    await settle();
    deliver(11);
    expect(socket.events()).toEqual([11]);
  });

  it('answers a message it does not understand with an error and keeps the socket', async () => {
    const { hub } = fakeHub(0);
    start(hub, []);
    socket.emit('message', Buffer.from('not json'));
    socket.client({ type: 'subscribe', after: -1 });
    expect(socket.sent).toEqual([expect.objectContaining({ type: 'error', code: 'feed.bad_message' }), expect.objectContaining({ type: 'error' })]);
    expect(socket.closedWith).toBeUndefined();
  });

  it('pings every heartbeat and drops a connection that stopped answering', async () => {
    vi.useFakeTimers();
    const { hub, listeners } = fakeHub(0);
    start(hub, []);
    socket.client({ type: 'subscribe', after: null });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(socket.pings).toBe(1);
    expect(socket.sent.at(-1)).toEqual({ type: 'heartbeat' });
    socket.emit('pong');
    await vi.advanceTimersByTimeAsync(1000);
    expect(socket.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1000); // no pong to the second ping
    expect(socket.terminated).toBe(true);
    expect(listeners.size).toBe(0); // unsubscribed from the hub
  });

  it('closes with 4401 once the sign-in ended or lost the role', async () => {
    vi.useFakeTimers();
    let allowed = true;
    const { hub } = fakeHub(0);
    start(hub, [], { stillAllowed: async () => allowed, heartbeatMs: 60_000 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(socket.closedWith).toBeUndefined();
    allowed = false;
    await vi.advanceTimersByTimeAsync(5000);
    expect(socket.closedWith).toBe(4401);
  });

  it('closes a client that lets too much pile up unread (it resumes from its last id)', async () => {
    const { hub, deliver } = fakeHub(0);
    start(hub, []);
    socket.client({ type: 'subscribe', after: null });
    await settle();
    socket.bufferedAmount = 4096;
    deliver(1);
    expect(socket.closedWith).toBe(4408);
  });

  it('GDPR-20 replays no event of a restricted contact to a reader who may not see them, and resumes past them', async () => {
    const { hub, audiences } = fakeHub(10);
    restrictedIds = new Set([9]);
    seesRestricted = false;
    start(hub, [6, 7, 8, 9, 10]);
    socket.client({ type: 'subscribe', after: 7 });
    await settle();
    expect(socket.events()).toEqual([8, 10]);
    // The position covers the withheld event: a reconnect does not ask for it again.
    expect(socket.sent.at(-1)).toEqual({ type: 'ready', lastEventId: 10, heartbeatMs: 1000 });
    // The hub filters live events by the same audience (realtime.db.test.ts).
    expect(audiences.map((a) => a.seesRestricted())).toEqual([false]);
    seesRestricted = true;
    socket.client({ type: 'subscribe', after: 7 });
    await settle();
    expect(socket.events()).toEqual([8, 10, 8, 9, 10]);
  });

  it('GDPR-20 withheld events do not count against the replay limit (no needless reset)', async () => {
    const { hub } = fakeHub(10);
    restrictedIds = new Set([3, 4, 5, 6, 7, 8]);
    seesRestricted = false;
    start(hub, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    socket.client({ type: 'subscribe', after: 2 });
    await settle();
    expect(socket.sent.map((m) => m.type)).toEqual(['events', 'ready']);
    expect(socket.events()).toEqual([9, 10]);
  });
});
