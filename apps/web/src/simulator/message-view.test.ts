import { describe, expect, it } from 'vitest';
import type { FakeSentMessage } from './demo-api';
import { toBusinessView, toSafeImageSrc } from './message-view';

const origin = 'http://localhost:3000';

function sent(body: Record<string, unknown>, overrides: Partial<FakeSentMessage> = {}): FakeSentMessage {
  return {
    id: 'wamid.B1',
    phoneNumberId: '100000000000001',
    to: '491701234567',
    type: typeof body.type === 'string' ? body.type : 'text',
    body: { messaging_product: 'whatsapp', to: '491701234567', ...body },
    status: 'delivered',
    statuses: [],
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

describe('toBusinessView', () => {
  it('maps a text message and keeps id, time, tick and quoted message', () => {
    const view = toBusinessView(sent({ type: 'text', text: { body: 'Hallo!' }, context: { message_id: 'wamid.U1' } }), origin);
    expect(view).toEqual({
      id: 'wamid.B1',
      createdAt: 1_700_000_000_000,
      tick: { state: 'delivered' },
      replyToId: 'wamid.U1',
      content: { kind: 'text', text: 'Hallo!' },
    });
  });

  it('maps reply buttons with header, body, footer and options', () => {
    const view = toBusinessView(
      sent({
        type: 'interactive',
        interactive: {
          type: 'button',
          header: { type: 'text', text: 'Termin' },
          body: { text: 'Bestätigen?' },
          footer: { text: 'Praxis Nord' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'yes', title: 'Ja' } },
              { type: 'reply', reply: { id: 'no', title: 'Nein' } },
            ],
          },
        },
      }),
      origin,
    );
    expect(view.content).toEqual({
      kind: 'buttons',
      header: 'Termin',
      body: 'Bestätigen?',
      footer: 'Praxis Nord',
      buttons: [
        { id: 'yes', title: 'Ja' },
        { id: 'no', title: 'Nein' },
      ],
    });
  });

  it('maps a list with its button label, sections and rows', () => {
    const view = toBusinessView(
      sent({
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Wähle ein Thema' },
          action: {
            button: 'Themen',
            sections: [
              { title: 'Allgemein', rows: [{ id: 'faq', title: 'FAQ', description: 'Häufige Fragen' }] },
              { rows: [{ id: 'agent', title: 'Mitarbeiter' }] },
            ],
          },
        },
      }),
      origin,
    );
    expect(view.content).toEqual({
      kind: 'list',
      body: 'Wähle ein Thema',
      buttonLabel: 'Themen',
      sections: [
        { title: 'Allgemein', rows: [{ id: 'faq', title: 'FAQ', description: 'Häufige Fragen' }] },
        { rows: [{ id: 'agent', title: 'Mitarbeiter' }] },
      ],
    });
  });

  it('names a media header of an interactive message instead of dropping it', () => {
    const view = toBusinessView(
      sent({ type: 'interactive', interactive: { type: 'button', header: { type: 'image', image: { id: '1' } }, body: { text: 'B' }, action: { buttons: [] } } }),
      origin,
    );
    expect(view.content).toMatchObject({ kind: 'buttons', header: '[image]' });
  });

  it('maps a call-to-action URL button', () => {
    const view = toBusinessView(
      sent({
        type: 'interactive',
        interactive: { type: 'cta_url', body: { text: 'Mehr' }, action: { name: 'cta_url', parameters: { display_text: 'Öffnen', url: 'https://example.org/a' } } },
      }),
      origin,
    );
    expect(view.content).toEqual({ kind: 'cta-url', body: 'Mehr', label: 'Öffnen', url: 'https://example.org/a' });
  });

  it('shows an unsupported interactive type as unknown, with its body text', () => {
    const view = toBusinessView(sent({ type: 'interactive', interactive: { type: 'flow', body: { text: 'Formular' } } }), origin);
    expect(view.content).toEqual({ kind: 'unknown', type: 'interactive/flow', text: 'Formular' });
  });

  it.each(['image', 'video', 'document', 'audio', 'sticker'] as const)('maps %s media by id with caption and filename', (type) => {
    const view = toBusinessView(sent({ type, [type]: { id: '12345', caption: 'Befund', filename: 'befund.pdf' } }), origin);
    expect(view.content).toEqual({ kind: 'media', mediaType: type, mediaId: '12345', caption: 'Befund', filename: 'befund.pdf' });
  });

  it('shows an image preview only for same-origin or data: links', () => {
    const local = toBusinessView(sent({ type: 'image', image: { link: '/media/a.png' } }), origin);
    const external = toBusinessView(sent({ type: 'image', image: { link: 'https://cdn.example.com/a.png' } }), origin);
    const document = toBusinessView(sent({ type: 'document', document: { link: '/media/a.pdf' } }), origin);
    expect(local.content).toMatchObject({ kind: 'media', previewSrc: 'http://localhost:3000/media/a.png' });
    expect(external.content).toEqual({ kind: 'media', mediaType: 'image', link: 'https://cdn.example.com/a.png' });
    expect(document.content).not.toHaveProperty('previewSrc');
  });

  it('maps a template to its name, language and body parameter values', () => {
    const view = toBusinessView(
      sent({
        type: 'template',
        template: {
          name: 'appointment_reminder',
          language: { code: 'de' },
          components: [
            { type: 'header', parameters: [{ type: 'text', text: 'Kopf' }] },
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Anna' },
                { type: 'currency', currency: { fallback_value: '12,50 €', code: 'EUR', amount_1000: 12500 } },
                { type: 'date_time', date_time: { fallback_value: '5. Januar' } },
              ],
            },
          ],
        },
      }),
      origin,
    );
    expect(view.content).toEqual({ kind: 'template', name: 'appointment_reminder', language: 'de', params: ['Anna', '12,50 €', '5. Januar'] });
  });

  it('maps a location, reading coordinates sent as strings', () => {
    const view = toBusinessView(
      sent({ type: 'location', location: { latitude: '52.52', longitude: '13.405', name: 'Praxis', address: 'Alexanderplatz 1' } }),
      origin,
    );
    expect(view.content).toEqual({ kind: 'location', latitude: 52.52, longitude: 13.405, name: 'Praxis', address: 'Alexanderplatz 1' });
  });

  it('maps contacts to names and phone numbers', () => {
    const view = toBusinessView(
      sent({ type: 'contacts', contacts: [{ name: { formatted_name: 'Service' }, phones: [{ phone: '+4930111', type: 'WORK' }] }] }),
      origin,
    );
    expect(view.content).toEqual({ kind: 'contacts', contacts: [{ name: 'Service', phones: ['+4930111'] }] });
  });

  it('maps a reaction to its target and emoji', () => {
    const view = toBusinessView(sent({ type: 'reaction', reaction: { message_id: 'wamid.U1', emoji: '👍' } }), origin);
    expect(view.content).toEqual({ kind: 'reaction', targetId: 'wamid.U1', emoji: '👍' });
  });

  it('never drops a message of an unknown type', () => {
    const view = toBusinessView(sent({ type: 'order', order: { catalog_id: '1' } }), origin);
    expect(view.content).toEqual({ kind: 'unknown', type: 'order' });
  });

  it('treats a malformed known type as unknown instead of throwing', () => {
    expect(toBusinessView(sent({ type: 'text', text: 'not an object' }), origin).content).toEqual({ kind: 'unknown', type: 'text' });
    expect(toBusinessView(sent({ type: 'template', template: {} }), origin).content).toEqual({ kind: 'unknown', type: 'template' });
    expect(toBusinessView(sent({ type: 'reaction', reaction: {} }), origin).content).toEqual({ kind: 'unknown', type: 'reaction' });
  });

  it('falls back to the stored type when the body has none', () => {
    const view = toBusinessView(sent({ text: { body: 'ohne type' } }, { type: 'text' }), origin);
    expect(view.content).toEqual({ kind: 'text', text: 'ohne type' });
  });
});

describe('toSafeImageSrc', () => {
  it('accepts same-origin and data:image URLs only', () => {
    expect(toSafeImageSrc('data:image/png;base64,AAAA', origin)).toBe('data:image/png;base64,AAAA');
    expect(toSafeImageSrc('data:image/svg+xml;base64,AAAA', origin)).toBeUndefined();
    expect(toSafeImageSrc('http://localhost:3000/x.png', origin)).toBe('http://localhost:3000/x.png');
    expect(toSafeImageSrc('http://localhost:3001/x.png', origin)).toBeUndefined();
    expect(toSafeImageSrc('javascript:alert(1)', origin)).toBeUndefined();
  });
});
