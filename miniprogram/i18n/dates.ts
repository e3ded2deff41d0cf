/**
 * Dates and times as a person reads them: in the phone's local time zone and the user's language
 * ("11月29日 14:05", "29 Nov, 14:05"). The protocol counts in UTC (§1); only what is shown is local.
 * Built by hand rather than with Intl: WeChat's JavaScript engines do not all carry full locale data.
 */
import { t, type Language, type StringKey } from './index';

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
