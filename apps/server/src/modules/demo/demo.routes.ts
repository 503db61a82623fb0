/**
 * `/api/demo/config` and `/api/demo/whatsapp/*` — the phone simulator's way to the in-process fake's
 * test-control API (same origin, so the web app needs no CORS and the CSP stays strict).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { type DemoHandle, requireDemo } from './demo.service.js';

const ALLOWED = /^(inbound|sent|read|events|state|reset|clock\/advance|user-preferences|webhooks)$/;

export async function demoRoutes(app: FastifyInstance, deps: { getDemo: () => DemoHandle | undefined }): Promise<void> {
  app.get('/api/demo/config', { config: { access: 'public' } }, async () => deps.getDemo()?.config ?? { demo: false, channels: [] });

  app.all<{ Params: { '*': string } }>('/api/demo/whatsapp/*', { config: { access: 'demo' } }, async (req, reply) => {
    const demo = requireDemo(deps.getDemo());
    const path = req.params['*'];
    if (!ALLOWED.test(path)) {
      throw new AppError('route.not_found', `No demo route ${path}.`);
    }
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    const controller = new AbortController();
    // The response's close, not the request's: a request emits 'close' as soon as its body was read.
    reply.raw.on('close', () => controller.abort());
    let upstream: Response;
    try {
      upstream = await fetch(`${demo.fake.url}/_fake/${path}${query}`, {
        method: req.method,
        headers: { 'content-type': 'application/json' },
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: JSON.stringify(req.body ?? {}) }),
        signal: controller.signal,
      });
    } catch (err) {
      throw new AppError('demo.fake_unreachable', `The demo WhatsApp fake did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    reply.code(upstream.status);
    const type = upstream.headers.get('content-type') ?? 'application/json';
    if (type.startsWith('text/event-stream') && upstream.body) {
      reply.raw.writeHead(upstream.status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const reader = upstream.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            break;
          }
          reply.raw.write(value);
        }
      } catch {
        // the browser or the fake went away
      }
      reply.raw.end();
      return reply;
    }
    return reply.type(type).send(Buffer.from(await upstream.arrayBuffer()));
  });
}
