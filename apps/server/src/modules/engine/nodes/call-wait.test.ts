import type { FlowRunState } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { advance } from '../engine.js';
import { CTX, NOW, flowOf, play, said, startRun, t } from '../engine.fixtures.js';
import type { EngineInput } from '../engine.types.js';

const tracking = flowOf({
  ask: { type: 'ask', text: t('Sendungsnummer?'), input: { kind: 'code', pattern: '[A-Z0-9 ]{4,20}', flags: 'i' }, saveAs: 'tracking', next: 'call' },
  call: {
    type: 'call',
    method: 'POST',
    url: 'https://parcels.example/track/{{tracking}}?lang={{language}}',
    headers: { 'x-ref': 'ref-{{tracking}}' },
    body: { id: '{{tracking}}', attempt: '{{attempt}}', fixed: 1 },
    timeoutMs: 2000,
    map: { parcelStatus: 'shipment.events.0.status', eta: 'shipment.eta' },
    saveStatusAs: 'httpStatus',
    next: 'ok',
    onError: 'error',
  },
  ok: { type: 'say', text: t('Status: {{parcelStatus}}, ETA {{eta}}') },
  error: { type: 'say', text: t('Das klappt gerade nicht.') },
});

function waitingAtCall(): { state: FlowRunState; token: string } {
  const [r] = play(tracking, startRun(tracking, { attributes: { attempt: 2, language: 'de' } }).state, ['AB 12']);
  const effect = r!.effects[0];
  if (effect?.type !== 'call_http') {
    throw new Error('expected call_http');
  }
  return { state: r!.state, token: effect.token };
}

describe('call', () => {
  it('emits call_http with filled templates (URL-encoded in the URL) and waits', () => {
    const [r] = play(tracking, startRun(tracking, { attributes: { attempt: 2 } }).state, ['AB 12']);
    expect(r!.effects).toEqual([
      {
        type: 'call_http',
        token: expect.any(String),
        outputIndex: 0,
        request: {
          method: 'POST',
          url: 'https://parcels.example/track/AB%2012?lang=',
          headers: { 'x-ref': 'ref-AB 12' },
          body: { id: 'AB 12', attempt: 2, fixed: 1 },
          timeoutMs: 2000,
        },
      },
    ]);
    expect(r!.state).toMatchObject({ waiting: 'call', nodeId: 'call' });
  });

  const body = { shipment: { eta: '2025-03-03', events: [{ status: 'in transit' }] } };
  it.each<[string, (token: string) => EngineInput, string[], number | undefined]>([
    ['success with a JSON object', (token) => ({ type: 'call_result', token, ok: true, status: 200, body }), ['Status: in transit, ETA 2025-03-03'], 200],
    ['success with JSON text', (token) => ({ type: 'call_result', token, ok: true, status: 201, body: JSON.stringify(body) }), ['Status: in transit, ETA 2025-03-03'], 201],
    ['timeout', (token) => ({ type: 'call_result', token, ok: false, reason: 'timeout' }), ['Das klappt gerade nicht.'], undefined],
    ['network error', (token) => ({ type: 'call_result', token, ok: false, reason: 'network' }), ['Das klappt gerade nicht.'], undefined],
    ['HTTP 500', (token) => ({ type: 'call_result', token, ok: true, status: 500, body }), ['Das klappt gerade nicht.'], 500],
    ['garbage body', (token) => ({ type: 'call_result', token, ok: true, status: 200, body: '<html>oops' }), ['Das klappt gerade nicht.'], 200],
    ['JSON without the mapped path', (token) => ({ type: 'call_result', token, ok: true, status: 200, body: { shipment: { eta: 'x', events: [] } } }), ['Das klappt gerade nicht.'], 200],
  ])('%s', (_name, makeInput, outputs, status) => {
    const { state, token } = waitingAtCall();
    const r = advance(tracking, state, makeInput(token), CTX);
    expect(said(r)).toEqual(outputs);
    expect(r.state.attributes['httpStatus']).toBe(status);
    expect(r.state.status).toBe('ended');
  });

  it('does not set some mapped attributes when another path is missing', () => {
    const { state, token } = waitingAtCall();
    const r = advance(tracking, state, { type: 'call_result', token, ok: true, status: 200, body: { shipment: { eta: 'x' } } }, CTX);
    expect(r.state.attributes['eta']).toBeUndefined();
  });

  it('ignores a result with a stale token', () => {
    const { state } = waitingAtCall();
    const r = advance(tracking, state, { type: 'call_result', token: 'old', ok: true, status: 200, body }, CTX);
    expect(r.effects).toEqual([{ type: 'input_ignored', reason: 'stale_token', outputIndex: 0 }]);
    expect(r.state).toBe(state);
  });

  it('ignores messages while waiting for the call, so the runner can route them', () => {
    const { state } = waitingAtCall();
    const [r] = play(tracking, state, ['hallo?']);
    expect(r!.effects).toEqual([{ type: 'input_ignored', reason: 'waiting_for_call', outputIndex: 0 }]);
  });

  it('gives every wait a new token', () => {
    const { state, token } = waitingAtCall();
    const again = advance(tracking, state, { type: 'start', nodeId: 'call' }, CTX);
    const effect = again.effects[0];
    expect(effect?.type === 'call_http' ? effect.token : '').not.toBe(token);
  });
});

describe('wait', () => {
  const flow = flowOf({
    hi: { type: 'say', text: t('Ich erinnere Sie.'), next: 'wait' },
    wait: { type: 'wait', delaySeconds: 3600, next: 'remind' },
    remind: { type: 'say', text: t('Erinnerung!') },
  });

  it('schedules a wake-up at now + delay and waits for the timer', () => {
    const s = startRun(flow);
    expect(s.effects).toEqual([{ type: 'schedule_wake', token: expect.any(String), at: '2025-03-01T11:00:00.000Z', outputIndex: 1 }]);
    expect(s.state).toMatchObject({ waiting: 'timer', nodeId: 'wait' });
    const token = s.effects[0]?.type === 'schedule_wake' ? s.effects[0].token : '';
    const r = advance(flow, s.state, { type: 'timer', token }, CTX);
    expect(said(r)).toEqual(['Erinnerung!']);
    expect(r.state.status).toBe('ended');
  });

  it('ignores a timer with another token and messages while waiting', () => {
    const s = startRun(flow);
    expect(advance(flow, s.state, { type: 'timer', token: 'x' }, CTX).effects[0]).toMatchObject({ reason: 'stale_token' });
    expect(play(flow, s.state, ['hi'])[0]!.effects[0]).toMatchObject({ type: 'input_ignored', reason: 'waiting_for_timer' });
  });

  it.each([
    ['until a future time', { until: '2025-03-02T08:00:00Z' }, {}, '2025-03-02T08:00:00.000Z'],
    ['until an attribute date', { untilAttribute: 'appointment' }, { appointment: '2025-04-01' }, '2025-04-01T00:00:00.000Z'],
  ])('waits %s', (_name, spec, attributes, at) => {
    const f = flowOf({ w: { type: 'wait', ...spec, next: 'x' }, x: { type: 'say', text: t('X') } });
    expect(startRun(f, { attributes }).effects).toEqual([expect.objectContaining({ type: 'schedule_wake', at })]);
  });

  it.each([
    ['a time in the past', { until: '2025-02-01T00:00:00Z' }, {}],
    ['an attribute without a date', { untilAttribute: 'appointment' }, { appointment: 'bald' }],
  ])('does not wait for %s', (_name, spec, attributes) => {
    const f = flowOf({ w: { type: 'wait', ...spec, next: 'x' }, x: { type: 'say', text: t('X') } });
    const r = startRun(f, { attributes });
    expect(said(r)).toEqual(['X']);
    expect(r.effects).toEqual([]);
  });

  it('uses ctx.now, not the clock', () => {
    const later = new Date(NOW.getTime() + 86_400_000);
    const f = flowOf({ w: { type: 'wait', delaySeconds: 60 } });
    const r = advance(f, startRun(f).state, { type: 'start' }, { now: later });
    expect(r.effects[0]).toMatchObject({ at: '2025-03-02T10:01:00.000Z' });
  });
});
