export type { ChannelAdapter, ChannelError, InboundEvent, SendResult, WebhookRequest } from './channel.port.js';
export { WebhookParseError } from './channel.port.js';
export { getAdapter, isRegisteredKind } from './channel.registry.js';
export { type ChannelService, type ResolvedChannel, createChannelService } from './channel.service.js';
export { createSendRateLimiter, type SendRateLimiter } from './send-rate.js';
export { createGraphTemplate, getGraphTemplate, type GraphAccountTarget, type GraphApi, type GraphResult, listGraphTemplates, mapGraphError, signWhatsAppPayload } from './whatsapp-cloud/index.js';
export { channelRoutes } from './channel.routes.js';
export { webhookRoutes } from './webhook.routes.js';
export { conversationOrderingKey, INBOUND_QUEUE, STATUS_QUEUE } from './webhook.store.js';
