import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeContext } from './context.js';
import { GraphError } from './errors.js';
import { bearerToken, sendJson } from './http.js';
import { limitsForMime, MEDIA_LIMITS, UPLOADED_MEDIA_TTL_MS, type MediaRecord } from './media.js';
import { parseMultipart } from './multipart.js';
import type { PhoneNumberState } from './state.js';

/**
 * `POST /{v}/{phone-number-id}/media` (providers.md §3.1): multipart with `messaging_product`,
 * `file` and `type`; MIME types and sizes per §3.3. Responds `{ "id": "<media id>" }`.
 */
export function uploadMedia(ctx: FakeContext, req: IncomingMessage, res: ServerResponse, phone: PhoneNumberState, body: Buffer): void {
  const parts = parseMultipart(body, req.headers['content-type']);
  if (parts === undefined) {
    throw new GraphError(100, 'Media uploads must be multipart/form-data.');
  }
  const field = (name: string): string | undefined => {
    const part = parts.find((p) => p.name === name && p.filename === undefined);
    return part?.data.toString('utf8').trim();
  };
  if (field('messaging_product') !== 'whatsapp') {
    throw new GraphError(100, 'The parameter messaging_product is required.', { message: '(#100) The parameter messaging_product is required.' });
  }
  const file = parts.find((p) => p.name === 'file');
  if (file === undefined || file.data.length === 0) {
    throw new GraphError(100, 'The parameter file is required.', { message: '(#100) The parameter file is required.' });
  }
  const mimeType = field('type') ?? file.contentType;
  if (mimeType === undefined || mimeType === '') {
    throw new GraphError(100, 'The parameter type is required.', { message: '(#100) The parameter type is required.' });
  }
  const limits = limitsForMime(mimeType);
  if (limits === undefined) {
    const all = Object.values(MEDIA_LIMITS).flatMap((l) => l.types);
    const text = `Param file must be a file with one of the following types: ${all.join(', ')}. Received file of type '${mimeType}'.`;
    throw new GraphError(100, text, { message: `(#100) ${text}` });
  }
  if (file.data.length > limits.maxBytes) {
    throw new GraphError(131053, `Media file size ${file.data.length} bytes exceeds the ${limits.maxBytes} byte limit for ${limits.kind}.`);
  }
  const record = ctx.media.add(
    { phoneNumberId: phone.phoneNumberId, bytes: file.data, mimeType, filename: file.filename, ttlMs: UPLOADED_MEDIA_TTL_MS },
    ctx.clock.now(),
  );
  sendJson(res, 200, { id: record.id });
}

function assertOwner(record: MediaRecord, url: URL): void {
  const owner = url.searchParams.get('phone_number_id');
  // §3.2: with phone_number_id the request only succeeds for media of that number.
  if (owner !== null && owner !== record.phoneNumberId) {
    throw new GraphError(100, `Media ${record.id} does not belong to phone number ${owner}.`);
  }
}

/** `GET /{v}/{media-id}` → a fresh download URL valid for 5 minutes (§3.2). */
export function retrieveMedia(ctx: FakeContext, res: ServerResponse, record: MediaRecord, url: URL): void {
  assertOwner(record, url);
  sendJson(res, 200, {
    messaging_product: 'whatsapp',
    url: ctx.media.downloadUrl(record, ctx.baseUrl, ctx.clock.now()),
    mime_type: record.mimeType,
    sha256: record.sha256,
    // UNCONFIRMED (§8 item 4): string in the reference example, integer in pywa; we emit a number.
    file_size: record.fileSize,
    id: record.id,
  });
}

/** `DELETE /{v}/{media-id}` → `{ success: true }` (§3.2). */
export function deleteMedia(ctx: FakeContext, res: ServerResponse, record: MediaRecord, url: URL): void {
  assertOwner(record, url);
  ctx.media.remove(record.id);
  sendJson(res, 200, { success: true });
}

/** `GET <download url>`: needs the bearer token; expired, deleted or tampered URLs → 404 (§3.2). */
export function downloadMedia(ctx: FakeContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const token = bearerToken(req, url);
  if (token === undefined || !ctx.options.accessTokens.has(token)) {
    const error = new GraphError(190, undefined, { subcode: 467 });
    sendJson(res, error.httpStatus, error.toBody());
    return;
  }
  const record = ctx.media.resolveDownload(url, ctx.clock.now());
  if (record === undefined) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not Found');
    return;
  }
  res.writeHead(200, { 'content-type': record.mimeType, 'content-length': String(record.bytes.length) });
  res.end(record.bytes);
}
