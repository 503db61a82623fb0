import { ContentItem, type FlowRunState, type InboundContent, type OutboundContent, Topic } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { loadWorkspaceDir } from '../workspaces/workspace-files.js';
import { createWorkspaceRuntime } from './flow-runtime.js';
import { runTurn, TOPIC_PAGE_SIZE, type TurnResult } from './flow-turn.js';

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

  it('says what the person did after an unanswered question: picked an offered item, or asked for a person', () => {
    const asked = turn(text('Pen halten'));
    expect(asked.unanswered).toBeDefined();
    expect(asked.followUp).toBeUndefined();
    const menu = asked.outputs.find((o) => o.type === 'menu');
    const offered = menu?.type === 'menu' ? menu.options.filter((o) => o.id.startsWith('item:')) : [];
    expect(offered.length).toBeGreaterThan(1);
    const picked = turn(tap(offered[1]!.id, offered[1]!.title), asked.state);
    expect(picked.followUp).toEqual({ kind: 'picked', itemId: offered[1]!.id.slice('item:'.length) });
    expect(texts(picked).join('\n')).toContain(runtime.items.get(offered[1]!.id.slice('item:'.length))!.title.de!);
    expect(turn(text('Mitarbeiter'), asked.state).followUp).toEqual({ kind: 'escalated' });
    expect(turn(tap('agent:escalate', 'Service-Team fragen'), asked.state).followUp).toEqual({ kind: 'escalated' });
    // An answer or a topic tap says nothing about an earlier question.
    expect(turn(text('Beipackzettel')).followUp).toBeUndefined();
    expect(turn(tap('topic:studien', 'Studien')).followUp).toBeUndefined();
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

describe('topic menus: paging and typed numbers', () => {
  // A topic longer than one WhatsApp list: 23 items.
  const many = createWorkspaceRuntime({
    flows: [],
    topics: [Topic.parse({ id: 'faq', title: { de: 'Häufige Fragen', en: 'FAQ' } })],
    items: Array.from({ length: 23 }, (_, i) =>
      ContentItem.parse({ id: `q${String(i + 1).padStart(2, '0')}`, topic: 'faq', audience: 'public', status: 'approved', title: { de: `Frage ${i + 1}`, en: `Question ${i + 1}` }, body: { de: `Antwort ${i + 1}`, en: `Answer ${i + 1}` } }),
    ),
    defaultLanguage: 'de',
    now,
  });
  const menuOf = (r: TurnResult) => {
    const m = r.outputs.at(-1);
    if (m?.type !== 'menu') {
      throw new Error('expected a menu');
    }
    return m;
  };
  const at = (content: InboundContent, lastMenu: TurnResult['lastMenu'] = null) => runTurn({ runtime: many, state: null, isNewConversation: false, content, language: 'de', now, lastMenu });

  it('pages a long topic by TOPIC_PAGE_SIZE with a "more" option, and remembers the page as the last menu', () => {
    const first = at(tap('topic:faq'));
    expect(menuOf(first).options).toHaveLength(TOPIC_PAGE_SIZE);
    expect(menuOf(first).options.at(-1)).toEqual({ id: 'topic:faq@2', title: 'Weitere …' });
    expect(menuOf(first).body).toContain('(1/3)');
    expect(first.lastMenu).toEqual(menuOf(first).options);
    const second = at(tap('topic:faq@2'));
    expect(menuOf(second).options[0]).toEqual({ id: 'item:q10', title: 'Frage 10' });
    const last = at(tap('topic:faq@3'));
    expect(menuOf(last).options.map((o) => o.id)).toEqual(['item:q19', 'item:q20', 'item:q21', 'item:q22', 'item:q23']);
    // A page past the end shows the last page rather than nothing.
    expect(menuOf(at(tap('topic:faq@99'))).options).toEqual(menuOf(last).options);
  });

  it('a typed number or title picks from the last runner menu', () => {
    const page = at(tap('topic:faq'));
    expect(texts(at(text('3'), page.lastMenu))[0]).toContain('Antwort 3');
    expect(texts(at(text(' frage 4 '), page.lastMenu))[0]).toContain('Antwort 4');
    const more = at(text('10'), page.lastMenu);
    expect(menuOf(more).options[0]?.id).toBe('item:q10');
    // An item's text makes the menu stale: the next number is not a pick any more.
    const answered = at(text('3'), page.lastMenu);
    expect(answered.lastMenu).toBeNull();
  });

  it('a number beyond the menu is not a pick', () => {
    const page = at(tap('topic:faq'));
    expect(texts(at(text('42'), page.lastMenu)).join(' ')).not.toMatch(/Antwort \d/);
  });

  it('picks from "did you mean" suggestions (item ids) by number', () => {
    const suggestions = [{ id: 'item:q05', title: 'Frage 5' }, { id: 'item:q17', title: 'Frage 17' }];
    expect(texts(at(text('2'), suggestions))[0]).toContain('Antwort 17');
  });

  it('leaves numbers to the flow while its own question is the latest', () => {
    const start = turn(text('Broschüre'));
    expect(start.lastMenu).toBeNull();
  });
});

describe('global commands from workspace.yaml', () => {
  const configured = createWorkspaceRuntime({
    ...files,
    defaultLanguage: 'de',
    now,
    settings: {
      commands: { agent: { de: ['BERATER'], en: ['ADVISOR'] }, help: { de: ['WAS GEHT'] } },
      handoffQueue: 'hcp-service',
      texts: { handoff: { de: 'Ein Berater übernimmt.' } },
    },
  });
  const at = (t: string, state: FlowRunState | null = null, language = 'de') => runTurn({ runtime: configured, state, isNewConversation: false, content: text(t), language, now });

  it('hands over on the workspace’s words to its queue, in its wording, from inside a flow', () => {
    const inFlow = at('Broschüre');
    expect(inFlow.state?.flowId).toBe('brochure-request');
    const r = at('berater!', inFlow.state);
    expect(r).toMatchObject({ handoff: 'hcp-service', state: null });
    expect(texts(r)).toEqual(['Ein Berater übernimmt.']);
    expect(at('Advisor', null, 'en').handoff).toBe('hcp-service');
  });

  it('replaces the default words of a command it configures, and keeps the others', () => {
    expect(at('Mitarbeiter').handoff).toBeUndefined();
    expect(texts(at('was geht?'))[0]).toContain('MENÜ');
    // MENÜ is not configured: its default words still open the menu flow, also in the middle of a flow.
    const inFlow = at('Broschüre');
    const menu = at('menü', inFlow.state);
    expect(menu.state?.flowId).toBe('main-menu');
  });

  it('opens the configured menu flow on START', () => {
    const other = createWorkspaceRuntime({ ...files, defaultLanguage: 'de', now, settings: { menuFlow: 'order-status' } });
    const r = runTurn({ runtime: other, state: null, isNewConversation: false, content: text('Start'), language: 'de', now });
    expect(r.state?.flowId).toBe('order-status');
  });
});

describe('what the bot cannot read', () => {
  const sticker: InboundContent = { type: 'media', mediaType: 'sticker', mediaId: 'st-1' };

  it('answers a sticker politely and shows the menu — never silence', () => {
    const r = turn(sticker);
    expect(texts(r)[0]).toContain('nicht lesen');
    expect(r.outputs.at(-1)?.type).toBe('menu');
    expect(r.state?.flowId).toBe('main-menu');
  });

  it('re-asks at a question instead, in the flow’s words, and leaves a waiting timer alone', () => {
    const asking = turn(text('Broschüre'));
    const r = turn(sticker, asking.state);
    expect(r.state?.nodeId).toBe(asking.state?.nodeId);
    expect(r.state?.flowId).toBe('brochure-request');
    const waiting = { ...asking.state!, waiting: 'timer' as const, waitToken: 'brochure-request@1/x#9' };
    const atTimer = turn(sticker, waiting);
    expect(atTimer.state).toEqual(waiting);
    expect(texts(atTimer)).toHaveLength(1);
  });
});

describe('STOP and START (GDPR-13)', () => {
  const withPurposes = createWorkspaceRuntime({
    ...files,
    defaultLanguage: 'de',
    now,
    settings: { purposes: [{ id: 'psp-reminders', basis: 'consent', promotional: false }, { id: 'news', basis: 'legitimate_interest', promotional: true }, { id: 'care', basis: 'contract', promotional: false }] },
  });
  const at = (t: string, state: FlowRunState | null = null, language = 'de') => runTurn({ runtime: withPurposes, state, isNewConversation: false, content: text(t), language, now });

  it('withdraws every consent-based and promotional purpose from inside a flow, ends the run and confirms once', () => {
    const inFlow = at('Broschüre');
    const r = at('Stopp!', inFlow.state);
    expect(r.consent).toEqual({ kind: 'stop', purposes: ['psp-reminders', 'news'] });
    expect(r.state).toBeNull();
    expect(texts(r)).toHaveLength(1);
    expect(texts(r)[0]).toContain('abgemeldet');
    expect(texts(at('unsubscribe', null, 'en'))[0]).toContain('unsubscribed');
  });

  it('START grants again and opens the menu', () => {
    const r = at('start');
    expect(r.consent).toEqual({ kind: 'start', purposes: ['psp-reminders', 'news'] });
    expect(r.state?.flowId).toBe('main-menu');
  });
});
