/**
 * Business hours (issue #5 item 2): open or not at a fixed `now`, the next opening across nights, weekends,
 * holidays and a daylight-saving change, and how the contact reads it in German and English.
 */
import type { BusinessHours } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { findOpening, formatOpening } from './business-hours.js';

const hours: BusinessHours = {
  timeZone: 'Europe/Berlin',
  days: { mon: ['08:00-20:00'], tue: ['08:00-20:00'], wed: ['08:00-20:00'], thu: ['08:00-20:00'], fri: ['08:00-20:00'], sat: ['09:00-14:00'] },
  holidays: ['2026-12-24', '2026-12-25', '2026-12-26'],
};

/** When someone answers, as a German and an English contact read it, at `now`. */
function next(at: string, h: BusinessHours = hours): { next: string | undefined; de: string; en: string } | 'open' {
  const now = new Date(at);
  const o = findOpening(h, now);
  if (o.open) {
    return 'open';
  }
  return { next: o.next?.toISOString(), de: o.next ? formatOpening(o.next, now, h.timeZone, 'de') : '', en: o.next ? formatOpening(o.next, now, h.timeZone, 'en') : '' };
}

describe('business hours', () => {
  it('is open inside a range, from its first minute to just before its end', () => {
    expect(next('2026-03-04T09:00:00Z')).toBe('open'); // Wednesday 10:00 in Berlin (CET)
    expect(next('2026-03-04T07:00:00Z')).toBe('open'); // 08:00 sharp
    expect(next('2026-03-04T18:59:59Z')).toBe('open');
    expect(next('2026-03-04T19:00:00Z')).toMatchObject({ next: '2026-03-05T07:00:00.000Z', de: 'morgen ab 8:00 Uhr', en: 'tomorrow from 8:00' }); // 20:00 sharp is closed
  });

  it('early in the morning: today, later', () => {
    expect(next('2026-03-03T05:30:00Z')).toMatchObject({ next: '2026-03-03T07:00:00.000Z', de: 'heute ab 8:00 Uhr', en: 'today from 8:00' });
  });

  it('Saturday afternoon: Monday, 8:00 (the example of the issue)', () => {
    expect(next('2026-03-07T14:00:00Z')).toMatchObject({ next: '2026-03-09T07:00:00.000Z', de: 'ab Montag, 8:00 Uhr', en: 'from Monday, 8:00' });
  });

  it('Friday night: Saturday’s shorter hours', () => {
    expect(next('2026-03-06T20:30:00Z')).toMatchObject({ next: '2026-03-07T08:00:00.000Z', de: 'morgen ab 9:00 Uhr' });
  });

  it('skips holidays (local dates): Christmas Eve to the Monday after', () => {
    expect(next('2026-12-24T09:00:00Z')).toMatchObject({ next: '2026-12-28T07:00:00.000Z', de: 'ab Montag, 8:00 Uhr' });
  });

  it('across the change to summer time the opening is 8:00 local, one hour earlier in UTC', () => {
    // Saturday 28 March 2026 15:00 CET; clocks go forward on Sunday 29 March.
    expect(next('2026-03-28T14:00:00Z')).toMatchObject({ next: '2026-03-30T06:00:00.000Z', de: 'ab Montag, 8:00 Uhr' });
  });

  it('more than a week away: with the date', () => {
    const closedForTheHolidays: BusinessHours = { ...hours, holidays: Array.from({ length: 14 }, (_, i) => new Date(Date.UTC(2026, 11, 21 + i)).toISOString().slice(0, 10)) };
    expect(next('2026-12-21T10:00:00Z', closedForTheHolidays)).toMatchObject({ next: '2027-01-04T07:00:00.000Z', de: 'ab Montag, 4. Januar, 8:00 Uhr', en: 'from Monday 4 January, 8:00' });
  });

  it('takes several ranges a day and other time zones', () => {
    const lunchBreak: BusinessHours = { timeZone: 'America/New_York', days: { mon: ['09:00-12:00', '13:00-17:30'] }, holidays: [] };
    expect(next('2026-03-02T17:30:00Z', lunchBreak)).toMatchObject({ next: '2026-03-02T18:00:00.000Z', en: 'today from 13:00' }); // 12:30 EST
    expect(next('2026-03-02T15:00:00Z', lunchBreak)).toBe('open');
  });

  it('a range may end at midnight', () => {
    expect(next('2026-03-02T22:30:00Z', { timeZone: 'Europe/Berlin', days: { mon: ['20:00-24:00'] }, holidays: [] })).toBe('open'); // 23:30
  });

  it('no hours at all: no next opening', () => {
    expect(findOpening({ timeZone: 'Europe/Berlin', days: {}, holidays: [] }, new Date('2026-03-02T10:00:00Z'))).toEqual({ open: false, next: undefined });
  });
});
