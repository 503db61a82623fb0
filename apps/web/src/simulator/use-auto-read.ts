import { useEffect, useRef } from 'react';
import { postRead } from './demo-api';
import type { BusinessMessageView } from './message-view';

/**
 * Marks business messages as read when the simulated user can see them: visible in the chat while the tab has focus,
 * like a real phone with the chat open. Only messages the fake reports as sent or delivered are marked; each is tried
 * once per state, so a message that was still "sent" gets another attempt once it is "delivered".
 */
export function useAutoRead(messages: readonly BusinessMessageView[], visibleIds: ReadonlySet<string>, focused: boolean): void {
  const attempted = useRef(new Map<string, string>());

  useEffect(() => {
    if (!focused) {
      return;
    }
    for (const message of messages) {
      const { state } = message.tick;
      if ((state !== 'sent' && state !== 'delivered') || !visibleIds.has(message.id)) {
        continue;
      }
      if (attempted.current.get(message.id) === state) {
        continue;
      }
      attempted.current.set(message.id, state);
      postRead(message.id).catch(() => {
        // Allow another attempt on the next change.
        attempted.current.delete(message.id);
      });
    }
  }, [messages, visibleIds, focused]);
}
