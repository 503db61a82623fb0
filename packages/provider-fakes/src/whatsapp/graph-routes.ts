import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeContext } from './context.js';
import { GraphError } from './errors.js';
import { BodyTooLargeError, bearerToken, parseJsonObject, readBody, sendJson } from './http.js';
import { deleteMedia, retrieveMedia, uploadMedia } from './media-routes.js';
import { parseMessagesRequest, type MarkReadRequest } from './messages.js';
import type { Outbound } from './outbound.js';
import { normaliseRecipient } from './phone.js';
import { MESSAGE_MAX_AGE_MS, type PhoneNumberState } from './state.js';
import { createTemplate, deleteTemplates, editTemplate, getTemplate, listTemplates } from './template-api.js';
import { validateTemplateSend } from './templates.js';

const JSON_BODY_LIMIT = 4 * 1024 * 1024;
const VERSION = /^v\d+\.\d+$/;

/** Renders any GraphError as the §2.11 envelope; unexpected errors become 131000 (500). */
export async function handleGraph(ctx: FakeContext, outbound: Outbound, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    await route(ctx, outbound, req, res, url);
  } catch (err) {
    const error =
      err instanceof GraphError
        ? err
        : err instanceof BodyTooLargeError
          ? new GraphError(100, err.message, { httpStatus: 413 })
          : new GraphError(131000, err instanceof Error ? err.message : String(err));
    const body = error.toBody();
    sendJson(res, error.httpStatus, body, { 'x-fb-trace-id': String(body.error.fbtrace_id) });
  }
}

function unsupported(method: string, id: string): GraphError {
  return new GraphError(100, undefined, {
    subcode: 33,
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  });
}

async function route(ctx: FakeContext, outbound: Outbound, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const segments = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  // §2.1: the version segment is optional; it switches v24+ behaviour.
  const version = segments[0] !== undefined && VERSION.test(segments[0]) ? (segments.shift() ?? '') : ctx.options.graphVersionDefault;
  const token = bearerToken(req, url);
  if (token === undefined || !ctx.options.accessTokens.has(token)) {
    // §7.1: missing/invalid bearer → 401 code 190.
    throw new GraphError(190, undefined, { subcode: 467, message: 'Invalid OAuth access token - Cannot parse access token' });
  }
  const method = req.method ?? 'GET';
  const [id, edge, ...rest] = segments;
  if (id === undefined) {
    throw unsupported(method, '');
  }
  if (rest.length > 0) {
    throw new GraphError(100, undefined, { message: `Unknown path components: /${rest.join('/')}` });
  }
  const phone = ctx.state.findPhone(id);
  if (edge === undefined) {
    await routeNode(ctx, req, res, url, method, id, phone);
    return;
  }
  if (edge === 'messages' && method === 'POST' && phone !== undefined) {
    await handleMessages(ctx, outbound, req, res, phone, version);
    return;
  }
  if (edge === 'media' && method === 'POST' && phone !== undefined) {
    uploadMedia(ctx, req, res, phone, await readBody(req));
    return;
  }
  if (id === ctx.options.wabaId && edge === 'message_templates') {
    await routeTemplates(ctx, req, res, url, method);
    return;
  }
  if (id === ctx.options.wabaId && edge === 'phone_numbers' && method === 'GET') {
    sendJson(res, 200, { data: [...ctx.state.phones.values()].map((p) => phoneFields(p, url.searchParams.get('fields'))) });
    return;
  }
  throw unsupported(method, phone !== undefined || id === ctx.options.wabaId ? `${id}/${edge}` : id);
}

async function routeNode(ctx: FakeContext, req: IncomingMessage, res: ServerResponse, url: URL, method: string, id: string, phone: PhoneNumberState | undefined): Promise<void> {
  const media = ctx.media.get(id, ctx.clock.now());
  const template = ctx.templates.get(id);
  if (method === 'GET' && phone !== undefined) {
    sendJson(res, 200, phoneFields(phone, url.searchParams.get('fields')));
  } else if (method === 'GET' && id === ctx.options.wabaId) {
    sendJson(res, 200, { id, name: 'Parley Fake WABA', currency: 'USD', timezone_id: '1', message_template_namespace: `fake_${id}` });
  } else if (method === 'GET' && media !== undefined) {
    retrieveMedia(ctx, res, media, url);
  } else if (method === 'DELETE' && media !== undefined) {
    deleteMedia(ctx, res, media, url);
  } else if (method === 'GET' && template !== undefined) {
    sendJson(res, 200, getTemplate(template, url));
  } else if (method === 'POST' && template !== undefined) {
    sendJson(res, 200, editTemplate(ctx, template, await readJson(req)));
  } else {
    throw unsupported(method, id);
  }
}

async function routeTemplates(ctx: FakeContext, req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
  if (method === 'GET') {
    sendJson(res, 200, listTemplates(ctx, url));
  } else if (method === 'POST') {
    sendJson(res, 200, createTemplate(ctx, await readJson(req)));
  } else if (method === 'DELETE') {
    sendJson(res, 200, deleteTemplates(ctx, url));
  } else {
    throw unsupported(method, `${ctx.options.wabaId}/message_templates`);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = parseJsonObject(await readBody(req, JSON_BODY_LIMIT));
  if (body === undefined) {
    // §2.12: malformed JSON → 100. (Form-encoded bodies are accepted by Graph but the fake is JSON-only, §2.1.)
    throw new GraphError(100, 'The request body must be a JSON object.', { message: '(#100) Invalid parameter' });
  }
  return body;
}

/** `POST /{v}/{phone-number-id}/messages`: mark-read or a send (providers.md §2, §7.1 item 1). */
async function handleMessages(ctx: FakeContext, outbound: Outbound, req: IncomingMessage, res: ServerResponse, phone: PhoneNumberState, version: string): Promise<void> {
  const body = await readJson(req);
  const forced = body.status === undefined ? ctx.state.forcedErrors.shift() : undefined;
  if (forced !== undefined) {
    throw new GraphError(forced);
  }
  const request = parseMessagesRequest(body);
  if (request.kind === 'read') {
    markInboundRead(ctx, res, phone, request);
    return;
  }
  const waId = normaliseRecipient(request.to, phone.displayDigits);
  if (waId.length < 7 || waId.length > 15) {
    throw new GraphError(131009, `Parameter to (${request.to}) is not a valid phone number.`);
  }
  if (phone.sandboxAllowList !== undefined && !phone.sandboxAllowList.has(waId)) {
    throw new GraphError(131030, undefined, { subcode: 2655007 });
  }
  // UNCONFIRMED (§8 item 6): 131021 is returned synchronously.
  if (waId === phone.displayDigits) {
    throw new GraphError(131021);
  }
  const template = request.template === undefined ? undefined : validateTemplateSend(ctx.templates, request.template);
  const now = ctx.clock.now();
  const pairKey = `${phone.phoneNumberId}:${waId}`;
  // §4.4 throughput per number, then §4.5 pair limit; a rejected send consumes no tokens.
  if (!ctx.throughput.canTake(phone.phoneNumberId, now)) {
    throw new GraphError(130429);
  }
  if (!ctx.pairs.canTake(pairKey, now)) {
    throw new GraphError(131056);
  }
  ctx.throughput.take(phone.phoneNumberId, now);
  ctx.pairs.take(pairKey, now);
  const message = outbound.accept({
    phone,
    request,
    waId,
    body,
    graphVersion: version,
    template: template?.template,
    mediaRefs: [...request.mediaRefs, ...(template?.mediaRefs ?? [])],
  });
  // §2.9: message_status only for templates; paced templates are held (§4.8).
  const messageStatus = template?.template.paced === true ? 'held_for_quality_assessment' : 'accepted';
  sendJson(res, 200, {
    messaging_product: 'whatsapp',
    contacts: [{ input: request.to, wa_id: waId }],
    messages: [template === undefined ? { id: message.id } : { id: message.id, message_status: messageStatus }],
  });
}

/** §2.10: mark an inbound message read (optionally with a typing indicator) → `{ success: true }`. */
function markInboundRead(ctx: FakeContext, res: ServerResponse, phone: PhoneNumberState, request: MarkReadRequest): void {
  const now = ctx.clock.now();
  const inbound = ctx.state.inbound.get(request.messageId);
  if (inbound === undefined || inbound.phoneNumberId !== phone.phoneNumberId || now - inbound.at > MESSAGE_MAX_AGE_MS) {
    throw new GraphError(131009, `Message ${request.messageId} is unknown or older than 30 days.`);
  }
  ctx.events.emit({
    type: 'status',
    at: now,
    data: { direction: 'inbound', id: inbound.id, phoneNumberId: phone.phoneNumberId, from: inbound.from, status: 'read', typingIndicator: request.typingIndicator },
  });
  sendJson(res, 200, { success: true });
}

const DEFAULT_PHONE_FIELDS = ['verified_name', 'code_verification_status', 'display_phone_number', 'quality_rating', 'platform_type', 'throughput', 'id'];

/** `GET /{v}/{phone-number-id}?fields=…` (§4.3, §4.4, §7.1 item 4). */
function phoneFields(phone: PhoneNumberState, fields: string | null): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: phone.phoneNumberId,
    display_phone_number: phone.displayPhoneNumber,
    verified_name: phone.verifiedName,
    quality_rating: 'GREEN',
    code_verification_status: 'VERIFIED',
    platform_type: 'CLOUD_API',
    name_status: 'APPROVED',
    status: 'CONNECTED',
    account_mode: phone.sandboxAllowList === undefined ? 'LIVE' : 'SANDBOX',
    throughput: { level: phone.mps >= 1000 ? 'HIGH' : 'STANDARD' },
    whatsapp_business_manager_messaging_limit: 'TIER_2K',
    messaging_limit_tier: 'TIER_2K',
  };
  const wanted = fields === null || fields === '' ? DEFAULT_PHONE_FIELDS : fields.split(',').map((f) => f.trim());
  const result: Record<string, unknown> = {};
  for (const field of wanted) {
    if (!(field in all)) {
      throw new GraphError(100, undefined, { message: `(#100) Tried accessing nonexisting field (${field}) on node type (WhatsAppBusinessPhoneNumber)` });
    }
    result[field] = all[field];
  }
  result.id = phone.phoneNumberId;
  return result;
}
