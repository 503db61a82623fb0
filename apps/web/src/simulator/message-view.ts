import type { FakeSentMessage } from './demo-api';
import { asArray, asNumber, asRecord, asString, asText } from './json-read';
import { toTick, type Tick } from './ticks';

/** One tappable option of a business message (reply button or list row). */
export type ReplyOption = { id: string; title: string; description?: string };

/** A titled group of list rows. */
export type ListSection = { title?: string; rows: ReplyOption[] };

/** Media kinds of the Cloud API (§2.3). */
export type MediaType = 'image' | 'video' | 'document' | 'audio' | 'sticker';

/** Text parts an interactive message can have around its action. */
type Framed = { header?: string; body: string; footer?: string };

/** What a business message shows, independent of React. */
export type BusinessContent =
  | { kind: 'text'; text: string }
  | ({ kind: 'buttons'; buttons: ReplyOption[] } & Framed)
  | ({ kind: 'list'; buttonLabel: string; sections: ListSection[] } & Framed)
  | ({ kind: 'cta-url'; label: string; url: string } & Framed)
  | { kind: 'media'; mediaType: MediaType; caption?: string; filename?: string; link?: string; mediaId?: string; previewSrc?: string }
  | { kind: 'template'; name: string; language?: string; params: string[] }
  | { kind: 'location'; latitude?: number; longitude?: number; name?: string; address?: string }
  | { kind: 'contacts'; contacts: Array<{ name: string; phones: string[] }> }
  | { kind: 'reaction'; targetId: string; emoji: string }
  | { kind: 'unknown'; type: string; text?: string };

/** A business message ready to render. */
export type BusinessMessageView = {
  id: string;
  createdAt: number;
  tick: Tick;
  /** wamid this message quotes (`context.message_id`), if any. */
  replyToId?: string;
  content: BusinessContent;
};

const mediaTypes: readonly MediaType[] = ['image', 'video', 'document', 'audio', 'sticker'];

/**
 * Maps a message the business sent through the fake to a view model. Never throws and never drops a message:
 * anything it cannot read becomes `{ kind: 'unknown' }`.
 * @param origin the page's origin; only same-origin or `data:image/` links are shown as images.
 * @example toBusinessView(sent, window.location.origin).content // { kind: 'text', text: 'Hallo!' }
 */
export function toBusinessView(message: FakeSentMessage, origin: string): BusinessMessageView {
  const replyToId = asString(asRecord(message.body.context)?.message_id);
  return {
    id: message.id,
    createdAt: message.createdAt,
    tick: toTick(message),
    ...(replyToId ? { replyToId } : {}),
    content: toContent(message, origin),
  };
}

function toContent(message: FakeSentMessage, origin: string): BusinessContent {
  const type = asString(message.body.type) ?? message.type;
  const payload = asRecord(message.body[type]);
  const mediaType = mediaTypes.find((candidate) => candidate === type);
  if (mediaType) {
    return toMedia(mediaType, payload, origin);
  }
  switch (type) {
    case 'text':
      return toText(payload, type);
    case 'interactive':
      return toInteractive(payload);
    case 'template':
      return toTemplate(payload, type);
    case 'location':
      return toLocation(payload);
    case 'contacts':
      return toContacts(message.body.contacts);
    case 'reaction':
      return toReaction(payload, type);
    default:
      return { kind: 'unknown', type };
  }
}

function toText(payload: Record<string, unknown> | undefined, type: string): BusinessContent {
  const text = asString(payload?.body);
  return text === undefined ? { kind: 'unknown', type } : { kind: 'text', text };
}

function toMedia(mediaType: MediaType, payload: Record<string, unknown> | undefined, origin: string): BusinessContent {
  const link = asText(payload?.link);
  const mediaId = asText(payload?.id);
  const caption = asText(payload?.caption);
  const filename = asText(payload?.filename);
  const previewSrc = (mediaType === 'image' || mediaType === 'sticker') && link ? toSafeImageSrc(link, origin) : undefined;
  return {
    kind: 'media',
    mediaType,
    ...(caption ? { caption } : {}),
    ...(filename ? { filename } : {}),
    ...(link ? { link } : {}),
    ...(mediaId ? { mediaId } : {}),
    ...(previewSrc ? { previewSrc } : {}),
  };
}

/**
 * Returns the URL to put into `<img src>` when it is safe under a strict CSP and leaks nothing to third parties:
 * same-origin http(s) URLs and `data:image/…` URLs. Everything else yields undefined (a placeholder is shown).
 */
export function toSafeImageSrc(link: string, origin: string): string | undefined {
  if (/^data:image\/(png|jpeg|gif|webp);/i.test(link)) {
    return link;
  }
  try {
    const url = new URL(link, origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function toInteractive(payload: Record<string, unknown> | undefined): BusinessContent {
  const subtype = asString(payload?.type) ?? 'unknown';
  const frame = toFrame(payload);
  const action = asRecord(payload?.action);
  switch (subtype) {
    case 'button': {
      const buttons = asArray(action?.buttons).flatMap((entry) => toOption(asRecord(asRecord(entry)?.reply)));
      return { kind: 'buttons', ...frame, buttons };
    }
    case 'list': {
      const sections = asArray(action?.sections).map((entry): ListSection => {
        const section = asRecord(entry);
        const title = asText(section?.title);
        return { ...(title ? { title } : {}), rows: asArray(section?.rows).flatMap((row) => toOption(asRecord(row))) };
      });
      return { kind: 'list', ...frame, buttonLabel: asText(action?.button) ?? '', sections };
    }
    case 'cta_url': {
      const parameters = asRecord(action?.parameters);
      const url = asText(parameters?.url);
      if (url) {
        return { kind: 'cta-url', ...frame, label: asText(parameters?.display_text) ?? url, url };
      }
      return { kind: 'unknown', type: `interactive/${subtype}`, text: frame.body };
    }
    default:
      return { kind: 'unknown', type: `interactive/${subtype}`, ...(frame.body ? { text: frame.body } : {}) };
  }
}

function toFrame(payload: Record<string, unknown> | undefined): Framed {
  const headerObject = asRecord(payload?.header);
  const headerType = asString(headerObject?.type);
  // Media headers (image/video/document) have no text; name their kind so nothing silently disappears.
  const header = asText(headerObject?.text) ?? (headerType && headerType !== 'text' ? `[${headerType}]` : undefined);
  const footer = asText(asRecord(payload?.footer)?.text);
  return {
    body: asString(asRecord(payload?.body)?.text) ?? '',
    ...(header ? { header } : {}),
    ...(footer ? { footer } : {}),
  };
}

function toOption(option: Record<string, unknown> | undefined): ReplyOption[] {
  const id = asString(option?.id);
  if (!option || id === undefined) {
    return [];
  }
  const description = asText(option.description);
  return [{ id, title: asString(option.title) ?? id, ...(description ? { description } : {}) }];
}

function toTemplate(payload: Record<string, unknown> | undefined, type: string): BusinessContent {
  const name = asText(payload?.name);
  if (!name) {
    return { kind: 'unknown', type };
  }
  const language = asText(asRecord(payload?.language)?.code);
  const params = asArray(payload?.components)
    .map((entry) => asRecord(entry))
    .filter((component) => asString(component?.type)?.toLowerCase() === 'body')
    .flatMap((component) => asArray(component?.parameters).flatMap(toParameterText));
  return { kind: 'template', name, ...(language ? { language } : {}), params };
}

/** The human-readable value of a template parameter (§2.6): text, or the fallback of currency/date_time. */
function toParameterText(entry: unknown): string[] {
  const parameter = asRecord(entry);
  const type = asString(parameter?.type);
  const value =
    type === 'text'
      ? asString(parameter?.text)
      : type === 'currency' || type === 'date_time'
        ? asString(asRecord(parameter?.[type])?.fallback_value)
        : undefined;
  return value === undefined ? [] : [value];
}

function toLocation(payload: Record<string, unknown> | undefined): BusinessContent {
  const latitude = asNumber(payload?.latitude);
  const longitude = asNumber(payload?.longitude);
  const name = asText(payload?.name);
  const address = asText(payload?.address);
  return {
    kind: 'location',
    ...(latitude === undefined ? {} : { latitude }),
    ...(longitude === undefined ? {} : { longitude }),
    ...(name ? { name } : {}),
    ...(address ? { address } : {}),
  };
}

function toContacts(value: unknown): BusinessContent {
  const contacts = asArray(value).map((entry) => {
    const contact = asRecord(entry);
    const phones = asArray(contact?.phones).flatMap((phone) => {
      const number = asText(asRecord(phone)?.phone) ?? asText(asRecord(phone)?.wa_id);
      return number ? [number] : [];
    });
    return { name: asText(asRecord(contact?.name)?.formatted_name) ?? '?', phones };
  });
  return { kind: 'contacts', contacts };
}

function toReaction(payload: Record<string, unknown> | undefined, type: string): BusinessContent {
  const targetId = asText(payload?.message_id);
  const emoji = asString(payload?.emoji);
  return targetId && emoji !== undefined ? { kind: 'reaction', targetId, emoji } : { kind: 'unknown', type };
}
