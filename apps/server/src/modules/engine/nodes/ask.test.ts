import type { AskInput } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { contentInput, effectTypes, flowOf, play, said, startRun, t } from '../engine.fixtures.js';

function askFlow(input: AskInput, extra: { maxAttempts?: number; onFail?: string; reprompt?: { de: string; en: string } } = {}) {
  return flowOf({
    q: { type: 'ask', text: t('Frage?', 'Question?'), input, saveAs: 'answer', next: 'done', ...extra },
    done: { type: 'say', text: t('Danke: {{answer}}', 'Thanks: {{answer}}') },
    failed: { type: 'say', text: t('Schade.', 'Pity.') },
  });
}

describe('ask: valid input is saved with its type', () => {
  it.each<[string, AskInput, string, unknown]>([
    ['text', { kind: 'text' }, '  Eva Muster ', 'Eva Muster'],
    ['number with decimal comma', { kind: 'number' }, '3,5', 3.5],
    ['integer in range', { kind: 'number', min: 1, max: 10, integer: true }, '10', 10],
    ['German date', { kind: 'date' }, '31.3.2025', '2025-03-31'],
    ['ISO date', { kind: 'date', min: 'today' }, '2025-03-01', '2025-03-01'],
    ['email', { kind: 'email' }, 'Eva@Example.COM', 'Eva@example.com'],
    ['phone with 00 prefix', { kind: 'phone' }, '0049 (30) 123-4567', '+49301234567'],
    ['choice by label', { kind: 'choice', choices: [{ id: 'p', label: t('Post') }, { id: 'm', label: t('E-Mail', 'Email') }] }, 'email', 'm'],
    ['yes_no: ja', { kind: 'yes_no' }, 'Ja!', true],
    ['yes_no: no', { kind: 'yes_no' }, 'no', false],
    ['code', { kind: 'code', pattern: '[A-Z]{2}\\d{4}', flags: 'i' }, 'ab1234', 'ab1234'],
  ])('%s', (_name, input, text, value) => {
    const [r] = play(askFlow(input), startRun(askFlow(input)).state, [text]);
    expect(r!.state.attributes['answer']).toEqual(value);
    expect(r!.state.status).toBe('ended');
    expect(said(r!)).toEqual([`Danke: ${String(value)}`]);
  });

  it('accepts a yes_no button by its reply id', () => {
    const flow = askFlow({ kind: 'yes_no' });
    const [r] = play(flow, startRun(flow).state, [contentInput({ type: 'interactive_reply', replyId: 'no', title: 'Nein', via: 'button' })]);
    expect(r!.state.attributes['answer']).toBe(false);
  });
});

describe('ask: invalid input', () => {
  it.each<[string, AskInput, string, RegExp]>([
    ['number', { kind: 'number', min: 1, max: 5 }, 'viele', /Zahl zwischen 1 und 5/],
    ['number out of range', { kind: 'number', min: 1, max: 5 }, '6', /zwischen 1 und 5/],
    ['integer', { kind: 'number', integer: true }, '2,5', /ganze Zahl/],
    ['date', { kind: 'date' }, '31.02.2025', /TT\.MM\.JJJJ/],
    ['date in the past', { kind: 'date', min: 'today' }, '28.02.2025', /frühestens heute/],
    ['email', { kind: 'email' }, 'eva@', /E-Mail-Adresse/],
    ['phone', { kind: 'phone' }, '12ab', /Telefonnummer/],
    ['yes_no', { kind: 'yes_no' }, 'vielleicht', /Ja oder Nein/],
    ['code', { kind: 'code', pattern: '\\d{5}' }, '1234', /Format/],
    ['text too long', { kind: 'text', max: 5 }, 'sechs!', /höchstens 5 Zeichen/],
  ])('%s: re-prompts with the allowed format and keeps waiting', (_name, input, text, expected) => {
    const flow = askFlow(input);
    const [r] = play(flow, startRun(flow).state, [text]);
    expect(said(r!).join(' ')).toMatch(expected);
    expect(r!.state).toMatchObject({ nodeId: 'q', waiting: 'input', attempts: 1, status: 'active' });
    expect(r!.state.attributes['answer']).toBeUndefined();
  });

  it('re-prompts in English for an English run', () => {
    const flow = askFlow({ kind: 'email' });
    const [r] = play(flow, startRun(flow, { language: 'en' }).state, ['nope']);
    expect(said(r!)).toEqual(['Please enter a valid e-mail address (e.g. name@example.com).']);
  });

  it('uses the node reprompt when given', () => {
    const flow = askFlow({ kind: 'code', pattern: '\\d{5}' }, { reprompt: { de: 'Bitte 5 Ziffern (PLZ).', en: 'Please 5 digits.' } });
    const [r] = play(flow, startRun(flow).state, ['abc']);
    expect(said(r!)).toEqual(['Bitte 5 Ziffern (PLZ).']);
  });

  it('re-prompts a choice as a menu with the choices', () => {
    const flow = askFlow({ kind: 'choice', choices: [{ id: 'p', label: t('Post') }, { id: 'm', label: t('Mail') }] });
    expect(said(startRun(flow))).toEqual(['Frage? [Post|Mail]']);
    const [r] = play(flow, startRun(flow).state, ['Fax']);
    expect(said(r!)).toEqual([expect.stringMatching(/Optionen.*\[Post\|Mail\]$/)]);
  });

  it('offers the menu or a human after three failures without onFail', () => {
    const flow = askFlow({ kind: 'number' });
    const results = play(flow, startRun(flow).state, ['a', 'b', 'c']);
    expect(results.map((r) => r.state.attempts)).toEqual([1, 2, 3]);
    const last = results[2]!;
    expect(said(last)).toEqual([expect.stringMatching(/MENÜ.*MITARBEITER/)]);
    expect(last.effects).toEqual([{ type: 'offer_help', nodeId: 'q', reason: 'max_attempts', outputIndex: 1 }]);
    expect(last.state.status).toBe('ended');
  });

  it('goes to onFail after maxAttempts', () => {
    const flow = askFlow({ kind: 'number' }, { maxAttempts: 1, onFail: 'failed' });
    const [r] = play(flow, startRun(flow).state, ['x']);
    expect(said(r!)).toEqual(['Schade.']);
    expect(effectTypes(r!)).toEqual([]);
  });

  it('a valid answer after a failure resets nothing it should not: the value is saved', () => {
    const flow = askFlow({ kind: 'number' });
    const [, r] = play(flow, startRun(flow).state, ['x', '4']);
    expect(r!.state.attributes['answer']).toBe(4);
  });

  it.each([
    ['sticker', contentInput({ type: 'media', mediaType: 'sticker', mediaId: 's1', animated: true })],
    ['voice note', contentInput({ type: 'media', mediaType: 'audio', mediaId: 'v1', voice: true })],
    ['image', contentInput({ type: 'media', mediaType: 'image', mediaId: 'i1', caption: 'hier' })],
    ['location', contentInput({ type: 'location', latitude: 52.5, longitude: 13.4 })],
  ])('answers a %s politely and asks again', (_name, input) => {
    const flow = askFlow({ kind: 'text' });
    const [r] = play(flow, startRun(flow).state, [input]);
    expect(said(r!)).toEqual([expect.stringContaining('Sprachnachrichten und Sticker kann ich hier leider nicht'), 'Frage?']);
    expect(r!.state).toMatchObject({ attempts: 1, waiting: 'input' });
  });
});

describe('answer', () => {
  const flow = flowOf({
    ask: { type: 'answer', text: t('Ihre Frage?', 'Your question?'), saveAs: 'question', next: 'more' },
    more: { type: 'say', text: t('Noch etwas?') },
  });

  it('prompts, then emits answer_question with the language and goes on', () => {
    const s = startRun(flow, { language: 'en' });
    expect(said(s)).toEqual(['Your question?']);
    const [r] = play(flow, s.state, ['  What are the side effects? ']);
    expect(r!.effects).toEqual([{ type: 'answer_question', question: 'What are the side effects?', language: 'en', outputIndex: 0 }]);
    expect(r!.state.attributes['question']).toBe('What are the side effects?');
    expect(said(r!)).toEqual(['Noch etwas? (en)']);
  });

  it('answers an image politely and asks again', () => {
    const [r] = play(flow, startRun(flow).state, [contentInput({ type: 'media', mediaType: 'image', mediaId: 'x' })]);
    expect(said(r!)).toEqual([expect.stringContaining('nicht verarbeiten'), 'Ihre Frage?']);
    expect(effectTypes(r!)).toEqual([]);
  });
});
