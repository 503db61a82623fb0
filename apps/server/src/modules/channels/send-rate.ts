/**
 * The sender number's rate limit (providers.md §4.4: 80 messages/s by default, up to 1,000), shared by every
 * process. Each process reserves a small slice of the shared bucket (about 50 ms of the rate) and hands it out
 * locally, so the bucket row is touched a few times a second instead of once per message — which had made every
 * send of a number wait on one row lock. Unused slices expire quickly, so no process hoards the rate.
 */
import type { Executor } from '../../platform/db.js';
import { reserveChannelTokens } from './channel.store.js';

const SLICE_SECONDS = 0.05;
const SLICE_TTL_MS = 100;

export interface SendRateLimiter {
  /** Takes one send token for the channel: 0 when granted, else the milliseconds to wait before asking again. */
  take(channelId: string, mps: number): Promise<number>;
}

export function createSendRateLimiter(ex: Executor): SendRateLimiter {
  const local = new Map<string, { tokens: number; expiresAt: number }>();
  const reserving = new Map<string, Promise<number>>();

  async function reserve(channelId: string, mps: number): Promise<number> {
    const want = Math.max(1, Math.floor(mps * SLICE_SECONDS));
    const { granted, waitMs } = await reserveChannelTokens(ex, channelId, mps, want);
    if (granted > 0) {
      local.set(channelId, { tokens: granted, expiresAt: Date.now() + SLICE_TTL_MS });
    }
    return waitMs;
  }

  return {
    async take(channelId, mps) {
      for (;;) {
        const slice = local.get(channelId);
        if (slice && slice.tokens > 0 && slice.expiresAt > Date.now()) {
          slice.tokens--;
          return 0;
        }
        // One reservation at a time per channel; concurrent callers share its result.
        let pending = reserving.get(channelId);
        if (!pending) {
          pending = reserve(channelId, mps).finally(() => reserving.delete(channelId));
          reserving.set(channelId, pending);
        }
        const waitMs = await pending;
        if (waitMs > 0) {
          return waitMs;
        }
      }
    },
  };
}
