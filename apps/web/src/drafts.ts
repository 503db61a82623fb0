import { useCallback, useRef, useState } from 'react';

/**
 * Work in progress (form fields now, the inbox composer later) kept in memory outside React, keyed by what it
 * belongs to. A page that is replaced by the sign-in form when its session ends gets its drafts back after signing
 * in again; a reload starts afresh (nothing is written to the device).
 */
const drafts = new Map<string, unknown>();

/**
 * Like useState, but the value outlives the component.
 * @example const [form, setForm, clearForm] = useDraft('users.add', { email: '', name: '' });
 */
export function useDraft<T>(key: string, initial: T): [T, (next: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => (drafts.has(key) ? (drafts.get(key) as T) : initial));
  const reset = useRef(initial);
  const set = useCallback(
    (next: T) => {
      drafts.set(key, next);
      setValue(next);
    },
    [key],
  );
  const clear = useCallback(() => {
    drafts.delete(key);
    setValue(reset.current);
  }, [key]);
  return [value, set, clear];
}
