import { deliverForPhone, type FakeContext } from './context.js';
import { inboundValue, userPreferencesValue } from './envelopes.js';
import { toWebhookError } from './errors.js';
import { isRecord } from './http.js';
import { createWamid } from './ids.js';
import { INBOUND_MEDIA_TTL_MS } from './media.js';
import { isMediaKind, type MediaKind } from './media-refs.js';
import { digitsOf } from './phone.js';
import type { PhoneNumberState } from './state.js';
import type { FakeInbound } from './types.js';

/** Bad input to a test-control operation (rendered as 400 by the control API). */
export class FakeInputError extends Error {}

/** Inbound types of providers.md §1.5 the fake can inject. */
const INBOUND_TYPES = new Set([
  'text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive',
  'button', 'reaction', 'order', 'system', 'unsupported', 'request_welcome',
]);
const DEFAULT_MIME: Record<MediaKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
};

/** Both operations validate their input themselves, so the control API can pass raw JSON. */
export interface InboundService {
  inject(input: FakeInbound | Record<string, unknown>): { id: string };
  injectUserPreference(p: unknown): void;
}

function phoneFor(ctx: FakeContext, phoneNumberId: unknown): PhoneNumberState {
  if (phoneNumberId === undefined) {
    return ctx.state.firstPhone();
  }
  const phone = typeof phoneNumberId === 'string' ? ctx.state.findPhone(phoneNumberId) : undefined;
  if (phone === undefined) {
    throw new FakeInputError(`unknown phoneNumberId ${String(phoneNumberId)}`);
  }
  return phone;
}

function waIdOf(value: unknown, field: string): string {
  const digits = typeof value === 'string' ? digitsOf(value) : '';
  if (typeof value !== 'string' || digits.length < 5 || digits.length > 20 || !/^\+?[\d\s()-]+$/.test(value)) {
    throw new FakeInputError(`${field} must be a phone number (digits, optional +)`);
  }
  return digits;
}

/**
 * Builds inbound webhooks (providers.md §1.3–§1.5), records the message as a target for mark-read,
 * reactions and replies, and (re)opens the 24-hour customer service window (§4.1).
 */
export function createInboundService(ctx: FakeContext): InboundService {
  return {
    inject(input) {
      if (!isRecord(input)) {
        throw new FakeInputError('body must be an object');
      }
      const phone = phoneFor(ctx, input.phoneNumberId);
      const from = waIdOf(input.from, 'from');
      if (typeof input.type !== 'string' || !INBOUND_TYPES.has(input.type)) {
        throw new FakeInputError(`type must be one of ${[...INBOUND_TYPES].join(', ')}`);
      }
      const now = ctx.clock.now();
      const id = typeof input.id === 'string' && input.id !== '' ? input.id : createWamid(from);
      const message: Record<string, unknown> = {};
      const context = contextOf(input.context, phone);
      if (context !== undefined) {
        message.context = context;
      }
      message.from = from;
      message.id = id;
      message.timestamp = typeof input.timestamp === 'string' ? input.timestamp : String(Math.floor(now / 1000));
      message.type = input.type;
      Object.assign(message, bodyOf(ctx, phone, input, input.type, now));
      if (input.referral !== undefined) {
        message.referral = input.referral;
      }

      const profileName = typeof input.profileName === 'string' ? input.profileName : ctx.state.user(from).name;
      if (typeof input.profileName === 'string') {
        ctx.state.updateUser(from, { name: input.profileName });
      }
      const contact: Record<string, unknown> = profileName === undefined ? { wa_id: from } : { profile: { name: profileName }, wa_id: from };
      ctx.state.inbound.set(id, { id, phoneNumberId: phone.phoneNumberId, from, type: input.type, at: now });
      // §4.1: every user message (re)opens the window; a number-change notice is not a user message.
      if (input.type !== 'system') {
        ctx.state.openWindow(phone.phoneNumberId, from, now);
      }
      ctx.events.emit({ type: 'inbound', at: now, data: { phoneNumberId: phone.phoneNumberId, message: structuredClone(message), contact } });
      deliverForPhone(ctx, phone, `${phone.phoneNumberId}:${from}`, { field: 'messages', value: inboundValue(phone, contact, message) });
      return { id };
    },
    injectUserPreference(p) {
      if (!isRecord(p) || (p.value !== 'stop' && p.value !== 'resume')) {
        throw new FakeInputError('value must be "stop" or "resume"');
      }
      const phone = phoneFor(ctx, p.phoneNumberId);
      const waId = waIdOf(p.waId, 'waId');
      // §4.7: after `stop`, marketing templates fail with 131050; utility/authentication are unaffected.
      ctx.state.updateUser(waId, { marketingOptOut: p.value === 'stop' });
      const value = userPreferencesValue(phone, waId, p.value, ctx.clock.now());
      deliverForPhone(ctx, phone, `${phone.phoneNumberId}:${waId}`, { field: 'user_preferences', value });
    },
  };
}

/** Replies reference the business message by id; `from` defaults to the business display number (§1.5). */
function contextOf(context: unknown, phone: PhoneNumberState): Record<string, unknown> | undefined {
  if (context === undefined) {
    return undefined;
  }
  if (!isRecord(context)) {
    throw new FakeInputError('context must be an object');
  }
  if (typeof context.id === 'string' && context.from === undefined) {
    return { from: phone.displayDigits, ...context };
  }
  return { ...context };
}

function bodyOf(ctx: FakeContext, phone: PhoneNumberState, input: Record<string, unknown>, type: string, now: number): Record<string, unknown> {
  const raw = input[type];
  if (type === 'request_welcome') {
    return {};
  }
  if (type === 'unsupported') {
    const errors = input.errors ?? [toWebhookError(131051)];
    return raw === undefined ? { errors } : { errors, unsupported: raw };
  }
  if (type === 'contacts') {
    if (!Array.isArray(raw) || raw.length === 0) {
      throw new FakeInputError('contacts must be a non-empty array');
    }
    return { contacts: raw };
  }
  if (!isRecord(raw)) {
    throw new FakeInputError(`${type} body is required for type ${type}`);
  }
  const body: Record<string, unknown> = { ...raw };
  if (type === 'text' && typeof body.body !== 'string') {
    throw new FakeInputError('text.body must be a string');
  }
  if (type === 'location' && (typeof body.latitude !== 'number' || typeof body.longitude !== 'number')) {
    throw new FakeInputError('location.latitude and location.longitude must be numbers');
  }
  if (type === 'reaction' && typeof body.message_id !== 'string') {
    throw new FakeInputError('reaction.message_id must be a string');
  }
  if (type === 'button') {
    if (typeof body.text !== 'string') {
      throw new FakeInputError('button.text must be a string');
    }
    // UNCONFIRMED (§8 item 7): without a payload parameter, the payload is the label.
    body.payload = typeof body.payload === 'string' ? body.payload : body.text;
  }
  if (type === 'interactive' && typeof body.type !== 'string') {
    throw new FakeInputError('interactive.type must be a string (button_reply, list_reply)');
  }
  if (isMediaKind(type)) {
    Object.assign(body, mediaBody(ctx, phone, type, body, now));
  }
  return { [type]: body };
}

/** Media arrives as an id (§1.5): `data` (base64) is registered in the media store first. */
function mediaBody(ctx: FakeContext, phone: PhoneNumberState, kind: MediaKind, body: Record<string, unknown>, now: number): Record<string, unknown> {
  let record = typeof body.id === 'string' ? ctx.media.get(body.id, now) : undefined;
  if (typeof body.data === 'string') {
    const mimeType = typeof body.mime_type === 'string' ? body.mime_type : DEFAULT_MIME[kind];
    const bytes = Buffer.from(body.data, 'base64');
    const filename = typeof body.filename === 'string' ? body.filename : undefined;
    record = ctx.media.add({ phoneNumberId: phone.phoneNumberId, bytes, mimeType, filename, ttlMs: INBOUND_MEDIA_TTL_MS }, now);
    delete body.data;
  } else if (typeof body.id !== 'string') {
    throw new FakeInputError(`${kind} needs an id (registered media) or data (base64 bytes)`);
  }
  const extra: Record<string, unknown> = { ...body };
  if (record !== undefined) {
    extra.id = record.id;
    extra.mime_type = body.mime_type ?? record.mimeType;
    extra.sha256 = record.sha256;
    // §1.5: `url` is being rolled out; the fake always includes a fresh one.
    extra.url = ctx.media.downloadUrl(record, ctx.baseUrl, now);
  }
  if (kind === 'audio' && extra.voice === undefined) {
    extra.voice = false;
  }
  if (kind === 'sticker' && extra.animated === undefined) {
    extra.animated = false;
  }
  return extra;
}
