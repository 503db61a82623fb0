/**
 * The inbox API as the web app calls it (docs/inbox.md "The API"): the conversation list in keyset pages, one
 * conversation with its history, the ownership moves, marking read, queues and people. Shapes are the contracts'
 * (packages/contracts/src/inbox.ts), imported as types only.
 */
import type { ConversationDetail, ConversationSummary, InboxQueue, InboxView } from '@parley/contracts';
import { apiBlob, ApiError, apiRequest } from '../auth/api-client';
import { saveBlob } from '../download';

export type { ConversationDetail, ConversationSummary, HistoryMessage, InboxQueue, InboxView } from '@parley/contracts';

/** What the list shows: the view, and optionally a queue, a channel (id or kind) and a search. */
export type ListFilters = { view: InboxView; queue?: string; channel?: string; q?: string; sort?: 'recent' | 'waiting' };

/** One page of the list; `fetchedAt` lets waiting times keep counting between refreshes. */
export type ListPage = { conversations: ConversationSummary[]; nextCursor: string | null; fetchedAt: number };

/** Someone who can take conversations (`GET /api/inbox/people`). */
export type InboxPerson = { id: string; name: string; roles: string[]; queues: string[]; openConversations: number };

/** Where a transfer goes: a person or a queue. */
export type TransferTarget = { userId: string } | { queue: string };

const base = '/api/inbox';
const conversationPath = (id: string) => `${base}/conversations/${encodeURIComponent(id)}`;

/**
 * One keyset page of the list.
 * @example const first = await listConversations({ view: 'unassigned' }, undefined, 100);
 */
export async function listConversations(filters: ListFilters, cursor: string | undefined, limit: number, signal?: AbortSignal): Promise<ListPage> {
  const params = new URLSearchParams({ view: filters.view, limit: String(limit) });
  for (const key of ['queue', 'channel', 'q', 'sort'] as const) {
    const value = filters[key]?.trim();
    if (value) {
      params.set(key, value);
    }
  }
  if (cursor) {
    params.set('cursor', cursor);
  }
  const answer = await apiRequest<{ conversations: ConversationSummary[]; nextCursor: string | null }>('GET', `${base}/conversations?${params.toString()}`, undefined, { signal });
  return { ...answer, fetchedAt: Date.now() };
}

/** A conversation with its latest `limit` messages, or those before `before` (a seq). */
export async function getConversation(id: string, opts: { before?: number; limit?: number; signal?: AbortSignal } = {}): Promise<ConversationDetail> {
  const params = new URLSearchParams({ limit: String(opts.limit ?? 500) });
  if (opts.before !== undefined) {
    params.set('before', String(opts.before));
  }
  return apiRequest<ConversationDetail>('GET', `${conversationPath(id)}?${params.toString()}`, undefined, { signal: opts.signal });
}

/** The ownership moves; each answers the conversation's row after the move. */
export type OwnershipMove = { kind: 'take' } | { kind: 'resolve' } | { kind: 'return-to-bot' } | { kind: 'assign'; userId: string } | { kind: 'transfer'; to: TransferTarget };

/**
 * Moves a conversation. Refusals are ApiErrors: `conversation.taken` (details.assignee names who has it),
 * `conversation.not_owner`, `conversation.wrong_state`, `user.unavailable`, `queue.not_found`.
 */
export async function moveConversation(id: string, move: OwnershipMove): Promise<ConversationSummary> {
  const body = move.kind === 'assign' ? { userId: move.userId } : move.kind === 'transfer' ? move.to : undefined;
  const answer = await apiRequest<{ conversation: ConversationSummary }>('POST', `${conversationPath(id)}/${move.kind}`, body);
  return answer.conversation;
}

/** Marks the contact's messages read up to `seq` (default: all). */
export async function markRead(id: string, seq?: number): Promise<void> {
  await apiRequest<unknown>('POST', `${conversationPath(id)}/read`, seq === undefined ? {} : { seq });
}

export async function listQueues(signal?: AbortSignal): Promise<InboxQueue[]> {
  return (await apiRequest<{ queues: InboxQueue[] }>('GET', `${base}/queues`, undefined, { signal })).queues;
}

export async function listPeople(signal?: AbortSignal): Promise<InboxPerson[]> {
  return (await apiRequest<{ people: InboxPerson[] }>('GET', `${base}/people`, undefined, { signal })).people;
}

/**
 * The HTTP status of a received file's media route (0 when the network failed), read without keeping the body: why a
 * picture or player could not load (410 expired, 404 unknown, 502 provider down).
 */
export async function mediaStatus(url: string): Promise<number> {
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    void response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * Downloads a received document under its file name, or returns the route's status when it refused (410, 404, 502):
 * a plain download link would leave a failed download in the browser's bar with no reason given.
 */
export async function downloadMedia(url: string, filename: string): Promise<number> {
  try {
    saveBlob(await apiBlob(url), filename);
    return 200;
  } catch (err) {
    return err instanceof ApiError ? err.status : 0;
  }
}
