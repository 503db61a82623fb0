import { useCallback, useEffect, useState } from 'react';
import { fetchDemoConfig, type DemoConfig } from './demo-api';

/** Loading state of the demo configuration. */
export type DemoConfigState = { status: 'loading' } | { status: 'error' } | { status: 'ready'; config: DemoConfig };

/** Loads `GET /api/demo/config` once, with a retry for when the server was not reachable. */
export function useDemoConfig(): DemoConfigState & { retry: () => void } {
  const [state, setState] = useState<DemoConfigState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchDemoConfig(controller.signal)
      .then((config) => setState({ status: 'ready', config }))
      .catch(() => {
        if (!controller.signal.aborted) {
          setState({ status: 'error' });
        }
      });
    return () => controller.abort();
  }, [attempt]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((count) => count + 1);
  }, []);

  return { ...state, retry };
}
