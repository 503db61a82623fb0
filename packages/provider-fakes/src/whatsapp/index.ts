/**
 * Fake WhatsApp Cloud API (Meta Graph API) for tests and local development, built from
 * /work/shared/spec/providers.md §1–§4 and §7.1.
 */
export { startWhatsAppFake } from './server.js';
export { signWhatsAppBody, toMetaJson } from './meta-json.js';
export { verifyWebhookEndpoint } from './verify.js';
export type {
  FakeDeliveryPolicy,
  FakeEvent,
  FakeInbound,
  FakeMessageStatus,
  FakePhoneNumber,
  FakeSentMessage,
  FakeTemplate,
  FakeUser,
  WebhookLogEntry,
  WebhookVerification,
  WhatsAppFake,
  WhatsAppFakeOptions,
} from './types.js';
