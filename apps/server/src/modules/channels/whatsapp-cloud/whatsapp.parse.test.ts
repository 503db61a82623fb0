import { describe, expect, it } from 'vitest';
import { WebhookParseError } from '../channel.port.js';
import { parseWhatsAppWebhook } from './whatsapp.parse.js';

const meta = { display_phone_number: '15550001111', phone_number_id: '109876543210987' };
const envelope = (value: Record<string, unknown>, field = 'messages') =>
  Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '880011223344556', changes: [{ field, value: { messaging_product: 'whatsapp', metadata: meta, ...value } }] }] }));
const inbound = (message: Record<string, unknown>) =>
  parseWhatsAppWebhook(envelope({ contacts: [{ profile: { name: 'Ana' }, wa_id: '5215512345678' }], messages: [{ from: '5215512345678', id: 'wamid.IN1', timestamp: '1767225600', ...message }] }));
const content = (message: Record<string, unknown>) => {
  const [event] = inbound(message);
  if (event?.kind !== 'message') {
    throw new Error(`expected a message, got ${event?.kind}`);
  }
  return event.content;
};

describe('WhatsApp webhook parsing (providers.md §1.5)', () => {
  it('parses a text message with sender, profile name, id and timestamp', () => {
    const [event] = inbound({ type: 'text', text: { body: 'Hallo' } });
    expect(event).toMatchObject({ kind: 'message', providerEventId: 'wamid.IN1', address: '5215512345678', profileName: 'Ana', content: { type: 'text', text: 'Hallo' } });
    expect(event?.kind === 'message' && event.timestamp.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('parses button and list replies with the quoted business message', () => {
    const [button] = inbound({ type: 'interactive', context: { from: '15550001111', id: 'wamid.OUT' }, interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Ja' } } });
    expect(button).toMatchObject({ replyToProviderId: 'wamid.OUT', content: { type: 'interactive_reply', replyId: 'yes', title: 'Ja', via: 'button' } });
    expect(content({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Express', description: '1–2 Tage' } } })).toEqual({
      type: 'interactive_reply',
      replyId: 'r1',
      title: 'Express',
      description: '1–2 Tage',
      via: 'list',
    });
  });

  it('parses template quick-reply buttons, using the payload as the reply id', () => {
    expect(content({ type: 'button', button: { payload: 'OPTOUT', text: 'Abmelden' } })).toEqual({ type: 'interactive_reply', replyId: 'OPTOUT', title: 'Abmelden', via: 'template_button' });
  });

  it.each([
    ['image', { id: 'm1', mime_type: 'image/jpeg', sha256: 'abc=', caption: 'Rezept' }, { mediaType: 'image', mediaId: 'm1', caption: 'Rezept', mimeType: 'image/jpeg' }],
    ['audio', { id: 'm2', mime_type: 'audio/ogg; codecs=opus', sha256: 'x', voice: true }, { mediaType: 'audio', voice: true }],
    ['video', { id: 'm3', mime_type: 'video/mp4', sha256: 'x' }, { mediaType: 'video', mediaId: 'm3' }],
    ['document', { id: 'm4', mime_type: 'application/pdf', sha256: 'x', filename: 'befund.pdf' }, { mediaType: 'document', filename: 'befund.pdf' }],
    ['sticker', { id: 'm5', mime_type: 'image/webp', sha256: 'x', animated: false }, { mediaType: 'sticker', animated: false }],
  ])('parses %s media as an id with its metadata', (type, body, expected) => {
    expect(content({ type, [type]: body })).toMatchObject({ type: 'media', ...expected });
  });

  it('parses location, contacts, reaction (and its removal), order and system messages', () => {
    expect(content({ type: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Praxis' } })).toEqual({ type: 'location', latitude: 52.52, longitude: 13.405, name: 'Praxis' });
    expect(content({ type: 'contacts', contacts: [{ name: { formatted_name: 'Luis' } }] })).toEqual({ type: 'contacts', contacts: [{ name: { formatted_name: 'Luis' } }] });
    expect(content({ type: 'reaction', reaction: { message_id: 'wamid.OUT', emoji: '👍' } })).toEqual({ type: 'reaction', targetProviderId: 'wamid.OUT', emoji: '👍' });
    expect(content({ type: 'reaction', reaction: { message_id: 'wamid.OUT' } })).toEqual({ type: 'reaction', targetProviderId: 'wamid.OUT', emoji: null });
    expect(content({ type: 'order', order: { catalog_id: 'c1', product_items: [{ product_retailer_id: 'SKU', quantity: 2 }] } })).toMatchObject({ type: 'order', catalogId: 'c1', items: [{ quantity: 2 }] });
    expect(content({ type: 'system', system: { body: 'changed', wa_id: '491', type: 'user_changed_number' } })).toEqual({ type: 'system', systemType: 'user_changed_number', body: 'changed', newAddress: '491' });
  });

  it('keeps unsupported and unknown types with what the provider sent, never dropping them', () => {
    expect(content({ type: 'unsupported', errors: [{ code: 131051 }], unsupported: { type: 'poll_creation' } })).toEqual({ type: 'unsupported', providerType: 'poll_creation', errors: [{ code: 131051 }] });
    const unknown = content({ type: 'hologram', hologram: { depth: 3 } });
    expect(unknown).toMatchObject({ type: 'unknown', providerType: 'hologram' });
    expect(unknown.type === 'unknown' && unknown.raw).toMatchObject({ hologram: { depth: 3 } });
  });

  it('parses statuses (one event id per message and status) with errors and the echoed callback data', () => {
    const events = parseWhatsAppWebhook(
      envelope({
        statuses: [
          { id: 'wamid.OUT', status: 'delivered', timestamp: '1767227000', recipient_id: '5215512345678', biz_opaque_callback_data: 'our-id' },
          { id: 'wamid.OUT2', status: 'failed', timestamp: '1767227100', recipient_id: '5215512345678', errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }] },
        ],
      }),
    );
    expect(events[0]).toMatchObject({ kind: 'status', providerEventId: 'wamid.OUT:delivered', status: 'delivered', address: '5215512345678', callbackData: 'our-id' });
    expect(events[1]).toMatchObject({ kind: 'status', status: 'failed', error: { code: '131047', reason: 'more than 24 hours' } });
  });

  it('parses a batch of several entries, messages and statuses in order', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { id: '1', changes: [{ field: 'messages', value: { messages: [{ from: '1', id: 'a', timestamp: '1', type: 'text', text: { body: 'x' } }, { from: '1', id: 'b', timestamp: '2', type: 'text', text: { body: 'y' } }] } }] },
        { id: '1', changes: [{ field: 'messages', value: { statuses: [{ id: 'c', status: 'sent', timestamp: '3', recipient_id: '1' }] } }] },
      ],
    };
    expect(parseWhatsAppWebhook(Buffer.from(JSON.stringify(body))).map((e) => e.providerEventId)).toEqual(['a', 'b', 'c:sent']);
  });

  it('turns value-level errors, user preferences and other fields into stored events', () => {
    const [error] = parseWhatsAppWebhook(envelope({ errors: [{ code: 130429, title: 'Rate limit hit', error_data: { details: 'too many' } }] }));
    expect(error).toMatchObject({ kind: 'error', errors: [{ code: '130429', reason: 'too many' }] });
    const [pref] = parseWhatsAppWebhook(envelope({ user_preferences: [{ wa_id: '491', category: 'marketing_messages', value: 'stop', timestamp: 1767231000 }] }, 'user_preferences'));
    expect(pref).toMatchObject({ kind: 'preference', address: '491', value: 'stop', category: 'marketing_messages' });
    const [template] = parseWhatsAppWebhook(envelope({ event: 'PAUSED', message_template_id: 991122334455667, message_template_name: 'order_ready', message_template_language: 'es_MX', reason: 'NONE' }, 'message_template_status_update'));
    expect(template).toMatchObject({ kind: 'template_status', templateId: '991122334455667', name: 'order_ready', language: 'es_MX', event: 'PAUSED', reason: 'NONE' });
    const [other] = parseWhatsAppWebhook(envelope({ ban_info: { waba_ban_state: 'SCHEDULE_FOR_DISABLE' } }, 'account_update'));
    expect(other).toMatchObject({ kind: 'other', field: 'account_update' });
  });

  it('rejects bodies that are not JSON or not a WhatsApp envelope', () => {
    expect(() => parseWhatsAppWebhook(Buffer.from('{not json'))).toThrow(WebhookParseError);
    expect(() => parseWhatsAppWebhook(Buffer.from('{"object":"page","entry":[]}'))).toThrow(WebhookParseError);
    expect(() => parseWhatsAppWebhook(Buffer.from('[]'))).toThrow(WebhookParseError);
  });
});
