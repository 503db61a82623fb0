/** The composer's server state: what it may offer now, sending, notes, and the two pickers. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addNote, getComposerState, searchCanned, searchLibrary, sendAgentMessage, type AgentMessage } from './composer-api';
import type { ConversationSummary } from './inbox-api';
import { inboxKeys } from './inbox-queries';
import { useLiveUpdates } from './live-updates';

/**
 * What the composer may offer for `row` now. Reloaded when the owner or the contact's last message changes (the
 * window opens again when they write), and on the live cadence.
 */
export function useComposerState(row: Pick<ConversationSummary, 'id' | 'state' | 'assignee' | 'lastInboundAt'>) {
  const live = useLiveUpdates();
  return useQuery({
    queryKey: [...inboxKeys.composer(row.id), row.state, row.assignee?.id ?? null, row.lastInboundAt],
    queryFn: ({ signal }) => getComposerState(row.id, signal),
    // The composer stays while it reloads (the outcome of a send stays on screen when the window closes).
    placeholderData: keepPreviousData,
    refetchInterval: live.conversationIntervalMs === false ? 60_000 : live.conversationIntervalMs * 5,
  });
}

export type SendMutation = ReturnType<typeof useSendMessage>;

/** Sends a reply; the history reloads either way (a refusal may have stored a blocked message). */
export function useSendMessage(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (message: AgentMessage) => sendAgentMessage(conversationId, message),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: inboxKeys.conversation(conversationId) });
      void client.invalidateQueries({ queryKey: ['inbox', 'head'] });
    },
  });
}

export function useAddNote(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => addNote(conversationId, text),
    onSuccess: () => client.invalidateQueries({ queryKey: inboxKeys.conversation(conversationId) }),
  });
}

/** Approved library items valid now, for `q` in `lang`. */
export function useLibrarySearch(q: string, lang: string, enabled: boolean) {
  return useQuery({ queryKey: ['inbox', 'library', q, lang], queryFn: ({ signal }) => searchLibrary(q, lang, signal), enabled, staleTime: 30_000 });
}

export function useCannedSearch(q: string, lang: string, enabled: boolean) {
  return useQuery({ queryKey: ['inbox', 'canned', q, lang], queryFn: ({ signal }) => searchCanned(q, lang, signal), enabled, staleTime: 30_000 });
}
