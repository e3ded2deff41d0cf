/**
 * §6 Risk and status, computed on the device only. The server serves the configuration (signed) so
 * operators can tune it; the computation below never runs on the server.
 */
import { PrtcError } from './errors';
import { asObject, onlyFields } from './api';
import { dayInterval, dayLabel, retentionStart } from './time';

export type Status = 'green' | 'yellow' | 'red';
export const STATUS_CODE: Record<Status, number> = { green: 0, yellow: 1, red: 2 };
export const STATUS_FROM_CODE: Status[] = ['green', 'yellow', 'red'];

export interface RiskConfig {
  version: 1;
  /** Attenuation below `nearBelow` dB is near; below `mediumBelow` medium; otherwise far. */
  nearBelow: number;
  mediumBelow: number;
  weights: { near: number; medium: number; far: number };
  /** Red at or above this many weighted minutes with any one key. */
  redWeightedMinutes: number;
  /** Red at or above this many minutes of overlap with one venue warning. */
  redVenueMinutes: number;
  /** Transmit power (dBm) assumed when a sighting has no aem (frame U) or unreadable metadata. */
  defaultTxPower: number;
  /** How many days an exposure counts. */
  exposureDays: number;
}

export const DEFAULT_RISK_CONFIG: RiskConfig = Object.freeze({
  version: 1,
  nearBelow: 55,
  mediumBelow: 63,
  weights: Object.freeze({ near: 1, medium: 0.5, far: 0 }),
  redWeightedMinutes: 15,
  redVenueMinutes: 15,
  defaultTxPower: -8,
  exposureDays: 14,
}) as RiskConfig;

/** Parses and checks a configuration (as served, after its signature was verified). */
export function parseRiskConfig(json: string): RiskConfig {
  let v: unknown;
  try { v = JSON.parse(json); } catch { throw new PrtcError('invalid_config', 'the risk configuration is not JSON'); }
  const o = asObject(v, 'config');
  onlyFields(o, Object.keys(DEFAULT_RISK_CONFIG), 'config.');
  const num = (k: string, lo: number, hi: number): number => {
    const x = o[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi) throw new PrtcError('invalid_config', `config.${k} must be a number in ${lo}..${hi}`);
    return x;
  };
  if (o.version !== 1) throw new PrtcError('invalid_config', 'unsupported configuration version');
  const w = asObject(o.weights, 'config.weights');
  onlyFields(w, ['near', 'medium', 'far'], 'config.weights.');
  const weight = (k: string) => { const x = w[k]; if (typeof x !== 'number' || !(x >= 0 && x <= 10)) throw new PrtcError('invalid_config', `config.weights.${k} must be 0..10`); return x; };
  const cfg: RiskConfig = {
    version: 1,
    nearBelow: num('nearBelow', 0, 200),
    mediumBelow: num('mediumBelow', 0, 200),
    weights: { near: weight('near'), medium: weight('medium'), far: weight('far') },
    redWeightedMinutes: num('redWeightedMinutes', 1, 10000),
    redVenueMinutes: num('redVenueMinutes', 1, 10000),
    defaultTxPower: num('defaultTxPower', -128, 127),
    exposureDays: num('exposureDays', 1, 14),
  };
  if (cfg.mediumBelow < cfg.nearBelow) throw new PrtcError('invalid_config', 'mediumBelow must not be below nearBelow');
  return cfg;
}

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
    reasons.push({ kind: 'venue', level: v.minutes >= cfg.redVenueMinutes ? 'red' : 'yellow', day: v.day, date: dayLabel(v.day), minutes: v.minutes, venue: v.venue });
  }
  const rank = (s: Status) => STATUS_CODE[s];
  reasons.sort((a, b) => rank(b.level) - rank(a.level) || b.day - a.day);
  const status: Status = reasons.length === 0 ? 'green' : reasons[0].level;
  return { status, reasons };
}
