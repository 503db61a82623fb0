/**
 * The inbox's server state (TanStack Query): the list in keyset pages plus its often-reloaded first page, one
 * conversation, queues and people, and the ownership moves, which refresh what they change.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCurrentUser } from '../auth/session';
import { getConversation, listConversations, listPeople, listQueues, moveConversation, type ListFilters, type OwnershipMove } from './inbox-api';
import { mergeRows, type ListRow } from './list-merge';
import { useLiveUpdates } from './live-updates';
import { setRowOverride, useRowOverrides } from './row-overrides';

/** Rows per keyset page. */
export const PAGE_SIZE = 100;

export const inboxKeys = {
  all: ['inbox'] as const,
  list: (filters: ListFilters) => ['inbox', 'list', filters] as const,
  head: (filters: ListFilters) => ['inbox', 'head', filters] as const,
  conversation: (id: string) => ['inbox', 'conversation', id] as const,
  composer: (id: string) => ['inbox', 'composer', id] as const,
  contact: (id: string) => ['inbox', 'contact', id] as const,
  queues: ['inbox', 'queues'] as const,
  people: ['inbox', 'people'] as const,
};

/** The list for `filters`: rows to show, and how to load more. */
export function useConversationList(filters: ListFilters) {
  const live = useLiveUpdates();
  const me = useCurrentUser();
  const overrides = useRowOverrides();
  const pages = useInfiniteQuery({
    queryKey: inboxKeys.list(filters),
    queryFn: ({ pageParam, signal }) => listConversations(filters, pageParam, PAGE_SIZE, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Loaded pages are not reloaded as a whole (hundreds of requests at 10,000 rows): the head below keeps the top fresh.
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
  });
  const first = pages.data?.pages[0];
  const head = useQuery({
    queryKey: inboxKeys.head(filters),
    queryFn: ({ signal }) => listConversations(filters, undefined, PAGE_SIZE, signal),
    enabled: first !== undefined && !pages.isPlaceholderData,
    // The first page just loaded is the head's first copy: no second request for it.
    initialData: first,
    initialDataUpdatedAt: first?.fetchedAt,
    refetchInterval: live.listIntervalMs,
    staleTime: live.listIntervalMs === false ? 0 : live.listIntervalMs,
  });
  const rows: ListRow[] = mergeRows({ head: head.data, pages: pages.data?.pages ?? [], overrides, filters, meId: me?.id ?? null });
  return {
    rows,
    isLoading: pages.isLoading,
    error: pages.error ?? head.error,
    hasNextPage: pages.hasNextPage,
    isFetchingNextPage: pages.isFetchingNextPage,
    fetchNextPage: () => void pages.fetchNextPage(),
  };
}

/** One conversation with its latest messages; its row also refreshes the list. */
export function useConversation(id: string) {
  const live = useLiveUpdates();
  return useQuery({
    queryKey: inboxKeys.conversation(id),
    queryFn: async ({ signal }) => {
      const detail = await getConversation(id, { signal });
      setRowOverride(detail.conversation, Date.now());
      return detail;
    },
    refetchInterval: live.conversationIntervalMs,
  });
}

export function useQueues() {
  const live = useLiveUpdates();
  return useQuery({ queryKey: inboxKeys.queues, queryFn: ({ signal }) => listQueues(signal), refetchInterval: live.countsIntervalMs, staleTime: 5000 });
}

export function usePeople(enabled = true) {
  const live = useLiveUpdates();
  return useQuery({ queryKey: inboxKeys.people, queryFn: ({ signal }) => listPeople(signal), enabled, refetchInterval: live.countsIntervalMs, staleTime: 5000 });
}

/**
 * Take, assign, transfer, resolve, return to the bot. Success shows the new owner at once (list and conversation);
 * a refusal is the mutation's error (an ApiError: who has it, why not).
 */
export function useMoveConversation(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (move: OwnershipMove) => moveConversation(id, move),
    onSuccess: (row) => setRowOverride(row, Date.now()),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: inboxKeys.conversation(id) });
      void client.invalidateQueries({ queryKey: inboxKeys.composer(id) });
      void client.invalidateQueries({ queryKey: ['inbox', 'head'] });
      void client.invalidateQueries({ queryKey: inboxKeys.queues });
      void client.invalidateQueries({ queryKey: inboxKeys.people });
    },
  });
}
