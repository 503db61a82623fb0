/**
 * Channel-neutral message content (ARCHITECTURE §4). Adapters render outbound content by their capabilities
 * and parse provider payloads into inbound content; nothing else in Parley knows a provider's format.
 */
import { z } from 'zod';

export const MenuOption = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(200),
  description: z.string().max(200).optional(),
});
export type MenuOption = z.infer<typeof MenuOption>;

export const MediaType = z.enum(['image', 'video', 'audio', 'document', 'sticker']);
export type MediaType = z.infer<typeof MediaType>;

export const TemplateParameter = z.union([
  z.object({ type: z.literal('text'), text: z.string(), name: z.string().optional() }),
  z.object({ type: z.literal('currency'), fallback: z.string(), code: z.string().length(3), amount1000: z.number().int() }),
  z.object({ type: z.literal('date_time'), fallback: z.string() }),
  z.object({ type: z.enum(['image', 'video', 'document']), link: z.string().optional(), mediaId: z.string().optional() }),
]);
export type TemplateParameter = z.infer<typeof TemplateParameter>;

export const OutboundContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1).max(4096), previewUrl: z.boolean().optional() }),
  z.object({
    type: z.literal('menu'),
    body: z.string().min(1).max(4096),
    header: z.string().max(60).optional(),
    footer: z.string().max(60).optional(),
    /** Label of the button that opens a list (WhatsApp list messages). */
    button: z.string().max(20).optional(),
    options: z.array(MenuOption).min(1).max(100),
  }),
  z.object({
    type: z.literal('media'),
    mediaType: MediaType,
    link: z.string().url().optional(),
    mediaId: z.string().optional(),
    caption: z.string().max(1024).optional(),
    filename: z.string().max(240).optional(),
  }),
  z.object({
    type: z.literal('template'),
    name: z.string().min(1).max(512),
    language: z.string().min(2).max(15),
    header: z.array(TemplateParameter).optional(),
    body: z.array(TemplateParameter).optional(),
    buttons: z
      .array(z.object({ index: z.number().int().min(0), subType: z.enum(['quick_reply', 'url', 'copy_code']), value: z.string() }))
      .optional(),
  }),
  z.object({ type: z.literal('reaction'), targetProviderId: z.string().min(1), emoji: z.string() }),
  z.object({
    type: z.literal('location'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().optional(),
    address: z.string().optional(),
  }),
]);
export type OutboundContent = z.infer<typeof OutboundContent>;

/** Inbound content as Parley stores it; `raw` members keep what the provider sent so nothing is lost. */
export type InboundContent =
  | { type: 'text'; text: string }
  | { type: 'interactive_reply'; replyId: string; title: string; description?: string; via: 'button' | 'list' | 'template_button' }
  | {
      type: 'media';
      mediaType: MediaType;
      mediaId: string;
      mimeType?: string;
      sha256?: string;
      caption?: string;
      filename?: string;
      voice?: boolean;
      animated?: boolean;
      url?: string;
    }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string; url?: string }
  | { type: 'contacts'; contacts: unknown[] }
  | { type: 'reaction'; targetProviderId: string; emoji: string | null }
  | { type: 'order'; catalogId?: string; text?: string; items: unknown[] }
  | { type: 'system'; systemType: string; body?: string; newAddress?: string }
  | { type: 'unsupported'; providerType: string; errors: unknown[] }
  | { type: 'unknown'; providerType: string; raw: unknown };

export type InboundContentType = InboundContent['type'];

/** Delivery states of an outbound message, in the only order they may move (ARCHITECTURE §3). */
export const OUTBOUND_STATUS_RANK = {
  queued: 0,
  sending: 1,
  accepted: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  played: 6,
  failed: 10,
  /** Refused by the send gate (issue #4): never sent, never retried; the reason is on the message. */
  blocked: 11,
} as const;
export type OutboundStatus = keyof typeof OUTBOUND_STATUS_RANK;
