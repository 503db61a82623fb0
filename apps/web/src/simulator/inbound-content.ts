import type { DemoChannel, InboundContent } from './demo-api';
import type { ReplyOption } from './message-view';

/** A typed text message. */
export function toTextContent(body: string): InboundContent {
  return { type: 'text', text: { body } };
}

/**
 * A tapped reply button, answering business message `messageId` (the context names the business number, as WhatsApp does).
 * @example toButtonReply(channel, 'wamid.X', { id: 'yes', title: 'Ja' })
 */
export function toButtonReply(channel: DemoChannel, messageId: string, option: ReplyOption): InboundContent {
  return {
    type: 'interactive',
    context: { from: channel.displayPhoneNumber, id: messageId },
    interactive: { type: 'button_reply', button_reply: { id: option.id, title: option.title } },
  };
}

/** A row picked from a list message. */
export function toListReply(channel: DemoChannel, messageId: string, row: ReplyOption): InboundContent {
  const description = row.description === undefined ? {} : { description: row.description };
  return {
    type: 'interactive',
    context: { from: channel.displayPhoneNumber, id: messageId },
    interactive: { type: 'list_reply', list_reply: { id: row.id, title: row.title, ...description } },
  };
}

/** A shared location; undefined when the coordinates are out of range. */
export function toLocationContent(latitude: number, longitude: number, name: string): InboundContent | undefined {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    return undefined;
  }
  const trimmed = name.trim();
  return { type: 'location', location: { latitude, longitude, ...(trimmed ? { name: trimmed } : {}) } };
}
