/**
 * §6 A reason as the user reads it — precise enough to act on, too coarse to single anyone out: the
 * local day with its weekday, the parts of that day (morning, afternoon, evening, night; never the
 * 10-minute interval, which would point at one rpi and so one person), a duration band instead of
 * minutes, and the closeness. docs/protocol.md §6 says why these and not finer.
 */
import type { Status } from '../protocol/healthcode';
import { ENIN_SECONDS } from '../protocol/time';
import type { Bucket, ExposureRecord, Reason, Span, VenueRule } from './status';
import type { WarningLevel, WarningSource } from '../protocol/batch';
import type { RiskParams } from './config';

/** Six hours each, in the phone's local time: night 00–06, morning 06–12, afternoon 12–18, evening 18–24. */
export const PARTS_OF_DAY = ['night', 'morning', 'afternoon', 'evening'] as const;
export type PartOfDay = (typeof PARTS_OF_DAY)[number];

/** Time together (Bluetooth: minutes at a distance that counts; venue: the overlap), in four bands. */
export const DURATION_BANDS = [
  { band: 'under10', below: 10 },
  { band: '10to30', below: 30 },
  { band: '30to60', below: 60 },
  { band: 'over60', below: Infinity },
] as const;
export type DurationBand = (typeof DURATION_BANDS)[number]['band'];

export function bandOf(minutes: number): DurationBand {
  return DURATION_BANDS.find((b) => minutes < b.below)!.band;
}

/** A calendar day: year, month 1–12, day 1–31, weekday 0 (Sunday) – 6. */
export interface CalendarDay {
  y: number;
  m: number;
  d: number;
  weekday: number;
}

/** The offset of the phone's local time from UTC at a moment, in minutes (UTC+8: 480). */
export type ZoneOffset = (unixS: number) => number;
/** The JavaScript engine's own time zone (what the phone shows). */
export const engineZone: ZoneOffset = (unixS) => -new Date(unixS * 1000).getTimezoneOffset();

export interface ExplainedReason {
  kind: 'self' | 'bluetooth' | 'venue';
  level: Status;
  /** The local day it happened (a match stored by an earlier release: the UTC day of its key). */
  on: CalendarDay;
  /** The parts of that day it happened in, in order; empty where no time is known (self reports, earlier releases). */
  parts: PartOfDay[];
  band?: DurationBand;
  /** Bluetooth: the distance with the most minutes that count. */
  closeness?: Bucket;
  venue?: string;
  /** §15: the region whose chain carried the key or warning (the page names it). */
  region?: number;
  /** From when this reason no longer counts, if nothing new is found (Unix s). */
  until: number;
  /**
   * Venue (issue 31): which rule made the warnings count (how many overlapped the stay at once, the
   * venue type's threshold), and the deciding warning's level, who published it, the authority's
   * number and its sentence per language.
   */
  rule?: VenueRule;
  warningLevel?: WarningLevel;
  source?: WarningSource;
  tel?: string;
  text?: Reason['text'];
}

function calendarAt(localMs: number): CalendarDay {
  const t = new Date(localMs);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), weekday: t.getUTCDay() };
}

/** The local day of a moment. */
export function localDay(unixS: number, zone: ZoneOffset = engineZone): CalendarDay {
  return calendarAt((unixS + zone(unixS) * 60) * 1000);
}

const PART_S = 6 * 3600;

/** The parts of the local day a stretch of time touches, in the order of the day from the first. */
export function partsOf(spans: Span[], zone: ZoneOffset = engineZone): PartOfDay[] {
  const seen = new Set<PartOfDay>();
  const out: PartOfDay[] = [];
  for (const s of spans) {
    // a record spans at most 256 ENINs (§5): at most a dozen parts
    for (let t = s.from; t < s.to;) {
      const local = t + zone(t) * 60;
      const k = Math.floor((((local % 86400) + 86400) % 86400) / PART_S);
      const part = PARTS_OF_DAY[k];
      if (!seen.has(part)) {
        seen.add(part);
        out.push(part);
      }
      t += PART_S - (((local % PART_S) + PART_S) % PART_S);
    }
  }
  return out;
}

/** The reason the pages show: no minute, no 10-minute interval, no key. */
export function explainReason(r: Reason, cfg: RiskParams, zone: ZoneOffset = engineZone): ExplainedReason {
  const on = r.spans.length ? localDay(r.spans[0].from, zone) : calendarAt(r.day * ENIN_SECONDS * 1000);
  const out: ExplainedReason = { kind: r.kind, level: r.level, on, parts: [], until: r.untilEnin * ENIN_SECONDS };
  if (r.kind === 'self') return out;
  if (r.region !== undefined) out.region = r.region;
  out.parts = partsOf(r.spans, zone);
  if (r.kind === 'venue') {
    out.band = bandOf(r.minutes);
    out.venue = r.venue;
    if (r.rule) out.rule = { ...r.rule };
    if (r.warningLevel) out.warningLevel = r.warningLevel;
    if (r.source) out.source = r.source;
    if (r.tel) out.tel = r.tel;
    if (r.text) out.text = { ...r.text };
    return out;
  }
  // minutes at distances whose weight counts (far weighs 0 by default: it neither counts nor adds time)
  const by: Record<Bucket, number> = {
    near: r.nearMinutes ?? 0,
    medium: r.mediumMinutes ?? 0,
    far: r.minutes - (r.nearMinutes ?? 0) - (r.mediumMinutes ?? 0),
  };
  const counted = (['near', 'medium', 'far'] as const).filter((b) => cfg.weights[b] > 0);
  out.band = bandOf(counted.reduce((sum, b) => sum + by[b], 0));
  out.closeness = counted.reduce((best, b) => (by[b] > by[best] ? b : best), counted[0] ?? 'near');
  return out;
}

/** An entry of the history page, as coarse as a reason. */
export interface ExplainedExposure {
  kind: 'bluetooth' | 'venue';
  on: CalendarDay;
  parts: PartOfDay[];
  band: DurationBand;
  closeness?: Bucket;
  venue?: string;
  counts: boolean;
}

export function explainExposure(e: ExposureRecord, zone: ZoneOffset = engineZone): ExplainedExposure {
  const on = e.spans.length ? localDay(e.spans[0].from, zone) : calendarAt(e.day * ENIN_SECONDS * 1000);
  const out: ExplainedExposure = { kind: e.kind, on, parts: partsOf(e.spans, zone), band: bandOf(e.minutes), counts: e.counts };
  if (e.kind === 'venue') out.venue = e.venue;
  else out.closeness = e.band;
  return out;
}
