import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

/** Registers an element under an id; returns the function that unregisters it. */
export type RegisterVisible = (id: string, element: Element) => () => void;

const thresholds = [0, 0.25, 0.5, 0.75, 1];
// A message counts as seen when half of it shows, or a good part of a very tall one does.
const minVisiblePixels = 120;

/**
 * Tracks which registered elements are visible inside a scroll container.
 * @example const [visible, register] = useVisibleIds(scrollRef); useEffect(() => register(id, node), [id]);
 */
export function useVisibleIds(root: RefObject<HTMLElement | null>): [ReadonlySet<string>, RegisterVisible] {
  const [visible, setVisible] = useState<ReadonlySet<string>>(() => new Set());
  const elements = useRef(new Map<Element, string>());
  const observer = useRef<IntersectionObserver | undefined>(undefined);

  useEffect(() => {
    const current = new IntersectionObserver(
      (entries) => {
        setVisible((previous) => {
          const next = new Set(previous);
          for (const entry of entries) {
            const id = elements.current.get(entry.target);
            if (id === undefined) {
              continue;
            }
            const seen = entry.isIntersecting && (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= minVisiblePixels);
            if (seen) {
              next.add(id);
            } else {
              next.delete(id);
            }
          }
          return sameMembers(previous, next) ? previous : next;
        });
      },
      { root: root.current, threshold: thresholds },
    );
    for (const element of elements.current.keys()) {
      current.observe(element);
    }
    observer.current = current;
    return () => {
      current.disconnect();
      observer.current = undefined;
    };
  }, [root]);

  const register = useCallback<RegisterVisible>((id, element) => {
    elements.current.set(element, id);
    observer.current?.observe(element);
    return () => {
      elements.current.delete(element);
      observer.current?.unobserve(element);
      setVisible((previous) => {
        if (!previous.has(id)) {
          return previous;
        }
        const next = new Set(previous);
        next.delete(id);
        return next;
      });
    };
  }, []);

  return [visible, register];
}

function sameMembers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}
