import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { isRecord } from './http.js';
import { startWhatsAppFake } from './server.js';
import type { WhatsAppFake, WhatsAppFakeOptions } from './types.js';

/** Shared fixtures for the fake's own tests (not part of the public API). */
export const SECRET = 'test_app_secret';
export const TOKEN = 'test-token';
export const PNID = '109876543210987';
export const DISPLAY = '15550001111';
export const USER = '5215512345678';
export const WABA = '880011223344556';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Decides the HTTP status for the n-th (0-based) POST; may delay to simulate a slow receiver. */
export type ReceiverHandler = (req: ReceivedRequest, index: number) => number | Promise<number>;

/** A tiny node:http webhook receiver that records every POST and answers the §1.1 handshake. */
export async function startReceiver(handler: ReceiverHandler = () => 200, verifyToken = 'verify-me'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (req.method === 'GET') {
        const ok = url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === verifyToken;
        res.writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' });
        res.end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'forbidden');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(body);
        json = isRecord(parsed) ? parsed : {};
      } catch {
        json = {};
      }
      const received: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
      const index = requests.length;
      requests.push(received);
      void Promise.resolve(handler(received, index)).then((status) => {
        res.writeHead(status);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 3000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a fake with the shared fixtures; `overrides` replace any option. */
export function startTestFake(overrides: Partial<WhatsAppFakeOptions> = {}, webhookUrl?: string): Promise<WhatsAppFake> {
  return startWhatsAppFake({
    appSecret: SECRET,
    accessTokens: [TOKEN],
    verifyToken: 'verify-me',
    phoneNumbers: [{ phoneNumberId: PNID, displayPhoneNumber: DISPLAY, webhookUrl }],
    delivery: { retryDelaysMs: [0, 20, 40] },
    ...overrides,
  });
}

export interface GraphResponse {
  status: number;
  json: Record<string, unknown>;
}

/** Calls the fake's Graph API with the test token (or `token`). */
export async function graph(fake: WhatsAppFake, path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<GraphResponse> {
  const headers: Record<string, string> = {};
  if (init.token !== null) {
    headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  }
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${fake.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  return { status: res.status, json: isRecord(parsed) ? parsed : {} };
}

/** POSTs a message body to /v24.0/{PNID}/messages (fills messaging_product). */
export function send(fake: WhatsAppFake, body: Record<string, unknown>, version = 'v24.0'): Promise<GraphResponse> {
  return graph(fake, `/${version}/${PNID}/messages`, { body: { messaging_product: 'whatsapp', ...body } });
}

export function sendText(fake: WhatsAppFake, text = 'hi', extra: Record<string, unknown> = {}): Promise<GraphResponse> {
  return send(fake, { to: USER, type: 'text', text: { body: text }, ...extra });
}

/** The Graph error object of a failed response. */
export function errorOf(res: GraphResponse): Record<string, unknown> {
  const error = res.json.error;
  if (!isRecord(error)) {
    throw new Error(`expected a Graph error, got ${JSON.stringify(res.json)}`);
  }
  return error;
}

/** wamid of a successful send. */
export function messageIdOf(res: GraphResponse): string {
  const messages = res.json.messages;
  const first: unknown = Array.isArray(messages) ? messages[0] : undefined;
  if (!isRecord(first) || typeof first.id !== 'string') {
    throw new Error(`expected a send response, got ${JSON.stringify(res.json)}`);
  }
  return first.id;
}

/** Every `value` of every change of every received webhook, in arrival order. */
export function valuesOf(receiver: Receiver, field = 'messages'): Array<Record<string, unknown>> {
  const values: Array<Record<string, unknown>> = [];
  for (const request of receiver.requests) {
    const entries = Array.isArray(request.json.entry) ? (request.json.entry as unknown[]) : [];
    for (const entry of entries) {
      const changes = isRecord(entry) && Array.isArray(entry.changes) ? (entry.changes as unknown[]) : [];
      for (const change of changes) {
        if (isRecord(change) && change.field === field && isRecord(change.value)) {
          values.push(change.value);
        }
      }
    }
  }
  return values;
}

/** Every `statuses[]` item received, optionally only for one wamid. */
export function statusesOf(receiver: Receiver, id?: string): Array<Record<string, unknown>> {
  return valuesOf(receiver)
    .flatMap((v) => (Array.isArray(v.statuses) ? (v.statuses as unknown[]) : []))
    .filter(isRecord)
    .filter((s) => id === undefined || s.id === id);
}

/** `text.body` of an inbound message item ('' when absent). */
export function textOf(message: Record<string, unknown> | undefined): string {
  return isRecord(message?.text) && typeof message.text.body === 'string' ? message.text.body : '';
}

/** Every inbound `messages[]` item received. */
export function inboundOf(receiver: Receiver): Array<Record<string, unknown>> {
  return valuesOf(receiver)
    .flatMap((v) => (Array.isArray(v.messages) ? (v.messages as unknown[]) : []))
    .filter(isRecord);
}
