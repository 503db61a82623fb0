/**
 * Parses WhatsApp Cloud API webhooks (providers.md §1.3–§1.9) into channel-neutral events.
 * Tolerant by design: unknown keys are ignored, unknown message types and fields are kept as events
 * (never dropped), and only a body that is not a WhatsApp envelope at all is an error.
 */
import { createHash } from 'node:crypto';
import type { InboundContent, MediaType } from '@parley/contracts';
import { type InboundEvent, WebhookParseError } from '../channel.port.js';

type Obj = Record<string, unknown>;

export function parseWhatsAppWebhook(rawBody: Buffer): InboundEvent[] {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookParseError('body is not valid JSON');
  }
  if (!isObj(body) || body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) {
    throw new WebhookParseError('body is not a WhatsApp Business Account webhook (object/entry missing)');
  }
  const events: InboundEvent[] = [];
  for (const entry of body.entry) {
    if (!isObj(entry) || !Array.isArray(entry.changes)) {
      continue;
    }
    for (const change of entry.changes) {
      if (!isObj(change) || typeof change.field !== 'string' || !isObj(change.value)) {
        continue;
      }
      const metadata = isObj(change.value.metadata) ? change.value.metadata : undefined;
      const channelRef = metadata ? str(metadata.phone_number_id) : undefined;
      for (const event of parseChange(change.field, change.value, entry)) {
        events.push(channelRef ? { ...event, channelRef } : event);
      }
    }
  }
  return events;
}

function parseChange(field: string, value: Obj, entry: Obj): InboundEvent[] {
  if (field === 'messages') {
    const profiles = new Map<string, string>();
    for (const c of arr(value.contacts)) {
      const waId = str(c.wa_id) ?? str(c.user_id);
      const name = isObj(c.profile) ? str(c.profile.name) : undefined;
      if (waId && name) {
        profiles.set(waId, name);
      }
    }
    const out: InboundEvent[] = [];
    for (const m of arr(value.messages)) {
      out.push(parseMessage(m, profiles));
    }
    for (const s of arr(value.statuses)) {
      out.push(parseStatus(s));
    }
    const errors = arr(value.errors);
    if (errors.length > 0) {
      out.push({ kind: 'error', providerEventId: `error:${digest(value)}`, errors: errors.map(toError), raw: value });
    }
    return out;
  }
  if (field === 'user_preferences') {
    return arr(value.user_preferences).map((p) => ({
      kind: 'preference' as const,
      providerEventId: `pref:${str(p.wa_id)}:${str(p.category)}:${str(p.value)}:${String(p.timestamp)}`,
      address: str(p.wa_id) ?? '',
      category: str(p.category) ?? '',
      value: str(p.value) ?? '',
      timestamp: fromUnix(p.timestamp),
      raw: p,
    }));
  }
  if (field === 'message_template_status_update') {
    // §1.9: the template id arrives as a number; one event per change, keyed by template, event and time.
    const templateId = value.message_template_id === undefined || value.message_template_id === null ? '' : String(value.message_template_id);
    return [{
      kind: 'template_status',
      providerEventId: `template:${templateId}:${str(value.event) ?? ''}:${String(entry.time ?? '')}`,
      templateId,
      name: str(value.message_template_name) ?? '',
      language: str(value.message_template_language) ?? '',
      event: str(value.event) ?? '',
      reason: str(value.reason) ?? null,
      raw: value,
    }];
  }
  // Other fields (account updates, quality …) are stored as they are; later modules pick them up.
  return [{ kind: 'other', providerEventId: `${field}:${String(entry.time ?? '')}:${digest(value)}`, field, raw: value }];
}

function parseMessage(m: Obj, profiles: Map<string, string>): InboundEvent {
  const id = str(m.id);
  const address = str(m.from) ?? str(m.from_user_id);
  if (!id || !address) {
    // Without an id we cannot deduplicate; keep it under a content hash so it is still visible.
    return { kind: 'other', providerEventId: `message-without-id:${digest(m)}`, field: 'messages', raw: m };
  }
  const context = isObj(m.context) ? m.context : undefined;
  const replyTo = context ? str(context.id) : undefined;
  const profileName = profiles.get(address);
  return {
    kind: 'message',
    providerEventId: id,
    address,
    providerMessageId: id,
    timestamp: fromUnix(m.timestamp),
    content: parseContent(m),
    ...(profileName ? { profileName } : {}),
    ...(replyTo ? { replyToProviderId: replyTo } : {}),
    raw: m,
  };
}

const MEDIA_TYPES: readonly MediaType[] = ['image', 'video', 'audio', 'document', 'sticker'];

/** One case per type of providers.md §1.5; anything else becomes `unknown` with the raw body kept. */
export function parseContent(m: Obj): InboundContent {
  const type = str(m.type) ?? 'unknown';
  const body = isObj(m[type]) ? (m[type] as Obj) : {};
  if (type === 'text') {
    return { type: 'text', text: str(body.body) ?? '' };
  }
  if (type === 'interactive') {
    const kind = str(body.type);
    const reply = kind && isObj(body[kind]) ? (body[kind] as Obj) : undefined;
    if ((kind === 'button_reply' || kind === 'list_reply') && reply) {
      const description = str(reply.description);
      return {
        type: 'interactive_reply',
        replyId: str(reply.id) ?? '',
        title: str(reply.title) ?? '',
        via: kind === 'button_reply' ? 'button' : 'list',
        ...(description ? { description } : {}),
      };
    }
    return { type: 'unknown', providerType: `interactive.${kind ?? '?'}`, raw: m };
  }
  if (type === 'button') {
    const text = str(body.text) ?? '';
    return { type: 'interactive_reply', replyId: str(body.payload) ?? text, title: text, via: 'template_button' };
  }
  if ((MEDIA_TYPES as readonly string[]).includes(type)) {
    return compact({
      type: 'media',
      mediaType: type as MediaType,
      mediaId: str(body.id) ?? '',
      mimeType: str(body.mime_type),
      sha256: str(body.sha256),
      caption: str(body.caption),
      filename: str(body.filename),
      voice: typeof body.voice === 'boolean' ? body.voice : undefined,
      animated: typeof body.animated === 'boolean' ? body.animated : undefined,
      url: str(body.url),
    });
  }
  if (type === 'location') {
    return compact({
      type: 'location',
      latitude: Number(body.latitude),
      longitude: Number(body.longitude),
      name: str(body.name),
      address: str(body.address),
      url: str(body.url),
    });
  }
  if (type === 'contacts') {
    return { type: 'contacts', contacts: Array.isArray(m.contacts) ? m.contacts : [] };
  }
  if (type === 'reaction') {
    const emoji = str(body.emoji);
    return { type: 'reaction', targetProviderId: str(body.message_id) ?? '', emoji: emoji ? emoji : null };
  }
  if (type === 'order') {
    return compact({ type: 'order', catalogId: str(body.catalog_id), text: str(body.text), items: Array.isArray(body.product_items) ? body.product_items : [] });
  }
  if (type === 'system') {
    return compact({ type: 'system', systemType: str(body.type) ?? 'unknown', body: str(body.body), newAddress: str(body.wa_id) });
  }
  if (type === 'unsupported') {
    return { type: 'unsupported', providerType: str(body.type) ?? 'unknown', errors: Array.isArray(m.errors) ? m.errors : [] };
  }
  return { type: 'unknown', providerType: type, raw: m };
}

function parseStatus(s: Obj): InboundEvent {
  const id = str(s.id) ?? '';
  const status = str(s.status) ?? '';
  const address = str(s.recipient_id) ?? str(s.recipient_user_id) ?? '';
  if (!id || !['sent', 'delivered', 'read', 'played', 'failed'].includes(status)) {
    return { kind: 'other', providerEventId: `status:${digest(s)}`, field: 'statuses', raw: s };
  }
  const firstError = arr(s.errors)[0];
  const callbackData = str(s.biz_opaque_callback_data);
  return {
    kind: 'status',
    providerEventId: `${id}:${status}`,
    address,
    providerMessageId: id,
    status: status as 'sent' | 'delivered' | 'read' | 'played' | 'failed',
    timestamp: fromUnix(s.timestamp),
    ...(firstError ? { error: toError(firstError) } : {}),
    ...(callbackData ? { callbackData } : {}),
    raw: s,
  };
}

function toError(e: Obj): { code: string; reason: string } {
  const details = isObj(e.error_data) ? str(e.error_data.details) : undefined;
  return { code: String(e.code ?? 'unknown'), reason: details ?? str(e.message) ?? str(e.title) ?? 'unknown error' };
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Provider timestamps are Unix seconds, as strings in messages/statuses and numbers elsewhere (§1.4, §1.9). */
function fromUnix(v: unknown): Date {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : new Date();
}

function digest(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 32);
}

function compact<T extends Obj>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
