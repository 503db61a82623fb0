import { describe, expect, it } from 'vitest';
import { withDeadlockRetry } from './db.js';

const deadlock = () => Object.assign(new Error('Failed query: insert …'), { cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }) });

describe('withDeadlockRetry', () => {
  it('repeats work PostgreSQL aborted as a deadlock victim', async () => {
    let calls = 0;
    const result = await withDeadlockRetry(async () => {
      calls++;
      if (calls < 3) {
        throw deadlock();
      }
      return 'stored';
    });
    expect(result).toBe('stored');
    expect(calls).toBe(3);
  });

  it('gives up after the attempts, and never repeats other errors', async () => {
    let calls = 0;
    await expect(withDeadlockRetry(async () => { calls++; throw deadlock(); }, 2)).rejects.toThrow('Failed query');
    expect(calls).toBe(2);
    calls = 0;
    await expect(withDeadlockRetry(async () => { calls++; throw Object.assign(new Error('unique violation'), { code: '23505' }); })).rejects.toThrow('unique violation');
    expect(calls).toBe(1);
  });
});
