/**
 * §6 The signed configuration, version 2: the risk fields of version 1, a `serial` that grows with
 * every publication (a phone refuses a lower one: no rollback), when it was issued, and sections —
 * the health authority's `advice` first; later releases add theirs. Known fields are checked
 * strictly; an unknown top-level section is ignored, so a later release can add one without
 * breaking this one. Signed exactly like version 1 (`configMessage(json)`, shared/protocol/signing.ts).
 *
 * The server serves this document at `GET /v1/config?v=2` and its version-1 projection (the risk
 * fields only) at `GET /v1/config`, so phones of earlier releases keep working.
 */
import { PrtcError } from '../errors';
import { asObject } from '../api/json';
import { parseRegionsSection, regionsSection, type RegionList } from '../regions';
import { DEFAULT_ADVICE, parseAdviceSection, type Advice } from './advice';
import { DEFAULT_VENUE_RULES, parseVenueRulesSection, type VenueRules } from './venue-rules';
import { DEFAULT_RISK_CONFIG, parseJson, parseRiskConfig, parseRiskFields, RISK_FIELDS, type RiskConfig, type RiskParams } from './config';

export interface RiskConfigV2 extends RiskParams {
  version: 2;
  /** Grows with every publication; a phone refuses a configuration whose serial is lower than the one it holds. */
  serial: number;
  /** When it was published (Unix s). */
  issuedAt: number;
  advice: Advice;
  /**
   * §15 the regions keys are published by (a server fills in its own list when it publishes): a phone
   * reads it in place of the list its build carries. Absent in documents of servers before regions.
   */
  regions?: RegionList;
  /**
   * Issue 31: venue warnings' thresholds per venue type and their levels' status and advice
   * (./venue-rules.ts). Absent: the phone uses DEFAULT_VENUE_RULES.
   */
  venueWarnings?: VenueRules;
  /**
   * Top-level sections this release does not know, kept as they came (a server republishing a
   * document keeps them; a phone ignores them).
   */
  other?: Record<string, unknown>;
}

/** The fields of version 2 besides the risk fields and the sections. */
const HEADER = ['version', 'serial', 'issuedAt'] as const;
/** The sections this release knows, each with its parser (later releases add theirs here). */
const SECTIONS = { advice: parseAdviceSection, regions: parseRegionsSection, venueWarnings: parseVenueRulesSection } as const;

/** What the build carries and what a server serves before its operator publishes anything: serial 1. */
export const DEFAULT_CONFIG_V2: RiskConfigV2 = {
  version: 2,
  serial: 1,
  issuedAt: 1767225600, // 2026-01-01T00:00:00Z: before any real publication
  ...stripVersion(DEFAULT_RISK_CONFIG),
  advice: DEFAULT_ADVICE,
};

function stripVersion(c: RiskConfig): RiskParams {
  const { version, ...rest } = c;
  void version;
  return rest;
}

const whole = (o: Record<string, unknown>, k: string, lo: number): number => {
  const x = o[k];
  if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > 0xffffffff)
    throw new PrtcError('invalid_config', `config.${k} must be a whole number from ${lo} to 4294967295`, `config.${k}`);
  return x;
};

/**
 * Parses a version-2 document. `draft`: a document an operator wrote, before the server gave it a
 * serial and a time (both may be missing, and are then 0).
 */
export function parseRiskConfigV2(json: string, opts: { draft?: boolean } = {}): RiskConfigV2 {
  const o = asObject(parseJson(json), 'config');
  if (o.version !== 2) throw new PrtcError('invalid_config', 'config.version must be 2', 'config.version');
  const header = (k: 'serial' | 'issuedAt', lo: number) => (opts.draft && o[k] === undefined ? 0 : whole(o, k, lo));
  const out: RiskConfigV2 = {
    version: 2,
    serial: header('serial', 1),
    issuedAt: header('issuedAt', 0),
    ...parseRiskFields(o),
    advice: SECTIONS.advice(o.advice),
  };
  if (o.regions !== undefined) out.regions = SECTIONS.regions(o.regions);
  if (o.venueWarnings !== undefined) out.venueWarnings = SECTIONS.venueWarnings(o.venueWarnings);
  const known = new Set<string>([...HEADER, ...RISK_FIELDS, ...Object.keys(SECTIONS)]);
  const other = Object.keys(o).filter((k) => !known.has(k));
  if (other.length) out.other = Object.fromEntries(other.map((k) => [k, o[k]]));
  return out;
}

/** A stored or served configuration of either version; version 1 counts as serial 0 (below every version 2). */
export type AnyRiskConfig = RiskConfig | RiskConfigV2;

export function parseAnyRiskConfig(json: string): AnyRiskConfig {
  const o = parseJson(json);
  const version = o && typeof o === 'object' ? (o as { version?: unknown }).version : undefined;
  return version === 2 ? parseRiskConfigV2(json) : parseRiskConfig(json);
}

export const serialOf = (c: AnyRiskConfig): number => (c.version === 2 ? c.serial : 0);
export const adviceOf = (c: AnyRiskConfig): Advice => (c.version === 2 ? c.advice : DEFAULT_ADVICE);
/** The verified configuration's region list, if it carries one (§15). */
/** Issue 31: the venue warning rules in force (the build's where the configuration carries none). */
export const venueRulesOf = (c: AnyRiskConfig): VenueRules => (c.version === 2 && c.venueWarnings ? c.venueWarnings : DEFAULT_VENUE_RULES);
export const regionsOf = (c: AnyRiskConfig): RegionList | null => (c.version === 2 && c.regions ? c.regions : null);

/** The JSON text of a version-2 document: header, risk fields, advice, then the sections this release does not know. */
export function configV2Json(c: RiskConfigV2): string {
  const doc: Record<string, unknown> = { version: 2, serial: c.serial, issuedAt: c.issuedAt };
  for (const k of RISK_FIELDS) doc[k] = c[k];
  doc.advice = c.advice;
  if (c.regions) doc.regions = regionsSection(c.regions);
  if (c.venueWarnings) doc.venueWarnings = c.venueWarnings;
  for (const [k, v] of Object.entries(c.other ?? {})) doc[k] = v;
  return JSON.stringify(doc);
}

/** The version-1 projection (`GET /v1/config`): the risk fields only, in version 1's order. */
export function configV1Json(c: RiskParams): string {
  const doc: Record<string, unknown> = { version: 1 };
  for (const k of RISK_FIELDS) doc[k] = c[k];
  return JSON.stringify(doc);
}
