/**
 * `call` nodes: an HTTP integration. The engine describes the request (effect `call_http`), waits for the runner's
 * `call_result`, maps the JSON response into attributes and takes `next`, or `onError` for anything unexpected.
 */
import type { FlowNodeOf } from '@parley/contracts';
import { emit, setAttribute, waitFor } from '../engine.run.js';
import type { EngineInput, Run, StepResult } from '../engine.types.js';
import { getPath, interpolate, resolveJson } from '../templates.js';

/** Default request timeout of a `call` node. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/** Emits `call_http` with templates filled in (URL placeholders URL-encoded) and waits for the result. */
export function enterCall(run: Run, node: FlowNodeOf<'call'>): StepResult {
  const attributes = run.state.attributes;
  const headers = Object.fromEntries(Object.entries(node.headers ?? {}).map(([k, v]) => [k, interpolate(v, attributes)]));
  const token = waitFor(run, 'call');
  emit(run, {
    type: 'call_http',
    token,
    request: {
      method: node.method,
      url: interpolate(node.url, attributes, encodeURIComponent),
      headers,
      ...(node.body === undefined ? {} : { body: resolveJson(node.body, attributes) }),
      timeoutMs: node.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    },
  });
  return { kind: 'stop' };
}

/**
 * Takes `next` for a 2xx answer whose body holds every mapped path (all mapped attributes are set together), and
 * `onError` for a timeout, a network error, another status, a body that is not JSON or a missing path.
 */
export function resumeCall(run: Run, node: FlowNodeOf<'call'>, result: Extract<EngineInput, { type: 'call_result' }>): StepResult {
  run.state.waiting = null;
  run.state.waitToken = null;
  if (node.saveStatusAs !== undefined && result.status !== undefined) {
    setAttribute(run, node.saveStatusAs, result.status);
  }
  const onError: StepResult = { kind: 'continue', next: node.onError };
  if (!result.ok || result.status < 200 || result.status > 299) {
    return onError;
  }
  const mapping = Object.entries(node.map ?? {});
  if (mapping.length === 0) {
    return { kind: 'continue', next: node.next };
  }
  const body = parseBody(result.body);
  if (!body.ok) {
    return onError;
  }
  const values: Array<[string, unknown]> = [];
  for (const [attribute, path] of mapping) {
    const value = getPath(body.value, path);
    if (value === undefined) {
      return onError;
    }
    values.push([attribute, value]);
  }
  for (const [attribute, value] of values) {
    setAttribute(run, attribute, value);
  }
  return { kind: 'continue', next: node.next };
}

/** The runner passes the parsed JSON body, or the raw text, which is parsed here. */
function parseBody(body: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof body !== 'string') {
    return body === undefined ? { ok: false } : { ok: true, value: body };
  }
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}
