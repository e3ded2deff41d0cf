/**
 * §6 Risk and status, computed on the device only: exposures in, green / yellow / red with reasons
 * out, under the configuration of ./config.ts. The server never runs this.
 */
import { STATUS_CODE, type Status } from '../protocol/healthcode';
import { dayInterval, dayLabel, ENIN_SECONDS, retentionStart, ROLLING_PERIOD } from '../protocol/time';
import type { RiskParams } from './config';
import type { WarningLevel, WarningSource } from '../protocol/batch';
import { DEFAULT_VENUE_RULES, thresholdOf, type VenueRules } from './venue-rules';

export type { Status };

export type Bucket = 'near' | 'medium' | 'far';

export function bucketOf(attenuation: number, cfg: RiskParams): Bucket {
  if (attenuation < cfg.nearBelow) return 'near';
  if (attenuation < cfg.mediumBelow) return 'medium';
  return 'far';
}

/** One matched encounter record: minutes spent at one attenuation, attributed to one diagnosis key. */
export interface BluetoothExposure {
  /** Identifies the diagnosis key (e.g. its hex), so windows are grouped per key per day. */
  keyId: string;
  /** The key's day interval. */
  day: number;
  minutes: number;
  attenuation: number;
  /** §15: the chain (region) whose batch carried the key. */
  region?: number;
  /**
   * The ENINs of the matched encounter record's first and last sighting (§5), on this phone's clock:
   * when it happened, for the reason's part of the day. Missing in matches stored by releases before
   * this field existed (those reasons name the day only).
   */
  eninFirst?: number;
  eninLast?: number;
}

/** What matching found, as the status rules read it. */
export interface BatchMatchesLike {
  bluetooth: BluetoothExposure[];
  venues: VenueExposure[];
}

export interface VenueExposure {
  day: number;
  minutes: number;
  venue: string;
  /** §15: the chain (region) whose batch carried the warning. */
  region?: number;
  /** The overlap of the check-in and the warning (Unix s, half-open); missing in matches stored by earlier releases. */
  from?: number;
  to?: number;
  /** Issue 31: the check-in it overlapped (the warnings over one stay are counted together); missing in earlier matches. */
  checkin?: string;
  /** §7 venue type from the check-in's own code; missing for a Corona-Warn-App code and in earlier matches (type 0's threshold). */
  venueType?: number;
  /** Issue 31: the warning's level, source, the authority's number and sentence, as published; none for a visitor's upload. */
  level?: WarningLevel;
  source?: WarningSource;
  tel?: string;
  text?: Partial<Record<'en' | 'zh_CN' | 'zh_HK' | 'zh_TW', string>>;
}

/**
 * Issue 31: why venue warnings counted. `cluster`: `warnings` distinct warnings overlapped the stay at
 * one moment, at least the venue type's `threshold`; `level`: fewer did, but a warning whose level
 * ignores the threshold (an authority's `isolate`) was among them.
 */
export interface VenueRule {
  kind: 'cluster' | 'level';
  warnings: number;
  threshold: number;
  venueType?: number;
}

/** A stretch of time something happened in (Unix s, half-open). */
export interface Span {
  from: number;
  to: number;
}

export interface Reason {
  kind: 'self' | 'bluetooth' | 'venue';
  level: Status;
  day: number;
  date: string;
  minutes: number;
  nearMinutes?: number;
  mediumMinutes?: number;
  weightedMinutes?: number;
  venue?: string;
  /** §15: the region whose chain carried the key or warning (reasons name it). */
  region?: number;
  /** When it happened (Bluetooth: each matched record's sightings; venue: the overlap), where known; self: the report. */
  spans: Span[];
  /** The ENIN (a UTC midnight) from which this reason no longer counts (§6: `exposureDays` after its day). */
  untilEnin: number;
  /** Venue (issue 31): the rule that applied, and the deciding warning's level, source, number and sentence. */
  rule?: VenueRule;
  warningLevel?: WarningLevel;
  source?: WarningSource;
  tel?: string;
  text?: VenueExposure['text'];
}

export interface StatusResult {
  status: Status;
  reasons: Reason[];
  /** When the current level ends if nothing new is found (ENIN), and when the status is green again; null while green. */
  levelUntilEnin: number | null;
  greenAtEnin: number | null;
}

/**
 * The first day interval at which an exposure of day interval `day` no longer counts: it counts
 * while `dayInterval(now) − exposureDays × 144 ≤ day` (computeStatus), so through day
 * `day + ⌊exposureDays⌋`, and stops at the midnight (UTC) after.
 */
export function countsUntil(day: number, cfg: RiskParams): number {
  return day + (Math.floor(cfg.exposureDays) + 1) * ROLLING_PERIOD;
}

/**
 * Status per §6: red for a self-report, ≥ redWeightedMinutes weighted minutes with one key, or a
 * venue overlap ≥ redVenueMinutes; yellow for any lesser match with weight > 0 or any venue overlap;
 * otherwise green. Exposures older than `exposureDays` do not count.
 */
export function computeStatus(
  input: { selfReportedAtEnin: number | null; bluetooth: BluetoothExposure[]; venues: VenueExposure[] },
  cfg: RiskParams,
  nowEnin: number,
  rules: VenueRules = DEFAULT_VENUE_RULES,
): StatusResult {
  const oldest = Math.max(retentionStart(nowEnin), dayInterval(nowEnin) - cfg.exposureDays * 144);
  const reasons: Reason[] = [];
  if (input.selfReportedAtEnin !== null && input.selfReportedAtEnin >= oldest) {
    const day = dayInterval(input.selfReportedAtEnin);
    const at = input.selfReportedAtEnin * ENIN_SECONDS;
    reasons.push({
      kind: 'self',
      level: 'red',
      day,
      date: dayLabel(day),
      minutes: 0,
      spans: [{ from: at, to: at + ENIN_SECONDS }],
      untilEnin: countsUntil(day, cfg),
    });
  }
  const groups = new Map<string, { day: number; near: number; medium: number; far: number; spans: Span[]; region?: number }>();
  for (const e of input.bluetooth) {
    if (e.day < oldest || !(e.minutes > 0)) continue;
    const id = `${e.keyId}/${e.day}`;
    const g = groups.get(id) ?? { day: e.day, near: 0, medium: 0, far: 0, spans: [], region: e.region };
    const bucket = bucketOf(e.attenuation, cfg);
    g[bucket] += e.minutes;
    // when it happened: only the sightings that count (far ones weigh 0 by default)
    if (e.eninFirst !== undefined && e.eninLast !== undefined && cfg.weights[bucket] > 0)
      g.spans.push({ from: e.eninFirst * ENIN_SECONDS, to: (e.eninLast + 1) * ENIN_SECONDS });
    groups.set(id, g);
  }
  for (const g of groups.values()) {
    const weighted = cfg.weights.near * g.near + cfg.weights.medium * g.medium + cfg.weights.far * g.far;
    if (weighted <= 0) continue;
    reasons.push({
      ...(g.region !== undefined ? { region: g.region } : {}),
      kind: 'bluetooth',
      level: weighted >= cfg.redWeightedMinutes ? 'red' : 'yellow',
      day: g.day,
      date: dayLabel(g.day),
      minutes: g.near + g.medium + g.far,
      nearMinutes: g.near,
      mediumMinutes: g.medium,
      weightedMinutes: Math.round(weighted * 10) / 10,
      spans: g.spans.sort((a, b) => a.from - b.from),
      untilEnin: countsUntil(g.day, cfg),
    });
  }
  const venues = input.venues.filter((v) => v.day >= oldest && v.minutes > 0);
  for (const g of venueGroups(venues, cfg, rules)) if (g.counted.length) reasons.push(venueReason(g, cfg));
  const rank = (s: Status) => STATUS_CODE[s];
  reasons.sort((a, b) => rank(b.level) - rank(a.level) || b.day - a.day);
  // a green reason (a venue warning of level `inform`) informs: it sets no level and no time to wait
  const counting = reasons.filter((r) => r.level !== 'green');
  const status: Status = counting.length === 0 ? 'green' : counting[0].level;
  const last = (rs: Reason[]) => (rs.length ? Math.max(...rs.map((r) => r.untilEnin)) : null);
  return { status, reasons, levelUntilEnin: last(counting.filter((r) => r.level === status)), greenAtEnin: last(counting) };
}

/** The warnings over one stay, and those of them that count under the venue type's rule (issue 31). */
interface VenueGroup {
  all: VenueExposure[];
  counted: VenueExposure[];
  rule: VenueRule;
  statusOf: (v: VenueExposure) => Status;
}

/**
 * The most warnings that overlap one another at one moment of the stay (their overlaps with it,
 * half-open). Not their count: a diagnosed visitor's stay across UTC midnight is published as two
 * warnings that touch but never overlap (§7's split), and CLÉA's cluster is people *at the same time*.
 * A match of an earlier release (no overlap stored) is one.
 */
function mostAtOnce(vs: VenueExposure[]): number {
  const edges: [number, number][] = [];
  for (const v of vs) if (v.from !== undefined && v.to !== undefined && v.to > v.from) edges.push([v.from, 1], [v.to, -1]);
  if (edges.length === 0) return Math.min(vs.length, 1);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same second
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

/**
 * Issue 31: the venue exposures grouped by check-in, each group with what counts: every warning once
 * at least the venue type's threshold of them overlapped the stay at one moment, otherwise only those
 * whose level ignores the threshold. A visitor's upload (no level) keeps §6's rule: yellow, red from
 * `redVenueMinutes` of overlap; a warning with a level sets the level's status.
 */
function venueGroups(venues: VenueExposure[], cfg: RiskParams, rules: VenueRules): VenueGroup[] {
  const byCheckin = new Map<string, VenueExposure[]>();
  venues.forEach((v, k) => {
    const id = v.checkin !== undefined ? `c/${v.checkin}` : `e/${k}`;
    byCheckin.set(id, [...(byCheckin.get(id) ?? []), v]);
  });
  const statusOf = (v: VenueExposure): Status =>
    v.level ? rules.levels[v.level].status : v.minutes >= cfg.redVenueMinutes ? 'red' : 'yellow';
  const out: VenueGroup[] = [];
  for (const all of byCheckin.values()) {
    const venueType = all.find((v) => v.venueType !== undefined)?.venueType;
    const threshold = thresholdOf(rules, venueType);
    const warnings = mostAtOnce(all);
    const cluster = warnings >= threshold;
    const counted = cluster ? all : all.filter((v) => v.level && rules.levels[v.level].ignoresThreshold);
    const rule: VenueRule = { kind: cluster ? 'cluster' : 'level', warnings, threshold, ...(venueType !== undefined ? { venueType } : {}) };
    out.push({ all, counted, rule, statusOf });
  }
  return out;
}

/** One reason per stay: the deciding warning (the highest status; an authority's over a visitor's), the overlap of all that count. */
function venueReason(g: VenueGroup, cfg: RiskParams): Reason {
  const rank = (v: VenueExposure) => STATUS_CODE[g.statusOf(v)] * 4 + (v.level ? 2 : 0) + (v.source && v.source !== 'visitor' ? 1 : 0);
  const deciding = g.counted.reduce((best, v) => (rank(v) > rank(best) || (rank(v) === rank(best) && v.minutes > best.minutes) ? v : best));
  const spans = mergeSpans(g.counted.flatMap((v) => (v.from !== undefined && v.to !== undefined ? [{ from: v.from, to: v.to }] : [])));
  const minutes = spans.length ? Math.max(1, Math.round(spans.reduce((m, s) => m + s.to - s.from, 0) / 60)) : deciding.minutes;
  const day = Math.min(...g.counted.map((v) => v.day));
  const lastDay = Math.max(...g.counted.map((v) => v.day));
  return {
    ...(deciding.region !== undefined ? { region: deciding.region } : {}),
    kind: 'venue',
    level: g.statusOf(deciding),
    day,
    date: dayLabel(day),
    minutes,
    venue: deciding.venue,
    spans,
    untilEnin: countsUntil(lastDay, cfg),
    // a match of an earlier release names no check-in: it is its own stay, and its reason reads as before
    ...(deciding.checkin !== undefined ? { rule: g.rule } : {}),
    ...(deciding.level ? { warningLevel: deciding.level } : {}),
    ...(deciding.source ? { source: deciding.source } : {}),
    ...(deciding.tel ? { tel: deciding.tel } : {}),
    ...(deciding.text ? { text: deciding.text } : {}),
  };
}

function mergeSpans(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** One exposure as the phone's history shows it, whether or not it counts towards the status. */
export interface ExposureRecord {
  kind: 'bluetooth' | 'venue';
  day: number;
  minutes: number;
  /** Bluetooth: the distance band with the most minutes. */
  band?: Bucket;
  venue?: string;
  /** When it happened, where known (as Reason.spans). */
  spans: Span[];
  /** Whether it counts towards the status (§6): a weighted time above zero, within `exposureDays`. */
  counts: boolean;
}

/**
 * Every exposure matching found within retention, newest first — also those that count zero (too
 * far, too short, too old for the status), which the status's reasons leave out.
 */
export function exposureHistory(
  input: { bluetooth: BluetoothExposure[]; venues: VenueExposure[] },
  cfg: RiskParams,
  nowEnin: number,
  rules: VenueRules = DEFAULT_VENUE_RULES,
): ExposureRecord[] {
  const kept = retentionStart(nowEnin);
  const counted = Math.max(kept, dayInterval(nowEnin) - cfg.exposureDays * 144);
  const groups = new Map<string, { day: number; near: number; medium: number; far: number; spans: Span[] }>();
  for (const e of input.bluetooth) {
    if (e.day < kept || !(e.minutes > 0)) continue;
    const id = `${e.keyId}/${e.day}`;
    const g = groups.get(id) ?? { day: e.day, near: 0, medium: 0, far: 0, spans: [] };
    g[bucketOf(e.attenuation, cfg)] += e.minutes;
    if (e.eninFirst !== undefined && e.eninLast !== undefined)
      g.spans.push({ from: e.eninFirst * ENIN_SECONDS, to: (e.eninLast + 1) * ENIN_SECONDS });
    groups.set(id, g);
  }
  const out: ExposureRecord[] = [];
  for (const g of groups.values()) {
    const weighted = cfg.weights.near * g.near + cfg.weights.medium * g.medium + cfg.weights.far * g.far;
    const band: Bucket = g.near >= g.medium && g.near >= g.far ? 'near' : g.medium >= g.far ? 'medium' : 'far';
    out.push({
      kind: 'bluetooth',
      day: g.day,
      minutes: g.near + g.medium + g.far,
      band,
      spans: g.spans.sort((a, b) => a.from - b.from),
      counts: weighted > 0 && g.day >= counted,
    });
  }
  // issue 31: a warning below its venue type's threshold is shown, but does not count
  const counting = new Set(
    venueGroups(
      input.venues.filter((v) => v.day >= counted && v.minutes > 0),
      cfg,
      rules,
    ).flatMap((g) => g.counted),
  );
  for (const v of input.venues) {
    if (v.day < kept || !(v.minutes > 0)) continue;
    const spans = v.from !== undefined && v.to !== undefined ? [{ from: v.from, to: v.to }] : [];
    out.push({ kind: 'venue', day: v.day, minutes: v.minutes, venue: v.venue, spans, counts: counting.has(v) });
  }
  return out.sort((a, b) => b.day - a.day || b.minutes - a.minutes);
}
