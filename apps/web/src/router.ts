import { useSyncExternalStore } from 'react';

/** The app's pages by path (`/inbox/<conversation id>` opens a conversation); anything else shows the phone simulator. */
export const PATHS = { simulator: '/', login: '/login', users: '/admin/users', queues: '/admin/queues', privacy: '/admin/privacy-requests', inbox: '/inbox' } as const;

/**
 * The inbox's part of a path: null outside the inbox, else the open conversation's id (or null).
 * @example inboxRoute('/inbox/3f1c…') // { conversationId: '3f1c…' }
 */
export function inboxRoute(path: string): { conversationId: string | null } | null {
  if (path !== PATHS.inbox && !path.startsWith(`${PATHS.inbox}/`)) {
    return null;
  }
  const rest = decodeURIComponent(path.slice(PATHS.inbox.length + 1));
  return { conversationId: rest === '' ? null : rest };
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The current path (`location.pathname`), re-rendering on navigation and the browser's back and forward. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/**
 * Goes to a path of the app without reloading the page (the server answers every such path with the app).
 * @example navigate(PATHS.users);
 */
export function navigate(path: string): void {
  if (path !== window.location.pathname + window.location.search) {
    window.history.pushState(null, '', path);
  }
  listeners.forEach((listener) => listener());
}
