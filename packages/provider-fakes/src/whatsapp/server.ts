import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createBucketSet } from './buckets.js';
import { createFakeClock } from './clock.js';
import type { FakeContext } from './context.js';
import { handleControl, type EventStreams } from './control.js';
import { handleGraph } from './graph-routes.js';
import { createInboundService } from './inbound.js';
import { createMediaStore, DOWNLOAD_PATH } from './media.js';
import { downloadMedia } from './media-routes.js';
import { resolveOptions } from './options.js';
import { createOutbound, snapshotMessage } from './outbound.js';
import { digitsOf } from './phone.js';
import { createEventHub, createFakeState } from './state.js';
import { setTemplateStatus } from './template-api.js';
import { createTemplateStore } from './templates.js';
import type { WhatsAppFake, WhatsAppFakeOptions } from './types.js';
import { verifyWebhookEndpoint } from './verify.js';
import { createWebhookDispatcher } from './webhooks.js';

/**
 * Starts a protocol-faithful fake of the WhatsApp Cloud API (providers.md §1–§4, §7.1) on loopback.
 *
 * @example
 * const fake = await startWhatsAppFake({ appSecret: 's', accessTokens: ['t'],
 *   phoneNumbers: [{ phoneNumberId: '109876543210987', displayPhoneNumber: '15550001111', webhookUrl }] });
 * await fake.injectInbound({ from: '5215512345678', type: 'text', text: { body: 'Hola' } });
 * await fake.close();
 */
export async function startWhatsAppFake(opts: WhatsAppFakeOptions): Promise<WhatsAppFake> {
  const options = resolveOptions(opts);
  const clock = createFakeClock(options.now);
  const events = createEventHub();
  const state = createFakeState(options.phoneNumbers, options.users);
  const ctx: FakeContext = {
    options,
    clock,
    state,
    templates: createTemplateStore(options.templates),
    media: createMediaStore(),
    events,
    dispatcher: createWebhookDispatcher({
      clock,
      appSecret: options.appSecret,
      wabaId: options.wabaId,
      policy: options.delivery,
      onAttempt: ({ body, ...attempt }) => events.emit({ type: 'webhook', at: attempt.at, data: { ...attempt, body } }),
    }),
    throughput: createBucketSet((pnid) => {
      const mps = state.findPhone(pnid)?.mps ?? 80;
      return { capacity: mps, refillPerSecond: mps };
    }),
    pairs: createBucketSet(() => ({ capacity: options.pairLimit.burst, refillPerSecond: options.pairLimit.refillPerSecond })),
    verifiedUrls: new Set(),
    baseUrl: '',
  };
  const outbound = createOutbound(ctx);
  const inbound = createInboundService(ctx);
  const streams: EventStreams = new Set();
  let closing: Promise<void> | undefined;

  const fake: WhatsAppFake = {
    url: '',
    close() {
      closing ??= new Promise<void>((resolve) => {
        ctx.dispatcher.close();
        clock.cancelAll();
        outbound.reset();
        for (const stream of streams) {
          stream.end();
        }
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    setWebhookUrl(phoneNumberId, url) {
      const phone = state.findPhone(phoneNumberId);
      if (phone === undefined) {
        throw new Error(`whatsapp fake: unknown phoneNumberId ${phoneNumberId}`);
      }
      phone.webhookUrl = url;
    },
    async injectInbound(msg) {
      return inbound.inject(msg);
    },
    async injectUserPreference(p) {
      inbound.injectUserPreference(p);
    },
    markRead(messageId) {
      outbound.markRead(messageId);
    },
    advanceClock(ms) {
      clock.advance(ms);
    },
    sent(filter = {}) {
      const to = filter.to === undefined ? undefined : digitsOf(filter.to);
      return [...state.sent.values()]
        .map((r) => r.message)
        .filter((m) => (filter.phoneNumberId === undefined || m.phoneNumberId === filter.phoneNumberId) && (to === undefined || m.to === to))
        .map(snapshotMessage);
    },
    webhookLog: () => ctx.dispatcher.log(),
    pendingDeliveries: () => ctx.dispatcher.pending(),
    forceError(code, count = 1) {
      if (!Number.isInteger(code) || !Number.isInteger(count) || count < 1) {
        throw new RangeError('forceError: code must be an integer and count a positive integer');
      }
      for (let i = 0; i < count; i += 1) {
        state.forcedErrors.push(code);
      }
    },
    on: (listener) => events.on(listener),
    reset() {
      state.reset();
      ctx.throughput.clear();
      ctx.pairs.clear();
      ctx.dispatcher.reset();
      outbound.reset();
    },
    async verifyWebhook(url) {
      const target = url ?? state.firstPhone().webhookUrl;
      if (target === undefined || options.verifyToken === undefined) {
        throw new Error('whatsapp fake: verifyWebhook needs a callback URL and the verifyToken option');
      }
      const result = await verifyWebhookEndpoint(target, options.verifyToken, options.delivery.timeoutMs);
      if (result.verified) {
        ctx.verifiedUrls.add(target);
      } else {
        ctx.verifiedUrls.delete(target);
      }
      return result;
    },
    setTemplateStatus(templateId, status, reason) {
      const template = ctx.templates.get(templateId);
      if (template === undefined) {
        throw new Error(`whatsapp fake: unknown template ${templateId}`);
      }
      setTemplateStatus(ctx, template, status.toUpperCase(), reason ?? 'NONE');
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', ctx.baseUrl);
    let handled: Promise<void>;
    if (url.pathname.startsWith('/_fake/')) {
      handled = handleControl({ ctx, fake, inbound, streams }, req, res, url);
    } else if (req.method === 'GET' && (url.pathname === DOWNLOAD_PATH || url.pathname === DOWNLOAD_PATH.slice(0, -1))) {
      handled = Promise.resolve(downloadMedia(ctx, req, res, url));
    } else {
      handled = handleGraph(ctx, outbound, req, res, url);
    }
    handled.catch((err: unknown) => {
      console.error('whatsapp fake: request failed', err);
      if (!res.headersSent) {
        res.writeHead(500);
      }
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('whatsapp fake: server has no TCP address');
  }
  ctx.baseUrl = `http://${urlHost(options.host)}:${address.port}`;
  fake.url = ctx.baseUrl;
  return fake;
}

/** A host usable in URLs: wildcard binds are reached over loopback, IPv6 literals get brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') {
    return '127.0.0.1';
  }
  return host.includes(':') ? `[${host}]` : host;
}
