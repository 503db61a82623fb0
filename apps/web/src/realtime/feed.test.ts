import type { FeedServerMessage, InboxEvent } from '@parley/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInboxFeed, type FeedSocketLike, type InboxFeed } from './feed';

/** A socket the test drives: it plays the server. */
class FakeSocket implements FeedSocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  sent: unknown[] = [];
  closed = false;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.();
  }
  server(message: FeedServerMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
}

const event = (id: number): InboxEvent => ({ id, kind: 'message.created', conversationId: 'c1', data: { messageId: `m${id}`, seq: id, direction: 'in', type: 'text', status: 'received', errorCode: null, gateReason: null, at: '' } });

let sockets: FakeSocket[];
let feed: InboxFeed;
let endSession: () => void;
let networkBack: () => void;
const latest = () => sockets.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  feed = createInboxFeed({
    url: 'ws://parley.test/api/inbox/stream',
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    random: () => 0, // no jitter: exact delays
    sessionEnded: (l) => {
      endSession = l;
      return () => undefined;
    },
    networkBack: (l) => {
      networkBack = l;
      return () => undefined;
    },
  });
});
afterEach(() => {
  feed.close();
  vi.useRealTimers();
});

describe('inbox feed client', () => {
  it('subscribes from now on at first, and after a reconnect from the last event it received', async () => {
    latest().open();
    expect(latest().sent).toEqual([{ type: 'subscribe', after: null }]);
    latest().server({ type: 'ready', lastEventId: 40, heartbeatMs: 25_000 });
    latest().server({ type: 'events', events: [event(41), event(42)] });
    expect(feed.status).toBe('live');
    latest().drop();
    expect(feed.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(500);
    expect(sockets).toHaveLength(2);
    latest().open();
    expect(latest().sent).toEqual([{ type: 'subscribe', after: 42 }]);
  });

  it('resumes from the id `ready` announced when no event came', async () => {
    latest().open();
    latest().server({ type: 'ready', lastEventId: 7, heartbeatMs: 25_000 });
    latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    latest().open();
    expect(latest().sent).toEqual([{ type: 'subscribe', after: 7 }]);
  });

  it('backs off exponentially up to 30 s, and starts again from 0.5 s once connected', async () => {
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = sockets.length;
      latest().drop();
      let waited = 0;
      while (sockets.length === before) {
        await vi.advanceTimersByTimeAsync(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    latest().open();
    latest().server({ type: 'ready', lastEventId: 1, heartbeatMs: 25_000 });
    latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(sockets).toHaveLength(10);
  });

  it('hands each event to subscribers once, in order, also when a reconnect sends one again', async () => {
    const got: number[] = [];
    feed.subscribe((e) => got.push(e.id));
    latest().open();
    latest().server({ type: 'events', events: [event(1), event(2)] });
    latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    latest().open();
    latest().server({ type: 'events', events: [event(2), event(3)] });
    expect(got).toEqual([1, 2, 3]);
  });

  it('on reset, tells the views to reload and continues from the server’s position', async () => {
    let resets = 0;
    feed.onReset(() => resets++);
    latest().open();
    latest().server({ type: 'events', events: [event(900)] });
    latest().server({ type: 'reset', lastEventId: 120 }); // e.g. a database restored from a backup
    expect(resets).toBe(1);
    expect(feed.lastEventId).toBe(120);
    const got: number[] = [];
    feed.subscribe((e) => got.push(e.id));
    latest().server({ type: 'events', events: [event(121)] });
    expect(got).toEqual([121]);
  });

  it('reconnects when the server goes silent for two and a half heartbeats', async () => {
    latest().open();
    latest().server({ type: 'ready', lastEventId: 5, heartbeatMs: 1000 });
    await vi.advanceTimersByTimeAsync(2000);
    latest().server({ type: 'heartbeat' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(latest().closed).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(latest().closed).toBe(true);
    latest().drop(); // the browser reports the close
    await vi.advanceTimersByTimeAsync(500);
    expect(sockets).toHaveLength(2);
  });

  it('stops when the server says the session ended (4401) or an API call got 401, and resumes after sign-in', async () => {
    latest().open();
    latest().drop(4401);
    expect(feed.status).toBe('signed-out');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    feed.resume();
    expect(sockets).toHaveLength(2);
    latest().open();
    latest().server({ type: 'ready', lastEventId: 3, heartbeatMs: 25_000 });
    endSession();
    expect(feed.status).toBe('signed-out');
    expect(latest().closed).toBe(true);
  });

  it('reconnects at once when the network is back', async () => {
    latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    latest().drop();
    expect(sockets).toHaveLength(2);
    networkBack();
    expect(sockets).toHaveLength(3);
  });

  it('close() ends the socket and every retry', async () => {
    latest().open();
    feed.close();
    expect(latest().closed).toBe(true);
    latest().drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    expect(feed.status).toBe('closed');
  });
});
