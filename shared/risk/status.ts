/**
 * §6 Risk and status, computed on the device only: exposures in, green / yellow / red with reasons
 * out, under the configuration of ./config.ts. The server never runs this.
 */
import { STATUS_CODE, type Status } from '../protocol/healthcode';
import { dayInterval, dayLabel, retentionStart } from '../protocol/time';
import type { RiskConfig } from './config';

export type { Status };

export type Bucket = 'near' | 'medium' | 'far';

export function bucketOf(attenuation: number, cfg: RiskConfig): Bucket {
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
}

export interface StatusResult {
  status: Status;
  reasons: Reason[];
}

/**
 * Status per §6: red for a self-report, ≥ redWeightedMinutes weighted minutes with one key, or a
 * venue overlap ≥ redVenueMinutes; yellow for any lesser match with weight > 0 or any venue overlap;
 * otherwise green. Exposures older than `exposureDays` do not count.
 */
export function computeStatus(
  input: { selfReportedAtEnin: number | null; bluetooth: BluetoothExposure[]; venues: VenueExposure[] },
  cfg: RiskConfig,
  nowEnin: number,
): StatusResult {
  const oldest = Math.max(retentionStart(nowEnin), dayInterval(nowEnin) - cfg.exposureDays * 144);
  const reasons: Reason[] = [];
  if (input.selfReportedAtEnin !== null && input.selfReportedAtEnin >= oldest) {
    const day = dayInterval(input.selfReportedAtEnin);
    reasons.push({ kind: 'self', level: 'red', day, date: dayLabel(day), minutes: 0 });
  }
  const groups = new Map<string, { day: number; near: number; medium: number; far: number }>();
  for (const e of input.bluetooth) {
    if (e.day < oldest || !(e.minutes > 0)) continue;
    const id = `${e.keyId}/${e.day}`;
    const g = groups.get(id) ?? { day: e.day, near: 0, medium: 0, far: 0 };
    g[bucketOf(e.attenuation, cfg)] += e.minutes;
    groups.set(id, g);
  }
  for (const g of groups.values()) {
    const weighted = cfg.weights.near * g.near + cfg.weights.medium * g.medium + cfg.weights.far * g.far;
    if (weighted <= 0) continue;
    reasons.push({
      kind: 'bluetooth',
      level: weighted >= cfg.redWeightedMinutes ? 'red' : 'yellow',
      day: g.day,
      date: dayLabel(g.day),
      minutes: g.near + g.medium + g.far,
      nearMinutes: g.near,
      mediumMinutes: g.medium,
      weightedMinutes: Math.round(weighted * 10) / 10,
    });
  }
  for (const v of input.venues) {
    if (v.day < oldest || !(v.minutes > 0)) continue;
    reasons.push({
      kind: 'venue',
      level: v.minutes >= cfg.redVenueMinutes ? 'red' : 'yellow',
      day: v.day,
      date: dayLabel(v.day),
      minutes: v.minutes,
      venue: v.venue,
    });
  }
  const rank = (s: Status) => STATUS_CODE[s];
  reasons.sort((a, b) => rank(b.level) - rank(a.level) || b.day - a.day);
  const status: Status = reasons.length === 0 ? 'green' : reasons[0].level;
  return { status, reasons };
}

/** One exposure as the phone's history shows it, whether or not it counts towards the status. */
export interface ExposureRecord {
  kind: 'bluetooth' | 'venue';
  day: number;
  minutes: number;
  /** Bluetooth: the distance band with the most minutes. */
  band?: Bucket;
  venue?: string;
  /** Whether it counts towards the status (§6): a weighted time above zero, within `exposureDays`. */
  counts: boolean;
}

/**
 * Every exposure matching found within retention, newest first — also those that count zero (too
 * far, too short, too old for the status), which the status's reasons leave out.
 */
export function exposureHistory(
  input: { bluetooth: BluetoothExposure[]; venues: VenueExposure[] },
  cfg: RiskConfig,
  nowEnin: number,
): ExposureRecord[] {
  const kept = retentionStart(nowEnin);
  const counted = Math.max(kept, dayInterval(nowEnin) - cfg.exposureDays * 144);
  const groups = new Map<string, { day: number; near: number; medium: number; far: number }>();
  for (const e of input.bluetooth) {
    if (e.day < kept || !(e.minutes > 0)) continue;
    const id = `${e.keyId}/${e.day}`;
    const g = groups.get(id) ?? { day: e.day, near: 0, medium: 0, far: 0 };
    g[bucketOf(e.attenuation, cfg)] += e.minutes;
    groups.set(id, g);
  }
  const out: ExposureRecord[] = [];
  for (const g of groups.values()) {
    const weighted = cfg.weights.near * g.near + cfg.weights.medium * g.medium + cfg.weights.far * g.far;
    const band: Bucket = g.near >= g.medium && g.near >= g.far ? 'near' : g.medium >= g.far ? 'medium' : 'far';
    out.push({ kind: 'bluetooth', day: g.day, minutes: g.near + g.medium + g.far, band, counts: weighted > 0 && g.day >= counted });
  }
  for (const v of input.venues) {
    if (v.day < kept || !(v.minutes > 0)) continue;
    out.push({ kind: 'venue', day: v.day, minutes: v.minutes, venue: v.venue, counts: v.day >= counted });
  }
  return out.sort((a, b) => b.day - a.day || b.minutes - a.minutes);
}
