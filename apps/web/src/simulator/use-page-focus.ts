import { useSyncExternalStore } from 'react';

/** True while this tab is visible and has focus: only then does the simulated user "see" messages. */
export function usePageFocus(): boolean {
  return useSyncExternalStore(subscribe, getSnapshot, () => false);
}

/** True while this tab is visible, focused or not (someone may watch it beside another window). */
export function usePageVisible(): boolean {
  return useSyncExternalStore(subscribe, () => document.visibilityState === 'visible', () => false);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('focus', onChange);
  window.addEventListener('blur', onChange);
  document.addEventListener('visibilitychange', onChange);
  return () => {
    window.removeEventListener('focus', onChange);
    window.removeEventListener('blur', onChange);
    document.removeEventListener('visibilitychange', onChange);
  };
}

function getSnapshot(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}
