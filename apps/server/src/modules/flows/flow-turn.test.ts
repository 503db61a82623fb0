import type { FlowRunState, InboundContent, OutboundContent } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { loadWorkspaceDir } from '../workspaces/workspace-files.js';
import { createWorkspaceRuntime } from './flow-runtime.js';
import { runTurn, type TurnResult } from './flow-turn.js';

const demo = new URL('../../../../../examples/demo', import.meta.url).pathname;
const files = loadWorkspaceDir(demo);
const now = new Date('2026-11-23T10:00:00Z');
const runtime = createWorkspaceRuntime({ ...files, defaultLanguage: 'de', now });

const text = (t: string): InboundContent => ({ type: 'text', text: t });
const tap = (replyId: string, title = replyId): InboundContent => ({ type: 'interactive_reply', replyId, title, via: 'button' });
const turn = (content: InboundContent, state: FlowRunState | null = null, isNewConversation = false, language = 'de') =>
  runTurn({ runtime, state, isNewConversation, content, language, now });
const texts = (r: TurnResult) => r.outputs.map((o: OutboundContent) => (o.type === 'text' ? o.text : o.type === 'menu' ? `[menu] ${o.body} ${o.options.map((x) => x.title).join(' | ')}` : `[${o.type}]`));

describe('a bot turn on the demo workspace', () => {
  it('greets a new conversation with who writes, then shows the main menu of topics', () => {
    const r = turn(text('Hallo'), null, true);
    expect(texts(r)[0]).toContain('Aurelia Pharma');
    const menu = r.outputs.find((o) => o.type === 'menu');
    expect(menu?.type === 'menu' && menu.options.map((o) => o.title)).toEqual(expect.arrayContaining(['Materialien', 'Studien', 'Symptome', 'Termine', 'Kontakt']));
    expect(r.state?.flowId).toBe('main-menu');
    expect(r.state?.attributes.greeted).toBe(true);
  });

  it('pulls content by menu: a tap goes to the topic, and MENÜ brings the menu back without greeting twice', () => {
    const first = turn(text('Hallo'), null, true);
    const studies = turn(tap('studien', 'Studien'), first.state);
    expect(texts(studies).join('\n')).toMatch(/LUMEN|Studie/);
    const again = turn(text('Menü'), studies.state);
    expect(texts(again).join('\n')).not.toContain('Aurelia Pharma GmbH');
    expect(again.outputs.some((o) => o.type === 'menu')).toBe(true);
  });

  it('answers a free-text question verbatim from an approved item', () => {
    const r = turn(text('Beipackzettel'));
    const item = runtime.items.get('packungsbeilage');
    expect(item).toBeDefined();
    expect(texts(r)[0]).toContain(item!.body.de!.slice(0, 40));
    expect(r.unanswered).toBeUndefined();
  });

  it('offers "Did you mean …?" when unsure and keeps the question for the content team', () => {
    const r = turn(text('Was kostet ein neues Fahrrad bei Ihnen?'));
    expect(r.unanswered).toMatchObject({ text: 'Was kostet ein neues Fahrrad bei Ihnen?', language: 'de' });
    expect(r.outputs.every((o) => o.type !== 'text' || !o.text.startsWith('*'))).toBe(true);
  });

  it('answers a question typed at a menu from the library and leaves the menu working', () => {
    const first = turn(text('Hallo'), null, true);
    const asked = turn(text('Wo finde ich den Beipackzettel?'), first.state);
    expect(texts(asked).join('\n')).toContain(runtime.items.get('packungsbeilage')!.title.de!);
    expect(asked.state).toEqual(first.state);
    const tapped = turn(tap('studien', 'Studien'), asked.state);
    expect(tapped.state?.nodeId).not.toBe(first.state?.nodeId);
  });

  it('hands over on MITARBEITER from anywhere, and the run ends', () => {
    const first = turn(text('Hallo'), null, true);
    const r = turn(text('Mitarbeiter'), first.state);
    expect(r.handoff).toBe('patient-service');
    expect(r.state).toBeNull();
    expect(texts(r)[0]).toContain('Service-Team');
  });

  it('runs a keyword flow with validation: a wrong postcode is asked again with the format', () => {
    const start = turn(text('Broschüre'));
    expect(start.state?.flowId).toBe('brochure-request');
    let r = start;
    const answers = ['Erika Muster', 'Hauptstraße 1'];
    for (const a of answers) {
      r = turn(text(a), r.state);
    }
    const wrong = turn(text('123'), r.state);
    expect(wrong.state?.attempts).toBe(1);
    expect(texts(wrong).join(' ')).toMatch(/Postleitzahl|PLZ/i);
  });

  it('does not show approved content outside its validity window or for gated audiences (HWG-01)', () => {
    expect(runtime.items.has('feiertage-2025')).toBe(false);
    expect([...runtime.items.values()].some((i) => i.audience === 'hcp')).toBe(false);
  });

  it('answers in English for an English contact', () => {
    const r = turn(text('Hello'), null, true, 'en');
    expect(texts(r)[0]).toContain('This is the digital Lumerra');
  });
});
