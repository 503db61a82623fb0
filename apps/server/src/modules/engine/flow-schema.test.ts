import { describe, expect, it } from 'vitest';
import { Flow, FlowNode, FlowRunState } from '@parley/contracts';

const minimal = {
  id: 'main-menu',
  version: 1,
  name: 'Main menu',
  defaultLanguage: 'de',
  languages: ['de', 'en'],
  triggers: [{ type: 'keyword', keywords: { de: ['menü'], en: ['menu'] } }, { type: 'new_conversation' }, { type: 'entry_point', ref: 'qr-1' }],
  start: 'hello',
  nodes: { hello: { type: 'say', text: { de: 'Hallo', en: 'Hello' } } },
};

describe('Flow schema', () => {
  it('accepts a minimal flow', () => {
    expect(Flow.safeParse(minimal).success).toBe(true);
  });

  it.each([
    ['an upper-case flow id', { ...minimal, id: 'Main' }],
    ['version 0', { ...minimal, version: 0 }],
    ['a bad language code', { ...minimal, languages: ['german'] }],
    ['an unknown trigger', { ...minimal, triggers: [{ type: 'cron' }] }],
    ['a node id with spaces', { ...minimal, nodes: { 'a b': minimal.nodes.hello } }],
  ])('rejects %s', (_name, doc) => {
    expect(Flow.safeParse(doc).success).toBe(false);
  });

  it.each([
    ['consent (reserved)', { type: 'consent' }],
    ['verify (reserved)', { type: 'verify' }],
    ['ask without saveAs', { type: 'ask', text: { de: 'x' }, input: { kind: 'text' } }],
    ['ask with an unknown input kind', { type: 'ask', text: { de: 'x' }, input: { kind: 'iban' }, saveAs: 'x' }],
    ['code without pattern', { type: 'ask', text: { de: 'x' }, input: { kind: 'code' }, saveAs: 'x' }],
    ['call without onError', { type: 'call', method: 'GET', url: 'https://x' }],
    ['call with a 60 s timeout', { type: 'call', method: 'GET', url: 'https://x', onError: 'e', timeoutMs: 60_000 }],
    ['menu without options', { type: 'menu', text: { de: 'x' }, options: [] }],
    ['menu with a list button over 20 characters', { type: 'menu', text: { de: 'x' }, button: { de: 'Bitte hier auswählen!' }, options: [{ id: 'a', label: { de: 'A' }, next: 'n' }] }],
    ['wait until a date without time', { type: 'wait', until: '2025-01-01' }],
  ])('rejects the node: %s', (_name, node) => {
    expect(FlowNode.safeParse(node).success).toBe(false);
  });

  it.each([
    ['yes_no ask', { type: 'ask', text: { de: 'x' }, input: { kind: 'yes_no' }, saveAs: 'ok', maxAttempts: 2, onFail: 'f' }],
    ['date ask from today', { type: 'ask', text: { de: 'x' }, input: { kind: 'date', min: 'today', max: '2030-12-31' }, saveAs: 'd' }],
    ['branch', { type: 'branch', conditions: [{ when: { attribute: 'a', op: 'in', value: [1, 'x'] }, next: 'n' }], otherwise: 'o' }],
    ['content by item', { type: 'content', ref: { item: 'brochure-1' } }],
    ['call with mapping', { type: 'call', method: 'POST', url: 'https://x/{{id}}', body: { a: '{{b}}' }, map: { s: 'a.0.b' }, onError: 'e' }],
    ['wait with offset time', { type: 'wait', until: '2025-01-01T08:00:00+01:00', next: 'n' }],
    ['goto', { type: 'goto', flow: 'brochure' }],
  ])('accepts the node: %s', (_name, node) => {
    expect(FlowNode.safeParse(node).success).toBe(true);
  });

  it('parses a run state and rejects an unknown status', () => {
    const state = { flowId: 'main-menu', flowVersion: 3, nodeId: null, status: 'active', waiting: null, waitToken: null, attempts: 0, seq: 0, language: 'de', attributes: {} };
    expect(FlowRunState.safeParse(state).success).toBe(true);
    expect(FlowRunState.safeParse({ ...state, status: 'paused' }).success).toBe(false);
  });
});
