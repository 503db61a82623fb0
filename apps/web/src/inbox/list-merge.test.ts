import { describe, expect, it } from 'vitest';
import type { ConversationSummary, ListPage } from './inbox-api';
import { matchesView, mergeRows, type ListRow } from './list-merge';

const ME = 'me';

function row(id: string, minute: number, patch: Partial<ConversationSummary> = {}): ConversationSummary {
  const base = {
    id,
    state: 'queued',
    queue: 'patient-service',
    contact: { id: `c-${id}`, name: `Contact ${id}`, address: '491700000000', language: 'de' },
    channel: { id: 'ch-1', kind: 'whatsapp', name: 'Demo' },
    assignee: null,
    lastMessage: null,
    unreadCount: 0,
    waitingSeconds: 60,
    slaBreached: false,
    queuedAt: null,
    assignedAt: null,
    resolvedAt: null,
    lastInboundAt: null,
    lastActivityAt: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(),
    restricted: false,
  };
  return { ...base, ...patch } as ConversationSummary;
}

const page = (rows: ConversationSummary[], nextCursor: string | null, fetchedAt: number): ListPage => ({ conversations: rows, nextCursor, fetchedAt });
const ids = (rows: ListRow[]) => rows.map((r) => r.row.id);
const all = { view: 'all' as const };

describe('mergeRows', () => {
  it('shows the loaded pages in order when no fresher head exists', () => {
    const pages = [page([row('a', 50), row('b', 40)], 'x', 1), page([row('c', 30)], null, 2)];
    expect(ids(mergeRows({ head: undefined, pages, overrides: new Map(), filters: all, meId: ME }))).toEqual(['a', 'b', 'c']);
  });

  it('puts a conversation with new activity on top, once', () => {
    const pages = [page([row('a', 50), row('b', 40)], 'x', 1), page([row('c', 30), row('d', 20)], null, 1)];
    const head = page([row('d', 59), row('a', 50)], 'y', 5);
    expect(ids(mergeRows({ head, pages, overrides: new Map(), filters: all, meId: ME }))).toEqual(['d', 'a', 'b', 'c']);
  });

  it('keeps rows that newer rows pushed out of the head', () => {
    const pages = [page([row('a', 50), row('b', 40), row('c', 30)], 'x', 1), page([row('e', 10)], null, 1)];
    const head = page([row('n', 59), row('a', 50), row('b', 40)], 'y', 5);
    expect(ids(mergeRows({ head, pages, overrides: new Map(), filters: all, meId: ME }))).toEqual(['n', 'a', 'b', 'c', 'e']);
  });

  it('drops rows that left the view', () => {
    const pages = [page([row('a', 50), row('b', 40), row('c', 30)], 'x', 1), page([row('e', 10)], null, 1)];
    // b was taken by someone: it left "unassigned".
    const head = page([row('n', 59), row('a', 50), row('c', 30)], 'y', 5);
    expect(ids(mergeRows({ head, pages, overrides: new Map(), filters: { view: 'unassigned' }, meId: ME }))).toEqual(['n', 'a', 'c', 'e']);
  });

  it('uses only the head when it is the whole list', () => {
    const pages = [page([row('a', 50), row('b', 40)], null, 1)];
    const head = page([row('b', 40)], null, 5);
    expect(ids(mergeRows({ head, pages, overrides: new Map(), filters: all, meId: ME }))).toEqual(['b']);
  });

  it('replaces a row by a fresher copy, or removes it from a view it left', () => {
    const pages = [page([row('a', 50), row('b', 40)], null, 1)];
    const taken = row('a', 50, { state: 'agent', assignee: { id: ME, name: 'Me' } });
    const overrides = new Map([['a', { row: taken, fetchedAt: 9 }]]);
    expect(mergeRows({ head: undefined, pages, overrides, filters: all, meId: ME })[0]?.row.state).toBe('agent');
    expect(ids(mergeRows({ head: undefined, pages, overrides, filters: { view: 'unassigned' }, meId: ME }))).toEqual(['b']);
  });
});

describe('matchesView', () => {
  it('follows the server’s views', () => {
    const mine = row('a', 1, { state: 'agent', assignee: { id: ME, name: 'Me' } });
    const theirs = row('b', 1, { state: 'agent', assignee: { id: 'other', name: 'Anna' } });
    expect(matchesView(mine, { view: 'mine' }, ME)).toBe(true);
    expect(matchesView(theirs, { view: 'mine' }, ME)).toBe(false);
    expect(matchesView(row('c', 1), { view: 'unassigned' }, ME)).toBe(true);
    expect(matchesView(theirs, { view: 'queue', queue: 'patient-service' }, ME)).toBe(true);
    expect(matchesView(theirs, { view: 'queue', queue: 'hcp-service' }, ME)).toBe(false);
    expect(matchesView(row('d', 1, { state: 'resolved' }), { view: 'resolved' }, ME)).toBe(true);
    expect(matchesView(row('e', 1), { view: 'all', channel: 'sms' }, ME)).toBe(false);
    expect(matchesView(row('e', 1), { view: 'all', channel: 'whatsapp' }, ME)).toBe(true);
  });
});
