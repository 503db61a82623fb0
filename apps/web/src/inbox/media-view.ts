/**
 * How the history shows a media message (pure). What a contact sent arrives as a WhatsApp media id, and Parley's own
 * media route streams it (same origin — the only source the page's CSP allows for images and media). Everything
 * else — media the bot or an agent sent by `link`, a message without a media id, a kind this app does not know — is
 * only named, never fetched: the page loads nothing from outside.
 */
import type { MessageKey } from '../i18n';
import type { HistoryMessage } from './inbox-api';

/** The element a media message gets: a picture, a player, a download link, or just its name. */
export type MediaView =
  | { kind: 'image'; url: string; sticker: boolean }
  | { kind: 'audio'; url: string; voice: boolean }
  | { kind: 'video'; url: string }
  | { kind: 'document'; url: string }
  | { kind: 'named' };

/** Which stored message the content belongs to; without it, media are only named. */
export type MediaOrigin = { conversationId: string; messageId: HistoryMessage['id']; direction: HistoryMessage['direction'] };

/**
 * The view of a `{ type: 'media' }` content.
 * @example toMediaView({ type: 'media', mediaType: 'image', mediaId: '123' }, { conversationId: 'c1', messageId: 'm1', direction: 'in' })
 * // → { kind: 'image', url: '/api/inbox/conversations/c1/messages/m1/media', sticker: false }
 */
export function toMediaView(content: Record<string, unknown>, origin: MediaOrigin | undefined): MediaView {
  // The media route serves received files only; outbound media are links or ids Parley uploaded, not the contact's.
  if (!origin || origin.direction !== 'in' || typeof content.mediaId !== 'string' || content.mediaId === '') {
    return { kind: 'named' };
  }
  const url = mediaUrl(origin.conversationId, origin.messageId);
  switch (content.mediaType) {
    case 'image':
      return { kind: 'image', url, sticker: false };
    case 'sticker':
      return { kind: 'image', url, sticker: true };
    case 'audio':
      return { kind: 'audio', url, voice: content.voice === true };
    case 'video':
      return { kind: 'video', url };
    case 'document':
      return { kind: 'document', url };
    default:
      return { kind: 'named' };
  }
}

/**
 * Where Parley streams the file of a received media message (`GET …/messages/:messageId/media`).
 * @example mediaUrl('c1', 'm1') // → '/api/inbox/conversations/c1/messages/m1/media'
 */
export function mediaUrl(conversationId: string, messageId: string): string {
  return `/api/inbox/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/media`;
}

/**
 * The text key that names a media type ("Bild", "Sprachnachricht" …), or undefined for a type this app does not know.
 * @example mediaLabelKey('audio', true) // → 'inbox.hist.voice'
 */
export function mediaLabelKey(mediaType: unknown, voice = false): MessageKey | undefined {
  switch (mediaType) {
    case 'audio':
      return voice ? 'inbox.hist.voice' : 'msg.audio';
    case 'image':
    case 'video':
    case 'document':
    case 'sticker':
      return `msg.${mediaType}`;
    default:
      return undefined;
  }
}

/** What a received file that would not load says, from the media route's answer. */
export type MediaProblem = { key: MessageKey; retry: boolean; download: boolean };

/**
 * Why a file did not load, from the HTTP status of its media route (0: the network failed): 410 — WhatsApp keeps
 * received media 7 days; 404 — the provider does not know the file; a 2xx the browser still could not show — a format
 * it cannot play, offered as a download; anything else — the provider or the network failed for now, worth a retry.
 * @example mediaProblem(410) // → { key: 'inbox.hist.mediaGone', retry: false, download: false }
 */
export function mediaProblem(status: number): MediaProblem {
  if (status === 410) {
    return { key: 'inbox.hist.mediaGone', retry: false, download: false };
  }
  if (status === 404) {
    return { key: 'inbox.hist.mediaMissing', retry: false, download: false };
  }
  if (status >= 200 && status < 300) {
    return { key: 'inbox.hist.mediaUnplayable', retry: false, download: true };
  }
  return { key: 'inbox.hist.mediaUnavailable', retry: true, download: false };
}
