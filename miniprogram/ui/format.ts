/** Turning the device's state into words, for every page. */
import type { CalendarDay, ExplainedExposure, ExplainedReason, PartOfDay } from '../../shared/risk/explain';
import type { Status } from '../../shared/risk/status';
import { NATIONAL_REGION } from '../../shared/regions';
import { calendarDayText, leftText, momentText } from '../i18n/dates';
import { age, t, type Language, type StringKey } from '../i18n';

export { calendarDayText, clockText, dayText, leftText, localDateText, momentText, timeText } from '../i18n/dates';

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

/** When something happened, as coarse as the reasons are: "Fri 20 Nov, morning", or the day alone where no time is known. */
export function whenText(lang: Language, on: CalendarDay, parts: PartOfDay[]): string {
  const day = calendarDayText(lang, on);
  if (parts.length === 0) return day;
  return t(lang, 'whenWithParts', { day, parts: parts.map((p) => t(lang, `part_${p}`)).join(t(lang, 'partsJoin')) });
}

export function reasonText(lang: Language, r: ExplainedReason & { regionName?: string }): string {
  if (r.kind === 'self') return t(lang, 'reasonSelf', { date: calendarDayText(lang, r.on) });
  const when = whenText(lang, r.on, r.parts);
  const duration = t(lang, `dur_${r.band ?? 'under10'}`);
  // §15: a reason names the region whose list carried the key or warning; the national list is what
  // every phone follows, so naming it tells the reader nothing
  const where = r.regionName && r.region !== NATIONAL_REGION ? ` ${t(lang, 'reasonRegion', { region: r.regionName })}` : '';
  if (r.kind === 'venue') return venueReasonText(lang, r, when, duration, where);
  return t(lang, 'reasonBluetooth', { when, duration, closeness: t(lang, `close_${r.closeness ?? 'medium'}`) }) + where;
}

/**
 * Issue 31: a venue reason says who asks what (a visitor's upload: someone was there; the health
 * authority's or the owner's warning: the level's action), then which rule applied, then the
 * authority's number. The authority's own sentence and the level's advice are shown apart.
 */
function venueReasonText(lang: Language, r: ExplainedReason, when: string, duration: string, where: string): string {
  const venue = r.venue ?? '?';
  const byAuthority = r.warningLevel && (r.source === 'authority' || r.source === 'owner');
  const head = byAuthority
    ? t(lang, r.source === 'owner' ? 'reasonVenueOwner' : 'reasonVenueAuthority', {
        when,
        venue,
        duration,
        action: t(lang, `warnAction_${r.warningLevel!}`),
      })
    : t(lang, r.rule?.kind === 'cluster' && r.rule.warnings > 1 ? 'reasonVenueStay' : 'reasonVenue', { when, venue, duration });
  const out = [head + where];
  const rule = r.rule;
  if (rule) {
    const type = t(lang, `venueType_${rule.venueType !== undefined && rule.venueType <= 8 ? rule.venueType : 0}` as StringKey);
    if (rule.kind === 'level') out.push(t(lang, 'reasonRuleLevel', { type, threshold: String(rule.threshold) }));
    else if (!byAuthority)
      out.push(
        rule.warnings === 1
          ? t(lang, 'reasonRuleClusterOne', { type })
          : t(lang, 'reasonRuleCluster', { count: String(rule.warnings), type, threshold: String(rule.threshold) }),
      );
  }
  if (r.tel) out.push(t(lang, 'reasonTel', { tel: r.tel }));
  return out.join(lang === 'en' ? ' ' : '');
}

/** A history entry: when, how long (band), how close or where, and whether it counts. */
export function exposureText(lang: Language, e: ExplainedExposure): string {
  const when = whenText(lang, e.on, e.parts);
  const counts = t(lang, e.counts ? 'counts_yes' : 'counts_no');
  const duration = t(lang, `dur_${e.band}`);
  if (e.kind === 'venue') return t(lang, 'historyExposureVenue', { when, venue: e.venue ?? '?', duration, counts });
  return t(lang, 'historyExposureBt', { when, duration, band: t(lang, `band_${e.closeness ?? 'far'}`), counts });
}

/** A moment ahead and how long until it: "Sat 5 Dec, 08:00" and "in 9 days". */
export function untilParts(lang: Language, nowS: number, thenS: number): { time: string; left: string } {
  return { time: momentText(lang, thenS), left: leftText(lang, nowS, thenS) };
}

/** A download size as people read it: "800 B", "12 KB", "1.3 MB" (1 KB = 1,024 bytes), in the language's words. */
export function sizeText(lang: Language, bytes: number): string {
  if (bytes < 1024) return t(lang, 'sizeB', { n: Math.round(bytes) });
  if (bytes < 1024 * 1024) return t(lang, 'sizeKB', { n: Math.round(bytes / 1024) });
  return t(lang, 'sizeMB', { n: (bytes / 1024 / 1024).toFixed(1) });
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

/** A moment (Unix s) as a date picker's and a time picker's values in the phone's local time: localMinutes' inverse. */
export function pickerValues(unixS: number): { date: string; time: string } {
  const d = new Date(unixS * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`, time: `${two(d.getHours())}:${two(d.getMinutes())}` };
}

/** A local date ('2026-12-01') and time ('18:30') from the pickers as minutes since the epoch, in the phone's time zone; null if either is missing. */
export function localMinutes(date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  return Math.floor(new Date(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]).getTime() / 60_000);
}

/** The local date of a moment as the date picker writes it ('2026-12-01'). */
export function pickerDate(unixS: number): string {
  return pickerValues(unixS).date;
}
