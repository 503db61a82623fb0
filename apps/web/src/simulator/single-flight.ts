/**
 * Runs `task` one at a time: a call while it runs makes it run once more right after (not once per call), so the
 * newest result always wins and a burst of triggers costs at most two requests. `stopped` ends the repeat.
 */
export function singleFlight(task: () => Promise<void>, stopped: () => boolean): () => Promise<void> {
  let running = false;
  let again = false;
  return async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await task();
      } while (again && !stopped());
    } finally {
      running = false;
    }
  };
}
