import { describe, expect, it } from 'vitest';
import { singleFlight } from './single-flight';

describe('singleFlight', () => {
  it('runs once at a time and once more for any number of calls meanwhile', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const run = singleFlight(async () => {
      calls++;
      await new Promise<void>((r) => (release = r));
    }, () => false);
    const first = run();
    void run();
    void run();
    expect(calls).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
    release();
    await first;
    expect(calls).toBe(2);
  });

  it('stops repeating once stopped, and runs again after a failure', async () => {
    let calls = 0;
    let stopped = false;
    const run = singleFlight(async () => {
      calls++;
      if (calls === 1) {
        void run();
        stopped = true;
      }
      throw new Error('network');
    }, () => stopped);
    await expect(run()).rejects.toThrow('network');
    expect(calls).toBe(1);
    await expect(run()).rejects.toThrow('network');
    expect(calls).toBe(2);
  });
});
