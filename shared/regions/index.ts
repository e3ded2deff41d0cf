/**
 * §15 Regions: the prefecture-level divisions keys are published by, each with its own chain. The
 * list ships in every build (generated from a maintained data package: ./_list.gen.ts) and in the
 * signed configuration, version 2, as its `regions` section (§6, §15), which a phone reads in place
 * of the built list once it verified it — so an operator can change the list without a release.
 *
 * Two pseudo-regions sit beside the real ones, never in the list and never chosen by a user:
 * NATIONAL_REGION (0), the chain of §9 that phones of the previous release read, and
 * UNKNOWN_REGION (1), the keys of uploads that name no region, which every phone follows.
 */
import { PrtcError } from '../errors';
import { PROVINCE_ROWS, REGION_ROWS } from './_list.gen';

export interface Region {
  /** The six-digit GB/T 2260 code, e.g. 310000 (上海市), 320500 (苏州市). */
  code: number;
  /** The name in Chinese, as the data package has it. */
  zh: string;
  /** An English name, when the list has one (the built list does not: its source has none). */
  en?: string;
}

export type RegionList = readonly Region[];

/** The national chain of §9: every key, for phones of the previous release (§15, "Transition"). */
export const NATIONAL_REGION = 0;
/** Keys of uploads that name no region (the previous release's, or a phone without a home region). */
export const UNKNOWN_REGION = 1;
/** An upload names at most this many regions (§10). */
export const MAX_UPLOAD_REGIONS = 8;

export const BUILD_REGIONS: RegionList = Object.freeze(REGION_ROWS.map(([code, zh]) => Object.freeze({ code, zh })));
export const PROVINCES: RegionList = Object.freeze(PROVINCE_ROWS.map(([code, zh]) => Object.freeze({ code, zh })));

/** A code of the shape §15 allows for a region: six digits, prefecture level (it ends in 00). */
export function isRegionCode(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 110000 && n <= 999900 && n % 100 === 0;
}

/** A chain's number: a region's code, or one of the two pseudo-regions. */
export function isChainCode(n: unknown): n is number {
  return n === NATIONAL_REGION || n === UNKNOWN_REGION || isRegionCode(n);
}

/** The province a region belongs to (a municipality is its own province). */
export function provinceOf(code: number): number {
  return Math.floor(code / 10000) * 10000;
}

export function findRegion(list: RegionList, code: number): Region | null {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].code === code) return list[mid];
    if (list[mid].code < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

/** The regions of one province, in code order. */
export function regionsOfProvince(list: RegionList, province: number): Region[] {
  return list.filter((r) => provinceOf(r.code) === province);
}

/** The `regions` section of the signed configuration, version 2 (§15): the list as JSON values. */
export function regionsSection(list: RegionList): { code: number; zh: string; en?: string }[] {
  return list.map((r) => (r.en === undefined ? { code: r.code, zh: r.zh } : { code: r.code, zh: r.zh, en: r.en }));
}

const MAX_REGIONS = 2000;
const MAX_NAME_CHARS = 200;

/**
 * Checks the `regions` section of a signed configuration, version 2 (§15), after its signature
 * verified: an array of 1–2000 `{ code, zh, en? }`, codes of the §15 shape in strictly ascending
 * order, names non-empty strings of at most 200 characters, no other field. Throws `invalid_config`
 * naming the field; returns the list.
 */
export function parseRegionsSection(value: unknown): Region[] {
  const bad = (field: string, why: string): never => {
    throw new PrtcError('invalid_config', `config.${field} ${why}`, `config.${field}`);
  };
  if (!Array.isArray(value)) return bad('regions', 'must be an array');
  if (value.length === 0 || value.length > MAX_REGIONS) bad('regions', `must list 1 to ${MAX_REGIONS} regions`);
  const out: Region[] = [];
  value.forEach((raw, k) => {
    const at = `regions[${k}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) bad(at, 'must be an object');
    const o = raw as Record<string, unknown>;
    for (const key of Object.keys(o)) if (key !== 'code' && key !== 'zh' && key !== 'en') bad(`${at}.${key}`, 'is not a known field');
    if (!isRegionCode(o.code)) bad(`${at}.code`, 'must be a six-digit prefecture-level code (ending in 00)');
    const code = o.code as number;
    if (out.length && code <= out[out.length - 1].code) bad(`${at}.code`, 'must be greater than the code before it');
    const name = (key: 'zh' | 'en'): string | undefined => {
      const v = o[key];
      if (v === undefined && key === 'en') return undefined;
      if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_NAME_CHARS)
        return bad(`${at}.${key}`, `must be a name of 1 to ${MAX_NAME_CHARS} characters`);
      return v;
    };
    const zh = name('zh')!;
    const en = name('en');
    out.push(en === undefined ? { code, zh } : { code, zh, en });
  });
  return out;
}
