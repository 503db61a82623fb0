/**
 * Conditions of `branch` nodes.
 */
import type { FlowCondition } from '@parley/contracts';
import { getAttribute, resolveValue } from './templates.js';

/**
 * Evaluates a condition against the attributes. `eq`/`neq`/`in` compare primitives by value, a number equals its
 * decimal string (`3` eq `"3"`); `gt`/`lt` compare numbers (or numeric strings) numerically and other strings (e.g.
 * ISO dates) by code point; `exists` is false for missing, `null` and `''`; `matches` tests a RegExp (case-insensitive,
 * not anchored). `value` strings may be templates (`"{{other}}"`).
 */
export function evaluateCondition(condition: FlowCondition, attributes: Record<string, unknown>): boolean {
  const actual = getAttribute(attributes, condition.attribute);
  const expected = Array.isArray(condition.value)
    ? condition.value.map((v) => resolveValue(v, attributes))
    : resolveValue(condition.value, attributes);
  switch (condition.op) {
    case 'eq':
      return looseEquals(actual, expected);
    case 'neq':
      return !looseEquals(actual, expected);
    case 'gt':
      return compare(actual, expected) > 0;
    case 'lt':
      return compare(actual, expected) < 0;
    case 'in':
      return Array.isArray(expected) && expected.some((e) => looseEquals(actual, e));
    case 'exists':
      return actual !== undefined && actual !== null && actual !== '';
    case 'matches': {
      if (typeof expected !== 'string' || (typeof actual !== 'string' && typeof actual !== 'number')) {
        return false;
      }
      const regex = compileLoose(expected);
      return regex !== undefined && regex.test(String(actual).slice(0, 4096));
    }
    default:
      return assertNever(condition.op);
  }
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  const primitive = (v: unknown): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v);
  return primitive(a) && primitive(b) && typeof a !== typeof b && String(a) === String(b);
}

/** Negative, zero or positive; NaN (compares false both ways) when the values are not comparable. */
function compare(a: unknown, b: unknown): number {
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined) {
    return na - nb;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return Number.NaN;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) {
    return Number(v);
  }
  return undefined;
}

function compileLoose(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'i');
  } catch {
    return undefined;
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
