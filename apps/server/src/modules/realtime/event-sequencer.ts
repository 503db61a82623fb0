/**
 * Delivers feed events in id order without skipping one whose transaction commits after a higher id's.
 *
 * Event ids come from a sequence when a row is written, but rows become visible when their transaction commits:
 * transaction A takes id 7, B takes id 8, B commits first. A reader that moved its cursor to 8 would never see 7.
 * So a missing id ("gap") holds back everything after it until either
 *   - the row appears (A committed), or
 *   - the gap is proven permanent: every transaction that was writing `inbox_events` when the gap was seen has
 *     ended (the hub asks `pg_locks`: a writer holds its table lock from before it takes an id until it ends), and a
 *     read after that still lacks the row — so its transaction rolled back (`clearBlockingGap`), or
 *   - `gapTimeoutMs` passed (a writer that takes long): later events go out, and the missing ids are watched ("late
 *     ranges") and delivered out of order if they still appear, until `lateWatchMs`.
 * Pure: the caller reads (realtime.store.ts) and passes the rows, the writers and the time.
 */

export interface SequencerOptions {
  /** How long a gap may hold back later events before they go out anyway. */
  gapTimeoutMs: number;
  /** How long ids passed over by a timeout are still looked for. */
  lateWatchMs: number;
  /** At most this many late ranges are watched (the oldest give way). */
  maxLateRanges: number;
}

export const DEFAULT_SEQUENCER_OPTIONS: SequencerOptions = { gapTimeoutMs: 2000, lateWatchMs: 10 * 60_000, maxLateRanges: 64 };

/**
 * Missing ids after the cursor. `writers`: the transactions writing events when it was first checked (undefined:
 * not checked yet). `cleared`: all of them have ended since — a read that still lacks the ids proves them gone.
 */
export type Gap = { from: number; to: number; seenAt: number; writers: readonly string[] | undefined; cleared: boolean };
type LateRange = { from: number; to: number; seenAt: number; delivered: Set<number> };

export interface Accepted<T> {
  /** Events to deliver now: late arrivals first, then the next ones in id order. */
  deliver: T[];
  /** A gap holds back later events: read again soon even without a notification. */
  blocked: boolean;
}

export class EventSequencer<T extends { id: number }> {
  private gaps: Gap[] = [];
  private late: LateRange[] = [];

  /** @param cursorId every id up to here is delivered or settled. */
  constructor(
    private cursorId: number,
    private readonly opts: SequencerOptions = DEFAULT_SEQUENCER_OPTIONS,
  ) {}

  /** Every id up to the cursor is delivered or settled; later events come in id order. */
  get cursor(): number {
    return this.cursorId;
  }

  /** Id ranges at or below the cursor whose rows may still appear: the next read must include them. */
  lateRanges(): Array<{ from: number; to: number }> {
    return this.late.map(({ from, to }) => ({ from, to }));
  }

  /** The gap right after the cursor that holds delivery back, if any. */
  blockingGap(): Readonly<Gap> | undefined {
    return this.findBlocking();
  }

  /** Records who was writing events while the blocking gap is missing; none at all clears it at once. */
  setWriters(writers: readonly string[]): void {
    const gap = this.findBlocking();
    if (gap) {
      gap.writers = writers;
      gap.cleared = writers.length === 0;
    }
  }

  /** Every writer recorded for the blocking gap has ended: the next read decides it. */
  clearBlockingGap(): void {
    const gap = this.findBlocking();
    if (gap) {
      gap.cleared = true;
    }
  }

  /**
   * Takes one read: rows after the cursor (ascending, as many as the read's limit) plus rows found in the late
   * ranges. Call `setWriters`/`clearBlockingGap` BEFORE the read whose rows you pass here.
   * @example const { deliver, blocked } = seq.accept(rows, Date.now());
   */
  accept(rows: readonly T[], now: number): Accepted<T> {
    const deliver = this.takeLate(rows, now);
    let blocked = false;
    for (const row of rows) {
      if (row.id <= this.cursorId) {
        continue;
      }
      if (row.id > this.cursorId + 1 && !this.passGap(this.cursorId + 1, row.id - 1, now)) {
        blocked = true;
        break;
      }
      deliver.push(row);
      this.cursorId = row.id;
    }
    this.gaps = this.gaps.filter((g) => g.to > this.cursorId);
    return { deliver, blocked };
  }

  private findBlocking(): Gap | undefined {
    return this.gaps.find((g) => g.from <= this.cursorId + 1 && g.to > this.cursorId);
  }

  /** Whether the gap [from, to] may be passed now; a gap passed by timeout becomes a late range. */
  private passGap(from: number, to: number, now: number): boolean {
    // A part of a gap seen before keeps what is known about it (its ids were missing then already).
    const known = this.gaps.find((g) => g.from <= to && g.to >= from);
    if (known?.cleared) {
      return true;
    }
    if (known && now - known.seenAt >= this.opts.gapTimeoutMs) {
      this.late.push({ from, to, seenAt: now, delivered: new Set() });
      if (this.late.length > this.opts.maxLateRanges) {
        this.late.shift();
      }
      return true;
    }
    if (known) {
      // The gap shrank (some ids arrived) or stayed: it now spans exactly the missing ids after the cursor.
      known.from = from;
      known.to = to;
    } else {
      this.gaps.push({ from, to, seenAt: now, writers: undefined, cleared: false });
    }
    return false;
  }

  /** Rows that appeared in late ranges, once each; ranges older than the watch time are dropped. */
  private takeLate(rows: readonly T[], now: number): T[] {
    const found: T[] = [];
    for (const range of this.late) {
      for (const row of rows) {
        if (row.id >= range.from && row.id <= range.to && !range.delivered.has(row.id)) {
          range.delivered.add(row.id);
          found.push(row);
        }
      }
    }
    this.late = this.late.filter((r) => now - r.seenAt < this.opts.lateWatchMs);
    return found.sort((a, b) => a.id - b.id);
  }
}
