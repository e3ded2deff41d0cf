/**
 * §6 The risk configuration: served signed by the server so operators can tune it without a new
 * release, parsed strictly by the phone after the signature verified.
 */
import { PrtcError } from '../errors';
import { asObject, onlyFields } from '../api/json';

/** The risk model's fields, the same in versions 1 and 2 of the configuration. */
export interface RiskParams {
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

/** Version 1: the risk fields only (what `GET /v1/config` serves, for phones of earlier releases). */
export interface RiskConfig extends RiskParams {
  version: 1;
}

/** The risk fields in the order the served JSON text has them (§14's vector depends on it). */
export const RISK_FIELDS = [
  'nearBelow',
  'mediumBelow',
  'weights',
  'redWeightedMinutes',
  'redVenueMinutes',
  'defaultTxPower',
  'exposureDays',
] as const satisfies readonly (keyof RiskParams)[];

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

/** Parses and checks a version-1 configuration (as served, after its signature was verified): unknown fields are refused. */
export function parseRiskConfig(json: string): RiskConfig {
  const o = asObject(parseJson(json), 'config');
  onlyFields(o, Object.keys(DEFAULT_RISK_CONFIG), 'config.');
  if (o.version !== 1) throw new PrtcError('invalid_config', 'unsupported configuration version');
  return { version: 1, ...parseRiskFields(o) };
}

export function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new PrtcError('invalid_config', 'the risk configuration is not JSON');
  }
}

/** The risk fields of a configuration object (version 1 or 2), each checked. */
export function parseRiskFields(o: Record<string, unknown>): RiskParams {
  const num = (k: string, lo: number, hi: number): number => {
    const x = o[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi)
      throw new PrtcError('invalid_config', `config.${k} must be a number in ${lo}..${hi}`);
    return x;
  };
  const w = asObject(o.weights, 'config.weights');
  onlyFields(w, ['near', 'medium', 'far'], 'config.weights.');
  const weight = (k: string) => {
    const x = w[k];
    if (typeof x !== 'number' || !(x >= 0 && x <= 10)) throw new PrtcError('invalid_config', `config.weights.${k} must be 0..10`);
    return x;
  };
  const cfg: RiskParams = {
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
