import { useCallback, useEffect, useState } from 'react';
import { fetchSimulatorFlows, type FlowOption } from './simulator-api';

/** Loading state of the flow list. */
export type FlowCatalog =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; flows: FlowOption[] };

/** The flow list and a way to load it again. */
export type FlowCatalogState = FlowCatalog & { reload: () => void };

/** Loads the flows the simulator can start, with `reload` for drafts saved while the page is open. */
export function useFlowCatalog(): FlowCatalogState {
  const [catalog, setCatalog] = useState<FlowCatalog>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchSimulatorFlows(controller.signal)
      .then((flows) => setCatalog({ status: 'ready', flows }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setCatalog({ status: 'error', error });
        }
      });
    return () => controller.abort();
  }, [attempt]);

  // The list stays on screen while it reloads, so the picker does not jump.
  const reload = useCallback(() => setAttempt((count) => count + 1), []);

  return { ...catalog, reload };
}
