import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n';
import { describeApiError, isSimulatorUnavailable, pickDefaultVersion, resolveSelection, summarizeState, toAttributeRows, versionLabel } from './flow-view';
import { DemoApiError, type FlowOption } from './simulator-api';

const en = createTranslator('en');
const de = createTranslator('de');

const flows: FlowOption[] = [
  {
    id: 'brochure-request',
    name: 'Broschüre bestellen',
    versions: [
      { version: 3, status: 'draft', live: false },
      { version: 2, status: 'published', live: false },
      { version: 1, status: 'published', live: true },
    ],
  },
  { id: 'drafts-only', name: null, versions: [{ version: 2, status: 'draft', live: false }, { version: 1, status: 'draft', live: false }] },
];

describe('toAttributeRows', () => {
  it('renders every value as JSON, sorted by key', () => {
    const rows = toAttributeRows({ postcode: '12345', name: 'Ada', count: 5, ok: true, none: null, list: [1, 'a'] });
    expect(rows.map((row) => [row.key, row.text])).toEqual([
      ['count', '5'],
      ['list', '[1,"a"]'],
      ['name', '"Ada"'],
      ['none', 'null'],
      ['ok', 'true'],
      ['postcode', '"12345"'],
    ]);
    expect(rows.every((row) => !row.truncated)).toBe(true);
  });

  it('cuts long values with an ellipsis and keeps the full value for the tooltip', () => {
    const [row] = toAttributeRows({ note: 'x'.repeat(100) }, 20);
    expect(row?.text).toBe(`"${'x'.repeat(18)}…`);
    expect(Array.from(row?.text ?? '')).toHaveLength(20);
    expect(row?.full).toBe(`"${'x'.repeat(100)}"`);
    expect(row?.truncated).toBe(true);
  });

  it('never splits an emoji when cutting', () => {
    const [row] = toAttributeRows({ mood: '😀😀😀😀😀😀' }, 5);
    expect(row?.text).toBe('"😀😀😀…');
  });
});

describe('pickDefaultVersion and resolveSelection', () => {
  it('suggests the live version, else the newest published, else the newest', () => {
    expect(pickDefaultVersion(flows[0]!)?.version).toBe(1);
    expect(pickDefaultVersion(flows[1]!)?.version).toBe(2);
    expect(pickDefaultVersion({ id: 'p', name: null, versions: [{ version: 4, status: 'draft', live: false }, { version: 3, status: 'published', live: false }] })?.version).toBe(3);
  });

  it('keeps a selection that exists and repairs one that does not', () => {
    expect(resolveSelection(flows, { flowId: 'brochure-request', version: 3 })).toEqual({ flowId: 'brochure-request', version: 3 });
    expect(resolveSelection(flows, { flowId: 'brochure-request', version: 9 })).toEqual({ flowId: 'brochure-request', version: 1 });
    expect(resolveSelection(flows, { flowId: 'drafts-only' })).toEqual({ flowId: 'drafts-only', version: 2 });
    expect(resolveSelection(flows, { flowId: 'gone', version: 1 })).toEqual({ flowId: 'brochure-request', version: 1 });
    expect(resolveSelection(flows, undefined)).toEqual({ flowId: 'brochure-request', version: 1 });
    expect(resolveSelection([], undefined)).toBeUndefined();
  });
});

describe('versionLabel', () => {
  it('marks drafts and the live version, in both languages', () => {
    expect(versionLabel({ version: 1, status: 'published', live: true }, en)).toBe('v1 · published · live');
    expect(versionLabel({ version: 2, status: 'draft', live: false }, de)).toBe('v2 · Entwurf');
  });
});

describe('describeApiError', () => {
  it('tells the user to write first when there is no conversation yet', () => {
    const error = new DemoApiError('simulator.no_conversation', 'No conversation', 404, 'r1');
    expect(describeApiError(error, en)).toMatch(/Write a message in the phone first/);
    expect(describeApiError(error, de)).toMatch(/Schreib zuerst eine Nachricht/);
  });

  it('shows the server message, code and request id for other problems', () => {
    const error = new DemoApiError('validation.failed', 'version must be a number', 400, 'req-42');
    expect(describeApiError(error, en)).toBe('The server answered: version must be a number (validation.failed) Request ID req-42.');
  });

  it('explains a bare 404 as a server without the simulator, and anything else generically', () => {
    expect(describeApiError(new DemoApiError('http.404', 'HTTP 404', 404), en)).toBe('This server does not offer the flow simulator yet.');
    expect(describeApiError(new DemoApiError('route.not_found', 'No route for GET /api/demo/simulator/flows.', 404, 'r'), en)).toBe(
      'This server does not offer the flow simulator yet.',
    );
    expect(describeApiError(new DemoApiError('network', 'Failed to fetch'), en)).toBe('The Parley server cannot be reached.');
    expect(describeApiError(new Error('boom'), en)).toBe('Something went wrong.');
  });
});

describe('isSimulatorUnavailable', () => {
  it('is true only for a missing route, not for a missing conversation or flow', () => {
    expect(isSimulatorUnavailable(new DemoApiError('route.not_found', 'No route', 404))).toBe(true);
    expect(isSimulatorUnavailable(new DemoApiError('http.404', 'HTTP 404', 404))).toBe(true);
    expect(isSimulatorUnavailable(new DemoApiError('flow.not_found', 'No flow', 404))).toBe(false);
    expect(isSimulatorUnavailable(new DemoApiError('network', 'Failed to fetch'))).toBe(false);
    expect(isSimulatorUnavailable(new Error('boom'))).toBe(false);
  });
});

describe('summarizeState', () => {
  it('describes the empty states', () => {
    expect(summarizeState({ conversation: null }, en)).toBe('No conversation yet — write a message.');
    expect(summarizeState({ conversation: { id: 'c', ownership: 'queued', language: 'de', run: null } }, en)).toBe(
      'No flow running. Conversation: queued for an agent.',
    );
  });

  it('names flow, status and node but not the attributes, so polling does not make it chatty', () => {
    const run = {
      flowId: 'brochure-request',
      flowVersion: 1,
      flowName: 'Broschüre bestellen',
      status: 'active' as const,
      nodeId: 'ask_name',
      nodeType: 'ask',
      waiting: 'input' as const,
      attributes: { name: 'Ada' },
    };
    const summary = summarizeState({ conversation: { id: 'c', ownership: 'bot', language: 'de', run } }, de);
    expect(summary).toBe('Flow Broschüre bestellen v1: aktiv, bei Knoten ask_name. Unterhaltung: Bot.');
    const later = summarizeState({ conversation: { id: 'c', ownership: 'bot', language: 'de', run: { ...run, attributes: { name: 'Bea' } } } }, de);
    expect(later).toBe(summary);
  });
});
