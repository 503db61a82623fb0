/** A piece of message text: plain text, or an http(s) URL that may be shown as a link. */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/gi;
// Punctuation that usually ends a sentence rather than a URL ("see https://x.org/a.").
const trailing = /[.,;:!?)\]}]+$/;

/**
 * Splits message text into text and link segments. Only absolute http(s) URLs become links; everything is later
 * rendered as React text nodes, never as HTML.
 * @example splitLinks('Info: https://example.org.') // [text 'Info: ', link 'https://example.org', text '.']
 */
export function splitLinks(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index;
    const raw = match[0];
    const url = raw.replace(trailing, '');
    const href = toHttpHref(url);
    if (!href) {
      continue;
    }
    if (start > last) {
      segments.push({ kind: 'text', text: text.slice(last, start) });
    }
    segments.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) {
    segments.push({ kind: 'text', text: text.slice(last) });
  }
  return segments;
}

/** The normalised URL when it parses as http(s), else undefined. */
export function toHttpHref(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
