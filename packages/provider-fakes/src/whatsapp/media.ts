import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createNumericId } from './ids.js';
import { MEDIA_KINDS, type MediaKind } from './media-refs.js';

/** Download URLs expire after 5 minutes (providers.md §3.2). */
export const MEDIA_URL_TTL_MS = 5 * 60 * 1000;
/** Uploaded media lives 30 days, media received in webhooks 7 days (§3.1, §3.2). */
export const UPLOADED_MEDIA_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const INBOUND_MEDIA_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Path of download URLs, shaped like lookaside.fbsbx.com/whatsapp_business/attachments/. */
export const DOWNLOAD_PATH = '/whatsapp_business/attachments/';

export interface MediaRecord {
  id: string;
  phoneNumberId: string;
  bytes: Buffer;
  mimeType: string;
  /** base64 of the SHA-256 of the bytes (UNCONFIRMED encoding, §8 item 3). */
  sha256: string;
  fileSize: number;
  filename: string | undefined;
  createdAt: number;
  expiresAt: number;
}

export interface MediaStore {
  add(input: { phoneNumberId: string; bytes: Buffer; mimeType: string; filename?: string; ttlMs: number }, now: number): MediaRecord;
  /** The live record, or undefined when unknown, deleted or expired. */
  get(id: string, now: number): MediaRecord | undefined;
  remove(id: string): boolean;
  /** A fresh signed download URL valid for 5 minutes of fake time. */
  downloadUrl(record: MediaRecord, baseUrl: string, now: number): string;
  /** The record a download URL points to, or undefined when tampered, expired or deleted. */
  resolveDownload(url: URL, now: number): MediaRecord | undefined;
}

export function createMediaStore(): MediaStore {
  const records = new Map<string, MediaRecord>();
  const urlKey = randomBytes(32);
  const sign = (mid: string, ext: string): string => createHmac('sha256', urlKey).update(`${mid}:${ext}`).digest('base64url');

  const store: MediaStore = {
    add(input, now) {
      const record: MediaRecord = {
        id: createNumericId(16),
        phoneNumberId: input.phoneNumberId,
        bytes: input.bytes,
        mimeType: input.mimeType,
        sha256: createHash('sha256').update(input.bytes).digest('base64'),
        fileSize: input.bytes.length,
        filename: input.filename,
        createdAt: now,
        expiresAt: now + input.ttlMs,
      };
      records.set(record.id, record);
      return record;
    },
    get(id, now) {
      const record = records.get(id);
      return record !== undefined && now < record.expiresAt ? record : undefined;
    },
    remove: (id) => records.delete(id),
    downloadUrl(record, baseUrl, now) {
      const ext = String(Math.floor((now + MEDIA_URL_TTL_MS) / 1000));
      const params = new URLSearchParams({ mid: record.id, ext, hash: sign(record.id, ext) });
      return `${baseUrl}${DOWNLOAD_PATH}?${params.toString()}`;
    },
    resolveDownload(url, now) {
      const mid = url.searchParams.get('mid') ?? '';
      const ext = url.searchParams.get('ext') ?? '';
      const hash = Buffer.from(url.searchParams.get('hash') ?? '');
      const expected = Buffer.from(sign(mid, ext));
      if (hash.length !== expected.length || !timingSafeEqual(hash, expected)) {
        return undefined;
      }
      if (now >= Number(ext) * 1000) {
        return undefined;
      }
      return store.get(mid, now);
    },
  };
  return store;
}

/** Supported MIME types and size limits per media kind (providers.md §3.3). */
export const MEDIA_LIMITS: Record<MediaKind, { types: string[]; maxBytes: number }> = {
  audio: { types: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * 1024 * 1024 },
  document: {
    types: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * 1024 * 1024,
  },
  image: { types: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024 },
  // Animated stickers may be 500 KB, static ones 100 KB; the fake cannot tell them apart.
  sticker: { types: ['image/webp'], maxBytes: 500 * 1024 },
  video: { types: ['video/mp4', 'video/3gpp'], maxBytes: 16 * 1024 * 1024 },
};

/** MIME type without parameters, lower-cased (`audio/ogg; codecs=opus` → `audio/ogg`). */
export function baseMimeType(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether a stored MIME type may be sent as this media kind (§3.3). */
export function mimeFitsKind(mimeType: string, kind: MediaKind): boolean {
  return MEDIA_LIMITS[kind].types.includes(baseMimeType(mimeType));
}

/** The limits entry for an upload's MIME type, or undefined for unsupported types. */
export function limitsForMime(mimeType: string): { kind: MediaKind; maxBytes: number } | undefined {
  const base = baseMimeType(mimeType);
  for (const kind of MEDIA_KINDS) {
    const limits = MEDIA_LIMITS[kind];
    if (limits.types.includes(base)) {
      return { kind, maxBytes: limits.maxBytes };
    }
  }
  return undefined;
}
