/**
 * A client of the realtime feed (`GET /api/inbox/stream`) over a real WebSocket, for tests and benchmarks: it
 * records every message with the time it arrived and tracks the last event id as the web app's client does.
 */
import type { FeedServerMessage, InboxEvent } from '@parley/contracts';
import WebSocket from 'ws';

export type ReceivedEvent = InboxEvent & { receivedAt: number };

export interface FeedClient {
  /** Every message in arrival order. */
  readonly messages: FeedServerMessage[];
  /** Every event received, with its arrival time (performance.now()). */
  readonly events: ReceivedEvent[];
  /** The highest event id received (or announced by `ready`/`reset`). */
  readonly lastEventId: number | null;
  subscribe(after: number | null): void;
  /** Resolves with the first message (already received or coming) that matches. */
  waitFor(match: (m: FeedServerMessage) => boolean, timeoutMs?: number, label?: string): Promise<FeedServerMessage>;
  /** Resolves with the first event (already received or coming) that matches. */
  waitForEvent(match: (e: InboxEvent) => boolean, timeoutMs?: number, label?: string): Promise<ReceivedEvent>;
  /** How the server closed the socket, once it did. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens the feed; rejects with `HTTP <status>` when the server refuses the upgrade. */
export async function connectFeed(baseUrl: string, opts: { cookie?: string; token?: string; origin?: string } = {}): Promise<FeedClient> {
  const headers: Record<string, string> = {};
  if (opts.cookie) {
    headers.cookie = opts.cookie;
  }
  if (opts.token) {
    headers.authorization = `Bearer ${opts.token}`;
  }
  if (opts.origin) {
    headers.origin = opts.origin;
  }
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/inbox/stream`, { headers });
  const messages: FeedServerMessage[] = [];
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  let lastEventId: number | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));

  ws.on('message', (data) => {
    const receivedAt = performance.now();
    const message = JSON.parse(data.toString()) as FeedServerMessage;
    messages.push(message);
    if (message.type === 'events') {
      for (const e of message.events) {
        events.push({ ...e, receivedAt });
        lastEventId = Math.max(lastEventId ?? 0, e.id);
      }
    } else if (message.type === 'ready' || message.type === 'reset') {
      lastEventId = Math.max(lastEventId ?? 0, message.lastEventId);
    }
    waiters.forEach((w) => w());
  });

  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('unexpected-response', (req, res) => {
      // With this listener set, ws leaves the refused request open: end it here.
      req.destroy();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    ws.on('error', reject);
  });

  const waitUntil = <T>(find: () => T | undefined, timeoutMs: number, label: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${label}; got ${JSON.stringify(messages.slice(-5))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    messages,
    events,
    get lastEventId() {
      return lastEventId;
    },
    subscribe(after) {
      ws.send(JSON.stringify({ type: 'subscribe', after }));
    },
    waitFor: (match, timeoutMs = 5000, label = 'a feed message') => waitUntil(() => messages.find(match), timeoutMs, label),
    waitForEvent: (match, timeoutMs = 5000, label = 'a feed event') => waitUntil(() => events.find(match), timeoutMs, label),
    closed,
    async close() {
      if (ws.readyState !== WebSocket.CLOSED) {
        ws.close();
        await closed;
      }
    },
  };
}
