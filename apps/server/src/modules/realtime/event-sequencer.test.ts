import { describe, expect, it } from 'vitest';
import { EventSequencer } from './event-sequencer.js';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));
const ids = (list: Array<{ id: number }>) => list.map((r) => r.id);
const opts = { gapTimeoutMs: 1000, lateWatchMs: 60_000, maxLateRanges: 4 };

describe('event sequencer', () => {
  it('delivers consecutive events in id order and moves the cursor', () => {
    const seq = new EventSequencer(10, opts);
    expect(seq.accept(rows(11, 12, 13), 0)).toEqual({ deliver: rows(11, 12, 13), blocked: false });
    expect(seq.cursor).toBe(13);
    expect(seq.accept(rows(), 1).deliver).toEqual([]);
  });

  it('holds back events after a missing id until it commits, then delivers all in order', () => {
    const seq = new EventSequencer(10, opts);
    // A transaction took id 11 and has not committed; 12 committed first.
    expect(seq.accept(rows(12), 0)).toEqual({ deliver: [], blocked: true });
    expect(seq.cursor).toBe(10);
    expect(seq.blockingGap()).toMatchObject({ from: 11, to: 11, writers: undefined, cleared: false });
    expect(seq.accept(rows(12, 13), 200)).toEqual({ deliver: [], blocked: true });
    expect(ids(seq.accept(rows(11, 12, 13), 300).deliver)).toEqual([11, 12, 13]);
    expect(seq.blockingGap()).toBeUndefined();
  });

  it('passes a gap once every writer seen while it was missing has ended and a read still lacks it (a rollback)', () => {
    const seq = new EventSequencer(10, opts);
    expect(seq.accept(rows(12), 0).blocked).toBe(true);
    seq.setWriters(['3/17', '4/9']);
    expect(seq.accept(rows(12), 60).blocked).toBe(true);
    seq.clearBlockingGap(); // neither 3/17 nor 4/9 writes any more
    expect(ids(seq.accept(rows(12, 13), 80).deliver)).toEqual([12, 13]);
  });

  it('passes a gap at once when nobody was writing events when it was checked', () => {
    const seq = new EventSequencer(10, opts);
    seq.accept(rows(12), 0);
    seq.setWriters([]);
    expect(ids(seq.accept(rows(12), 1).deliver)).toEqual([12]);
  });

  it('keeps what it knows of a gap whose part filled in, and decides the rest', () => {
    const seq = new EventSequencer(10, opts);
    expect(seq.accept(rows(14), 0).blocked).toBe(true); // 11–13 missing
    seq.setWriters(['3/17']);
    expect(seq.accept(rows(11, 14), 100)).toEqual({ deliver: rows(11), blocked: true }); // 12–13 still missing
    expect(seq.blockingGap()).toMatchObject({ from: 12, to: 13, writers: ['3/17'], seenAt: 0 });
    seq.clearBlockingGap();
    expect(ids(seq.accept(rows(13, 14), 200).deliver)).toEqual([13, 14]); // 12 rolled back, 13 committed
  });

  it('lets a gap give way after the timeout, and still delivers the late event once if it commits', () => {
    const seq = new EventSequencer(10, opts);
    expect(seq.accept(rows(12), 0).blocked).toBe(true);
    seq.setWriters(['3/17']); // a long transaction
    expect(ids(seq.accept(rows(12), 1000).deliver)).toEqual([12]);
    expect(seq.lateRanges()).toEqual([{ from: 11, to: 11 }]);
    // 11 commits late: delivered (out of order), exactly once.
    expect(ids(seq.accept(rows(11, 13), 1100).deliver)).toEqual([11, 13]);
    expect(ids(seq.accept(rows(11), 1200).deliver)).toEqual([]);
  });

  it('stops watching late ranges after the watch time and keeps at most maxLateRanges', () => {
    const seq = new EventSequencer(0, opts);
    for (let i = 0; i < 6; i++) {
      const high = 2 * (i + 1);
      seq.accept(rows(high), i * 2000);
      seq.accept(rows(high), i * 2000 + 1000);
    }
    expect(seq.lateRanges()).toEqual([5, 7, 9, 11].map((n) => ({ from: n, to: n })));
    seq.accept(rows(), 200_000);
    expect(seq.lateRanges()).toEqual([]);
  });
});
