/** How the inbox writes times: waiting times and the window's remaining time, and clock times of messages. */
import type { Translate } from '../i18n';
import { mediaLabelKey } from './media-view';

/**
 * A duration as a person reads it: "45 s", "12 min", "3 h 5 min", "2 d 4 h" (in the app's language).
 * @example formatDuration(3900, t) // '1 h 5 min'
 */
export function formatDuration(seconds: number, t: Translate): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) {
    return t('inbox.dur.seconds', { n: s });
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return t('inbox.dur.minutes', { n: minutes });
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return t('inbox.dur.hours', { h: hours, m: minutes % 60 });
  }
  return t('inbox.dur.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

/**
 * A waiting time that keeps counting between refreshes: the server's `waitingSeconds` at `fetchedAt`, plus the time
 * since. Late when longer than the queue's SLA (or when the server already said so).
 */
export function currentWait(row: { waitingSeconds: number | null; slaBreached: boolean }, fetchedAt: number, now: number, slaMinutes: number | null | undefined): { seconds: number; late: boolean } | null {
  if (row.waitingSeconds === null) {
    return null;
  }
  const seconds = row.waitingSeconds + Math.max(0, Math.floor((now - fetchedAt) / 1000));
  return { seconds, late: row.slaBreached || (slaMinutes != null && seconds > slaMinutes * 60) };
}

/** A message's time: the clock time today, else date and time (in the app's language). */
export function formatMessageTime(iso: string, language: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return '';
  }
  const sameDay = at.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(language, sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(at);
}

/** The 24-hour customer-service window of WhatsApp, from the contact's last message. */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;

/**
 * The list's one line for the last message, in the app's language: the server's preview is plain text and names a
 * file without caption as `[image]`, a template as `[name]`; those become "Bild", "📎 Befund.pdf", "Vorlage: name".
 * @example previewLine({ type: 'media', preview: '[image]' }, t) // 'Bild'
 */
export function previewLine(last: { type: string; preview: string }, t: Translate): string {
  const bracketed = /^\[(.+)\]$/.exec(last.preview)?.[1];
  if (last.type === 'media') {
    const label = bracketed === undefined ? undefined : mediaLabelKey(bracketed);
    return label ? t(label) : `📎 ${last.preview}`;
  }
  if (last.type === 'template' && bracketed !== undefined) {
    return `${t('msg.template')}: ${bracketed}`;
  }
  return last.preview;
}
