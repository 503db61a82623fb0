import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeContext } from './context.js';
import { parseJsonObject, readBody, sendJson } from './http.js';
import { FakeInputError, type InboundService } from './inbound.js';
import { toGraphTemplate } from './template-api.js';
import type { FakeEvent, WhatsAppFake } from './types.js';

/** SSE heartbeat interval: a comment line keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
const CONTROL_BODY_LIMIT = 32 * 1024 * 1024;

/** Open `GET /_fake/events` streams, ended when the fake closes. */
export type EventStreams = Set<ServerResponse>;

interface ControlDeps {
  ctx: FakeContext;
  fake: WhatsAppFake;
  inbound: InboundService;
  streams: EventStreams;
}

/**
 * The fake-only test-control API (no auth, JSON) used by tests and the browser phone simulator:
 * inject inbound messages and preferences, read receipts, clock, forced errors, inspection, SSE.
 */
export async function handleControl(deps: ControlDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { ctx, fake } = deps;
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  try {
    switch (route) {
      case 'POST /_fake/inbound':
        sendJson(res, 200, deps.inbound.inject(await readControlJson(req)));
        return;
      case 'GET /_fake/sent':
        sendJson(res, 200, {
          messages: fake.sent({ phoneNumberId: url.searchParams.get('phoneNumberId') ?? undefined, to: url.searchParams.get('to') ?? undefined }),
        });
        return;
      case 'POST /_fake/read': {
        const body = await readControlJson(req);
        if (typeof body.id !== 'string' || !ctx.state.sent.has(body.id)) {
          sendJson(res, 404, { error: { message: `unknown message id ${String(body.id)}` } });
          return;
        }
        fake.markRead(body.id);
        sendJson(res, 200, { ok: true });
        return;
      }
      case 'POST /_fake/clock/advance': {
        const { ms } = await readControlJson(req);
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
          throw new FakeInputError('ms must be a number >= 0');
        }
        fake.advanceClock(ms);
        sendJson(res, 200, { now: ctx.clock.now() });
        return;
      }
      case 'POST /_fake/user-preferences':
        deps.inbound.injectUserPreference(await readControlJson(req));
        sendJson(res, 200, { ok: true });
        return;
      case 'POST /_fake/errors': {
        const { code, count } = await readControlJson(req);
        if (typeof code !== 'number' || !Number.isInteger(code) || (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1))) {
          throw new FakeInputError('code must be an integer and count a positive integer');
        }
        fake.forceError(code, count ?? 1);
        sendJson(res, 200, { ok: true });
        return;
      }
      case 'GET /_fake/webhooks':
        sendJson(res, 200, { deliveries: fake.webhookLog(), pending: fake.pendingDeliveries() });
        return;
      case 'POST /_fake/reset':
        fake.reset();
        sendJson(res, 200, { ok: true });
        return;
      case 'GET /_fake/events':
        openEventStream(deps, req, res);
        return;
      case 'GET /_fake/state':
        sendJson(res, 200, stateOf(ctx));
        return;
      case 'POST /_fake/templates/status': {
        const { id, status, reason } = await readControlJson(req);
        if (typeof id !== 'string' || typeof status !== 'string' || ctx.templates.get(id) === undefined) {
          throw new FakeInputError('id must name a known template and status must be a string');
        }
        fake.setTemplateStatus(id, status, typeof reason === 'string' ? reason : undefined);
        sendJson(res, 200, { ok: true });
        return;
      }
      case 'POST /_fake/verify': {
        const { url: target } = await readControlJson(req);
        sendJson(res, 200, await fake.verifyWebhook(typeof target === 'string' ? target : undefined));
        return;
      }
      default:
        sendJson(res, 404, { error: { message: `no control route ${route}` } });
    }
  } catch (err) {
    if (err instanceof FakeInputError) {
      sendJson(res, 400, { error: { message: err.message } });
      return;
    }
    sendJson(res, 500, { error: { message: err instanceof Error ? err.message : String(err) } });
  }
}

async function readControlJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req, CONTROL_BODY_LIMIT);
  const body = raw.length === 0 ? {} : parseJsonObject(raw);
  if (body === undefined) {
    throw new FakeInputError('body must be a JSON object');
  }
  return body;
}

/** `text/event-stream`: one `data: <FakeEvent JSON>` frame per event, comment heartbeats. */
function openEventStream(deps: ControlDeps, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': connected\n\n');
  const unsubscribe = deps.fake.on((event: FakeEvent) => {
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  deps.streams.add(res);
  const cleanup = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
    deps.streams.delete(res);
  };
  req.on('close', cleanup);
  res.on('close', cleanup);
}

function stateOf(ctx: FakeContext): Record<string, unknown> {
  const { state } = ctx;
  const waIds = new Set<string>([
    ...state.listUsers().map((u) => u.waId),
    ...[...state.inbound.values()].map((m) => m.from),
    ...[...state.sent.values()].map((r) => r.message.to),
  ]);
  const phones = [...state.phones.values()];
  return {
    wabaId: ctx.options.wabaId,
    phoneNumbers: phones.map((p) => ({
      phoneNumberId: p.phoneNumberId,
      displayPhoneNumber: p.displayPhoneNumber,
      verifiedName: p.verifiedName,
      mps: p.mps,
      webhookUrl: p.webhookUrl ?? null,
      sandboxAllowList: p.sandboxAllowList === undefined ? null : [...p.sandboxAllowList],
    })),
    templates: ctx.templates.list().map(toGraphTemplate),
    users: [...waIds].map((waId) => {
      const windows: Record<string, number> = {};
      for (const p of phones) {
        const expiresAt = state.windowExpiresAt(p.phoneNumberId, waId);
        if (expiresAt !== undefined) {
          windows[p.phoneNumberId] = expiresAt;
        }
      }
      return { ...state.user(waId), windowExpiresAt: windows };
    }),
    now: ctx.clock.now(),
  };
}

