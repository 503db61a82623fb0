/**
 * `consent` nodes (GDPR-07, issue #4 item 3): the wording is shown through `show_consent` between the intro and the
 * question, nothing is pre-selected, one decision is recorded per node, and a no never stops the service.
 */
import type { FlowNode } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { advance } from '../engine.js';
import { CTX, flowOf, startRun, t, textInput } from '../engine.fixtures.js';

const nodes: Record<string, FlowNode> = {
  optin: { type: 'consent', consentText: 'reminders', intro: t('Hier schreibt Aurelia Pharma.'), saveAs: 'remindersOk', next: 'yes', onDeclined: 'no' },
  yes: { type: 'end', text: t('Danke, wir erinnern Sie.') },
  no: { type: 'end', text: t('In Ordnung, keine Erinnerungen.') },
};
const flow = flowOf(nodes);
const tap = (replyId: string) => ({ type: 'message' as const, content: { type: 'interactive_reply' as const, replyId, title: replyId, via: 'button' as const } });

describe('consent node', () => {
  it('says the intro, has the wording inserted, then asks with two buttons and nothing pre-selected', () => {
    const r = startRun(flow);
    expect(r.outputs[0]).toEqual({ type: 'text', text: 'Hier schreibt Aurelia Pharma.' });
    expect(r.effects).toEqual([{ type: 'show_consent', consentText: 'reminders', language: 'de', outputIndex: 1 }]);
    expect(r.outputs[1]).toEqual({ type: 'menu', body: expect.stringContaining('einverstanden'), options: [{ id: 'consent:yes', title: 'Ja, einverstanden' }, { id: 'consent:no', title: 'Nein, danke' }] });
    expect(r.state).toMatchObject({ nodeId: 'optin', waiting: 'input' });
  });

  it.each([
    ['a tap on yes', tap('consent:yes'), 'granted', 'yes', true],
    ['a typed "Ja"', textInput('Ja'), 'granted', 'yes', true],
    ['"1"', textInput('1'), 'granted', 'yes', true],
    ['a tap on no', tap('consent:no'), 'denied', 'no', false],
    ['a typed "nein"', textInput('nein'), 'denied', 'no', false],
  ])('%s records %s and goes on', (_name, input, decision, nextNode, saved) => {
    const r = advance(flow, startRun(flow).state, input, CTX);
    expect(r.effects.filter((e) => e.type === 'record_consent')).toEqual([{ type: 'record_consent', consentText: 'reminders', decision, language: 'de', outputIndex: 0 }]);
    expect(r.state.attributes.remindersOk).toBe(saved);
    expect(r.outputs.at(-1)).toEqual({ type: 'text', text: nextNode === 'yes' ? 'Danke, wir erinnern Sie.' : 'In Ordnung, keine Erinnerungen.' });
  });

  it('asks again for anything else and records nothing (no consent by silence or by accident)', () => {
    const r = advance(flow, startRun(flow).state, textInput('vielleicht später'), CTX);
    expect(r.effects.some((e) => e.type === 'record_consent')).toBe(false);
    expect(r.state).toMatchObject({ nodeId: 'optin', attempts: 1 });
    expect(r.outputs[0]?.type).toBe('menu');
  });

  it('takes next after a no when onDeclined is not set: the service does not depend on consent', () => {
    const plain = flowOf({ optin: { type: 'consent', consentText: 'reminders', next: 'after' }, after: { type: 'end', text: t('Weiter.') } });
    const r = advance(plain, startRun(plain).state, tap('consent:no'), CTX);
    expect(r.outputs.at(-1)).toEqual({ type: 'text', text: 'Weiter.' });
  });
});
