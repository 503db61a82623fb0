import { describe, expect, it } from 'vitest';
import { toTick } from './ticks';

describe('toTick', () => {
  it.each(['accepted', 'sent', 'delivered', 'read'] as const)('shows %s as it is', (status) => {
    expect(toTick({ status, statuses: [] })).toEqual({ state: status });
  });

  it('counts an unknown status as accepted (a clock)', () => {
    expect(toTick({ status: 'held_for_quality_assessment', statuses: [] })).toEqual({ state: 'accepted' });
  });

  it('explains 131047 as outside the 24-hour window', () => {
    expect(toTick({ status: 'failed', statuses: [], errorCode: 131047 })).toEqual({ state: 'failed', errorCode: 131047, reasonKey: 'error.131047' });
  });

  it('explains 131026 as not deliverable, taking the code from the status history', () => {
    const statuses = [
      { status: 'accepted', at: 1 },
      { status: 'failed', at: 2, errorCode: 131026 },
    ];
    expect(toTick({ status: 'failed', statuses })).toEqual({ state: 'failed', errorCode: 131026, reasonKey: 'error.131026' });
  });

  it('gives a generic reason for other or missing codes', () => {
    expect(toTick({ status: 'failed', statuses: [], errorCode: 131053 })).toEqual({ state: 'failed', errorCode: 131053, reasonKey: 'error.generic' });
    expect(toTick({ status: 'failed', statuses: [] })).toEqual({ state: 'failed', reasonKey: 'error.generic' });
  });
});
