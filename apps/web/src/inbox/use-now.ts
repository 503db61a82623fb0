import { useEffect, useState } from 'react';

/**
 * The current time in ms, renewed every `everyMs`: waiting times and the window's remaining time keep counting
 * between the server's answers.
 */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
