import type { FlowRunState } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { advance, createRunState } from './engine.js';
import { CTX, contentInput, effectTypes, flowOf, play, said, startRun, t, textInput } from './engine.fixtures.js';

const mainMenu = flowOf({
  menu: {
    type: 'menu',
    text: t('Womit kann ich helfen?', 'How can I help?'),
    button: t('Auswahl', 'Choose'),
    options: [
      { id: 'materials', label: t('Materialien', 'Materials'), next: 'materials' },
      { id: 'studies', label: t('Studien', 'Studies'), next: 'studies' },
      { id: 'human', label: t('Mitarbeiter', 'Agent'), next: 'human' },
    ],
  },
  materials: { type: 'content', ref: { topic: 'materialien' }, next: 'bye' },
  studies: { type: 'say', text: t('Studien kommen bald.', 'Studies soon.'), next: 'bye' },
  human: { type: 'handoff', queue: 'service', message: t('Ich verbinde Sie.', 'Connecting you.') },
  bye: { type: 'end', text: t('Tschüss {{name}}!', 'Bye {{name}}!') },
});

describe('advance: start and simple nodes', () => {
  it('starts at the start node and waits at a menu, rendered in the run language with list button', () => {
    const r = startRun(mainMenu);
    expect(r.outputs).toEqual([
      {
        type: 'menu',
        body: 'Womit kann ich helfen?',
        button: 'Auswahl',
        options: [
          { id: 'materials', title: 'Materialien' },
          { id: 'studies', title: 'Studien' },
          { id: 'human', title: 'Mitarbeiter' },
        ],
      },
    ]);
    expect(r.state).toMatchObject({ nodeId: 'menu', waiting: 'input', status: 'active' });
  });

  it('does not mutate the state passed in', () => {
    const state = createRunState(mainMenu);
    const copy = structuredClone(state);
    advance(mainMenu, state, { type: 'start' }, CTX);
    expect(state).toEqual(copy);
  });

  it.each([
    ['reply id', contentInput({ type: 'interactive_reply', replyId: 'studies', title: 'x', via: 'list' })],
    ['typed number', textInput(' 2 ')],
    ['number with dot', textInput('2.')],
    ['German label, any case', textInput('STUDIEN')],
    ['English label in a German run', textInput('studies')],
  ])('picks a menu option by %s', (_name, input) => {
    const [r] = play(mainMenu, startRun(mainMenu, { attributes: { name: 'Eva' } }).state, [input]);
    expect(said(r!)).toEqual(['Studien kommen bald.', 'Tschüss Eva!']);
    expect(r!.state).toMatchObject({ status: 'ended', nodeId: null, waiting: null });
  });

  it('speaks the run language, and English labels pick options in an English run', () => {
    const s = startRun(mainMenu, { language: 'en' });
    expect(said(s)).toEqual(['How can I help? [Materials|Studies|Agent]']);
    const [r] = play(mainMenu, s.state, ['Studies']);
    expect(said(r!)).toEqual(['Studies soon.', 'Bye !']);
  });

  it('falls back to the default language for a language the flow does not have', () => {
    expect(startRun(mainMenu, { language: 'fr' }).state.language).toBe('de');
  });

  it('emits send_content with the language and its position among the outputs', () => {
    const [r] = play(mainMenu, startRun(mainMenu, { language: 'en' }).state, ['1']);
    expect(r!.effects).toEqual([{ type: 'send_content', ref: { topic: 'materialien' }, language: 'en', outputIndex: 0 }]);
    expect(said(r!)).toEqual(['Bye !']);
  });

  it('hands off: says the message, emits handoff and ignores later messages', () => {
    const [r, later] = play(mainMenu, startRun(mainMenu).state, ['Mitarbeiter', 'hallo?']);
    expect(said(r!)).toEqual(['Ich verbinde Sie.']);
    expect(r!.effects).toEqual([{ type: 'handoff', queue: 'service', outputIndex: 1 }]);
    expect(r!.state.status).toBe('handed_off');
    expect(later!.outputs).toEqual([]);
    expect(later!.effects).toEqual([{ type: 'input_ignored', reason: 'handed_off', outputIndex: 0 }]);
    expect(later!.state).toBe(r!.state);
  });

  it('ignores messages after the run ended', () => {
    const [done, after] = play(mainMenu, startRun(mainMenu).state, ['2', 'noch was']);
    expect(done!.state.status).toBe('ended');
    expect(effectTypes(after!)).toEqual(['input_ignored']);
    expect(after!.effects[0]).toMatchObject({ reason: 'not_active' });
  });

  it('ignores reactions without counting an attempt', () => {
    const [r] = play(mainMenu, startRun(mainMenu).state, [contentInput({ type: 'reaction', targetProviderId: 'm1', emoji: '👍' })]);
    expect(r!.effects).toEqual([{ type: 'input_ignored', reason: 'no_content', outputIndex: 0 }]);
    expect(r!.state.attempts).toBe(0);
  });

  it('restarts a finished run on start, keeping attributes', () => {
    const [done] = play(mainMenu, startRun(mainMenu, { attributes: { name: 'Eva' } }).state, ['2']);
    const again = advance(mainMenu, done!.state, { type: 'start' }, CTX);
    expect(again.state).toMatchObject({ status: 'active', nodeId: 'menu', attributes: { name: 'Eva' } });
  });

  it('starts at a given node', () => {
    const r = advance(mainMenu, createRunState(mainMenu), { type: 'start', nodeId: 'studies' }, CTX);
    expect(said(r)).toEqual(['Studien kommen bald.', 'Tschüss !']);
  });
});

describe('advance: menu failures', () => {
  it('re-shows the menu after a reply that matches nothing, then offers help after 3 failures', () => {
    const [r1, r2, r3] = play(mainMenu, startRun(mainMenu).state, ['Pizza', '7', 'immer noch nicht']);
    expect(said(r1!)[0]).toMatch(/^Das habe ich leider nicht verstanden.*\[Materialien\|Studien\|Mitarbeiter\]$/);
    expect(r1!.state).toMatchObject({ attempts: 1, nodeId: 'menu', waiting: 'input' });
    expect(r2!.state.attempts).toBe(2);
    expect(said(r3!)).toEqual([expect.stringContaining('MITARBEITER')]);
    expect(r3!.effects).toEqual([{ type: 'offer_help', nodeId: 'menu', reason: 'max_attempts', outputIndex: 1 }]);
    expect(r3!.state.status).toBe('ended');
  });

  it('answers a voice note politely in the run language and shows the menu again', () => {
    const voice = contentInput({ type: 'media', mediaType: 'audio', mediaId: 'a1', voice: true });
    const [r] = play(mainMenu, startRun(mainMenu, { language: 'en' }).state, [voice]);
    expect(said(r!)).toEqual([expect.stringMatching(/^Thank you! I can't process pictures, voice messages.*\[Materials\|Studies\|Agent\]$/)]);
  });

  it('goes to onFail after maxAttempts when the menu has one', () => {
    const flow = flowOf({
      m: { type: 'menu', text: t('Wahl'), options: [{ id: 'a', label: t('A'), next: 'a' }], maxAttempts: 2, onFail: 'fail' },
      a: { type: 'end' },
      fail: { type: 'say', text: t('Dann eben nicht.') },
    });
    const [r1, r2] = play(flow, startRun(flow).state, ['x', 'y']);
    expect(said(r1!)).toHaveLength(1);
    expect(said(r2!)).toEqual(['Dann eben nicht.']);
    expect(effectTypes(r2!)).toEqual([]);
  });
});

describe('advance: set, branch, subscribe, goto, end', () => {
  const flow = flowOf({
    set: { type: 'set', attribute: 'greeting', value: 'Hallo {{name}}', next: 'copy' },
    copy: { type: 'set', attribute: 'age2', value: '{{age}}', next: 'branch' },
    branch: {
      type: 'branch',
      conditions: [
        { when: { attribute: 'age2', op: 'lt', value: 18 }, next: 'minor' },
        { when: { attribute: 'plan', op: 'in', value: ['gold', 'silver'] }, next: 'vip' },
      ],
      otherwise: 'normal',
    },
    minor: { type: 'say', text: t('{{greeting}}, zu jung.') },
    vip: { type: 'subscribe', topic: 'vip-news', next: 'normal' },
    normal: { type: 'unsubscribe', topic: 'old-news', next: 'bye' },
    bye: { type: 'end', text: t('{{greeting}}, fertig.') },
  });

  it.each([
    { attributes: { name: 'Eva', age: 12 }, outputs: ['Hallo Eva, zu jung.'], effects: [] },
    { attributes: { name: 'Max', age: '40', plan: 'gold' }, outputs: ['Hallo Max, fertig.'], effects: ['subscribe', 'unsubscribe'] },
    { attributes: { name: 'Ann', age: 40, plan: 'bronze' }, outputs: ['Hallo Ann, fertig.'], effects: ['unsubscribe'] },
  ])('branches on $attributes', ({ attributes, outputs, effects }) => {
    const r = startRun(flow, { attributes });
    expect(said(r)).toEqual(outputs);
    expect(effectTypes(r)).toEqual(effects);
    expect(r.state.attributes['age2']).toBe(attributes.age);
    expect(r.state.status).toBe('ended');
  });

  it('emits subscribe with its topic', () => {
    const r = startRun(flow, { attributes: { age: 30, plan: 'silver' } });
    expect(r.effects[0]).toEqual({ type: 'subscribe', topic: 'vip-news', outputIndex: 0 });
  });

  it('switches the run language when the language attribute is set to one of the flow languages', () => {
    const lang = flowOf({
      pick: { type: 'ask', text: t('Sprache?'), input: { kind: 'choice', choices: [{ id: 'en', label: t('English', 'English') }, { id: 'de', label: t('Deutsch', 'Deutsch') }] }, saveAs: 'language', next: 'hi' },
      hi: { type: 'say', text: t('Hallo', 'Hello') },
    });
    const [r] = play(lang, startRun(lang).state, ['English']);
    expect(said(r!)).toEqual(['Hello']);
    expect(r!.state.language).toBe('en');
    expect(r!.effects).toEqual([{ type: 'language_changed', language: 'en', outputIndex: 0 }]);
  });

  it('does not switch to a language the flow does not have', () => {
    const f = flowOf({ s: { type: 'set', attribute: 'language', value: 'fr', next: 'hi' }, hi: { type: 'say', text: t('Hallo', 'Hello') } });
    const r = startRun(f, { language: 'en' });
    expect(said(r)).toEqual(['Hello']);
    expect(effectTypes(r)).toEqual([]);
  });

  it('goto another flow ends this run with goto_flow', () => {
    const f = flowOf({ hi: { type: 'say', text: t('Weiter'), next: 'go' }, go: { type: 'goto', flow: 'brochure', node: 'ask_name' } });
    const r = startRun(f);
    expect(r.effects).toEqual([{ type: 'goto_flow', flowId: 'brochure', nodeId: 'ask_name', outputIndex: 1 }]);
    expect(r.state.status).toBe('ended');
  });

  it('goto its own flow jumps to the node', () => {
    const f = flowOf({
      a: { type: 'say', text: t('A'), next: 'go' },
      go: { type: 'goto', flow: 'test', node: 'c' },
      b: { type: 'say', text: t('B') },
      c: { type: 'say', text: t('C') },
    });
    expect(said(startRun(f))).toEqual(['A', 'C']);
  });

  it('clips filled-in templates to the outbound limits and drops texts that end up empty', () => {
    const f = flowOf({
      long: { type: 'say', text: t('{{essay}}'), next: 'empty' },
      empty: { type: 'say', text: t('{{nothing}}'), next: 'menu' },
      menu: { type: 'menu', text: t('Wahl'), options: [{ id: 'a', label: t('{{essay}}'), next: 'menu' }] },
    });
    const r = startRun(f, { attributes: { essay: 'x'.repeat(5000) } });
    expect(r.outputs).toHaveLength(2);
    expect(r.outputs[0]).toMatchObject({ type: 'text', text: `${'x'.repeat(4095)}…` });
    const menu = r.outputs[1];
    expect(menu?.type === 'menu' ? menu.options[0]?.title.length : 0).toBe(200);
  });

  it('a node without next ends the run', () => {
    const r = startRun(flowOf({ only: { type: 'say', text: t('Nur das') } }));
    expect(r.state).toMatchObject({ status: 'ended', nodeId: null });
  });
});

describe('advance: versions and broken flows', () => {
  it('refuses another version of the flow and leaves the state alone', () => {
    const state: FlowRunState = { ...createRunState(mainMenu), nodeId: 'menu', waiting: 'input' };
    const v2 = { ...mainMenu, version: 2 };
    const r = advance(v2, state, textInput('1'), CTX);
    expect(r.state).toBe(state);
    expect(r.outputs).toEqual([]);
    expect(r.effects).toEqual([expect.objectContaining({ type: 'flow_error', reason: 'version_mismatch' })]);
  });

  it('refuses another flow id', () => {
    const r = advance({ ...mainMenu, id: 'other' }, createRunState(mainMenu), { type: 'start' }, CTX);
    expect(r.effects[0]).toMatchObject({ type: 'flow_error', reason: 'version_mismatch' });
  });

  it('stops a loop without input after maxSteps, drops its outputs and apologises', () => {
    const loop = flowOf({ a: { type: 'say', text: t('A'), next: 'b' }, b: { type: 'subscribe', topic: 'x', next: 'a' } });
    const r = startRun(loop);
    expect(said(r)).toEqual([expect.stringContaining('etwas schiefgelaufen')]);
    expect(r.effects).toEqual([expect.objectContaining({ type: 'flow_error', reason: 'loop' })]);
    expect(r.state.status).toBe('failed');
  });

  it('honours ctx.maxSteps, and a flow within the limit runs', () => {
    const chain = flowOf({ a: { type: 'say', text: t('1'), next: 'b' }, b: { type: 'say', text: t('2'), next: 'c' }, c: { type: 'say', text: t('3') } });
    expect(advance(chain, createRunState(chain), { type: 'start' }, { ...CTX, maxSteps: 2 }).state.status).toBe('failed');
    expect(advance(chain, createRunState(chain), { type: 'start' }, { ...CTX, maxSteps: 3 }).state.status).toBe('ended');
  });

  it('fails with unknown_node for a dangling next', () => {
    const r = startRun(flowOf({ a: { type: 'say', text: t('A'), next: 'nowhere' } }));
    expect(r.effects).toEqual([expect.objectContaining({ type: 'flow_error', reason: 'unknown_node', nodeId: 'nowhere' })]);
  });
});
