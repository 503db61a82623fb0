import type { OutboundContent } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { mapGraphError } from './whatsapp.client.js';
import { renderWhatsApp } from './whatsapp.render.js';

const ctx = { to: '491701234567', language: 'de', callbackData: 'msg-1' };
const render = (content: OutboundContent, c = ctx) => {
  const [body] = renderWhatsApp(content, c);
  return body as Record<string, unknown> & { interactive?: Record<string, unknown> };
};
const options = (n: number, title = (i: number) => `Option ${i}`) => Array.from({ length: n }, (_, i) => ({ id: `o${i + 1}`, title: title(i + 1) }));

describe('WhatsApp rendering (providers.md §2)', () => {
  it('renders text with the recipient, callback data and a quoted reply', () => {
    expect(render({ type: 'text', text: 'Hallo' }, { ...ctx, replyToProviderId: 'wamid.IN' } as typeof ctx)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '491701234567',
      biz_opaque_callback_data: 'msg-1',
      context: { message_id: 'wamid.IN' },
      type: 'text',
      text: { body: 'Hallo', preview_url: false },
    });
  });

  it('renders up to 3 short options as reply buttons', () => {
    const body = render({ type: 'menu', body: 'Was möchten Sie?', options: options(3) });
    expect(body.type).toBe('interactive');
    expect(body.interactive).toMatchObject({ type: 'button', body: { text: 'Was möchten Sie?' } });
    expect((body.interactive?.action as { buttons: unknown[] }).buttons).toHaveLength(3);
  });

  it('renders 4–10 options, or titles too long for buttons, as a list with a localised button', () => {
    const list = render({ type: 'menu', body: 'Themen', options: options(7) });
    expect(list.interactive).toMatchObject({ type: 'list', action: { button: 'Auswählen' } });
    const rows = (list.interactive?.action as { sections: Array<{ rows: unknown[] }> }).sections[0]?.rows;
    expect(rows).toHaveLength(7);
    const longTitles = render({ type: 'menu', body: 'x', options: options(2, (i) => `A rather long option title ${i}`) });
    expect(longTitles.interactive?.type).toBe('list');
    const [row] = (longTitles.interactive?.action as { sections: Array<{ rows: Array<{ title: string; description: string }> }> }).sections[0]!.rows;
    expect(row!.title.length).toBeLessThanOrEqual(24);
    expect(row!.description).toBe('A rather long option title 1');
  });

  it('renders more than 10 options as numbered text in the contact language', () => {
    const body = render({ type: 'menu', body: 'Alle Themen', options: options(12) }, { ...ctx, language: 'en' });
    expect(body.type).toBe('text');
    const text = (body.text as { body: string }).body;
    expect(text).toContain('1. Option 1');
    expect(text).toContain('12. Option 12');
    expect(text).toContain('Reply with the number.');
  });

  it('renders media by id or link, with caption and filename only where WhatsApp shows them', () => {
    expect(render({ type: 'media', mediaType: 'document', link: 'https://example.org/a.pdf', caption: 'Info', filename: 'a.pdf' })).toMatchObject({
      type: 'document',
      document: { link: 'https://example.org/a.pdf', caption: 'Info', filename: 'a.pdf' },
    });
    expect(render({ type: 'media', mediaType: 'audio', mediaId: '123', caption: 'ignored' })).toMatchObject({ type: 'audio', audio: { id: '123' } });
    expect((render({ type: 'media', mediaType: 'audio', mediaId: '123', caption: 'x' }).audio as Record<string, unknown>).caption).toBeUndefined();
  });

  it('renders templates with header, body and button parameters', () => {
    const body = render({
      type: 'template',
      name: 'appointment_reminder',
      language: 'de',
      body: [{ type: 'text', text: 'Ana' }, { type: 'date_time', fallback: '5. Januar' }],
      buttons: [{ index: 0, subType: 'quick_reply', value: 'CONFIRM' }],
    });
    expect(body.template).toEqual({
      name: 'appointment_reminder',
      language: { code: 'de' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'date_time', date_time: { fallback_value: '5. Januar' } }] },
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'CONFIRM' }] },
      ],
    });
  });

  it('renders reactions without a context', () => {
    const body = render({ type: 'reaction', targetProviderId: 'wamid.IN', emoji: '👍' }, { ...ctx, replyToProviderId: 'wamid.IN' } as typeof ctx);
    expect(body).toMatchObject({ type: 'reaction', reaction: { message_id: 'wamid.IN', emoji: '👍' } });
    expect(body.context).toBeUndefined();
  });
});

describe('Graph error mapping (providers.md §2.12)', () => {
  it.each([130429, 131056, 131000, 131016, 131057])('retries %i with a wait', (code) => {
    const e = mapGraphError(code);
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBeGreaterThan(0);
  });
  it.each([131047, 131026, 131050, 132000, 132001, 190])('treats %i as final with a readable reason', (code) => {
    const e = mapGraphError(code, 'provider detail');
    expect(e).toMatchObject({ code: String(code), retryable: false });
    expect(e.reason).not.toBe('');
  });
  it('explains the 24-hour window for 131047', () => {
    expect(mapGraphError(131047).reason).toMatch(/24 hours.*template/);
  });
});
