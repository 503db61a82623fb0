/**
 * Calls the Graph API's messages endpoint (providers.md §2.1, §2.10) and maps failures to ChannelError
 * (§2.11, §2.12). 200 means accepted, not delivered: delivery arrives later as status webhooks.
 */
import type { ChannelError, MediaDownload, SendResult } from '../channel.port.js';

export interface GraphTarget {
  apiBaseUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
}

const SEND_TIMEOUT_MS = 10_000;

/** Failures before a connection existed: the request certainly did not reach the provider. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Codes worth another try, with how long to wait first; everything else is final (§2.12, §4.4, §4.5). */
const RETRYABLE: Record<number, { after: number; why: string }> = {
  4: { after: 60_000, why: 'application request limit reached' },
  80007: { after: 60_000, why: 'WhatsApp Business Account rate limit' },
  130429: { after: 1_000, why: 'throughput limit of the sender number reached' },
  131000: { after: 5_000, why: 'provider error (something went wrong)' },
  131016: { after: 10_000, why: 'provider service unavailable' },
  131048: { after: 60_000, why: 'spam rate limit' },
  131056: { after: 6_000, why: 'pair rate limit: too many messages to this user in a short time' },
  131057: { after: 60_000, why: 'account in maintenance mode' },
};

/** Readable reasons for final codes people meet most (shown to agents and in delivery reports). */
const REASONS: Record<number, string> = {
  190: 'access token expired or invalid — renew the channel token',
  10: 'permission denied for this token',
  100: 'invalid parameter',
  131008: 'a required parameter is missing',
  131009: 'a parameter value is not valid',
  131021: 'recipient is the sender number itself',
  131026: 'message undeliverable: the number is not on WhatsApp or cannot receive it',
  131030: 'recipient not in the allowed list of this test number',
  131047: 'more than 24 hours since the user last wrote: only an approved template may be sent',
  131050: 'the user stopped marketing messages from this business',
  131051: 'unsupported message type',
  132000: 'template parameters do not match the template',
  132001: 'template does not exist or is not approved in this language',
  132012: 'template parameter format does not match',
  132015: 'template is paused',
  132016: 'template is disabled',
  133010: 'sender number is not registered',
};

/** Maps a Graph error code (sync or from a failed status) to a ChannelError. */
export function mapGraphError(code: number, details?: string): ChannelError {
  const retry = RETRYABLE[code];
  if (retry) {
    return { code: String(code), retryable: true, reason: details ?? retry.why, retryAfterMs: retry.after };
  }
  return { code: String(code), retryable: false, reason: REASONS[code] ?? details ?? `provider error ${code}` };
}

export async function postToGraph(target: GraphTarget, body: unknown, fetchImpl: typeof fetch = fetch): Promise<SendResult & { raw?: unknown }> {
  const url = `${target.apiBaseUrl.replace(/\/+$/, '')}/${target.apiVersion}/${target.phoneNumberId}/messages`;
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = [err instanceof Error ? err.message : String(err), cause?.code, cause?.message].filter(Boolean).join(': ');
    if (cause?.code && NEVER_SENT.has(cause.code)) {
      return { ok: false, error: { code: 'network_unsent', retryable: true, reason: `could not connect to the Graph API (${detail})`, retryAfterMs: 2_000 } };
    }
    // The request may have been written before it failed: the dispatcher reconciles before sending again.
    return { ok: false, error: { code: 'network', retryable: true, reason: `no answer from the Graph API (${detail})`, retryAfterMs: 2_000 } };
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.ok && isObj(json)) {
    const first = Array.isArray(json.messages) && isObj(json.messages[0]) ? json.messages[0] : undefined;
    if (first && typeof first.id === 'string') {
      return { ok: true, providerMessageId: first.id, raw: json };
    }
    if (json.success === true) {
      return { ok: true, providerMessageId: '', raw: json };
    }
  }
  const error = isObj(json) && isObj(json.error) ? json.error : undefined;
  if (error && typeof error.code === 'number') {
    const details = isObj(error.error_data) && typeof error.error_data.details === 'string' ? error.error_data.details : typeof error.message === 'string' ? error.message : undefined;
    return { ok: false, error: mapGraphError(error.code, details) };
  }
  const retryable = res.status >= 500 || res.status === 429;
  return { ok: false, error: { code: `http_${res.status}`, retryable, reason: `unexpected Graph API answer (HTTP ${res.status})`, ...(retryable ? { retryAfterMs: 5_000 } : {}) } };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The WhatsApp Business Account whose templates are managed (providers.md §4.8). */
export interface GraphAccountTarget {
  apiBaseUrl: string;
  apiVersion: string;
  businessAccountId: string;
  accessToken: string;
}

/** A failed call keeps the HTTP status and Graph's error subcode: some answers mean "gone", not "broken". */
export type GraphResult<T> = { ok: true; value: T } | { ok: false; error: ChannelError; status?: number; subcode?: number };

const MANAGEMENT_TIMEOUT_MS = 15_000;
const TEMPLATE_PAGE_SIZE = 100;
/** A runaway guard: 6,000 templates per WABA at most (§4.8) are 60 pages of 100. */
const MAX_TEMPLATE_PAGES = 80;

/**
 * Every template of a WhatsApp Business Account: `GET /{waba-id}/message_templates`, following the `after` cursor
 * (§4.8). The next page is requested by cursor on our own base URL, never by the `paging.next` link, so the token
 * goes nowhere but the configured API.
 */
export async function listGraphTemplates(target: GraphAccountTarget, fetchImpl: typeof fetch = fetch): Promise<GraphResult<Array<Record<string, unknown>>>> {
  const all: Array<Record<string, unknown>> = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(TEMPLATE_PAGE_SIZE), ...(after ? { after } : {}) });
    const res = await callGraph(target, 'GET', `${target.businessAccountId}/message_templates?${query}`, undefined, fetchImpl);
    if (!res.ok) {
      return res;
    }
    const data = Array.isArray(res.value.data) ? (res.value.data as unknown[]).filter(isObj) : [];
    all.push(...data);
    const paging = isObj(res.value.paging) ? res.value.paging : undefined;
    const cursor = isObj(paging?.cursors) && typeof paging.cursors.after === 'string' ? paging.cursors.after : undefined;
    if (data.length === 0 || paging?.next === undefined || cursor === undefined) {
      return { ok: true, value: all };
    }
    after = cursor;
  }
  return { ok: false, error: { code: 'too_many_pages', retryable: false, reason: `more than ${MAX_TEMPLATE_PAGES} pages of templates` } };
}

/**
 * One template as the provider holds it now: `GET /{template-id}` (§4.8), with the fields a sync reads. An id the
 * API no longer knows (error 100/33) means the template was deleted there: `gone`.
 */
export async function getGraphTemplate(target: GraphApi, templateId: string, fetchImpl: typeof fetch = fetch): Promise<GraphResult<Record<string, unknown>> & { gone?: boolean }> {
  const res = await callGraph(target, 'GET', `${encodeURIComponent(templateId)}?fields=id,name,language,status,category,components,parameter_format`, undefined, fetchImpl);
  return res.ok ? res : { ...res, gone: isGone(res) };
}

/** Submits a template for review: `POST /{waba-id}/message_templates` → `{ id, status, category }` (§4.8). */
export async function createGraphTemplate(target: GraphAccountTarget, body: Record<string, unknown>, fetchImpl: typeof fetch = fetch): Promise<GraphResult<{ id: string; status: string; category?: string }>> {
  const res = await callGraph(target, 'POST', `${target.businessAccountId}/message_templates`, body, fetchImpl);
  if (!res.ok) {
    return res;
  }
  const { id, status, category } = res.value;
  if (typeof id !== 'string' || typeof status !== 'string') {
    return { ok: false, error: { code: 'unexpected_answer', retryable: false, reason: 'the Graph API answered without a template id and status' } };
  }
  return { ok: true, value: { id, status, ...(typeof category === 'string' ? { category } : {}) } };
}

async function callGraph(target: GraphApi, method: string, path: string, body: unknown, fetchImpl: typeof fetch): Promise<GraphResult<Record<string, unknown>>> {
  const url = `${target.apiBaseUrl.replace(/\/+$/, '')}/${target.apiVersion}/${path}`;
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method,
      headers: { authorization: `Bearer ${target.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(MANAGEMENT_TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, error: { code: 'network', retryable: true, reason: `no answer from the Graph API (${err instanceof Error ? err.message : String(err)})` } };
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (res.ok && isObj(json)) {
    return { ok: true, value: json };
  }
  const error = isObj(json) && isObj(json.error) ? json.error : undefined;
  if (error && typeof error.code === 'number') {
    const details = isObj(error.error_data) && typeof error.error_data.details === 'string' ? error.error_data.details : typeof error.message === 'string' ? error.message : undefined;
    return { ok: false, error: mapGraphError(error.code, details), status: res.status, ...(typeof error.error_subcode === 'number' ? { subcode: error.error_subcode } : {}) };
  }
  return { ok: false, error: { code: `http_${res.status}`, retryable: res.status >= 500, reason: `unexpected Graph API answer (HTTP ${res.status})` }, status: res.status };
}

/** A failed Graph call that means the object no longer exists: 404, or error 100 with subcode 33 ("does not exist"). */
function isGone(res: { error: ChannelError; status?: number; subcode?: number }): boolean {
  return res.status === 404 || (res.error.code === '100' && res.subcode === 33);
}

/** Where the Graph API is and who calls it. */
export type GraphApi = Pick<GraphTarget, 'apiBaseUrl' | 'apiVersion' | 'accessToken'>;

/** Long enough for a 100 MB document on a slow line; the provider's URL itself is valid for 5 minutes (§3.2). */
const MEDIA_DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/**
 * A received media file (providers.md §3.2): `GET /{media-id}?phone_number_id=…` gives a URL valid for 5 minutes,
 * which is downloaded with the same bearer token. The token goes only to the configured API's origin or to Meta's
 * media host (lookaside.fbsbx.com), never to whatever host an answer names. A 404 on the download means the URL
 * expired: one fresh URL is asked for. An id the API no longer knows (error 100/33; webhook media live 7 days) is gone.
 */
export async function fetchGraphMedia(target: GraphTarget, mediaId: string, fetchImpl: typeof fetch = fetch): Promise<MediaDownload> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const meta = await callGraph(target, 'GET', `${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(target.phoneNumberId)}`, undefined, fetchImpl);
    if (!meta.ok) {
      return { ok: false, gone: isGone(meta), error: meta.error };
    }
    const { url, mime_type: mimeType } = meta.value;
    if (typeof url !== 'string' || !isTrustedMediaUrl(url, target.apiBaseUrl)) {
      return { ok: false, gone: false, error: { code: 'media_url_untrusted', retryable: false, reason: 'the Graph API named a media URL outside Meta and the configured API' } };
    }
    let res: Response;
    try {
      res = await fetchImpl(url, { headers: { authorization: `Bearer ${target.accessToken}` }, signal: AbortSignal.timeout(MEDIA_DOWNLOAD_TIMEOUT_MS) });
    } catch (err) {
      return { ok: false, gone: false, error: { code: 'network', retryable: true, reason: `no answer from the media host (${err instanceof Error ? err.message : String(err)})` } };
    }
    if (res.status === 404 && attempt === 0) {
      await res.body?.cancel();
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      return { ok: false, gone: res.status === 404, error: { code: `http_${res.status}`, retryable: res.status >= 500, reason: `the media host answered HTTP ${res.status}` } };
    }
    const length = Number(res.headers.get('content-length'));
    return {
      ok: true,
      mimeType: res.headers.get('content-type') ?? (typeof mimeType === 'string' ? mimeType : 'application/octet-stream'),
      size: Number.isFinite(length) && length > 0 ? length : undefined,
      body: res.body,
    };
  }
  return { ok: false, gone: true, error: { code: 'media_expired', retryable: false, reason: 'the media URL expired twice in a row' } };
}

/** The configured API's own origin, or Meta's media CDN over HTTPS. */
export function isTrustedMediaUrl(url: string, apiBaseUrl: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.origin === new URL(apiBaseUrl).origin) {
    return true;
  }
  return target.protocol === 'https:' && (target.hostname === 'fbsbx.com' || target.hostname.endsWith('.fbsbx.com'));
}
