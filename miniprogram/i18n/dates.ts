/**
 * Dates and times as a person reads them: in the phone's local time zone and the user's language
 * ("11月29日 14:05", "29 Nov, 14:05"). The protocol counts in UTC (§1); only what is shown is local.
 * Built by hand rather than with Intl: WeChat's JavaScript engines do not all carry full locale data.
 */
import { localMidnight } from '../services/tracing-time';
import { age, t, type Language, type StringKey } from './index';

const pad = (n: number) => String(n).padStart(2, '0');

function dateOf(lang: Language, y: number, m: number, d: number): string {
  void y;
  return t(lang, 'dateFmt', { d, m, mon: t(lang, `mon_${m}` as StringKey) });
}

/** A §1 day interval (a UTC day) as a date: the day's own date, whatever the phone's time zone. */
export function dayText(lang: Language, dayInterval: number): string {
  const d = new Date(dayInterval * 600 * 1000);
  return dateOf(lang, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The local date of a moment. */
export function localDateText(lang: Language, unixS: number): string {
  const d = new Date(unixS * 1000);
  return dateOf(lang, d.getFullYear(), d.getMonth() + 1, d.getDate());
}

/** "14:05" in local time. */
export function clockText(unixS: number): string {
  const d = new Date(unixS * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A moment in local time: "14:05" on the local day of `nowS`, with the date on any other day. */
export function timeText(lang: Language, unixS: number, nowS: number): string {
  const d = new Date(unixS * 1000);
  const n = new Date(nowS * 1000);
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? clockText(unixS) : t(lang, 'dateTimeFmt', { date: localDateText(lang, unixS), time: clockText(unixS) });
}

/** A calendar day with its weekday: "Fri 20 Nov", "11月20日（周五）". */
export function calendarDayText(lang: Language, day: { m: number; d: number; weekday: number }): string {
  return t(lang, 'dayWithWeekday', { date: dateOf(lang, 0, day.m, day.d), weekday: t(lang, `wd_${day.weekday}` as StringKey) });
}

/** A moment in local time with its weekday: "Sat 5 Dec, 08:00". */
export function momentText(lang: Language, unixS: number): string {
  const d = new Date(unixS * 1000);
  const day = calendarDayText(lang, { m: d.getMonth() + 1, d: d.getDate(), weekday: d.getDay() });
  return t(lang, 'momentWithWeekday', { day, time: clockText(unixS) });
}

/**
 * How long until a moment, as people count it: within a day "in 3 h" ("in 20 min"); further, in
 * local calendar days, "tomorrow" or "in 9 days".
 */
export function leftText(lang: Language, nowS: number, thenS: number): string {
  if (thenS - nowS < 86400) return t(lang, 'leftToday', { age: age(lang, Math.max(60, thenS - nowS)) });
  const days = Math.round((localMidnight(thenS) - localMidnight(nowS)) / 86400);
  return days <= 1 ? t(lang, 'leftTomorrow') : t(lang, 'leftDays', { n: days });
}
