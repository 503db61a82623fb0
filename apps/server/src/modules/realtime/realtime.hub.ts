/**
 * The realtime hub of one process (ARCHITECTURE §2, §9): ONE database LISTEN, one reader of `inbox_events`, and
 * fan-out to this process's subscribers (WebSocket sessions), filtered by workspace. Every process reads the same
 * table, so a change committed through any process on the same PostgreSQL reaches the clients of all of them.
 *
 * A NOTIFY only wakes the reader; the events come from the table, in id order, through the EventSequencer (which
 * holds back events behind a transaction that has not committed yet, and asks `pg_locks` whether one rolled back).
 * Reads are coalesced (at most one per `minReadIntervalMs`) and fall back to polling every `pollMs`, which also
 * covers a lost LISTEN connection. The hub reads only while someone is subscribed; after an idle spell it resumes
 * near the newest event.
 *
 * Who receives what (GDPR-20): a subscriber's audience says whether it may see conversations of restricted contacts
 * (admins and the admin token) or not (agents, the inbox list's rule: inbox.policy.ts `seesRestricted`). The read of
 * the table also answers, per event, whether its contact is restricted now (no query per event or per client, no
 * extra round trip); events of those go only to audiences that see restricted contacts. The sequencer always sees
 * every id — a withheld event is not a gap — and a restriction set or lifted applies from the next read on.
 */
import type { InboxEvent } from '@parley/contracts';
import type { Database } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import { DEFAULT_SEQUENCER_OPTIONS, EventSequencer, type SequencerOptions } from './event-sequencer.js';
import { findEventBounds, findRestrictedConversations, INBOX_CHANNEL, listFeedWriters, readFeed, type ReadRow, toEvent, withRestriction } from './realtime.store.js';

export interface FeedHubOptions {
  database: Database;
  logger: Logger;
  /** Safety net when no notification comes (lost LISTEN connection). */
  pollMs?: number;
  /** Coalesces notifications: at most one read per this interval. */
  minReadIntervalMs?: number;
  /** How soon to look again while a gap holds events back. */
  gapRetryMs?: number;
  /** How old a gap must be before the hub asks who is still writing (`pg_locks`). */
  probeAfterMs?: number;
  pageSize?: number;
  /** On (re)activation the hub starts this many ids before the newest, so open transactions are waited for. */
  startWindow?: number;
  sequencer?: Partial<SequencerOptions>;
  now?: () => number;
}

/**
 * Whom a subscription delivers to: one workspace's inbox, and whether the reader may see conversations of restricted
 * contacts now (asked at every delivery, so a role lost while connected counts from the next events).
 */
export interface FeedAudience {
  workspaceId: string;
  seesRestricted(): boolean;
}

/** A subscriber's handle. `cursor`: every later delivery has a higher id, except the rare late event. */
export interface FeedSubscription {
  readonly cursor: number;
  close(): void;
}

export interface FeedHub {
  /**
   * Delivers the audience's events from now on to `onEvents`, in batches: its workspace's, without those of
   * restricted contacts unless it sees them. Resolves once the hub follows the table.
   * @example const sub = await hub.subscribe({ workspaceId, seesRestricted: () => false }, (events) => socket.send(JSON.stringify(events)));
   */
  subscribe(audience: FeedAudience, onEvents: (events: InboxEvent[]) => void): Promise<FeedSubscription>;
  /** Stops reading and listening; subscribers receive nothing more. */
  stop(): Promise<void>;
}

/** Builds the process's hub; nothing happens until the first subscriber comes. */
export function createFeedHub(opts: FeedHubOptions): FeedHub {
  const { database, logger } = opts;
  const now = opts.now ?? (() => Date.now());
  const pollMs = opts.pollMs ?? 1000;
  const minInterval = opts.minReadIntervalMs ?? 10;
  const gapRetryMs = opts.gapRetryMs ?? 25;
  const pageSize = opts.pageSize ?? 500;
  const startWindow = opts.startWindow ?? 1000;
  // PGlite runs one transaction at a time: when the hub reads, nothing else is writing, so a gap is a rollback.
  const probeAfterMs = opts.probeAfterMs ?? (database.kind === 'pglite' ? 0 : 50);
  const seqOptions = { ...DEFAULT_SEQUENCER_OPTIONS, ...opts.sequencer };

  const subscribers = new Map<number, { audience: FeedAudience; onEvents: (events: InboxEvent[]) => void }>();
  let nextSubscriber = 1;
  let sequencer: EventSequencer<ReadRow> | undefined;
  let listening: Promise<() => Promise<void>> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let lastReadAt = 0;
  let wakeTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let activating: Promise<void> | undefined;
  let stopped = false;

  const active = () => !stopped && subscribers.size > 0;

  /**
   * Reads until caught up or held back by a gap. A call during a read returns that read's promise and makes the hub
   * read again soon after (coalescing: at most one read per `minReadIntervalMs` while notifications pour in).
   */
  const pump = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        while ((await readOnce()) && active()) {
          // a full page: there is more
        }
      } catch (err) {
        logger.warn({ err }, 'realtime feed: reading inbox events failed; retrying');
        schedule(pollMs);
      } finally {
        running = undefined;
        if (again) {
          again = false;
          schedule(Math.max(0, lastReadAt + minInterval - now()));
        }
      }
    })();
    return running;
  };

  /** One read; true when a full page came back (there is more). */
  const readOnce = async (): Promise<boolean> => {
    const seq = sequencer;
    if (!seq) {
      return false;
    }
    lastReadAt = now();
    await probeGap(seq);
    const before = seq.cursor;
    const rows = await readFeed(database.db, { cursor: before, limit: pageSize, late: seq.lateRanges(), resolveRestricted: subscribedWorkspaces() });
    // Before the sequencer takes the rows: a failed look-up leaves the cursor where it was, and the read is repeated.
    const restricted = await restrictedOf(rows);
    const { deliver, blocked } = seq.accept(rows, now());
    fanOut(deliver, restricted);
    if (blocked) {
      schedule(gapRetryMs);
      return false;
    }
    return rows.filter((r) => r.id > before).length >= pageSize;
  };

  /**
   * A gap that has not filled by itself within `probeAfterMs`: note who is writing events now, and once all of them
   * have ended, let the next read decide it (event-sequencer.ts). Transient gaps fill before this is needed.
   */
  const probeGap = async (seq: EventSequencer<ReadRow>) => {
    const gap = seq.blockingGap();
    if (!gap || gap.cleared || now() - gap.seenAt < probeAfterMs) {
      return;
    }
    const writers = await listFeedWriters(database.db);
    if (gap.writers === undefined) {
      seq.setWriters(writers);
    } else if (!gap.writers.some((w) => writers.includes(w))) {
      seq.clearBlockingGap();
    }
  };

  const subscribedWorkspaces = () => [...new Set([...subscribers.values()].map((s) => s.audience.workspaceId))];

  /**
   * The conversations among `rows` whose contact is restricted. A row the read did not resolve belongs to a workspace
   * whose first subscriber came during the read: looked up now, so no one receives it unchecked (rare).
   */
  const restrictedOf = async (rows: readonly ReadRow[]): Promise<Set<string>> => {
    const restricted = new Set(rows.filter((r) => r.restricted === true).map((r) => r.conversationId));
    const workspaces = new Set(subscribedWorkspaces());
    const unresolved = rows.filter((r) => r.restricted === null && workspaces.has(r.workspaceId));
    if (unresolved.length > 0) {
      (await findRestrictedConversations(database.db, unresolved)).forEach((id) => restricted.add(id));
    }
    return restricted;
  };

  /** `restricted`: the conversations whose events only audiences that see restricted contacts receive. */
  const fanOut = (rows: ReadRow[], restricted: ReadonlySet<string>) => {
    if (rows.length === 0) {
      return;
    }
    const byWorkspace = new Map<string, { all: InboxEvent[]; visible: InboxEvent[] }>();
    for (const row of rows) {
      let lists = byWorkspace.get(row.workspaceId);
      if (!lists) {
        lists = { all: [], visible: [] };
        byWorkspace.set(row.workspaceId, lists);
      }
      const hidden = restricted.has(row.conversationId);
      const event = withRestriction(toEvent(row), hidden);
      lists.all.push(event);
      // A visibility event goes to every reader: without it an agent's open inbox would keep showing the conversation.
      if (!hidden || event.kind === 'conversation.visibility') {
        lists.visible.push(event);
      }
    }
    for (const sub of subscribers.values()) {
      const lists = byWorkspace.get(sub.audience.workspaceId);
      const events = lists && (sub.audience.seesRestricted() ? lists.all : lists.visible);
      if (events && events.length > 0) {
        try {
          sub.onEvents(events);
        } catch (err) {
          logger.warn({ err }, 'realtime feed: a subscriber failed');
        }
      }
    }
  };

  /** A read in `delayMs` (or at once), unless one is already due sooner. */
  const schedule = (delayMs: number) => {
    if (wakeTimer || !active()) {
      return;
    }
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      if (active()) {
        void pump();
      }
    }, delayMs);
  };

  const onNotify = () => {
    if (active()) {
      schedule(Math.max(0, lastReadAt + minInterval - now()));
    }
  };

  /** Starts following the table: LISTEN once per process, then position near the newest event and catch up. */
  const activate = async () => {
    listening ??= database.listen(INBOX_CHANNEL, onNotify);
    await listening;
    const { maxId } = await findEventBounds(database.db);
    const newest = maxId ?? 0;
    // Idle for long (or never started): jump close to the newest event instead of reading the whole backlog. The
    // window's events are read like live ones, so transactions that were open at this moment are waited for.
    if (!sequencer || newest - sequencer.cursor > startWindow) {
      sequencer = new EventSequencer(Math.max(0, newest - startWindow), seqOptions);
    }
    // A read that starts after the positioning: let a loop already under way finish first.
    while (running) {
      await running;
    }
    await pump();
    pollTimer ??= setInterval(() => active() && void pump(), pollMs);
    pollTimer.unref();
  };

  return {
    async subscribe(audience, onEvents) {
      if (stopped) {
        throw new Error('the realtime hub is stopped');
      }
      if (subscribers.size === 0) {
        activating ??= activate().finally(() => {
          activating = undefined;
        });
      }
      // Registered before activation finishes: what the catch-up reads is delivered to nobody, then live events.
      const id = nextSubscriber++;
      const entry = { audience, onEvents: (_events: InboxEvent[]) => undefined as void };
      subscribers.set(id, entry);
      try {
        await activating;
      } catch (err) {
        subscribers.delete(id);
        throw err;
      }
      // From here on this subscriber receives every delivery; all of them lie past `cursor` (or are late events).
      entry.onEvents = onEvents;
      const cursor = sequencer?.cursor ?? 0;
      return {
        cursor,
        close() {
          subscribers.delete(id);
          if (subscribers.size === 0 && pollTimer) {
            clearInterval(pollTimer);
            pollTimer = undefined;
          }
        },
      };
    },
    async stop() {
      stopped = true;
      subscribers.clear();
      clearTimeout(wakeTimer);
      clearInterval(pollTimer);
      await running?.catch(() => undefined);
      const unlisten = await listening?.catch(() => undefined);
      await unlisten?.();
    },
  };
}
