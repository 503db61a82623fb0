import type { KeyValueStore } from './chat-store';

/** This tab's sessionStorage, or undefined where storage is disabled (the simulator then keeps state in memory). */
export function getSessionStore(): KeyValueStore | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
