/**
 * The hand-off in a bot turn (issue #5 item 2, ARCHITECTURE §6), on the demo workspace with the clock fixed: the
 * contact is told once what happens next — inside the demo's business hours, outside them with when someone answers,
 * on a holiday — for AGENT/MITARBEITER, a flow's hand-off node, and a tap on "talk to a person" after a question
 * the library could not answer.
 */
import type { FlowRunState, InboundContent, OutboundContent } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../engine/index.js';
import { loadWorkspaceDir } from '../workspaces/workspace-files.js';
import { ESCALATE_OPTION_ID } from './flow-handoff.js';
import { createWorkspaceRuntime } from './flow-runtime.js';
import { runTurn, type TurnResult } from './flow-turn.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
const files = loadWorkspaceDir(demo);
const runtime = createWorkspaceRuntime({ ...files, defaultLanguage: 'de', now: new Date('2026-03-04T10:00:00Z') });

/** Demo hours: Mon–Fri 8–20, Sat 9–14 (Berlin), German holidays. */
const OPEN = new Date('2026-03-04T10:00:00Z'); // Wednesday 11:00
const SATURDAY_EVENING = new Date('2026-03-07T17:00:00Z'); // Saturday 18:00
const GOOD_FRIDAY = new Date('2026-04-03T10:00:00Z'); // a holiday (a Friday); Easter Monday too
const EASTER_SUNDAY = new Date('2026-04-05T10:00:00Z');

const text = (t: string): InboundContent => ({ type: 'text', text: t });
const turn = (content: InboundContent, now: Date, state: FlowRunState | null = null, language = 'de') => runTurn({ runtime, state, isNewConversation: false, content, language, now });
const texts = (r: TurnResult) => r.outputs.map((o: OutboundContent) => (o.type === 'text' ? o.text : o.type === 'menu' ? o.body : `[${o.type}]`));

describe('hand-off notice (business hours aware, told once)', () => {
  it('AI-02 MITARBEITER inside business hours: connects, in the contact’s language, to the workspace’s hand-off queue', () => {
    const r = turn(text('Mitarbeiter'), OPEN);
    expect(r).toMatchObject({ handoff: 'patient-service', handoffReason: 'command', state: null });
    expect(texts(r)).toEqual(['Ich verbinde Sie mit unserem Service-Team. Eine Mitarbeiterin oder ein Mitarbeiter meldet sich hier im Chat.']);
    expect(texts(turn(text('agent'), OPEN, null, 'en'))).toEqual(['I am connecting you with our service team. A member of the team will reply here in the chat.']);
  });

  it('outside business hours: says when someone will answer (Saturday evening → Monday, 8:00)', () => {
    const r = turn(text('Mitarbeiter'), SATURDAY_EVENING);
    expect(r.handoff).toBe('patient-service');
    expect(texts(r)).toEqual(['Ich habe Ihre Anfrage an unser Service-Team weitergegeben. Gerade ist niemand im Dienst – wir melden uns hier im Chat ab Montag, 8:00 Uhr.']);
    expect(texts(turn(text('Agent'), SATURDAY_EVENING, null, 'en'))[0]).toContain('we will reply here in the chat from Monday, 8:00.');
  });

  it('on holidays: closed all day, and skipped (Good Friday → Saturday 9:00; Easter Sunday → Tuesday, past Easter Monday)', () => {
    expect(texts(turn(text('Mitarbeiter'), GOOD_FRIDAY))[0]).toContain('wir melden uns hier im Chat morgen ab 9:00 Uhr.');
    expect(texts(turn(text('Mitarbeiter'), EASTER_SUNDAY))[0]).toContain('wir melden uns hier im Chat ab Dienstag, 8:00 Uhr.');
  });

  it('a flow’s hand-off node says its own words inside the hours, and adds when someone answers outside them', () => {
    // The main menu's "Talk to a person" option leads to the flow's hand-off node (in German its title is the
    // command word MITARBEITER, which the runner handles itself).
    const tap = (now: Date) => {
      const menu = turn(text('Menu'), now, null, 'en');
      return turn({ type: 'interactive_reply', replyId: 'mitarbeiter', title: 'Talk to a person', via: 'list' }, now, menu.state, 'en');
    };
    const inside = tap(OPEN);
    expect(inside).toMatchObject({ handoff: 'patient-service', handoffReason: 'flow' });
    expect(texts(inside)).toHaveLength(1);
    expect(texts(inside)[0]).toContain('I am putting you through to our service team. During service hours');
    const outside = tap(SATURDAY_EVENING);
    expect(outside).toMatchObject({ handoff: 'patient-service', handoffReason: 'flow' });
    expect(texts(outside)).toHaveLength(2);
    expect(texts(outside)[0]).toContain('I am putting you through');
    expect(texts(outside)[1]).toContain('we will reply here in the chat from Monday, 8:00.');
  });

  it('AI-02 a question the library cannot answer offers a person; the tap hands over (escalated), as does its number typed', () => {
    const unsure = turn(text('Was kostet ein neues Fahrrad bei Ihnen?'), OPEN);
    const menu = unsure.outputs.at(-1);
    expect(menu?.type).toBe('menu');
    const option = menu?.type === 'menu' ? menu.options.at(-1) : undefined;
    expect(option).toEqual({ id: ESCALATE_OPTION_ID, title: 'Service-Team fragen' });
    expect(unsure.unanswered).toBeDefined();
    const tapped = turn({ type: 'interactive_reply', replyId: ESCALATE_OPTION_ID, title: option!.title, via: 'button' }, OPEN, unsure.state);
    expect(tapped).toMatchObject({ handoff: 'patient-service', handoffReason: 'escalated' });
    expect(texts(tapped)[0]).toContain('Ich verbinde Sie');
    // SMS shows numbered text: the number of the option picks it from the remembered menu.
    const typed = runTurn({ runtime, state: unsure.state, isNewConversation: false, content: text(String(menu?.type === 'menu' ? menu.options.length : 0)), language: 'de', now: OPEN, lastMenu: unsure.lastMenu ?? null });
    expect(typed.handoffReason).toBe('escalated');
  });

  it('AI-02 no answer at all still offers the person with one tap', () => {
    const r = turn(text('xqzv wpfh'), OPEN);
    const last = r.outputs.at(-1);
    expect(last?.type === 'menu' && last.options).toEqual([{ id: ESCALATE_OPTION_ID, title: 'Service-Team fragen' }]);
    expect(turn(text('xqzv wpfh'), OPEN, null, 'en').outputs.at(-1)).toMatchObject({ options: [{ title: 'Talk to a person' }] });
  });

  it('after the last failed answer to a question, "talk to a person" is one tap away (issue #3 bad input, AI-02)', () => {
    const strict = parseFlow({
      id: 'strict-ask', version: 1, name: 'strict', defaultLanguage: 'de', languages: ['de'],
      triggers: [{ type: 'keyword', keywords: { de: ['POSTLEITZAHL'] } }],
      start: 'plz',
      nodes: { plz: { type: 'ask', text: { de: 'Ihre Postleitzahl?' }, input: { kind: 'code', pattern: '^\\d{5}$' }, saveAs: 'plz', next: 'done' }, done: { type: 'end' } },
    });
    if (!strict.ok) {throw new Error(JSON.stringify(strict.problems));}
    const withFlow = createWorkspaceRuntime({ ...files, flows: [...files.flows, strict.flow], defaultLanguage: 'de', now: OPEN });
    const step = (t: string, state: FlowRunState | null) => runTurn({ runtime: withFlow, state, isNewConversation: false, content: text(t), language: 'de', now: OPEN });
    let r = step('Postleitzahl', null);
    for (const wrong of ['abc', '12', 'zwölf']) {
      r = step(wrong, r.state);
    }
    const last = r.outputs.at(-1);
    expect(last?.type).toBe('menu');
    expect(last?.type === 'menu' && last.options.map((o) => o.id)).toEqual([ESCALATE_OPTION_ID]);
    expect(last?.type === 'menu' && last.body).toMatch(/MITARBEITER/);
    const tapped = runTurn({ runtime: withFlow, state: r.state, isNewConversation: false, content: { type: 'interactive_reply', replyId: ESCALATE_OPTION_ID, title: 'x', via: 'button' }, language: 'de', now: OPEN });
    expect(tapped).toMatchObject({ handoff: 'patient-service', handoffReason: 'escalated' });
  });
});
