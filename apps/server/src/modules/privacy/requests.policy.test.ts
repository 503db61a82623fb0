import { describe, expect, it } from 'vitest';
import { answerRefusal, extendRefusal, refuseRefusal, verifyRefusal } from './requests.policy.js';

const received = '2026-11-01T10:00:00.000Z';
const firstDue = '2026-12-01T10:00:00.000Z';
const state = (status: string, more: Partial<{ kind: string; extensionMonths: number }> = {}) => ({ status, kind: 'access', extensionMonths: 0, receivedAt: received, firstDueAt: firstDue, ...more });
const code = (r: { code: string } | undefined) => r?.code;
const at = (iso: string) => new Date(iso);

describe('GDPR-17 the steps of an access request', () => {
  it.each([
    ['open', undefined],
    ['verified', 'privacy_request.already_verified'],
    ['done', 'privacy_request.closed'],
    ['refused', 'privacy_request.closed'],
  ])('verifying a %s request → %s', (status, expected) => {
    expect(code(verifyRefusal(state(status)))).toBe(expected);
  });

  it.each([
    // status, months already, months asked, notified, now → refusal
    ['open', 0, 2, '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z', undefined],
    ['verified', 1, 1, '2026-11-30T00:00:00Z', '2026-11-30T12:00:00Z', undefined],
    ['open', 1, 2, '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z', 'privacy_request.extension_limit'],
    ['open', 2, 1, '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z', 'privacy_request.extension_limit'],
    ['open', 0, 1, '2026-11-20T00:00:00Z', '2026-12-02T00:00:00Z', 'privacy_request.extension_too_late'],
    ['open', 0, 1, '2026-12-02T00:00:00Z', '2026-11-20T00:00:00Z', 'privacy_request.notice_date'],
    ['open', 0, 1, '2026-10-31T00:00:00Z', '2026-11-20T00:00:00Z', 'privacy_request.notice_date'],
    ['open', 0, 1, '2026-11-25T00:00:00Z', '2026-11-20T00:00:00Z', 'privacy_request.notice_date'],
    ['done', 0, 1, '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z', 'privacy_request.closed'],
  ])('Art. 12(3) extending a %s request (%i months used) by %i, told %s, now %s → %s', (status, used, months, notified, now, expected) => {
    expect(code(extendRefusal(state(status, { extensionMonths: used }), months, at(notified), at(now)))).toBe(expected);
  });

  it.each([
    ['open', undefined],
    ['verified', undefined],
    ['done', 'privacy_request.closed'],
    ['refused', 'privacy_request.closed'],
  ])('refusing a %s request → %s', (status, expected) => {
    expect(code(refuseRefusal(state(status)))).toBe(expected);
  });

  it('answers with the export only a verified access request about that contact, once', () => {
    expect(answerRefusal(state('verified'), 'c1', 'c1')).toBeUndefined();
    expect(code(answerRefusal(state('open'), 'c1', 'c1'))).toBe('privacy_request.not_verified');
    expect(code(answerRefusal(state('verified'), 'c1', 'c2'))).toBe('privacy_request.other_contact');
    expect(code(answerRefusal(state('verified', { kind: 'erasure' }), 'c1', 'c1'))).toBe('privacy_request.not_access');
    expect(code(answerRefusal(state('done'), 'c1', 'c1'))).toBe('privacy_request.closed');
    expect(code(answerRefusal(state('refused'), 'c1', 'c1'))).toBe('privacy_request.closed');
  });
});
