import { useEffect, useState } from 'react';
import { isSimulatorUnavailable } from './flow-view';
import { fetchSimulatorState, type SimulatorState, type SimulatorUser } from './simulator-api';
import { singleFlight } from './single-flight';
import { usePageVisible } from './use-page-focus';

/** The run state of one simulated user as last loaded, and the error of the last refresh if it failed. */
export type SimulatorStateFeed = { state: SimulatorState | undefined; error: unknown };

const pollEveryMs = 1_500;

/**
 * Keeps the conversation and run state of one simulated user fresh: loads it at once, again whenever `activity`
 * changes (a message sent or received, a flow started), and every 1.5 s while the tab is visible. A hidden tab
 * does not poll; it catches up as soon as it is shown again. A server without the simulator endpoints is not polled.
 */
export function useSimulatorState(user: SimulatorUser, activity: string): SimulatorStateFeed {
  const key = `${user.phoneNumberId}:${user.waId}`;
  const visible = usePageVisible();
  const [feed, setFeed] = useState<SimulatorStateFeed & { key: string }>({ key, state: undefined, error: undefined });
  const { phoneNumberId, waId } = user;

  useEffect(() => {
    if (!visible) {
      return undefined;
    }
    let disposed = false;
    let unavailable = false;
    const controller = new AbortController();
    // One request at a time; a refresh asked for meanwhile runs right after, so the newest state always wins.
    const refresh = singleFlight(async () => {
      try {
        const state = await fetchSimulatorState({ phoneNumberId, waId }, controller.signal);
        if (!disposed) {
          setFeed({ key, state, error: undefined });
        }
      } catch (error) {
        unavailable = isSimulatorUnavailable(error);
        if (!disposed) {
          // Keep the last good state on screen and say that it may be stale.
          setFeed((previous) => ({ key, state: previous.key === key ? previous.state : undefined, error }));
        }
      }
    }, () => disposed);
    void refresh();
    const timer = setInterval(() => {
      if (!unavailable) {
        void refresh();
      }
    }, pollEveryMs);
    return () => {
      disposed = true;
      controller.abort();
      clearInterval(timer);
    };
  }, [key, phoneNumberId, waId, visible, activity]);

  return feed.key === key ? feed : { state: undefined, error: undefined };
}
