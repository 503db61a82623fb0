import { useCallback, useEffect, useState } from 'react';
import { chatKey, createLocalId, loadChat, saveChat, type ChatState, type Identity, type UserMessage } from './chat-store';
import { postInbound, type DemoChannel, type InboundContent } from './demo-api';
import { getSessionStore } from './session-store';

/** The simulated user's side of one chat and the actions on it. */
export type UserChat = {
  chat: ChatState;
  /** Sends a message; `afterBusinessId` is the newest business message on screen (see UserMessage). */
  send: (content: InboundContent, afterBusinessId: string | null | undefined) => void;
  retry: (localId: string) => void;
  /** Clears this view: the user's messages and every business message created up to `hiddenUntil`. */
  reset: (hiddenUntil: number) => void;
};

/**
 * Holds the messages the simulated user sent in one chat (channel × user), shown at once (optimistically) and kept in
 * sessionStorage so a reload keeps the chat.
 */
export function useUserChat(channel: DemoChannel, identity: Identity): UserChat {
  const key = chatKey(channel.phoneNumberId, identity.waId);
  const [state, setState] = useState(() => ({ key, chat: loadChat(getSessionStore(), key) }));
  let current = state;
  if (state.key !== key) {
    // Switched channel or user: show that chat (React's pattern for state derived from props).
    current = { key, chat: loadChat(getSessionStore(), key) };
    setState(current);
  }

  useEffect(() => {
    saveChat(getSessionStore(), state.key, state.chat);
  }, [state]);

  const update = useCallback((forKey: string, localId: string, patch: Partial<UserMessage>) => {
    const apply = (chat: ChatState): ChatState => ({
      ...chat,
      messages: chat.messages.map((message) => (message.localId === localId ? { ...message, ...patch } : message)),
    });
    setState((previous) => {
      if (previous.key === forKey) {
        return { key: forKey, chat: apply(previous.chat) };
      }
      // The answer arrived after the user switched chats: update the stored one.
      const store = getSessionStore();
      saveChat(store, forKey, apply(loadChat(store, forKey)));
      return previous;
    });
  }, []);

  const deliver = useCallback(
    (localId: string, content: InboundContent) => {
      postInbound({ ...content, phoneNumberId: channel.phoneNumberId, from: identity.waId, profileName: identity.name })
        .then((waMessageId) => update(key, localId, { state: 'sent', ...(waMessageId ? { waMessageId } : {}) }))
        .catch(() => update(key, localId, { state: 'failed' }));
    },
    [channel.phoneNumberId, identity.waId, identity.name, key, update],
  );

  const send = useCallback(
    (content: InboundContent, afterBusinessId: string | null | undefined) => {
      const now = Date.now();
      const message: UserMessage = {
        localId: createLocalId(now),
        sentAt: now,
        content,
        state: 'sending',
        ...(afterBusinessId === undefined ? {} : { afterBusinessId }),
      };
      setState((previous) => ({ ...previous, chat: { ...previous.chat, messages: [...previous.chat.messages, message] } }));
      deliver(message.localId, content);
    },
    [deliver],
  );

  const retry = useCallback(
    (localId: string) => {
      const message = current.chat.messages.find((candidate) => candidate.localId === localId);
      if (message) {
        update(key, localId, { state: 'sending' });
        deliver(localId, message.content);
      }
    },
    [current.chat.messages, deliver, key, update],
  );

  const reset = useCallback((hiddenUntil: number) => {
    setState((previous) => ({ ...previous, chat: { messages: [], hiddenUntil } }));
  }, []);

  return { chat: current.chat, send, retry, reset };
}
