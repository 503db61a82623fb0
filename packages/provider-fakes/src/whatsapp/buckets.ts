/** Token bucket parameters: `capacity` tokens, refilled continuously at `refillPerSecond`. */
export interface TokenBucketConfig {
  capacity: number;
  refillPerSecond: number;
}

/**
 * A family of token buckets keyed by string, used for the per-number throughput limit (§4.4) and
 * the per-(number, user) pair rate limit (§4.5). Buckets start full.
 */
export interface BucketSet {
  /** True when the bucket for `key` holds at least one token at `now`. */
  canTake(key: string, now: number): boolean;
  /** Removes one token (call only after `canTake`). */
  take(key: string, now: number): void;
  clear(): void;
}

interface BucketState {
  tokens: number;
  updatedAt: number;
}

export function createBucketSet(configFor: (key: string) => TokenBucketConfig): BucketSet {
  const buckets = new Map<string, BucketState>();

  const refill = (key: string, now: number): BucketState => {
    const config = configFor(key);
    const state = buckets.get(key) ?? { tokens: config.capacity, updatedAt: now };
    const elapsedMs = Math.max(0, now - state.updatedAt);
    state.tokens = Math.min(config.capacity, state.tokens + (elapsedMs / 1000) * config.refillPerSecond);
    state.updatedAt = Math.max(state.updatedAt, now);
    buckets.set(key, state);
    return state;
  };

  return {
    canTake(key, now) {
      // Tolerance for float drift of fractional refill rates (e.g. 1/6 token per second).
      return refill(key, now).tokens >= 1 - 1e-9;
    },
    take(key, now) {
      const state = refill(key, now);
      state.tokens -= 1;
    },
    clear() {
      buckets.clear();
    },
  };
}
