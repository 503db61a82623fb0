import { describe, expect, it } from 'vitest';
import type { Flow, FlowNode } from '@parley/contracts';
import { flowOf, t } from './engine.fixtures.js';
import { parseFlow, validateFlow } from './flow-validate.js';

const good = flowOf(
  {
    menu: {
      type: 'menu',
      text: t('Hallo', 'Hello'),
      options: [
        { id: 'ask', label: t('Fragen', 'Ask'), next: 'zip' },
        { id: 'call', label: t('Status', 'Status'), next: 'call' },
      ],
      onFail: 'human',
    },
    zip: { type: 'ask', text: t('PLZ?', 'Postcode?'), input: { kind: 'code', pattern: '\\d{5}' }, saveAs: 'zip', next: 'check' },
    check: { type: 'branch', conditions: [{ when: { attribute: 'zip', op: 'matches', value: '^1' }, next: 'berlin' }], otherwise: 'end' },
    berlin: { type: 'goto', flow: 'test', node: 'end' },
    call: { type: 'call', method: 'GET', url: 'https://x.example/{{zip}}', next: 'end', onError: 'human' },
    human: { type: 'handoff', queue: 'service' },
    end: { type: 'end' },
  },
  { triggers: [{ type: 'keyword', keywords: { de: ['hallo'], en: ['hello'] } }, { type: 'new_conversation' }] },
);

function withNodes(nodes: Record<string, FlowNode>, extra: Partial<Flow> = {}): Flow {
  return { ...good, ...extra, nodes: { ...good.nodes, ...nodes } };
}

describe('validateFlow', () => {
  it('accepts a good flow', () => {
    expect(validateFlow(good)).toEqual([]);
  });

  it.each<[string, Flow, Array<{ path: string; message: RegExp }>]>([
    ['a missing start node', { ...good, start: 'nope' }, [{ path: 'start', message: /does not exist/ }]],
    [
      'a dangling next',
      withNodes({ end: { type: 'say', text: t('x', 'y'), next: 'gone' } }),
      [{ path: 'nodes.end.next', message: /"gone", which does not exist/ }],
    ],
    [
      'a dangling menu option and onError',
      withNodes({ call: { type: 'call', method: 'GET', url: 'u', next: 'end', onError: 'lost' } }),
      [{ path: 'nodes.call.onError', message: /"lost"/ }],
    ],
    [
      'an unreachable node',
      withNodes({ orphan: { type: 'say', text: t('a', 'b') } }),
      [{ path: 'nodes.orphan', message: /cannot be reached/ }],
    ],
    [
      'a missing translation',
      withNodes({ zip: { type: 'ask', text: { de: 'PLZ?' }, input: { kind: 'text' }, saveAs: 'zip', next: 'check' } }),
      [{ path: 'nodes.zip.text.en', message: /missing translation for "en"/ }],
    ],
    [
      'a missing option label translation',
      withNodes({
        menu: { type: 'menu', text: t('a', 'b'), options: [{ id: 'a', label: { de: 'A' }, next: 'zip' }, { id: 'c', label: t('C', 'C'), next: 'call' }], onFail: 'human' },
      }),
      [{ path: 'nodes.menu.options.0.label.en', message: /missing translation/ }],
    ],
    [
      'keywords missing for a language',
      { ...good, triggers: [{ type: 'keyword', keywords: { de: ['hallo'] } }] },
      [{ path: 'triggers.0.keywords.en', message: /no keywords/ }],
    ],
    [
      'an invalid code pattern',
      withNodes({ zip: { type: 'ask', text: t('a', 'b'), input: { kind: 'code', pattern: '([0-9' }, saveAs: 'zip', next: 'check' } }),
      [{ path: 'nodes.zip.input.pattern', message: /not a valid regular expression/ }],
    ],
    [
      'an invalid matches pattern',
      withNodes({ check: { type: 'branch', conditions: [{ when: { attribute: 'zip', op: 'matches', value: '[' }, next: 'berlin' }], otherwise: 'end' } }),
      [{ path: 'nodes.check.conditions.0.when.value', message: /regular expression/ }],
    ],
    [
      'duplicate option ids',
      withNodes({
        menu: { type: 'menu', text: t('a', 'b'), options: [{ id: 'a', label: t('A', 'A'), next: 'zip' }, { id: 'a', label: t('C', 'C'), next: 'call' }], onFail: 'human' },
      }),
      [{ path: 'nodes.menu.options.1.id', message: /duplicate id "a"/ }],
    ],
    [
      'a wait with two times',
      withNodes({ end: { type: 'wait', delaySeconds: 5, until: '2025-01-01T00:00:00Z' } }),
      [{ path: 'nodes.end.delaySeconds', message: /exactly one/ }],
    ],
    ['a default language outside languages', { ...good, defaultLanguage: 'fr' }, [{ path: 'defaultLanguage', message: /not one of/ }]],
  ])('reports %s', (_name, flow, expected) => {
    expect(validateFlow(flow)).toEqual(expected.map((e) => ({ path: e.path, message: expect.stringMatching(e.message) })));
  });

  it('follows goto within the flow for reachability, and does not check goto into other flows', () => {
    const flow = flowOf({
      a: { type: 'goto', flow: 'test', node: 'b' },
      b: { type: 'goto', flow: 'other', node: 'somewhere' },
    });
    expect(validateFlow(flow)).toEqual([]);
    expect(validateFlow({ ...flow, nodes: { ...flow.nodes, a: { type: 'goto', flow: 'test', node: 'zz' } } })).toEqual([
      { path: 'nodes.a.node', message: expect.stringContaining('"zz"') },
      { path: 'nodes.b', message: expect.stringContaining('cannot be reached') },
    ]);
  });
});

describe('parseFlow', () => {
  it('returns the flow for a valid document', () => {
    const result = parseFlow(JSON.parse(JSON.stringify(good)));
    expect(result).toEqual({ ok: true, flow: good });
  });

  it('reports schema problems with their path', () => {
    const doc = JSON.parse(JSON.stringify(good)) as { nodes: Record<string, Record<string, unknown>> };
    doc.nodes['zip'] = { type: 'ask', text: { de: 'x', en: 'y' }, input: { kind: 'zip' }, saveAs: 'zip' };
    const result = parseFlow(doc);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toContain('nodes.zip.input.kind');
  });

  it('rejects reserved node kinds that are not implemented yet', () => {
    const doc = { ...JSON.parse(JSON.stringify(good)), nodes: { ...good.nodes, end: { type: 'consent', topic: 'x' } } };
    expect(parseFlow(doc).ok).toBe(false);
  });

  it('reports graph problems of a schema-valid flow', () => {
    expect(parseFlow({ ...good, start: 'nope' })).toEqual({
      ok: false,
      problems: expect.arrayContaining([{ path: 'start', message: expect.stringContaining('does not exist') }]),
    });
  });
});
