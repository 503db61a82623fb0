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

type ControlRoute = (deps: ControlDeps, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/** Routes keyed by `METHOD /path`; paths and shapes are a contract with the phone simulator. */
const ROUTES: Record<string, ControlRoute> = {
  'POST /_fake/inbound': async ({ inbound }, req, res) => {
    sendJson(res, 200, inbound.inject(await readControlJson(req)));
  },
  'GET /_fake/sent': ({ fake }, _req, res, url) => {
    const filter = { phoneNumberId: url.searchParams.get('phoneNumberId') ?? undefined, to: url.searchParams.get('to') ?? undefined };
    sendJson(res, 200, { messages: fake.sent(filter) });
  },
  'POST /_fake/read': async ({ ctx, fake }, req, res) => {
    const { id } = await readControlJson(req);
    if (typeof id !== 'string' || !ctx.state.sent.has(id)) {
      sendJson(res, 404, { error: { message: `unknown message id ${String(id)}` } });
      return;
    }
    fake.markRead(id);
    sendJson(res, 200, { ok: true });
  },
  'POST /_fake/clock/advance': async ({ ctx, fake }, req, res) => {
    const { ms } = await readControlJson(req);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new FakeInputError('ms must be a number >= 0');
    }
    fake.advanceClock(ms);
    sendJson(res, 200, { now: ctx.clock.now() });
  },
  'POST /_fake/user-preferences': async ({ inbound }, req, res) => {
    inbound.injectUserPreference(await readControlJson(req));
    sendJson(res, 200, { ok: true });
  },
  'POST /_fake/errors': async ({ fake }, req, res) => {
    const { code, count } = await readControlJson(req);
    const validCount = count === undefined || (typeof count === 'number' && Number.isInteger(count) && count >= 1);
    if (typeof code !== 'number' || !Number.isInteger(code) || !validCount) {
      throw new FakeInputError('code must be an integer and count a positive integer');
    }
    fake.forceError(code, typeof count === 'number' ? count : 1);
    sendJson(res, 200, { ok: true });
  },
  'GET /_fake/webhooks': ({ fake }, _req, res) => {
    sendJson(res, 200, { deliveries: fake.webhookLog(), pending: fake.pendingDeliveries() });
  },
  'POST /_fake/reset': ({ fake }, _req, res) => {
    fake.reset();
    sendJson(res, 200, { ok: true });
  },
  'GET /_fake/events': (deps, req, res) => {
    openEventStream(deps, req, res);
  },
  'GET /_fake/state': ({ ctx }, _req, res) => {
    sendJson(res, 200, stateOf(ctx));
  },
  'POST /_fake/templates/status': async ({ ctx, fake }, req, res) => {
    const { id, status, reason } = await readControlJson(req);
    if (typeof id !== 'string' || typeof status !== 'string' || ctx.templates.get(id) === undefined) {
      throw new FakeInputError('id must name a known template and status must be a string');
    }
    fake.setTemplateStatus(id, status, typeof reason === 'string' ? reason : undefined);
    sendJson(res, 200, { ok: true });
  },
  'POST /_fake/verify': async ({ fake }, req, res) => {
    const { url: target } = await readControlJson(req);
    sendJson(res, 200, await fake.verifyWebhook(typeof target === 'string' ? target : undefined));
  },
};

/**
 * The fake-only test-control API (no auth, JSON) used by tests and the browser phone simulator:
 * inject inbound messages and preferences, read receipts, clock, forced errors, inspection, SSE.
 */
export async function handleControl(deps: ControlDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const key = `${req.method ?? 'GET'} ${url.pathname}`;
  const route = ROUTES[key];
  if (route === undefined) {
    sendJson(res, 404, { error: { message: `no control route ${key}` } });
    return;
  }
  try {
    await route(deps, req, res, url);
  } catch (err) {
    const status = err instanceof FakeInputError ? 400 : 500;
    sendJson(res, status, { error: { message: err instanceof Error ? err.message : String(err) } });
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

