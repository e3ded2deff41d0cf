/** Turning the device's state into words, for every page. */
import type { Reason, Status } from '../../shared/risk/status';
import { dayText } from '../i18n/dates';
import { age, t, type Language, type StringKey } from '../i18n';

export { clockText, dayText, localDateText, timeText } from '../i18n/dates';

export function statusWord(lang: Language, s: Status): string {
  return t(lang, s);
}

/** The status's shape, so that it never depends on colour alone: a tick, an exclamation mark, a cross. */
export function statusShape(s: Status): string {
  return s === 'green' ? '✓' : s === 'yellow' ? '!' : '✕';
}

export function statusHint(lang: Language, s: Status): string {
  return t(lang, s === 'green' ? 'greenHint' : s === 'yellow' ? 'yellowHint' : 'redHint');
}

/** What a screen reader says for the status block. */
export function statusLabel(lang: Language, s: Status): string {
  return t(lang, 'statusA11y', { status: statusWord(lang, s), hint: statusHint(lang, s) });
}

export function reasonText(lang: Language, r: Reason): string {
  const date = dayText(lang, r.day);
  if (r.kind === 'self') return t(lang, 'reasonSelf', { date });
  if (r.kind === 'venue') return t(lang, 'reasonVenue', { venue: r.venue ?? '?', date, minutes: r.minutes });
  return t(lang, 'reasonBluetooth', { date, minutes: r.minutes, near: r.nearMinutes ?? 0, medium: r.mediumMinutes ?? 0 });
}

export function ageText(lang: Language, nowS: number, thenS: number | null): string | null {
  return thenS === null ? null : age(lang, Math.max(0, nowS - thenS));
}

/**
 * "Last checked 5 min ago", "Last checked just now" within the first minute — or null when it never
 * happened (the page then says so instead of "0 min ago").
 */
export function sinceText(lang: Language, nowS: number, thenS: number | null, key: StringKey, justNowKey: StringKey): string | null {
  if (thenS === null) return null;
  if (nowS - thenS < 60) return t(lang, justNowKey);
  return t(lang, key, { age: age(lang, nowS - thenS) });
}

/** A local date ('2026-12-01') and time ('18:30') from the pickers as minutes since the epoch, in the phone's time zone; null if either is missing. */
export function localMinutes(date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  return Math.floor(new Date(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]).getTime() / 60_000);
}
