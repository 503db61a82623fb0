/**
 * `GET|POST /webhooks/:kind/:slug` — the provider-facing edge. The POST path does only: find the channel,
 * verify the signature over the raw bytes (fail closed), parse, store durably, answer 200 (ARCHITECTURE §3).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { type WebhookRequest, WebhookParseError } from './channel.port.js';
import type { ChannelService, ResolvedChannel } from './channel.service.js';
import { createInboundBatcher } from './webhook.batcher.js';

export interface WebhookRouteDeps {
  database: Database;
  channels: ChannelService;
  bodyLimit: number;
  /** Called after events were stored (wakes local workers). */
  onStored: (count: number) => void;
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  // Keep the exact bytes: signatures are computed over them (providers.md §1.2).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_req, body, done) => done(null, body));
  const batcher = createInboundBatcher(deps.database.db, { maxInFlight: deps.database.kind === 'postgres' ? 4 : 1, maxEvents: 500 });

  const toWebhookRequest = (req: FastifyRequest): WebhookRequest => ({
    method: req.method,
    headers: req.headers,
    query: (req.query ?? {}) as Record<string, unknown>,
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  });

  app.get<{ Params: { kind: string; slug: string } }>('/webhooks/:kind/:slug', { config: { access: 'webhook' } }, async (req, reply) => {
    const channel = await deps.channels.findForWebhook(req.params.kind, req.params.slug);
    if (!channel) {
      throw new AppError('channel.not_found', 'No channel at this webhook URL.');
    }
    if (!channel.adapter.handshake) {
      throw new AppError('webhook.no_handshake', 'This channel kind has no subscription handshake.');
    }
    const result = channel.adapter.handshake(toWebhookRequest(req), channel.secrets);
    if (result.status !== 200) {
      req.log.warn({ channel: channel.row.slug }, 'webhook handshake refused: verify token mismatch');
    }
    return reply.code(result.status).type('text/plain').send(result.body);
  });

  app.post<{ Params: { kind: string; slug: string } }>('/webhooks/:kind/:slug', { bodyLimit: deps.bodyLimit, config: { access: 'webhook' } }, async (req, reply) => {
    const channel = await deps.channels.findForWebhook(req.params.kind, req.params.slug);
    if (!channel) {
      throw new AppError('channel.not_found', 'No channel at this webhook URL.');
    }
    const request = toWebhookRequest(req);
    if (!channel.adapter.verify(request, channel.secrets)) {
      req.log.warn({ channel: channel.row.slug }, 'webhook rejected: signature missing or wrong');
      throw new AppError('webhook.signature_invalid', 'The webhook signature is missing or does not match.');
    }
    let events;
    try {
      events = channel.adapter.parse(request);
    } catch (err) {
      if (err instanceof WebhookParseError) {
        req.log.warn({ channel: channel.row.slug, reason: err.message, bytes: request.rawBody.length }, 'webhook body malformed');
        throw new AppError('webhook.malformed', `The webhook body could not be read: ${err.message}`);
      }
      throw err;
    }
    // One provider app posts all its senders' events to one URL: file each under the channel it names.
    const items = [];
    for (const event of events) {
      let owner: ResolvedChannel = channel;
      if (event.channelRef && event.channelRef !== channel.row.providerRef) {
        owner = (await deps.channels.routeByRef(channel, event.channelRef)) ?? channel;
        if (owner === channel) {
          req.log.warn({ channel: channel.row.slug, channelRef: event.channelRef }, 'webhook names a sender no channel of this app has; kept on the receiving channel');
        }
      }
      items.push({ channel: { id: owner.row.id, workspaceId: owner.row.workspaceId }, event });
    }
    const stored = await batcher.store(items);
    if (stored > 0) {
      deps.onStored(stored);
    }
    return reply.code(200).type('text/plain').send('EVENT_RECEIVED');
  });
}
