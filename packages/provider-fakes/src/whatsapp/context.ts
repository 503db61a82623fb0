import type { BucketSet } from './buckets.js';
import type { FakeClock } from './clock.js';
import type { WebhookChange } from './envelopes.js';
import type { MediaStore } from './media.js';
import type { ResolvedOptions } from './options.js';
import type { EventHub, FakeState, PhoneNumberState } from './state.js';
import type { TemplateStore } from './templates.js';
import type { WebhookDispatcher } from './webhooks.js';

/** Everything the route handlers and services of one fake share. */
export interface FakeContext {
  options: ResolvedOptions;
  clock: FakeClock;
  state: FakeState;
  templates: TemplateStore;
  media: MediaStore;
  events: EventHub;
  dispatcher: WebhookDispatcher;
  /** Per phone-number-id throughput (§4.4). */
  throughput: BucketSet;
  /** Per (phone-number-id, wa_id) pair rate limit (§4.5). */
  pairs: BucketSet;
  /** Callback URLs that passed the §1.1 handshake. */
  verifiedUrls: Set<string>;
  /** The fake's own base URL (set once the server listens). */
  baseUrl: string;
}

function accepts(ctx: FakeContext, url: string | undefined): url is string {
  if (url === undefined || url === '') {
    return false;
  }
  // §1.1: Meta only delivers to verified endpoints; the fake enforces it only when asked to.
  return !ctx.options.requireVerifiedWebhook || ctx.verifiedUrls.has(url);
}

/** Queues a change for one number's webhook URL; without a URL the event is not delivered. */
export function deliverForPhone(ctx: FakeContext, phone: PhoneNumberState, conversationKey: string, change: WebhookChange): void {
  if (accepts(ctx, phone.webhookUrl)) {
    ctx.dispatcher.enqueue({ conversationKey, url: phone.webhookUrl, change });
  }
}

/** Queues a WABA-level change (e.g. template status) once for every distinct webhook URL. */
export function deliverForAccount(ctx: FakeContext, conversationKey: string, change: WebhookChange): void {
  const urls = new Set([...ctx.state.phones.values()].map((p) => p.webhookUrl));
  for (const url of urls) {
    if (accepts(ctx, url)) {
      ctx.dispatcher.enqueue({ conversationKey, url, change });
    }
  }
}
