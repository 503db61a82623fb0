import { useEffect, useState } from 'react';
import { demoEventsUrl, fetchSentMessages, parseDemoEventType, type FakeSentMessage } from './demo-api';
import { singleFlight } from './single-flight';

/** How updates arrive: waiting for the event stream, over the stream, or by polling while the stream is down. */
export type FeedConnection = 'connecting' | 'live' | 'polling';

/** The business messages of one chat as the fake reports them, and how updates arrive. */
export type SentFeed = { messages: FakeSentMessage[]; loaded: boolean; connection: FeedConnection };

const pollEveryMs = 2_000;
const reconnectAfterMs = 5_000;

/**
 * Keeps the business messages sent to `to` on one number up to date. It re-fetches the whole list on every `sent` or
 * `status` event (simple and robust against missed or reordered events); while the event stream is down it polls every
 * 2 s and reconnects.
 */
export function useSentMessages(phoneNumberId: string, to: string): SentFeed {
  const key = `${phoneNumberId}:${to}`;
  const [feed, setFeed] = useState<SentFeed & { key: string }>({ key, messages: [], loaded: false, connection: 'connecting' });

  useEffect(() => {
    let disposed = false;
    let source: EventSource | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();

    const refresh = singleFlight(async () => {
      try {
        const messages = await fetchSentMessages(phoneNumberId, to, controller.signal);
        if (!disposed) {
          setFeed((previous) => ({ ...previous, key, messages, loaded: true }));
        }
      } catch {
        // The next event or poll tries again.
      }
    }, () => disposed);
    const setConnection = (connection: FeedConnection): void => {
      if (!disposed) {
        setFeed((previous) => (previous.connection === connection ? previous : { ...previous, connection }));
      }
    };
    const startPolling = (): void => {
      pollTimer ??= setInterval(() => void refresh(), pollEveryMs);
    };
    const stopPolling = (): void => {
      clearInterval(pollTimer);
      pollTimer = undefined;
    };
    const connect = (): void => {
      if (typeof EventSource === 'undefined') {
        setConnection('polling');
        startPolling();
        return;
      }
      const current = new EventSource(demoEventsUrl);
      source = current;
      current.onopen = () => {
        setConnection('live');
        stopPolling();
        // Catch up on anything sent while the stream was down.
        void refresh();
      };
      current.onmessage = (event: MessageEvent<string>) => {
        const type = parseDemoEventType(event.data);
        if (type === 'sent' || type === 'status') {
          void refresh();
        }
      };
      current.onerror = () => {
        setConnection('polling');
        startPolling();
        // EventSource retries by itself unless the server answered with an error; then we reconnect ourselves.
        if (current.readyState === EventSource.CLOSED && !disposed) {
          current.close();
          reconnectTimer = setTimeout(connect, reconnectAfterMs);
        }
      };
    };

    void refresh();
    connect();
    return () => {
      disposed = true;
      controller.abort();
      source?.close();
      stopPolling();
      clearTimeout(reconnectTimer);
    };
  }, [key, phoneNumberId, to]);

  return feed.key === key ? feed : { messages: [], loaded: false, connection: feed.connection };
}
