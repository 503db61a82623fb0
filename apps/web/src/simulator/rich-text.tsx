import type { ReactNode } from 'react';
import { splitLinks } from './linkify';

/** Message text as React text nodes; http(s) URLs become links that open in a new tab without an opener. */
export function RichText({ text }: { text: string }): ReactNode {
  return (
    <span className="rich-text">
      {splitLinks(text).map((segment, index) =>
        segment.kind === 'link' ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </span>
  );
}
