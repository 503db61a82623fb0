import { describe, expect, it } from 'vitest';
import { splitLinks } from './linkify';

describe('splitLinks', () => {
  it('turns http(s) URLs into links and leaves sentence punctuation outside', () => {
    expect(splitLinks('Infos: https://example.org/a?b=1. Danke')).toEqual([
      { kind: 'text', text: 'Infos: ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: '. Danke' },
    ]);
  });

  it('keeps everything else as text, including markup and other schemes', () => {
    const text = '<b>hi</b> javascript:alert(1) www.example.org';
    expect(splitLinks(text)).toEqual([{ kind: 'text', text }]);
  });

  it('handles several links and an empty text', () => {
    expect(splitLinks('http://a.de http://b.de').map((segment) => segment.kind)).toEqual(['link', 'text', 'link']);
    expect(splitLinks('')).toEqual([]);
  });
});
