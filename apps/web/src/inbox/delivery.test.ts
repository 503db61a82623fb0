import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n';
import { toDelivery } from './delivery';
import { currentWait, formatDuration } from './format';

const de = createTranslator('de');
const en = createTranslator('en');

describe('toDelivery', () => {
  it('moves the tick through sent, delivered and read', () => {
    expect(toDelivery({ status: 'accepted', errorCode: null, gateReason: 'send.allowed' })).toEqual({ state: 'queued' });
    expect(toDelivery({ status: 'sent', errorCode: null, gateReason: null }).state).toBe('sent');
    expect(toDelivery({ status: 'delivered', errorCode: null, gateReason: null }).state).toBe('delivered');
    expect(toDelivery({ status: 'read', errorCode: null, gateReason: null }).state).toBe('read');
    expect(toDelivery({ status: 'played', errorCode: null, gateReason: null }).state).toBe('read');
  });

  it('says in words why WhatsApp did not deliver, in German and English', () => {
    const failed = toDelivery({ status: 'failed', errorCode: '131047', gateReason: null });
    expect(failed).toMatchObject({ state: 'failed', errorCode: '131047' });
    expect(de(failed.reasonKey!)).toContain('24 Stunden');
    expect(en(failed.reasonKey!)).toContain('24 hours');
    expect(en(toDelivery({ status: 'failed', errorCode: '999999', gateReason: null }).reasonKey!)).toBe('delivery failed.');
  });

  it('says why the send gate refused a message', () => {
    const blocked = toDelivery({ status: 'blocked', errorCode: null, gateReason: 'send.no_consent' });
    expect(blocked.state).toBe('blocked');
    expect(de(blocked.reasonKey!)).toBe('Der Kontakt hat für diesen Zweck nicht eingewilligt.');
    expect(en(toDelivery({ status: 'blocked', errorCode: null, gateReason: 'send.something_new' }).reasonKey!, { code: 'send.something_new' })).toContain('send.something_new');
    expect(toDelivery({ status: 'queued', errorCode: null, gateReason: 'send.quiet_hours' }).state).toBe('deferred');
  });
});

describe('waiting times', () => {
  it('are written as people read them', () => {
    expect(formatDuration(42, en)).toBe('42 s');
    expect(formatDuration(12 * 60 + 5, de)).toBe('12 Min.');
    expect(formatDuration(3900, en)).toBe('1 h 5 min');
    expect(formatDuration(2 * 86_400 + 4 * 3600, de)).toBe('2 T. 4 Std.');
  });

  it('keep counting after the list was loaded, and turn late past the queue’s SLA', () => {
    const row = { waitingSeconds: 14 * 60, slaBreached: false };
    expect(currentWait(row, 0, 30_000, 15)).toEqual({ seconds: 14 * 60 + 30, late: false });
    expect(currentWait(row, 0, 90_000, 15)).toEqual({ seconds: 15 * 60 + 30, late: true });
    expect(currentWait({ waitingSeconds: null, slaBreached: false }, 0, 0, 15)).toBeNull();
  });
});
