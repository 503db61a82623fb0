/**
 * Public types of the fake WhatsApp Cloud API. Other packages code against these names exactly;
 * only additive, optional fields may be added here.
 */

/** A business phone number registered in the fake (providers.md §1.4, §4.4, §7.1). */
export interface FakePhoneNumber {
  phoneNumberId: string;
  /** Digits or a formatted number; webhooks carry it as digits only (§1.4). */
  displayPhoneNumber: string;
  /** Throughput limit in messages per second (default 80, §4.4). */
  mps?: number;
  webhookUrl?: string;
  /** When set, the number is a sandbox/test number: other recipients fail with 131030 (§2.12). */
  sandboxAllowList?: string[];
  /** Returned by `GET /{phone-number-id}?fields=verified_name` (default 'Parley Fake Business'). */
  verifiedName?: string;
}

/** A message template, components in the creation format of providers.md §4.8. */
export interface FakeTemplate {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  /** Default APPROVED. Only APPROVED templates can be sent (§4.8). */
  status?: string;
  components: Array<Record<string, unknown>>;
  /** Default: 'named' when a variable like `{{first_name}}` appears, else 'positional'. */
  parameterFormat?: 'positional' | 'named';
  id?: string;
  /** Paced template (§4.8): sends answer `message_status: "held_for_quality_assessment"`. */
  paced?: boolean;
}

/** A WhatsApp user known to the fake; unknown users are on WhatsApp and not opted out. */
export interface FakeUser {
  waId: string;
  name?: string;
  /** Default true; false makes every send to this user fail asynchronously with 131026. */
  onWhatsApp?: boolean;
  /** True makes marketing templates fail asynchronously with 131050 (§4.7). */
  marketingOptOut?: boolean;
  /** True makes marketing templates fail asynchronously with 131049 (per-user marketing cap, §4.6). */
  marketingCapped?: boolean;
}

/** Webhook delivery policy (providers.md §1.2; schedule and timeout are UNCONFIRMED there). */
export interface FakeDeliveryPolicy {
  /** Per-attempt timeout in ms (default 10000). */
  timeoutMs?: number;
  /** Delay before each retry after a failed attempt (default [0, 1000, 5000, 30000, 60000]). */
  retryDelaysMs?: number[];
  /** Probability 0..1 that an acknowledged POST is sent once more (default 0). */
  duplicateRate?: number;
  /** Drop per-conversation ordering and add a random delay before each POST (default false). */
  reorder?: boolean;
  /** Maximum number of events per POST (default 1). */
  batchSize?: number;
}

export interface WhatsAppFakeOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Signs webhooks (X-Hub-Signature-256, §1.2). */
  appSecret: string;
  /** Used by `verifyWebhook` for the §1.1 handshake. */
  verifyToken?: string;
  /** Valid bearer tokens; anything else → 401 code 190. */
  accessTokens: string[];
  /** Default '880011223344556'. */
  wabaId?: string;
  phoneNumbers: FakePhoneNumber[];
  templates?: FakeTemplate[];
  /** Unknown users are treated as on WhatsApp. */
  users?: FakeUser[];
  /** Delay from acceptance to the `sent` / `delivered` status (default 5 / 10 ms). */
  statusDelaysMs?: { sent?: number; delivered?: number };
  /** false (default): read only via markRead; true: read right after delivered; number: ms after delivered. */
  autoRead?: boolean | number;
  delivery?: FakeDeliveryPolicy;
  /** Pair rate limit token bucket (default 45 burst, 1 token per 6 s; §4.5). */
  pairLimit?: { burst: number; refillPerSecond: number };
  /** Version used when a request path has none (default 'v24.0'). */
  graphVersionDefault?: string;
  /** ms clock; advanceClock adds its offset on top (default Date.now). */
  now?: () => number;
  /** Only deliver webhooks to URLs that passed `verifyWebhook` (default false; §1.1). */
  requireVerifiedWebhook?: boolean;
  /** Delay before a created/edited template moves from PENDING to APPROVED (default 20 ms; §4.8). */
  templateReviewDelayMs?: number;
  /**
   * Hosts whose media `link`s count as fetchable without fetching them (the fake never leaves loopback): for an
   * offline demo whose content links to public URLs. Default none: such links fail with 131053.
   */
  assumeReachableHosts?: string[];
}

export type FakeMessageStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

export interface FakeSentMessage {
  /** The wamid returned by the send call. */
  id: string;
  phoneNumberId: string;
  /** Normalised wa_id. */
  to: string;
  type: string;
  /** The request JSON as received. */
  body: Record<string, unknown>;
  status: FakeMessageStatus;
  statuses: Array<{ status: string; at: number; errorCode?: number }>;
  errorCode?: number;
  createdAt: number;
}

/** A user → business message to inject; per-type bodies exactly as in providers.md §1.5. */
export interface FakeInbound {
  /** Default: the first configured number. */
  phoneNumberId?: string;
  from: string;
  profileName?: string;
  type: string;
  text?: { body: string };
  interactive?: unknown;
  button?: unknown;
  /** Media bodies take `id` (an uploaded/registered media id) or `data` (base64 bytes the fake registers). */
  image?: unknown;
  audio?: unknown;
  video?: unknown;
  document?: unknown;
  sticker?: unknown;
  location?: unknown;
  contacts?: unknown;
  reaction?: unknown;
  order?: unknown;
  system?: unknown;
  unsupported?: unknown;
  errors?: unknown;
  context?: unknown;
  referral?: unknown;
  id?: string;
  timestamp?: string;
}

export interface FakeEvent {
  type: 'sent' | 'status' | 'inbound' | 'webhook';
  at: number;
  data: Record<string, unknown>;
}

export interface WebhookLogEntry {
  at: number;
  url: string;
  status: number | 'error';
  attempt: number;
  body: string;
}

export interface WebhookVerification {
  verified: boolean;
  status: number | 'error';
  challenge: string;
  body: string;
}

export interface WhatsAppFake {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  close(): Promise<void>;
  setWebhookUrl(phoneNumberId: string, url: string): void;
  /** Builds the §1.3/§1.4/§1.5 envelope, signs and queues it; resolves once queued. */
  injectInbound(msg: FakeInbound): Promise<{ id: string }>;
  injectUserPreference(p: { phoneNumberId?: string; waId: string; value: 'stop' | 'resume' }): Promise<void>;
  /** The user reads an outbound message; the `read` status is never emitted before `delivered`. Throws for unknown ids. */
  markRead(messageId: string): void;
  advanceClock(ms: number): void;
  sent(filter?: { phoneNumberId?: string; to?: string }): FakeSentMessage[];
  webhookLog(): WebhookLogEntry[];
  /** Webhook events not yet acknowledged with 200 (queued or still being retried). */
  pendingDeliveries(): number;
  /** The next `count` (default 1) message sends fail synchronously with that Graph error code. */
  forceError(code: number, count?: number): void;
  on(listener: (e: FakeEvent) => void): () => void;
  /** Forgets sent messages, inbound messages, windows, buckets, forced errors, pending deliveries and logs. */
  reset(): void;
  /** Runs the §1.1 GET handshake against `url` (default: the first number's webhook URL) with `verifyToken`. */
  verifyWebhook(url?: string): Promise<WebhookVerification>;
  /** Changes a template's status and emits a `message_template_status_update` webhook (§1.9). */
  setTemplateStatus(templateId: string, status: string, reason?: string): void;
}
