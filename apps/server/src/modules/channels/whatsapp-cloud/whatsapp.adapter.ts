import { z } from 'zod';
import { safeEqual } from '../../../platform/crypto.js';
import type { ChannelAdapter, ChannelTarget, WebhookRequest } from '../channel.port.js';
import { fetchGraphMedia, postToGraph } from './whatsapp.client.js';
import { parseWhatsAppWebhook } from './whatsapp.parse.js';
import { WHATSAPP_LIMITS, renderWhatsApp } from './whatsapp.render.js';
import { verifyWhatsAppSignature } from './whatsapp.signature.js';

export const WhatsAppSettings = z.object({
  phoneNumberId: z.string().min(1),
  displayPhoneNumber: z.string().optional(),
  apiBaseUrl: z.string().url().default('https://graph.facebook.com'),
  apiVersion: z.string().regex(/^v\d+\.\d+$/).default('v24.0'),
  /** Messages per second this number may send (providers.md §4.4: 80 by default, up to 1,000). */
  mps: z.number().int().min(1).max(1000).default(80),
  /** Until flows arrive: the text the bot answers every message with. */
  autoReply: z.string().optional(),
});
export type WhatsAppSettings = z.infer<typeof WhatsAppSettings>;

export const WhatsAppSecrets = z.object({
  accessToken: z.string().min(1),
  appSecret: z.string().min(1),
  verifyToken: z.string().min(1),
});
export type WhatsAppSecrets = z.infer<typeof WhatsAppSecrets>;

/** The Graph API of a channel: its settings with the token it calls with. */
const graphTarget = (target: ChannelTarget<WhatsAppSettings, WhatsAppSecrets>) => ({ ...target.settings, accessToken: target.secrets.accessToken });

/** WhatsApp Cloud API, the reference channel (ARCHITECTURE §4). */
export const whatsappCloudAdapter: ChannelAdapter<WhatsAppSettings, WhatsAppSecrets> = {
  kind: 'whatsapp',
  capabilities: {
    maxButtons: WHATSAPP_LIMITS.buttons,
    buttonTitleMax: WHATSAPP_LIMITS.buttonTitle,
    maxListRows: WHATSAPP_LIMITS.listRows,
    listRowTitleMax: WHATSAPP_LIMITS.listRowTitle,
    listRowDescriptionMax: WHATSAPP_LIMITS.listRowDescription,
    textMax: WHATSAPP_LIMITS.text,
    serviceWindowHours: 24,
    templates: true,
    // providers.md §3.3
    media: {
      image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024 },
      video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * 1024 * 1024 },
      audio: { mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * 1024 * 1024 },
      document: { mimeTypes: ['application/pdf', 'text/plain'], maxBytes: 100 * 1024 * 1024 },
      sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
    },
    readReceipts: true,
    typingIndicator: true,
  },
  settingsSchema: WhatsAppSettings,
  secretsSchema: WhatsAppSecrets,

  // providers.md §1.1: echo the challenge only for the right token and mode.
  handshake(req: WebhookRequest, secrets) {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && typeof challenge === 'string' && safeEqual(token, secrets.verifyToken)) {
      return { status: 200, body: challenge };
    }
    return { status: 403, body: 'verify token mismatch' };
  },
  verify(req, secrets) {
    return verifyWhatsAppSignature(req.rawBody, req.headers['x-hub-signature-256'], secrets.appSecret);
  },
  parse(req) {
    return parseWhatsAppWebhook(req.rawBody);
  },
  render(content, ctx) {
    return renderWhatsApp(content, ctx);
  },
  send(payload, target) {
    return postToGraph(graphTarget(target), payload);
  },
  fetchMedia(mediaId, target) {
    return fetchGraphMedia(graphTarget(target), mediaId);
  },
  markRead(providerMessageId, target) {
    return postToGraph(graphTarget(target), { messaging_product: 'whatsapp', status: 'read', message_id: providerMessageId });
  },
  // wa_id form: digits only (§1.4); sending accepts '+' and separators, webhooks never carry them.
  normaliseAddress(raw) {
    return raw.replace(/\D/g, '');
  },
  signingSecret(secrets) {
    return secrets.appSecret;
  },
  channelRef(settings) {
    return settings.phoneNumberId;
  },
};
