/**
 * §10 the upload of a diagnosed user: limits and the validation of the request body, shared by the
 * Koa server, the cloud functions and the mini-program (which validates before it sends).
 */
import { fromBase64url } from '../protocol/codec';
import { PrtcError } from '../errors';
import { dayInterval, isDayAligned, retentionStart, ROLLING_PERIOD } from '../protocol/time';
import { normalizeCode } from './code';
import { asObject, onlyFields, stringField, uint32Field } from './json';
import { BUILD_REGIONS, findRegion, MAX_UPLOAD_REGIONS, type RegionList } from '../regions';

export const MAX_KEYS_PER_UPLOAD = 15;
export const MAX_CHECKINS_PER_DAY = 20;
/**
 * Every upload the phone sends, real or fake, is padded to exactly this many characters of JSON, so
 * that its size says nothing (a full upload — 15 keys and 300 check-ins — is about 30,000).
 */
export const UPLOAD_BODY_CHARS = 32768;
export const MAX_PADDING_CHARS = UPLOAD_BODY_CHARS;
/** Request body limit: a full upload (15 keys + 20 check-ins × 15 days, base64url) is ~33 KB. */
export const MAX_BODY_BYTES = 64 * 1024;
/** uploadId: 16 random bytes a client sends again with a retry of the same upload. */
export const UPLOAD_ID_BYTES = 16;

export interface ValidKey {
  aemk: Uint8Array;
  i: number;
}
export interface ValidCheckin {
  locationIdHash: Uint8Array;
  startEnin: number;
  endEnin: number;
}
export interface ValidUpload {
  code: string;
  keys: ValidKey[];
  checkins: ValidCheckin[];
  /** The client's id of this upload (16 random bytes): sent again with a retry of the same upload. */
  uploadId: Uint8Array | null;
  /** §15: the regions the user was in during the 14 days (distinct, known, at most 8); empty when none were named. */
  regions: number[];
}

/**
 * §15: the upload's `regions` — an array of at most 8 distinct codes of `known`. Throws
 * `too_many_regions`, or `invalid_region` / `invalid_type` naming `regions[k]`.
 */
export function validateRegions(value: unknown, known: RegionList = BUILD_REGIONS): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new PrtcError('invalid_type', 'regions must be an array of region codes', 'regions');
  if (value.length > MAX_UPLOAD_REGIONS)
    throw new PrtcError('too_many_regions', `at most ${MAX_UPLOAD_REGIONS} regions per upload`, 'regions');
  const out: number[] = [];
  value.forEach((r, k) => {
    const path = `regions[${k}]`;
    if (typeof r !== 'number' || !Number.isInteger(r))
      throw new PrtcError('invalid_type', `${path} must be a region code (a whole number)`, path);
    if (!findRegion(known, r)) throw new PrtcError('invalid_region', `${path}: ${r} is not a region this server knows`, path);
    if (out.includes(r)) throw new PrtcError('invalid_region', `${path}: ${r} is named twice`, path);
    out.push(r);
  });
  return out;
}

/**
 * Validates an upload body per §10 at time `nowEnin`. Keys: 1..15, 32-byte aemk, `i` day-aligned,
 * distinct, within retention, not in the future. Check-ins: half-open [startEnin, endEnin) within
 * one UTC day, within retention, not in the future, at most 20 per day.
 */
export function validateUpload(body: unknown, nowEnin: number, knownRegions: RegionList = BUILD_REGIONS): ValidUpload {
  const o = asObject(body, '');
  onlyFields(o, ['code', 'keys', 'checkins', 'padding', 'uploadId', 'regions'], '');
  const code = normalizeCode(stringField(o, 'code', 'code'));
  const uploadId = o.uploadId === undefined ? null : fromBase64url(stringField(o, 'uploadId', 'uploadId'), UPLOAD_ID_BYTES, 'uploadId');
  if (o.padding !== undefined && (typeof o.padding !== 'string' || o.padding.length > MAX_PADDING_CHARS)) {
    throw new PrtcError('invalid_type', `padding must be a string of at most ${MAX_PADDING_CHARS} characters`, 'padding');
  }
  if (!Array.isArray(o.keys)) throw new PrtcError(o.keys === undefined ? 'missing_field' : 'invalid_type', 'keys must be an array', 'keys');
  if (o.keys.length === 0) throw new PrtcError('no_keys', 'at least one key is needed', 'keys');
  if (o.keys.length > MAX_KEYS_PER_UPLOAD) throw new PrtcError('too_many_keys', `at most ${MAX_KEYS_PER_UPLOAD} keys per upload`, 'keys');
  const oldest = retentionStart(nowEnin);
  const today = dayInterval(nowEnin);
  const seen = new Set<number>();
  const keys = o.keys.map((raw, k): ValidKey => {
    const path = `keys[${k}]`;
    const ko = asObject(raw, path);
    onlyFields(ko, ['aemk', 'i', 'period'], `${path}.`);
    const aemk = fromBase64url(stringField(ko, 'aemk', `${path}.aemk`), undefined, `${path}.aemk`);
    if (aemk.length !== 32) throw new PrtcError('invalid_key_length', `${path}.aemk must be 32 bytes, got ${aemk.length}`, `${path}.aemk`);
    const i = uint32Field(ko, 'i', `${path}.i`);
    if (ko.period !== undefined && ko.period !== ROLLING_PERIOD)
      throw new PrtcError('invalid_value', `${path}.period must be 144`, `${path}.period`);
    if (!isDayAligned(i))
      throw new PrtcError('invalid_interval', `${path}.i must be a multiple of 144 (the start of a UTC day)`, `${path}.i`);
    if (i < oldest) throw new PrtcError('key_too_old', `${path}.i is older than the 14-day retention window`, `${path}.i`);
    if (i > today) throw new PrtcError('key_in_future', `${path}.i is in the future`, `${path}.i`);
    if (seen.has(i)) throw new PrtcError('duplicate_day', `${path}.i repeats a day already in this upload`, `${path}.i`);
    seen.add(i);
    return { aemk, i };
  });
  const checkins: ValidCheckin[] = [];
  if (o.checkins !== undefined) {
    if (!Array.isArray(o.checkins)) throw new PrtcError('invalid_type', 'checkins must be an array', 'checkins');
    const perDay = new Map<number, number>();
    o.checkins.forEach((raw, k) => {
      const path = `checkins[${k}]`;
      const co = asObject(raw, path);
      onlyFields(co, ['locationIdHash', 'startEnin', 'endEnin'], `${path}.`);
      const locationIdHash = fromBase64url(stringField(co, 'locationIdHash', `${path}.locationIdHash`), 32, `${path}.locationIdHash`);
      const startEnin = uint32Field(co, 'startEnin', `${path}.startEnin`);
      const endEnin = uint32Field(co, 'endEnin', `${path}.endEnin`);
      const day = dayInterval(startEnin);
      if (endEnin <= startEnin || endEnin > day + ROLLING_PERIOD) {
        throw new PrtcError('invalid_checkin', `${path} must end after it starts and within the same UTC day`, path);
      }
      if (day < oldest) throw new PrtcError('invalid_checkin', `${path} is older than the 14-day retention window`, path);
      if (startEnin > nowEnin) throw new PrtcError('invalid_checkin', `${path} starts in the future`, path);
      const n = (perDay.get(day) ?? 0) + 1;
      if (n > MAX_CHECKINS_PER_DAY)
        throw new PrtcError('too_many_checkins', `at most ${MAX_CHECKINS_PER_DAY} check-ins per day`, 'checkins');
      perDay.set(day, n);
      checkins.push({ locationIdHash, startEnin, endEnin });
    });
  }
  const regions = validateRegions(o.regions, knownRegions);
  return { code, keys, checkins, uploadId, regions };
}

/**
 * The request with `padding` so that its JSON is exactly UPLOAD_BODY_CHARS characters (bodies are
 * ASCII: characters are bytes); a body already longer is left as it is.
 */
export function padUpload<T extends { padding?: string }>(request: T): T {
  const bare = { ...request };
  delete bare.padding;
  const room = UPLOAD_BODY_CHARS - JSON.stringify({ ...bare, padding: '' }).length;
  return room > 0 ? { ...bare, padding: 'A'.repeat(room) } : bare;
}
