import { afterEach, describe, expect, it, vi } from 'vitest';
import { DemoApiError, parseProblem, parseSimulatorFlows, parseSimulatorState, startSimulatorRun } from './simulator-api';

describe('parseSimulatorFlows', () => {
  it('reads flows with their versions, newest version first', () => {
    const flows = parseSimulatorFlows({
      flows: [
        {
          id: 'main-menu',
          name: 'Hauptmenü / Main menu',
          versions: [
            { version: 1, status: 'published', live: true },
            { version: 2, status: 'draft', live: false },
          ],
        },
      ],
    });
    expect(flows).toEqual([
      {
        id: 'main-menu',
        name: 'Hauptmenü / Main menu',
        versions: [
          { version: 2, status: 'draft', live: false },
          { version: 1, status: 'published', live: true },
        ],
      },
    ]);
  });

  it('drops flows without an id or without any usable version, and versions without a number', () => {
    const flows = parseSimulatorFlows({
      flows: [
        { name: 'no id', versions: [{ version: 1 }] },
        { id: 'empty', versions: [] },
        { id: 'x', versions: [{ status: 'published' }, { version: '3', status: 'weird', live: 'yes' }] },
      ],
    });
    expect(flows).toEqual([{ id: 'x', name: null, versions: [{ version: 3, status: 'draft', live: false }] }]);
  });

  it('reads anything malformed as no flows', () => {
    expect(parseSimulatorFlows(null)).toEqual([]);
    expect(parseSimulatorFlows({ flows: 'nope' })).toEqual([]);
  });
});

describe('parseSimulatorState', () => {
  it('reads a conversation with an active run', () => {
    const wire = {
      conversation: {
        id: 'c1',
        ownership: 'bot',
        language: 'de',
        run: {
          flowId: 'brochure-request',
          flowVersion: 1,
          flowName: 'Broschüre bestellen',
          status: 'active',
          nodeId: 'ask_name',
          nodeType: 'ask',
          waiting: 'input',
          attributes: { name: 'Ada', tries: 2 },
        },
      },
    };
    // Everything on the wire is kept as it is.
    expect(parseSimulatorState(wire)).toEqual(wire);
  });

  it('says "no conversation" for null and for a conversation without an id', () => {
    expect(parseSimulatorState({ conversation: null })).toEqual({ conversation: null });
    expect(parseSimulatorState({ conversation: { ownership: 'bot' } })).toEqual({ conversation: null });
    expect(parseSimulatorState('garbage')).toEqual({ conversation: null });
  });

  it('keeps the conversation when the run is missing or malformed', () => {
    const state = parseSimulatorState({ conversation: { id: 'c1', ownership: 'queued', language: null, run: { status: 'active' } } });
    expect(state).toEqual({ conversation: { id: 'c1', ownership: 'queued', language: null, run: null } });
  });

  it('maps values it does not know to "unknown" (status, ownership) or null (waiting) instead of failing', () => {
    const state = parseSimulatorState({
      conversation: {
        id: 'c1',
        ownership: 'robot',
        run: { flowId: 'f', flowVersion: 1, status: 'sleeping', waiting: 'moon', attributes: ['not', 'a', 'map'] },
      },
    });
    expect(state.conversation?.ownership).toBe('unknown');
    expect(state.conversation?.language).toBeNull();
    expect(state.conversation?.run).toEqual({
      flowId: 'f',
      flowVersion: 1,
      flowName: null,
      status: 'unknown',
      nodeId: null,
      nodeType: null,
      waiting: null,
      attributes: {},
    });
  });
});

describe('parseProblem', () => {
  it('reads code, message and request id from problem JSON', () => {
    const error = parseProblem({ error: { code: 'simulator.no_conversation', message: 'Write first', requestId: 'req-1' } }, 404);
    expect(error).toBeInstanceOf(DemoApiError);
    expect({ code: error.code, message: error.message, status: error.status, requestId: error.requestId }).toEqual({
      code: 'simulator.no_conversation',
      message: 'Write first',
      status: 404,
      requestId: 'req-1',
    });
  });

  it('falls back to the HTTP status when the body is not problem JSON', () => {
    const error = parseProblem('<html>Bad gateway</html>', 502);
    expect({ code: error.code, message: error.message, requestId: error.requestId }).toEqual({
      code: 'http.502',
      message: 'HTTP 502',
      requestId: undefined,
    });
  });
});

describe('startSimulatorRun', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('posts the user and the flow version, and turns a problem answer into a DemoApiError', async () => {
    const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
    const fakeFetch = (url: string, init?: RequestInit): Promise<Response> => {
      requests.push({ url, init });
      const problem = { error: { code: 'flow.not_found', message: 'No flow x v9', requestId: 'r9' } };
      return Promise.resolve(new Response(JSON.stringify(problem), { status: 404, headers: { 'content-type': 'application/json' } }));
    };
    vi.stubGlobal('fetch', fakeFetch);

    const result = startSimulatorRun({ phoneNumberId: '1', waId: '49' }, { flowId: 'x', version: 9 });

    await expect(result).rejects.toMatchObject({ name: 'DemoApiError', code: 'flow.not_found', status: 404, requestId: 'r9' });
    expect(requests[0]?.url).toBe('/api/demo/simulator/run');
    expect(requests[0]?.init?.method).toBe('POST');
    expect(JSON.parse(String(requests[0]?.init?.body))).toEqual({ phoneNumberId: '1', waId: '49', flowId: 'x', version: 9 });
  });

  it('reports an unreachable server as a network error', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(startSimulatorRun({ phoneNumberId: '1', waId: '49' }, { flowId: 'x', version: 1 })).rejects.toMatchObject({ code: 'network' });
  });
});
