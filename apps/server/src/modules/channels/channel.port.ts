/**
 * The ONE channel port (ARCHITECTURE §4). Every adapter implements it and runs the shared conformance suite
 * (channel.conformance.ts) against its provider fake. Nothing outside an adapter knows a provider's wire format.
 */
import type { InboundContent, MediaType, OutboundContent } from '@parley/contracts';
import type { z } from 'zod';

export interface ChannelCapabilities {
  /** Reply buttons per message (WhatsApp: 3). */
  maxButtons: number;
  buttonTitleMax: number;
  /** Rows of a list message across all sections (WhatsApp: 10); 0 when the channel has no lists. */
  maxListRows: number;
  listRowTitleMax: number;
  listRowDescriptionMax: number;
  textMax: number;
  /** Hours after the user's last message in which free-form messages are allowed; null when unlimited. */
  serviceWindowHours: number | null;
  templates: boolean;
  media: Partial<Record<MediaType, { mimeTypes: string[]; maxBytes: number }>>;
  readReceipts: boolean;
  typingIndicator: boolean;
}

/** The parts of an HTTP request an adapter may look at; the body is the raw bytes as received. */
export interface WebhookRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  rawBody: Buffer;
}

/**
 * Every event may name the business sender it belongs to (`channelRef`, WhatsApp: metadata.phone_number_id):
 * one provider app delivers all its numbers' events to one URL, and the intake routes them by it.
 */
export type InboundEvent = (
  | {
      kind: 'message';
      providerEventId: string;
      /** The sender's normalised address; also the ordering key of this conversation's events. */
      address: string;
      profileName?: string;
      providerMessageId: string;
      timestamp: Date;
      replyToProviderId?: string;
      content: InboundContent;
      raw: unknown;
    }
  | {
      kind: 'status';
      providerEventId: string;
      address: string;
      providerMessageId: string;
      status: 'sent' | 'delivered' | 'read' | 'played' | 'failed';
      timestamp: Date;
      error?: { code: string; reason: string };
      /** What we put into the send (our message id): lets a status find a message whose send was not recorded. */
      callbackData?: string;
      raw: unknown;
    }
  | { kind: 'preference'; providerEventId: string; address: string; category: string; value: string; timestamp: Date; raw: unknown }
  | { kind: 'error'; providerEventId: string; errors: Array<{ code: string; reason: string }>; raw: unknown }
  /** A template's review or quality status changed at the provider (providers.md §1.9). */
  | { kind: 'template_status'; providerEventId: string; templateId: string; name: string; language: string; event: string; reason: string | null; raw: unknown }
  | { kind: 'other'; providerEventId: string; field: string; raw: unknown }
) & { channelRef?: string };

export type InboundEventKind = InboundEvent['kind'];

/** A provider failure, mapped once by the adapter (STYLE.md). */
export interface ChannelError {
  code: string;
  retryable: boolean;
  reason: string;
  /** When the provider says when to come back (rate limits). */
  retryAfterMs?: number;
}

export type SendResult = { ok: true; providerMessageId: string } | { ok: false; error: ChannelError };

export interface RenderContext {
  /** Normalised recipient address. */
  to: string;
  language: string;
  replyToProviderId?: string;
  /** Echoed by the provider in status webhooks where it supports that (WhatsApp biz_opaque_callback_data). */
  callbackData?: string;
}

export interface ChannelTarget<Settings, Secrets> {
  settings: Settings;
  secrets: Secrets;
}

export interface HandshakeResult {
  status: number;
  body: string;
}

export interface ChannelAdapter<Settings = Record<string, unknown>, Secrets = Record<string, unknown>> {
  kind: string;
  capabilities: ChannelCapabilities;
  settingsSchema: z.ZodType<Settings>;
  secretsSchema: z.ZodType<Secrets>;
  /** The provider's subscription handshake (GET), if it has one. */
  handshake?(req: WebhookRequest, secrets: Secrets): HandshakeResult;
  /** Checks the provider's signature over the raw body. Must fail closed and compare in constant time. */
  verify(req: WebhookRequest, secrets: Secrets): boolean;
  /** Parses a verified request into events; throws WebhookParseError on a malformed body. */
  parse(req: WebhookRequest): InboundEvent[];
  /** Provider payloads for one channel-neutral message (usually one; degrades by capability). */
  render(content: OutboundContent, ctx: RenderContext): unknown[];
  send(payload: unknown, target: ChannelTarget<Settings, Secrets>): Promise<SendResult>;
  markRead(providerMessageId: string, target: ChannelTarget<Settings, Secrets>): Promise<SendResult>;
  normaliseAddress(raw: string): string;
  /** The secret that signs this channel's webhooks: channels sharing it belong to one provider app. */
  signingSecret(secrets: Secrets): string;
  /** The provider's id of the sender a channel's settings describe (matched against events' `channelRef`). */
  channelRef(settings: Settings): string;
  /** A file a contact sent, by the provider's media id (channels whose media arrive as ids). */
  fetchMedia?(mediaId: string, target: ChannelTarget<Settings, Secrets>): Promise<MediaDownload>;
}

/** A received file, streamed from the provider; `gone` when the provider no longer keeps it. */
export type MediaDownload =
  | { ok: true; mimeType: string; size: number | undefined; body: ReadableStream<Uint8Array> }
  | { ok: false; gone: boolean; error: ChannelError };

export class WebhookParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookParseError';
  }
}
