/**
 * Attribute templates (`"Hello {{name}}"`) and path look-ups (`"a.b.0.c"`), used by texts, `set`, `branch` and `call`.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/;

/**
 * Reads `path` ("a.b.0.c": object keys and array indexes, split on dots) from `value`; `undefined` when any step is
 * missing. An empty path returns `value` itself.
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') {
    return value;
  }
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(key)) {
        return undefined;
      }
      current = current[Number(key)];
    } else if (isRecord(current) && Object.hasOwn(current, key)) {
      current = current[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/** An attribute by name; a dotted name reads into an object attribute (`order.status`). */
export function getAttribute(attributes: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(attributes, name)) {
    return attributes[name];
  }
  return getPath(attributes, name);
}

/**
 * Fills `{{name}}` placeholders from `attributes`; missing values become ''. `encode` is applied to each value (e.g.
 * `encodeURIComponent` for URLs).
 */
export function interpolate(template: string, attributes: Record<string, unknown>, encode: (s: string) => string = (s) => s): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => encode(toText(getAttribute(attributes, name))));
}

/**
 * Resolves a literal: a string that is exactly one placeholder (`"{{age}}"`) yields the attribute's value with its type;
 * other strings are interpolated; everything else is returned as is.
 */
export function resolveValue(value: unknown, attributes: Record<string, unknown>): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const whole = WHOLE_PLACEHOLDER.exec(value);
  if (whole?.[1] !== undefined) {
    return getAttribute(attributes, whole[1]) ?? null;
  }
  return interpolate(value, attributes);
}

/** `resolveValue` applied to every string inside a JSON value (objects and arrays are copied). */
export function resolveJson(value: unknown, attributes: Record<string, unknown>): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => resolveJson(v, attributes));
  }
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveJson(v, attributes)]));
  }
  return resolveValue(value, attributes);
}

/** A value as text for a template: strings as is, numbers and booleans by `String`, objects as JSON, nothing as ''. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}

/** True for a plain (non-array, non-null) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
