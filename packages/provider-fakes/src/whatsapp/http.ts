import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body the fake reads (media uploads up to the 100 MB document limit, §3.3). */
export const MAX_BODY_BYTES = 101 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Reads the whole request body, rejecting bodies above `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > limit) {
      throw new BodyTooLargeError(`request body exceeds ${limit} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Writes a JSON response (plain UTF-8 JSON; only webhooks use Meta's ASCII escaping). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Type guard for plain JSON objects. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON object body; `undefined` when the text is not JSON or not an object. */
export function parseJsonObject(buf: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(buf.toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The bearer token from the Authorization header, or Graph's `access_token` query parameter. */
export function bearerToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return url.searchParams.get('access_token') ?? undefined;
}
