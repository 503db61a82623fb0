/**
 * Fake time. `now()` is the base clock plus an offset that `advance` moves. Tasks scheduled here run
 * when their delay has passed in real time OR when `advance` moves the fake clock past their due
 * time, so tests can skip retry back-offs and 24-hour windows instantly.
 */
export interface FakeClock {
  now(): number;
  /** Moves fake time forward and runs every task that became due; returns the new time. */
  advance(ms: number): number;
  /** Runs `task` after `delayMs` of fake time; returns a cancel function. */
  schedule(delayMs: number, task: () => void): () => void;
  cancelAll(): void;
}

interface Timer {
  dueAt: number;
  task: () => void;
  handle: ReturnType<typeof setTimeout> | undefined;
}

export function createFakeClock(base: () => number = Date.now): FakeClock {
  let offset = 0;
  const timers = new Set<Timer>();
  const now = (): number => base() + offset;

  const run = (timer: Timer): void => {
    if (!timers.delete(timer)) {
      return;
    }
    clearTimeout(timer.handle);
    try {
      timer.task();
    } catch (err) {
      console.error('whatsapp fake: scheduled task failed', err);
    }
  };

  return {
    now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`advanceClock: ms must be a finite number >= 0, got ${ms}`);
      }
      offset += ms;
      const current = now();
      // Set iteration is insertion order and sort is stable, so equal due times keep FIFO order.
      const due = [...timers].filter((t) => t.dueAt <= current).sort((a, b) => a.dueAt - b.dueAt);
      for (const timer of due) {
        run(timer);
      }
      return current;
    },
    schedule(delayMs, task) {
      const delay = Number.isFinite(delayMs) ? Math.max(0, delayMs) : 0;
      const timer: Timer = { dueAt: now() + delay, task, handle: undefined };
      timer.handle = setTimeout(() => run(timer), delay);
      timer.handle.unref();
      timers.add(timer);
      return () => {
        timers.delete(timer);
        clearTimeout(timer.handle);
      };
    },
    cancelAll() {
      for (const timer of timers) {
        clearTimeout(timer.handle);
      }
      timers.clear();
    },
  };
}
