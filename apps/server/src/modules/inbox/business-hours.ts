/**
 * Business hours (workspace.yaml `businessHours`): whether people answer now, and if not, when they next do —
 * in the workspace's time zone, across daylight-saving changes and holidays. Pure: the caller passes `now`.
 */
import type { BusinessHours, Weekday } from '@parley/contracts';

/** `open`: someone answers now. Otherwise `next` is the next opening (undefined: none within a year). */
export type Opening = { open: true } | { open: false; next: Date | undefined };

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;
/** How far ahead to look for an opening: a year of holidays is the most a configuration can close. */
const HORIZON_DAYS = 400;

/**
 * Whether `now` falls inside the hours, else the next opening.
 *
 * @example findOpening({ timeZone: 'Europe/Berlin', days: { mon: ['08:00-20:00'] }, holidays: [] }, new Date('2026-03-07T12:00:00Z'))
 * // { open: false, next: 2026-03-09T07:00:00.000Z } (Saturday noon → Monday 8:00 in Berlin)
 */
export function findOpening(hours: BusinessHours, now: Date): Opening {
  const today = localParts(now, hours.timeZone);
  const holidays = new Set(hours.holidays);
  for (let i = 0; i < HORIZON_DAYS; i++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    if (holidays.has(day.toISOString().slice(0, 10))) {
      continue;
    }
    const ranges = [...(hours.days[WEEKDAYS[day.getUTCDay()]!] ?? [])].sort();
    for (const range of ranges) {
      const start = zonedInstant(day, minutesOf(range.slice(0, 5)), hours.timeZone);
      const end = zonedInstant(day, minutesOf(range.slice(6)), hours.timeZone);
      if (now >= start && now < end) {
        return { open: true };
      }
      if (start > now) {
        return { open: false, next: start };
      }
    }
  }
  return { open: false, next: undefined };
}

/**
 * When someone answers, as the contact reads it: "heute ab 14:00 Uhr", "morgen ab 8:00 Uhr", "ab Montag, 8:00 Uhr",
 * beyond a week with the date ("ab Montag, 4. Januar, 8:00 Uhr"); in English "from Monday, 8:00". German for every
 * language but English (the runner's own texts exist in these two).
 */
export function formatOpening(next: Date, now: Date, timeZone: string, language: string): string {
  const en = language === 'en';
  const at = localParts(next, timeZone);
  const from = localParts(now, timeZone);
  const days = Math.round((Date.UTC(at.year, at.month - 1, at.day) - Date.UTC(from.year, from.month - 1, from.day)) / DAY_MS);
  const time = `${at.hour}:${String(at.minute).padStart(2, '0')}`;
  const locale = en ? 'en-GB' : 'de-DE';
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone }).format(next);
  if (days === 0) {
    return en ? `today from ${time}` : `heute ab ${time} Uhr`;
  }
  if (days === 1) {
    return en ? `tomorrow from ${time}` : `morgen ab ${time} Uhr`;
  }
  if (days < 7) {
    return en ? `from ${weekday}, ${time}` : `ab ${weekday}, ${time} Uhr`;
  }
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone }).format(next);
  return en ? `from ${weekday} ${date}, ${time}` : `ab ${weekday}, ${date}, ${time} Uhr`;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of an instant in a time zone. */
function localParts(instant: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
}

/** The instant at which the clocks of `timeZone` show `minutes` after midnight of `day` (a UTC-midnight date). */
function zonedInstant(day: Date, minutes: number, timeZone: string): Date {
  const wall = day.getTime() + minutes * 60_000;
  // The zone's offset at a guess, then again at the corrected instant: right on both sides of a DST change.
  let instant = wall - offsetAt(new Date(wall), timeZone);
  const second = offsetAt(new Date(instant), timeZone);
  instant = wall - second;
  return new Date(instant);
}

/** How far the zone's clocks are ahead of UTC at `instant`, in ms. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(instant.getTime() / 60_000) * 60_000;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
