import { GraphError, invalidParam, missingParam } from './errors.js';
import { isRecord } from './http.js';
import { validateInteractive } from './interactive.js';
import { isMediaKind, validateMediaObject, type MediaRef } from './media-refs.js';
import { rejectUnknownKeys } from './validation.js';

/** `{"status":"read", "message_id": …}` bodies (§2.10). */
export interface MarkReadRequest {
  kind: 'read';
  messageId: string;
  typingIndicator: boolean;
}

/** A structurally valid message send (§2.1–§2.8). */
export interface SendRequest {
  kind: 'send';
  /** `to` exactly as sent (echoed as contacts[].input, §2.9). */
  to: string;
  type: string;
  callbackData: string | undefined;
  mediaRefs: MediaRef[];
  reactionTarget: string | undefined;
  template: Record<string, unknown> | undefined;
}

const SEND_TYPES = new Set(['text', 'image', 'video', 'audio', 'document', 'sticker', 'interactive', 'template', 'reaction', 'location', 'contacts']);
const COMMON_KEYS = new Set(['messaging_product', 'recipient_type', 'to', 'recipient', 'type', 'context', 'biz_opaque_callback_data']);
const READ_KEYS = new Set(['messaging_product', 'status', 'message_id', 'typing_indicator']);
const TEXT_MAX = 4096;
const CALLBACK_DATA_MAX = 512;

/**
 * Validates a `POST /{phone-number-id}/messages` body and classifies it as mark-read or a send.
 * Throws GraphError with the codes of providers.md §2.12: 100 (unknown key / messaging_product),
 * 131008 (missing parameter), 131009 (invalid value), 131051 (unknown type).
 */
export function parseMessagesRequest(body: Record<string, unknown>): MarkReadRequest | SendRequest {
  if (body.messaging_product === undefined) {
    throw new GraphError(100, 'The parameter messaging_product is required.', {
      message: '(#100) The parameter messaging_product is required.',
    });
  }
  if (body.messaging_product !== 'whatsapp') {
    throw new GraphError(100, 'Param messaging_product must be "whatsapp".');
  }
  if (body.status !== undefined) {
    return parseMarkRead(body);
  }
  return parseSend(body);
}

// providers.md §2.10: mark as read, optionally with a typing indicator.
function parseMarkRead(body: Record<string, unknown>): MarkReadRequest {
  rejectUnknownKeys(body, READ_KEYS, 'message');
  if (body.status !== 'read') {
    throw invalidParam('Parameter status must be "read".');
  }
  if (body.message_id === undefined) {
    throw missingParam('message_id');
  }
  if (typeof body.message_id !== 'string' || body.message_id === '') {
    throw invalidParam('Parameter value is not valid');
  }
  const typing = body.typing_indicator;
  if (typing !== undefined && (!isRecord(typing) || typing.type !== 'text')) {
    throw invalidParam('typing_indicator.type must be "text".');
  }
  return { kind: 'read', messageId: body.message_id, typingIndicator: typing !== undefined };
}

function parseSend(body: Record<string, unknown>): SendRequest {
  // UNCONFIRMED (§8 item 8): `type` defaults to text; an unknown type is 131051, not 100.
  const type = body.type === undefined ? 'text' : body.type;
  if (typeof type !== 'string' || !SEND_TYPES.has(type)) {
    throw new GraphError(131051, `Message type ${String(type)} is not supported.`);
  }
  rejectUnknownKeys(body, new Set([...COMMON_KEYS, ...SEND_TYPES]), 'message');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    // Group sends exist (§2.1) but the fake models 1:1 chats only.
    throw invalidParam('recipient_type must be "individual" (group messaging is not simulated).');
  }
  if (body.to === undefined) {
    throw missingParam('to');
  }
  if (typeof body.to !== 'string' || !/\d/.test(body.to)) {
    throw invalidParam('Parameter to is not a valid phone number.');
  }
  const callbackData = body.biz_opaque_callback_data;
  if (callbackData !== undefined && (typeof callbackData !== 'string' || callbackData.length > CALLBACK_DATA_MAX)) {
    throw invalidParam(`biz_opaque_callback_data must be a string of at most ${CALLBACK_DATA_MAX} characters.`);
  }
  if (body.context !== undefined) {
    if (type === 'reaction') {
      throw invalidParam('context is not supported for reaction messages.');
    }
    if (!isRecord(body.context) || typeof body.context.message_id !== 'string') {
      throw missingParam("context['message_id']");
    }
  }
  const payload = body[type];
  if (payload === undefined) {
    throw missingParam(type);
  }
  if (!isRecord(payload) && !(type === 'contacts' && Array.isArray(payload))) {
    throw invalidParam(`Parameter ${type} must be an object.`);
  }
  const request: SendRequest = {
    kind: 'send',
    to: body.to,
    type,
    callbackData: typeof callbackData === 'string' ? callbackData : undefined,
    mediaRefs: [],
    reactionTarget: undefined,
    template: undefined,
  };
  validatePayload(type, payload, request);
  return request;
}

function validatePayload(type: string, payload: unknown, request: SendRequest): void {
  if (type === 'contacts') {
    validateContacts(payload);
    return;
  }
  if (!isRecord(payload)) {
    throw invalidParam(`Parameter ${type} must be an object.`);
  }
  switch (type) {
    case 'text':
      validateText(payload);
      return;
    case 'interactive':
      request.mediaRefs.push(...validateInteractive(payload));
      return;
    case 'template':
      if (typeof payload.name !== 'string' || payload.name === '') {
        throw missingParam("template['name']");
      }
      if (!isRecord(payload.language) || typeof payload.language.code !== 'string') {
        throw missingParam("template['language']['code']");
      }
      request.template = payload;
      return;
    case 'reaction':
      request.reactionTarget = validateReaction(payload);
      return;
    case 'location':
      validateLocation(payload);
      return;
    default:
      if (!isMediaKind(type)) {
        throw new GraphError(131051, `Message type ${type} is not supported.`);
      }
      request.mediaRefs.push(validateMediaObject(type, payload, type));
  }
}


// providers.md §2.2
function validateText(text: Record<string, unknown>): void {
  rejectUnknownKeys(text, new Set(['body', 'preview_url']), 'text');
  if (text.body === undefined) {
    throw missingParam("text['body']");
  }
  if (typeof text.body !== 'string' || text.body.trim() === '') {
    throw invalidParam("Parameter text['body'] must be a non-empty string.");
  }
  if (text.body.length > TEXT_MAX) {
    throw invalidParam(`Param text['body'] must be at most ${TEXT_MAX} characters long.`);
  }
  if (text.preview_url !== undefined && typeof text.preview_url !== 'boolean') {
    throw invalidParam("Param text['preview_url'] must be a boolean.");
  }
}

// providers.md §2.7: empty emoji removes the reaction (UNCONFIRMED §8 item 10, accepted).
function validateReaction(reaction: Record<string, unknown>): string {
  rejectUnknownKeys(reaction, new Set(['message_id', 'emoji']), 'reaction');
  if (reaction.message_id === undefined) {
    throw missingParam("reaction['message_id']");
  }
  if (typeof reaction.message_id !== 'string' || reaction.message_id === '') {
    throw invalidParam("Parameter reaction['message_id'] must be a message id.");
  }
  if (reaction.emoji === undefined) {
    throw missingParam("reaction['emoji']");
  }
  if (typeof reaction.emoji !== 'string' || [...reaction.emoji].length > 10) {
    throw invalidParam("Parameter reaction['emoji'] must be a single emoji.");
  }
  return reaction.message_id;
}

// providers.md §2.8: latitude/longitude documented as strings; numbers accepted too.
function validateLocation(location: Record<string, unknown>): void {
  rejectUnknownKeys(location, new Set(['latitude', 'longitude', 'name', 'address']), 'location');
  const checks: Array<[string, number]> = [['latitude', 90], ['longitude', 180]];
  for (const [key, limit] of checks) {
    const raw = location[key];
    if (raw === undefined) {
      throw missingParam(`location['${key}']`);
    }
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value) || Math.abs(value) > limit) {
      throw invalidParam(`Parameter location['${key}'] is not a valid coordinate.`);
    }
  }
  for (const key of ['name', 'address']) {
    if (location[key] !== undefined && typeof location[key] !== 'string') {
      throw invalidParam(`Parameter location['${key}'] must be a string.`);
    }
  }
}

// providers.md §2.8: each contact needs name.formatted_name.
function validateContacts(contacts: unknown): void {
  if (!Array.isArray(contacts) || contacts.length === 0) {
    throw invalidParam('Parameter contacts must be a non-empty array.');
  }
  contacts.forEach((contact: unknown, i) => {
    if (!isRecord(contact) || !isRecord(contact.name) || contact.name.formatted_name === undefined) {
      throw missingParam(`contacts[${i}]['name']['formatted_name']`);
    }
    if (typeof contact.name.formatted_name !== 'string' || contact.name.formatted_name === '') {
      throw invalidParam(`Parameter contacts[${i}]['name']['formatted_name'] must be a non-empty string.`);
    }
  });
}
