/**
 * §10 HTTP API v1: request and response types, and the validation of request bodies shared by the
 * Koa server, the cloud functions and the mini-program (which validates before it sends).
 */
import { fromBase64url, isUint32 } from './codec';
import { PrtcError } from './errors';
import { dayInterval, isDayAligned, retentionStart, ROLLING_PERIOD } from './time';

export const MAX_KEYS_PER_UPLOAD = 15;
export const MAX_CHECKINS_PER_DAY = 20;
export const MAX_PADDING_CHARS = 16384;
/** Request body limit: a full upload (15 keys + 20 check-ins × 15 days, base64url) is ~33 KB. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiErrorBody { error: { code: string; message: string; field?: string } }

export interface DiagnosisKeyJson { aemk: string; i: number; period?: number }
export interface CheckinJson { locationIdHash: string; startEnin: number; endEnin: number }
export interface UploadRequest { code: string; keys: DiagnosisKeyJson[]; checkins?: CheckinJson[]; padding?: string }
export interface UploadResponse { accepted: number }
export interface IssueCodeResponse { code: string; expiresAt: number }
export interface PublicKeyResponse { alg: 'Ed25519'; key: string }
export interface SignedConfigResponse { configJson: string; signature: string }
export interface StatsResponse { days: { i: number; date: string; keys: number }[] }

/** HTTP status for every stable error code. */
export const ERROR_STATUS: Record<string, number> = {
  malformed_json: 400, invalid_type: 400, unknown_field: 400, missing_field: 400, invalid_value: 400,
  invalid_base64url: 400, invalid_length: 400, invalid_key_length: 400, invalid_interval: 400,
  no_keys: 400, too_many_keys: 400, duplicate_day: 400, key_too_old: 400, key_in_future: 400,
  too_many_checkins: 400, invalid_checkin: 400, invalid_code_format: 400, invalid_query: 400,
  missing_token: 401, invalid_token: 401,
  code_unknown: 403, code_expired: 403, code_used: 403,
  not_found: 404, method_not_allowed: 405, payload_too_large: 413, unsupported_media_type: 415,
  rate_limited: 429, internal_error: 500, database_unavailable: 503,
};

export function statusOf(code: string): number {
  return ERROR_STATUS[code] ?? 400;
}

export function errorBody(e: PrtcError): ApiErrorBody {
  return { error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } };
}

// ---- upload codes: 10 Crockford base32 characters, shown as XXXXX-XXXXX -------------------------

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function formatCode(raw10: string): string {
  return `${raw10.slice(0, 5)}-${raw10.slice(5)}`;
}

/** Code from 50 random bits: the low 2 bits of bytes[0] and bytes[1..6]. */
export function codeFromRandom(bytes: Uint8Array): string {
  if (bytes.length < 7) throw new PrtcError('invalid_length', 'need 7 random bytes');
  let acc = bytes[0] & 0x03;
  for (let k = 1; k < 7; k++) acc = acc * 256 + bytes[k];
  let s = '';
  for (let k = 0; k < 10; k++) {
    s = CROCKFORD[acc % 32] + s;
    acc = Math.floor(acc / 32);
  }
  return formatCode(s);
}

/**
 * Normalises what a person typed: case-insensitive, hyphens and spaces ignored, and Crockford's
 * look-alikes (O→0, I/L→1). Throws invalid_code_format for anything that is not 10 symbols.
 */
export function normalizeCode(input: unknown): string {
  if (typeof input !== 'string' || input.length > 40) {
    throw new PrtcError('invalid_code_format', 'the code must be 10 characters like ABCDE-12345', 'code');
  }
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(s)) {
    throw new PrtcError('invalid_code_format', 'the code must be 10 characters like ABCDE-12345', 'code');
  }
  return formatCode(s);
}

// ---- generic JSON shape checks ------------------------------------------------------------------

export function asObject(v: unknown, field: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new PrtcError('invalid_type', `${field || 'the body'} must be a JSON object`, field || undefined);
  return v as Record<string, unknown>;
}

export function onlyFields(o: Record<string, unknown>, allowed: string[], prefix: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new PrtcError('unknown_field', `unknown field "${prefix}${k}"`, `${prefix}${k}`);
  }
}

function uint32Field(o: Record<string, unknown>, k: string, path: string): number {
  const v = o[k];
  if (v === undefined) throw new PrtcError('missing_field', `${path} is required`, path);
  if (!isUint32(v)) throw new PrtcError('invalid_type', `${path} must be a whole number from 0 to 4294967295`, path);
  return v;
}

function stringField(o: Record<string, unknown>, k: string, path: string): string {
  const v = o[k];
  if (v === undefined) throw new PrtcError('missing_field', `${path} is required`, path);
  if (typeof v !== 'string') throw new PrtcError('invalid_type', `${path} must be a string`, path);
  return v;
}

// ---- the upload ------------------------------------------------------------------------------

export interface ValidKey { aemk: Uint8Array; i: number }
export interface ValidCheckin { locationIdHash: Uint8Array; startEnin: number; endEnin: number }
export interface ValidUpload { code: string; keys: ValidKey[]; checkins: ValidCheckin[] }

/**
 * Validates an upload body per §10 at time `nowEnin`. Keys: 1..15, 32-byte aemk, `i` day-aligned,
 * distinct, within retention, not in the future. Check-ins: half-open [startEnin, endEnin) within
 * one UTC day, within retention, not in the future, at most 20 per day.
 */
export function validateUpload(body: unknown, nowEnin: number): ValidUpload {
  const o = asObject(body, '');
  onlyFields(o, ['code', 'keys', 'checkins', 'padding'], '');
  const code = normalizeCode(stringField(o, 'code', 'code'));
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
    if (ko.period !== undefined && ko.period !== ROLLING_PERIOD) throw new PrtcError('invalid_value', `${path}.period must be 144`, `${path}.period`);
    if (!isDayAligned(i)) throw new PrtcError('invalid_interval', `${path}.i must be a multiple of 144 (the start of a UTC day)`, `${path}.i`);
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
      if (n > MAX_CHECKINS_PER_DAY) throw new PrtcError('too_many_checkins', `at most ${MAX_CHECKINS_PER_DAY} check-ins per day`, 'checkins');
      perDay.set(day, n);
      checkins.push({ locationIdHash, startEnin, endEnin });
    });
  }
  return { code, keys, checkins };
}
