import { useSyncExternalStore } from 'react';
import type { ConversationSummary } from './inbox-api';
import type { ListRow } from './list-merge';

/**
 * The freshest copy of single conversations the app has seen outside the list (the open conversation, the answer
 * to a move), so the list shows a take or a resolve at once instead of at its next refresh.
 */
let overrides: ReadonlyMap<string, ListRow> = new Map();
const listeners = new Set<() => void>();

/** Remembers `row` as fetched at `fetchedAt`, unless a fresher copy is already known. */
export function setRowOverride(row: ConversationSummary, fetchedAt: number): void {
  const known = overrides.get(row.id);
  if (known && known.fetchedAt >= fetchedAt) {
    return;
  }
  const next = new Map(overrides);
  next.set(row.id, { row, fetchedAt });
  overrides = next;
  listeners.forEach((listener) => listener());
}

/** The overrides, re-rendering when one changes. */
export function useRowOverrides(): ReadonlyMap<string, ListRow> {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => overrides,
  );
}
