import { invalidParam, missingParam } from './errors.js';
import { rejectUnknownKeys } from './validation.js';

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'video', 'audio', 'document', 'sticker'];

/** A media object referenced by a send: an uploaded id or a link the fake has to fetch (§2.3). */
export interface MediaRef {
  kind: MediaKind;
  id?: string;
  link?: string;
}

/** Type guard for the five media message types. */
export function isMediaKind(value: string): value is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(value);
}

/** Caption limit for image/video/document (§2.3). */
const CAPTION_MAX = 1024;

const MEDIA_KEYS: Record<MediaKind, string[]> = {
  image: ['id', 'link', 'caption'],
  video: ['id', 'link', 'caption'],
  document: ['id', 'link', 'caption', 'filename'],
  // UNCONFIRMED (§8 item 14): audio/sticker captions are accepted and ignored.
  audio: ['id', 'link', 'caption'],
  sticker: ['id', 'link', 'caption'],
};

/** Validates an `{id}|{link}` media object (§2.3); also used for interactive/template headers. */
export function validateMediaObject(kind: MediaKind, media: Record<string, unknown>, param: string): MediaRef {
  rejectUnknownKeys(media, new Set(MEDIA_KEYS[kind]), param);
  const hasId = media.id !== undefined;
  const hasLink = media.link !== undefined;
  if (!hasId && !hasLink) {
    throw missingParam(`${param}['id'] or ${param}['link']`);
  }
  if (hasId && hasLink) {
    throw invalidParam(`Exactly one of ${param}['id'] or ${param}['link'] must be provided.`);
  }
  if (hasId && (typeof media.id !== 'string' || media.id === '')) {
    throw invalidParam(`Parameter ${param}['id'] must be a media id string.`);
  }
  if (hasLink && (typeof media.link !== 'string' || !/^https?:\/\//i.test(media.link))) {
    throw invalidParam(`Parameter ${param}['link'] must be an http(s) URL.`);
  }
  if (media.caption !== undefined) {
    if (typeof media.caption !== 'string') {
      throw invalidParam(`Parameter ${param}['caption'] must be a string.`);
    }
    if (media.caption.length > CAPTION_MAX && kind !== 'audio' && kind !== 'sticker') {
      throw invalidParam(`Param ${param}['caption'] must be at most ${CAPTION_MAX} characters long.`);
    }
  }
  if (media.filename !== undefined && typeof media.filename !== 'string') {
    throw invalidParam(`Parameter ${param}['filename'] must be a string.`);
  }
  return typeof media.id === 'string' ? { kind, id: media.id } : { kind, link: String(media.link) };
}
