/**
 * Performs a flow's `call` node request (ARCHITECTURE §5) behind an SSRF guard: only http(s), and no loopback,
 * private, link-local or otherwise internal address unless the host is allowed in config (FLOW_HTTP_ALLOW_PRIVATE).
 * The guard checks the address the connection really goes to (a name is resolved once, checked, and connected
 * to), so a name that resolves to an internal address — DNS rebinding included — is refused as well. Redirects
 * are not followed (a 3xx is an answer like any other non-2xx: the flow's error branch). The answer is the
 * engine's `call_result` input, without its token.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { EngineInput, HttpRequestSpec } from '../engine/index.js';

/** What a call came to: the engine's `call_result` without its token. */
export type CallOutcome = DistributiveOmit<Extract<EngineInput, { type: 'call_result' }>, 'type' | 'token'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface HttpCallerOptions {
  /** `host` or `host:port` entries that may be reached although internal. */
  allowPrivate: string[];
  /** Larger answers are refused as `invalid_response` (default 1 MiB). */
  maxResponseBytes?: number;
  /** Name resolution (tests pass a fake resolver). */
  lookup?: typeof dnsLookup;
}

export type HttpCaller = (request: HttpRequestSpec) => Promise<CallOutcome>;

const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local, reserved or multicast (IPv4-mapped IPv6 included). */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) {
    return true; // not an address at all: refuse rather than guess
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) {
    return INTERNAL.check(mapped[1]!, 'ipv4');
  }
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

class BlockedError extends Error {}
class TimeoutError extends Error {}
class TooLargeError extends Error {}

export function createHttpCaller(opts: HttpCallerOptions): HttpCaller {
  const allow = new Set(opts.allowPrivate.map((h) => h.toLowerCase().replace(/^\[([^\]]*)\]$/, '$1')));
  const maxBytes = opts.maxResponseBytes ?? 1024 * 1024;
  const resolve = opts.lookup ?? dnsLookup;

  return async (spec) => {
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      return { ok: false, reason: 'blocked' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, reason: 'blocked' };
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const allowed = allow.has(host) || allow.has(`${host}:${port}`) || allow.has(`${url.hostname.toLowerCase()}:${port}`);
    if (!allowed && isIP(host) !== 0 && isInternalAddress(host)) {
      return { ok: false, reason: 'blocked' };
    }
    const body = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    try {
      const response = await send(url, spec, body, allowed ? resolve : guardedLookup(resolve), maxBytes);
      return { ok: true, status: response.status, body: response.text };
    } catch (err) {
      if (err instanceof BlockedError) {
        return { ok: false, reason: 'blocked' };
      }
      if (err instanceof TimeoutError) {
        return { ok: false, reason: 'timeout' };
      }
      if (err instanceof TooLargeError) {
        return { ok: false, reason: 'invalid_response' };
      }
      return { ok: false, reason: 'network' };
    }
  };
}

/** A resolver that refuses a name when any of its addresses is internal (all are checked, one is used). */
function guardedLookup(resolve: typeof dnsLookup): typeof dnsLookup {
  const guarded = (hostname: string, options: unknown, callback: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (err: Error | null, address?: string | LookupAddress[], family?: number) => void;
    const wantsAll = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    resolve(hostname, { all: true }, (err, addresses) => {
      if (err) {
        cb(err);
        return;
      }
      if (addresses.length === 0 || addresses.some((a) => isInternalAddress(a.address))) {
        cb(new BlockedError(`${hostname} resolves to an internal address`));
        return;
      }
      if (wantsAll) {
        cb(null, addresses);
      } else {
        cb(null, addresses[0]!.address, addresses[0]!.family);
      }
    });
  };
  return guarded as unknown as typeof dnsLookup;
}

function send(url: URL, spec: HttpRequestSpec, body: Buffer | undefined, lookup: typeof dnsLookup, maxBytes: number): Promise<{ status: number; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string> = { 'user-agent': 'Parley-Flow/1', accept: 'application/json', ...spec.headers };
    if (body) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(body.length);
    }
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: spec.method, headers, lookup, agent: false });
    const timer = setTimeout(() => req.destroy(new TimeoutError(`no answer within ${spec.timeoutMs} ms`)), spec.timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new TooLargeError(`answer larger than ${maxBytes} bytes`));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolvePromise({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(body);
  });
}
