/**
 * The list as the agent sees it, from keyset pages loaded while scrolling and a fresh copy of the first page that is
 * reloaded often (or on a realtime event). Reloading every loaded page would cost hundreds of requests at 10,000
 * rows; instead the fresh head replaces the first page, and rows of the older first page that the head no longer
 * holds are kept only when they sort after the head's end (pushed down by newer rows), not when they left the view.
 * A fresher copy of one conversation (the open one, after a move) overrides its row, or removes it from a view it
 * no longer belongs to.
 */
import type { ConversationSummary, ListFilters, ListPage } from './inbox-api';

/** A row with the time its data was fetched (waiting times count on from there). */
export type ListRow = { row: ConversationSummary; fetchedAt: number };

/**
 * The rows to show, in order, without duplicates.
 * @example mergeRows({ head, pages, overrides: new Map(), filters, meId })
 */
export function mergeRows(input: { head: ListPage | undefined; pages: readonly ListPage[]; overrides: ReadonlyMap<string, ListRow>; filters: ListFilters; meId: string | null }): ListRow[] {
  const { head, pages, overrides, filters, meId } = input;
  const first = pages[0];
  const useHead = head !== undefined && (first === undefined || head.fetchedAt >= first.fetchedAt);
  const out: ListRow[] = [];
  const seen = new Set<string>();
  const push = (row: ConversationSummary, fetchedAt: number) => {
    if (seen.has(row.id)) {
      return;
    }
    seen.add(row.id);
    const override = overrides.get(row.id);
    if (override && override.fetchedAt > fetchedAt) {
      if (matchesView(override.row, filters, meId)) {
        out.push(override);
      }
      return;
    }
    out.push({ row, fetchedAt });
  };
  if (!useHead) {
    pages.forEach((page) => page.conversations.forEach((row) => push(row, page.fetchedAt)));
    return out;
  }
  head.conversations.forEach((row) => push(row, head.fetchedAt));
  if (head.nextCursor === null) {
    // The head is the whole list.
    return out;
  }
  const last = head.conversations.at(-1);
  const compare = comparator(filters.sort ?? 'recent');
  const firstFetchedAt = first?.fetchedAt ?? 0;
  for (const row of first?.conversations ?? []) {
    if (last === undefined || compare({ row, fetchedAt: firstFetchedAt }, { row: last, fetchedAt: head.fetchedAt }) > 0) {
      push(row, firstFetchedAt);
    } else {
      // It sorts within the head's range but the head does not have it: it left this view.
      seen.add(row.id);
    }
  }
  pages.slice(1).forEach((page) => page.conversations.forEach((row) => push(row, page.fetchedAt)));
  return out;
}

/**
 * Whether a conversation belongs in the view (the server's rules of `view`, `queue` and `channel`; a search cannot be
 * decided here and keeps the row).
 */
export function matchesView(row: ConversationSummary, filters: ListFilters, meId: string | null): boolean {
  if (filters.queue && row.queue !== filters.queue) {
    return false;
  }
  if (filters.channel && row.channel.id !== filters.channel && row.channel.kind !== filters.channel) {
    return false;
  }
  switch (filters.view) {
    case 'mine':
      return row.state === 'agent' && row.assignee?.id === meId;
    case 'unassigned':
      return row.state === 'queued';
    case 'queue':
      return row.state === 'queued' || row.state === 'agent';
    case 'resolved':
      return row.state === 'resolved';
    case 'all':
      return true;
    default: {
      const never: never = filters.view;
      return never;
    }
  }
}

/** Order of the list: > 0 when `a` comes after `b`. */
function comparator(sort: 'recent' | 'waiting'): (a: ListRow, b: ListRow) => number {
  if (sort === 'recent') {
    return (a, b) => Date.parse(b.row.lastActivityAt) - Date.parse(a.row.lastActivityAt) || (a.row.id < b.row.id ? 1 : a.row.id > b.row.id ? -1 : 0);
  }
  // Longest waiting first: by when the wait began; rows that do not wait come last.
  const began = (r: ListRow) => (r.row.waitingSeconds === null ? Number.POSITIVE_INFINITY : r.fetchedAt - r.row.waitingSeconds * 1000);
  return (a, b) => began(a) - began(b);
}
