import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './conditions.js';
import { NOW, t } from './engine.fixtures.js';
import { matchOption, parseAskInput, toIsoDate } from './input-parse.js';
import { getPath, interpolate, resolveJson, resolveValue } from './templates.js';

const options = [
  { id: 'a', label: t('Materialien', 'Materials') },
  { id: 'b', label: t('Studien', 'Studies') },
];

describe('matchOption', () => {
  it.each<[string, { text: string; replyId?: string }, string | undefined]>([
    ['reply id', { text: 'whatever', replyId: 'b' }, 'b'],
    ['unknown reply id falls back to the title', { text: 'Materialien', replyId: 'old' }, 'a'],
    ['number', { text: '1' }, 'a'],
    ['number with parenthesis', { text: '2)' }, 'b'],
    ['number out of range', { text: '3' }, undefined],
    ['zero', { text: '0' }, undefined],
    ['label, other case and spaces', { text: '  mATERIALS ' }, 'a'],
    ['id typed', { text: 'B' }, 'b'],
    ['unrelated text', { text: 'Studie' }, undefined],
  ])('%s', (_name, reply, expected) => {
    expect(matchOption(options, reply)?.id).toBe(expected);
  });

  it('reads numbers beyond 10 for long numbered menus', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ id: `o${i + 1}`, label: t(`Option ${i + 1}`) }));
    expect(matchOption(many, { text: '12' })?.id).toBe('o12');
  });
});

describe('parseAskInput', () => {
  it.each([
    ['number: negative', { kind: 'number' as const }, '-4', -4],
    ['number: spaces', { kind: 'number' as const }, '1 000', 1000],
    ['date: two-digit year', { kind: 'date' as const }, '01.04.25', '2025-04-01'],
    ['date: slashes, day first', { kind: 'date' as const, max: 'today' as const }, '28/02/2025', '2025-02-28'],
    ['phone: national number kept', { kind: 'phone' as const }, '030 1234567', '0301234567'],
    ['text: emoji counted as one', { kind: 'text' as const, max: 2 }, '👍🏻', '👍🏻'],
  ])('%s', (_name, input, text, value) => {
    expect(parseAskInput(input, { text }, NOW)).toEqual({ ok: true, value });
  });

  it.each([
    ['number: two separators', { kind: 'number' as const }, '1,2,3'],
    ['number: below min', { kind: 'number' as const, min: 0 }, '-1'],
    ['date: after max', { kind: 'date' as const, max: 'today' as const }, '02.03.2025'],
    ['date: before explicit min', { kind: 'date' as const, min: '2025-01-01' }, '31.12.2024'],
    ['date: not a date', { kind: 'date' as const }, 'morgen'],
    ['email: spaces', { kind: 'email' as const }, 'eva muster@example.com'],
    ['email: no tld', { kind: 'email' as const }, 'eva@example'],
    ['phone: too short', { kind: 'phone' as const }, '12345'],
    ['text: empty', { kind: 'text' as const }, '   '],
    ['text: below min', { kind: 'text' as const, min: 3 }, 'ab'],
    ['code: partial match only', { kind: 'code' as const, pattern: '\\d{3}' }, '1234'],
    ['code: case matters without i', { kind: 'code' as const, pattern: '[A-Z]+' }, 'abc'],
    ['code: invalid pattern never matches', { kind: 'code' as const, pattern: '(' }, '('],
  ])('rejects %s', (_name, input, text) => {
    expect(parseAskInput(input, { text }, NOW)).toEqual({ ok: false });
  });

  it.each([
    ['2024-02-29', '2024-02-29'],
    ['2025-02-29', undefined],
    ['31.04.2025', undefined],
    ['2025-13-01', undefined],
  ])('toIsoDate(%s)', (text, expected) => {
    expect(toIsoDate(text)).toBe(expected);
  });
});

describe('evaluateCondition', () => {
  const attributes = { age: 42, zip: '10115', plan: 'gold', empty: '', due: '2025-03-01', other: 42, nested: { status: 'ok' } };
  it.each([
    [{ attribute: 'age', op: 'eq' as const, value: '42' }, true],
    [{ attribute: 'age', op: 'eq' as const, value: 43 }, false],
    [{ attribute: 'age', op: 'neq' as const, value: 43 }, true],
    [{ attribute: 'age', op: 'eq' as const, value: '{{other}}' }, true],
    [{ attribute: 'zip', op: 'gt' as const, value: 9999 }, true],
    [{ attribute: 'age', op: 'lt' as const, value: '100' }, true],
    [{ attribute: 'due', op: 'lt' as const, value: '2025-04-01' }, true],
    [{ attribute: 'plan', op: 'gt' as const, value: 3 }, false],
    [{ attribute: 'plan', op: 'lt' as const, value: 3 }, false],
    [{ attribute: 'plan', op: 'in' as const, value: ['silver', 'gold'] }, true],
    [{ attribute: 'plan', op: 'in' as const, value: 'gold' }, false],
    [{ attribute: 'plan', op: 'exists' as const }, true],
    [{ attribute: 'empty', op: 'exists' as const }, false],
    [{ attribute: 'missing', op: 'exists' as const }, false],
    [{ attribute: 'zip', op: 'matches' as const, value: '^10' }, true],
    [{ attribute: 'plan', op: 'matches' as const, value: 'GOLD' }, true],
    [{ attribute: 'plan', op: 'matches' as const, value: '[' }, false],
    [{ attribute: 'nested.status', op: 'eq' as const, value: 'ok' }, true],
  ])('%o → %s', (condition, expected) => {
    expect(evaluateCondition(condition, attributes)).toBe(expected);
  });
});

describe('templates', () => {
  it('reads paths through objects and arrays', () => {
    const body = { a: { b: [{ c: 1 }, { c: 2 }] } };
    expect(getPath(body, 'a.b.1.c')).toBe(2);
    expect(getPath(body, 'a.b.x')).toBeUndefined();
    expect(getPath(body, 'a.missing.c')).toBeUndefined();
    expect(getPath({ a: 'text' }, 'a.length')).toBeUndefined();
  });

  it('interpolates, with an encoder, and leaves missing values empty', () => {
    expect(interpolate('{{ a }}/{{b}}/{{c}}', { a: 'x y', b: 3 }, encodeURIComponent)).toBe('x%20y/3/');
  });

  it('keeps the type of a lone placeholder and resolves JSON deeply', () => {
    expect(resolveValue('{{n}}', { n: 5 })).toBe(5);
    expect(resolveValue('{{missing}}', {})).toBeNull();
    expect(resolveJson({ list: ['{{n}}', 'n={{n}}'], keep: true }, { n: 5 })).toEqual({ list: [5, 'n=5'], keep: true });
  });
});
