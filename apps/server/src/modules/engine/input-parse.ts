/**
 * Reading a contact's reply: what kind of reply it is, which menu option it picks, and whether it is valid input for
 * an `ask` node. Pure functions; time comes in as `now`.
 */
import type { AskInput, InboundContent, LocalizedText } from '@parley/contracts';

/** A reply as the engine sees it. */
export type Reply =
  /** Text, or a tapped button/list row (`replyId` set, `text` is its title). */
  | { kind: 'text'; text: string; replyId?: string }
  /** Something that is not an answer at all (a reaction, a system notice): ignored. */
  | { kind: 'ignore' }
  /** Media, location, contacts … where text or a choice was expected. */
  | { kind: 'unsupported' };

/** The outcome of parsing a reply for an `ask` node. */
export type ParseResult = { ok: true; value: unknown } | { ok: false };

/** An option that a reply can pick: by `id`, by its 1-based position, or by any of its labels. */
export type PickableOption = { id: string; label: LocalizedText };

/** Classifies inbound content. */
export function toReply(content: InboundContent): Reply {
  switch (content.type) {
    case 'text':
      return { kind: 'text', text: content.text };
    case 'interactive_reply':
      return { kind: 'text', text: content.title, replyId: content.replyId };
    case 'reaction':
    case 'system':
      return { kind: 'ignore' };
    case 'media':
    case 'location':
    case 'contacts':
    case 'order':
    case 'unsupported':
    case 'unknown':
      return { kind: 'unsupported' };
    default:
      return assertNever(content);
  }
}

/**
 * The option a reply picks: the reply id, else a typed number ("2", "2.", "2)") as 1-based position — so numbered-text
 * menus work on SMS and for more than 10 options — else the label (case- and space-insensitive, any language) or id.
 */
export function matchOption<T extends PickableOption>(options: readonly T[], reply: { text: string; replyId?: string }): T | undefined {
  if (reply.replyId !== undefined) {
    const byId = options.find((o) => o.id === reply.replyId);
    if (byId !== undefined) {
      return byId;
    }
  }
  const text = normalize(reply.text);
  const number = /^(\d{1,3})[.)]?$/.exec(text);
  if (number?.[1] !== undefined) {
    return options[Number(number[1]) - 1];
  }
  return options.find((o) => normalize(o.id) === text || Object.values(o.label).some((label) => normalize(label) === text));
}

const YES = new Set(['ja', 'j', 'jo', 'jawohl', 'klar', 'genau', 'gerne', 'yes', 'y', 'yeah', 'yep', 'sure', 'ok', 'okay', '👍']);
const NO = new Set(['nein', 'n', 'nee', 'ne', 'nö', 'no', 'nope', 'nah', '👎']);

/** Parses and validates `text` for an `ask` node's input kind; `value` is what gets saved. */
export function parseAskInput(input: AskInput, reply: { text: string; replyId?: string }, now: Date): ParseResult {
  const text = reply.text.trim();
  if (text.length > 4096) {
    return { ok: false };
  }
  switch (input.kind) {
    case 'text': {
      const length = [...text].length;
      const ok = length >= Math.max(1, input.min ?? 1) && (input.max === undefined || length <= input.max);
      return ok ? { ok: true, value: text } : { ok: false };
    }
    case 'number':
      return parseNumber(text, input.min, input.max, input.integer === true);
    case 'date':
      return parseDate(text, input.min, input.max, now);
    case 'email':
      return parseEmail(text);
    case 'phone':
      return parsePhone(text);
    case 'choice': {
      const choice = matchOption(input.choices, reply);
      return choice === undefined ? { ok: false } : { ok: true, value: choice.id };
    }
    case 'yes_no': {
      const value = yesNo(reply.replyId ?? text);
      return value === undefined ? { ok: false } : { ok: true, value };
    }
    case 'code': {
      const regex = compilePattern(input.pattern, input.flags);
      // The length cap keeps a badly written pattern from spending long on hostile input.
      return regex !== undefined && text.length <= 200 && regex.test(text) ? { ok: true, value: text } : { ok: false };
    }
    default:
      return assertNever(input);
  }
}

/** The RegExp for a `code` pattern, anchored to the whole input; `undefined` if the pattern is invalid. */
export function compilePattern(pattern: string, flags = ''): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, flags);
  } catch {
    return undefined;
  }
}

function parseNumber(text: string, min: number | undefined, max: number | undefined, integer: boolean): ParseResult {
  const compact = text.replace(/\s/g, '');
  if (!/^[-+]?\d+([.,]\d+)?$/.test(compact)) {
    return { ok: false };
  }
  const value = Number(compact.replace(',', '.'));
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    return { ok: false };
  }
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return { ok: false };
  }
  return { ok: true, value };
}

function parseDate(text: string, min: string | undefined, max: string | undefined, now: Date): ParseResult {
  const iso = toIsoDate(text);
  if (iso === undefined) {
    return { ok: false };
  }
  const today = now.toISOString().slice(0, 10);
  const lower = min === 'today' ? today : min;
  const upper = max === 'today' ? today : max;
  // ISO dates compare correctly as strings.
  if ((lower !== undefined && iso < lower) || (upper !== undefined && iso > upper)) {
    return { ok: false };
  }
  return { ok: true, value: iso };
}

/** `YYYY-MM-DD` for `2025-03-31`, `31.3.2025`, `31/03/2025` (day first) or `31.03.25`; `undefined` if not a real date. */
export function toIsoDate(text: string): string | undefined {
  let y: number;
  let m: number;
  let d: number;
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dmyMatch = /^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$/.exec(text);
  if (isoMatch !== null) {
    [y, m, d] = [Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3])];
  } else if (dmyMatch !== null) {
    const year = Number(dmyMatch[3]);
    [y, m, d] = [year < 100 ? 2000 + year : year, Number(dmyMatch[2]), Number(dmyMatch[1])];
  } else {
    return undefined;
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

function parseEmail(text: string): ParseResult {
  const match = /^([^\s@]{1,64})@([^\s@]+\.[^\s@.]{2,})$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined || text.length > 254 || match[2].includes('..')) {
    return { ok: false };
  }
  return { ok: true, value: `${match[1]}@${match[2].toLowerCase()}` };
}

function parsePhone(text: string): ParseResult {
  let compact = text.replace(/[\s\-()./]/g, '');
  if (compact.startsWith('00')) {
    compact = `+${compact.slice(2)}`;
  }
  return /^\+?\d{6,15}$/.test(compact) ? { ok: true, value: compact } : { ok: false };
}

function normalize(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** A typed yes or no in German or English (ja, klar, nein, yes, no …), or undefined. */
export function yesNo(text: string): boolean | undefined {
  const word = normalize(text).replace(/[.!]+$/, '');
  return YES.has(word) ? true : NO.has(word) ? false : undefined;
}
