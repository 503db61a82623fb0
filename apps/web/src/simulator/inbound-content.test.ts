import { describe, expect, it } from 'vitest';
import type { DemoChannel } from './demo-api';
import { toButtonReply, toListReply, toLocationContent, toTextContent } from './inbound-content';

const channel: DemoChannel = { slug: 'demo-whatsapp', name: 'Parley Demo', phoneNumberId: '100000000000001', displayPhoneNumber: '4930123456789' };

describe('inbound content', () => {
  it('builds a text message', () => {
    expect(toTextContent('Hallo')).toEqual({ type: 'text', text: { body: 'Hallo' } });
  });

  it('answers a business message with a button reply in its context', () => {
    expect(toButtonReply(channel, 'wamid.B1', { id: 'yes', title: 'Ja' })).toEqual({
      type: 'interactive',
      context: { from: '4930123456789', id: 'wamid.B1' },
      interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Ja' } },
    });
  });

  it('answers a list message with the picked row', () => {
    expect(toListReply(channel, 'wamid.B2', { id: 'faq', title: 'FAQ', description: 'Fragen' })).toEqual({
      type: 'interactive',
      context: { from: '4930123456789', id: 'wamid.B2' },
      interactive: { type: 'list_reply', list_reply: { id: 'faq', title: 'FAQ', description: 'Fragen' } },
    });
  });

  it('builds a location and rejects coordinates out of range', () => {
    expect(toLocationContent(52.5, 13.4, ' Praxis ')).toEqual({ type: 'location', location: { latitude: 52.5, longitude: 13.4, name: 'Praxis' } });
    expect(toLocationContent(52.5, 13.4, '')).toEqual({ type: 'location', location: { latitude: 52.5, longitude: 13.4 } });
    expect(toLocationContent(91, 0, '')).toBeUndefined();
    expect(toLocationContent(Number.NaN, 0, '')).toBeUndefined();
  });
});
