/**
 * The `call` node's HTTP client over real loopback sockets: the SSRF guard (ARCHITECTURE §5, issue #3 item 3)
 * refuses internal addresses — literal, by name, or after resolution — unless allowed, and every other way a call
 * can go wrong (timeout, refused connection, a huge answer) becomes a `call_result` the flow's error branch takes.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/net.js';
import { createHttpCaller, isInternalAddress } from './flow-http.js';

let server: Server;
let port: number;
const seen: Array<{ method: string; url: string; body: string; headers: IncomingMessage['headers'] }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString(), headers: req.headers });
      if (req.url === '/slow') {
        setTimeout(() => res.end('{"late":true}'), 2_000);
        return;
      }
      if (req.url === '/huge') {
        res.end('x'.repeat(4096));
        return;
      }
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
        return;
      }
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, method: req.method }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const get = (url: string, timeoutMs = 1_000) => ({ method: 'GET' as const, url, headers: {}, timeoutMs });

describe('SSRF guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.178.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['not-an-ip', true],
    ['93.184.216.34', false],
    ['8.8.8.8', false],
    ['2a00:1450:4001:80b::200e', false],
    ['::ffff:93.184.216.34', false],
  ])('%s is internal: %s', (address, internal) => {
    expect(isInternalAddress(address)).toBe(internal);
  });

  it('refuses loopback by default and the service never sees the request', async () => {
    const call = createHttpCaller({ allowPrivate: [] });
    const before = seen.length;
    await expect(call(get(`http://127.0.0.1:${port}/orders/1`))).resolves.toEqual({ ok: false, reason: 'blocked' });
    await expect(call(get(`http://[::1]:${port}/orders/1`))).resolves.toEqual({ ok: false, reason: 'blocked' });
    expect(seen.length).toBe(before);
  });

  it('refuses a name that resolves to an internal address (also a rebinding name that looks public)', async () => {
    const before = seen.length;
    const call = createHttpCaller({ allowPrivate: [] });
    await expect(call(get(`http://localhost:${port}/x`))).resolves.toEqual({ ok: false, reason: 'blocked' });
    const rebinding = createHttpCaller({
      allowPrivate: [],
      lookup: ((_host: string, _opts: unknown, cb: (e: null, a: Array<{ address: string; family: number }>) => void) =>
        cb(null, [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }])) as never,
    });
    await expect(rebinding(get(`http://tracking.example.com:${port}/x`))).resolves.toEqual({ ok: false, reason: 'blocked' });
    expect(seen.length).toBe(before);
  });

  it('refuses other schemes', async () => {
    const call = createHttpCaller({ allowPrivate: ['127.0.0.1'] });
    await expect(call(get('file:///etc/passwd'))).resolves.toEqual({ ok: false, reason: 'blocked' });
    await expect(call(get('ftp://127.0.0.1/'))).resolves.toEqual({ ok: false, reason: 'blocked' });
    await expect(call(get('not a url'))).resolves.toEqual({ ok: false, reason: 'blocked' });
  });

  it('allows exactly the configured host:port', async () => {
    const call = createHttpCaller({ allowPrivate: [`127.0.0.1:${port}`] });
    await expect(call(get(`http://127.0.0.1:${port}/orders/LU-1`))).resolves.toEqual({ ok: true, status: 200, body: JSON.stringify({ path: '/orders/LU-1', method: 'GET' }) });
    const other = await freePort();
    await expect(call(get(`http://127.0.0.1:${other}/orders/LU-1`))).resolves.toEqual({ ok: false, reason: 'blocked' });
  });
});

describe('call outcomes', () => {
  const call = createHttpCaller({ allowPrivate: ['127.0.0.1'], maxResponseBytes: 1024 });

  it('sends method, JSON body and headers', async () => {
    const r = await call({ method: 'POST', url: `http://127.0.0.1:${port}/orders`, headers: { 'x-api-key': 'k1' }, body: { name: 'Eva', postcode: '10115' }, timeoutMs: 1_000 });
    expect(r).toMatchObject({ ok: true, status: 200 });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', url: '/orders', body: '{"name":"Eva","postcode":"10115"}' });
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['x-api-key']).toBe('k1');
  });

  it('reports non-2xx with its status, and does not follow redirects', async () => {
    await expect(call(get(`http://127.0.0.1:${port}/missing`))).resolves.toMatchObject({ ok: true, status: 404 });
    await expect(call(get(`http://127.0.0.1:${port}/redirect`))).resolves.toMatchObject({ ok: true, status: 302 });
  });

  it('times out after timeoutMs', async () => {
    const started = Date.now();
    await expect(call(get(`http://127.0.0.1:${port}/slow`, 300))).resolves.toEqual({ ok: false, reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('refuses an answer larger than the limit', async () => {
    await expect(call(get(`http://127.0.0.1:${port}/huge`))).resolves.toEqual({ ok: false, reason: 'invalid_response' });
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await freePort();
    await expect(call(get(`http://127.0.0.1:${closed}/`))).resolves.toEqual({ ok: false, reason: 'network' });
  });
});
