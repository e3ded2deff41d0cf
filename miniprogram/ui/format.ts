/** Turning the device's state into words, for every page. */
import type { Reason, Status } from '../../shared/risk/status';
import { age, t, type Language } from '../i18n';

export function statusWord(lang: Language, s: Status): string {
  return t(lang, s);
}

export function statusHint(lang: Language, s: Status): string {
  return t(lang, s === 'green' ? 'greenHint' : s === 'yellow' ? 'yellowHint' : 'redHint');
}

export function reasonText(lang: Language, r: Reason): string {
  if (r.kind === 'self') return t(lang, 'reasonSelf', { date: r.date });
  if (r.kind === 'venue') return t(lang, 'reasonVenue', { venue: r.venue ?? '?', date: r.date, minutes: r.minutes });
  return t(lang, 'reasonBluetooth', { date: r.date, minutes: r.minutes, near: r.nearMinutes ?? 0, medium: r.mediumMinutes ?? 0 });
}

export function ageText(lang: Language, nowS: number, thenS: number | null): string | null {
  return thenS === null ? null : age(lang, Math.max(0, nowS - thenS));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as a person reads it on this phone: "14:05" today, "11-29 14:05" another day (local time). */
export function timeText(unixS: number, nowS = Math.floor(Date.now() / 1000)): string {
  const d = new Date(unixS * 1000);
  const n = new Date(nowS * 1000);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}
