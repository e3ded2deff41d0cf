/**
 * §9 Key distribution: the binary batch body, its hash, and verification of a chain of signed
 * heads. All integers uint32 LE.
 *
 *   "PrTCB001" | n | prevHash(32) | createdAt | dayCount | per day: i, keyCount, keys(32 each, ascending)
 *   | warningCount | per warning: locationIdHash(32), startEnin, endEnin
 *
 * §15: a region's chain uses the same body with its own magic and the region after it:
 *   "PrTCB002" | region | n | prevHash(32) | createdAt | … as above
 * The national chain (region 0) keeps "PrTCB001", so phones of the previous release read it as before.
 *
 * Issue 31: a body whose warnings carry a level, a source or a note uses a third magic, any chain:
 *   "PrTCB003" | region (0 = national) | n | … as above, but per warning:
 *   locationIdHash(32), startEnin, endEnin, source(u8), level(u8), noteLen(u16 LE), note(UTF-8 JSON)
 * A body with only visitors' warnings keeps its old magic (docs/protocol.md §9, "Levels").
 */
import { compareBytes, equalBytes, readUint32LE, utf8Decode, utf8Encode, writeUint32LE } from './codec';
import { sha256Bytes } from './crypto';
import { PrtcError } from '../errors';
import { headMessage, verify } from './signing';
import { ROLLING_PERIOD } from './time';

export const BATCH_MAGIC = utf8Encode('PrTCB001');
/** §15: the body of a region's chain carries its region after this magic. */
export const REGION_BATCH_MAGIC = utf8Encode('PrTCB002');
/** Issue 31: the body whose warnings carry source, level and note; the region follows (0 = national). */
export const LEVEL_BATCH_MAGIC = utf8Encode('PrTCB003');
export const ZERO_HASH = new Uint8Array(32);
/** Issue 31: the largest note a warning carries, in bytes of UTF-8 JSON. */
export const MAX_WARNING_NOTE = 1024;

export interface BatchDay {
  i: number;
  keys: Uint8Array[];
}
/** Issue 31: how strongly a venue warning asks visitors to act; a visitor's own upload (§7) carries none. */
export type WarningLevel = 'inform' | 'test' | 'isolate';
/** Issue 31: who published a venue warning. */
export type WarningSource = 'visitor' | 'authority' | 'owner';
export interface VenueWarning {
  locationIdHash: Uint8Array;
  startEnin: number;
  endEnin: number;
  /** Absent: a diagnosed visitor's upload (§7). */
  level?: WarningLevel;
  /** Absent: 'visitor'. */
  source?: WarningSource;
  /** An authority's phone number to call, shown with the advice. */
  tel?: string;
  /** One sentence per language from the authority (keys: en, zh_CN, zh_HK, zh_TW). */
  text?: Partial<Record<'en' | 'zh_CN' | 'zh_HK' | 'zh_TW', string>>;
}
/** Byte values of the "PrTCB003" body; 0 is "none" (a visitor's warning has no level). */
export const WARNING_SOURCES: readonly WarningSource[] = ['visitor', 'authority', 'owner'];
export const WARNING_LEVELS: readonly (WarningLevel | null)[] = [null, 'inform', 'test', 'isolate'];
export const NOTE_LANGUAGES = ['en', 'zh_CN', 'zh_HK', 'zh_TW'] as const;
/** A phone number as the note carries it: digits, spaces and dashes, an optional leading +. */
const TEL = /^\+?[0-9][0-9 -]{1,30}[0-9]$/;

/** Whether a warning needs the "PrTCB003" body: it carries a level, a source other than visitor, or a note. */
export function hasLevel(w: VenueWarning): boolean {
  return w.level !== undefined || (w.source !== undefined && w.source !== 'visitor') || w.tel !== undefined || w.text !== undefined;
}

/**
 * The note of a warning, canonical: `{"tel":…,"text":{"en":…,"zh_CN":…,"zh_HK":…,"zh_TW":…}}` with
 * absent members left out, in this order; empty (0 bytes) when there is nothing to say. Throws
 * `invalid_value` for a note the decoder would refuse.
 */
export function encodeWarningNote(w: Pick<VenueWarning, 'tel' | 'text'>): Uint8Array {
  const bad = (why: string): never => {
    throw new PrtcError('invalid_value', `a warning's note: ${why}`);
  };
  const note: { tel?: string; text?: Record<string, string> } = {};
  if (w.tel !== undefined) {
    if (typeof w.tel !== 'string' || !TEL.test(w.tel)) bad('tel is digits, spaces and dashes, 3 to 32 characters, an optional leading +');
    note.tel = w.tel;
  }
  if (w.text !== undefined) {
    if (typeof w.text !== 'object' || w.text === null) bad('text is an object of languages');
    const text: Record<string, string> = {};
    for (const k of Object.keys(w.text)) if (!(NOTE_LANGUAGES as readonly string[]).includes(k)) bad(`text has no language ${k}`);
    for (const lang of NOTE_LANGUAGES) {
      const t = w.text[lang];
      if (t === undefined) continue;
      if (typeof t !== 'string' || t.trim() === '' || t !== t.trim()) bad(`text.${lang} is a sentence without leading or trailing space`);
      text[lang] = t;
    }
    if (Object.keys(text).length === 0) bad('text names no language');
    note.text = text;
  }
  if (note.tel === undefined && note.text === undefined) return new Uint8Array(0);
  const bytes = utf8Encode(JSON.stringify(note));
  if (bytes.length > MAX_WARNING_NOTE) bad(`longer than ${MAX_WARNING_NOTE} bytes`);
  return bytes;
}

/** The note's bytes back to tel and text; throws `invalid_value` unless they are exactly the canonical encoding. */
export function decodeWarningNote(bytes: Uint8Array): Pick<VenueWarning, 'tel' | 'text'> {
  if (bytes.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(bytes, 'note'));
  } catch {
    throw new PrtcError('invalid_value', "a warning's note is not JSON");
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new PrtcError('invalid_value', "a warning's note is not an object");
  const o = parsed as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'tel' && k !== 'text') throw new PrtcError('invalid_value', `a warning's note has no member ${k}`);
  const out = { tel: o.tel, text: o.text } as Pick<VenueWarning, 'tel' | 'text'>;
  if (out.tel === undefined) delete out.tel;
  if (out.text === undefined) delete out.text;
  // one encoding per note: whatever re-encodes to other bytes (order, spaces, escapes) is refused
  if (!equalBytes(encodeWarningNote(out), bytes)) throw new PrtcError('invalid_value', "a warning's note is not in its canonical form");
  return out;
}

export interface BatchContent {
  /** §15: the chain's region; 0 or absent is the national chain ("PrTCB001"), anything else "PrTCB002". */
  region?: number;
  n: number;
  prevHash: Uint8Array;
  createdAt: number;
  days: BatchDay[];
  warnings: VenueWarning[];
}

/** Encodes a batch. Days are sorted ascending and keys ascending bytewise, whatever the input order. */
export function encodeBatch(b: BatchContent): Uint8Array {
  const days = b.days
    .filter((d) => d.keys.length > 0)
    .map((d) => ({ i: d.i, keys: d.keys.slice().sort(compareBytes) }))
    .sort((x, y) => x.i - y.i);
  for (let k = 1; k < days.length; k++) {
    if (days[k].i === days[k - 1].i) throw new PrtcError('duplicate_day', `day ${days[k].i} appears twice in a batch`);
  }
  const region = b.region ?? 0;
  if (!Number.isInteger(region) || region < 0 || region > 0xffffffff) throw new PrtcError('invalid_region', 'a region is a uint32');
  // issue 31: the third magic only when a warning needs it, so phones of earlier releases read the rest
  const levels = b.warnings.some(hasLevel);
  const notes = levels ? b.warnings.map(checkedNote) : [];
  let size = 8 + (region || levels ? 4 : 0) + 4 + 32 + 4 + 4 + 4;
  for (const d of days) size += 8 + 32 * d.keys.length;
  size += 40 * b.warnings.length;
  for (const note of notes) size += 4 + note.length;
  const out = new Uint8Array(size);
  let o = 0;
  out.set(levels ? LEVEL_BATCH_MAGIC : region ? REGION_BATCH_MAGIC : BATCH_MAGIC, o);
  o += 8;
  if (region || levels) {
    writeUint32LE(out, o, region);
    o += 4;
  }
  writeUint32LE(out, o, b.n);
  o += 4;
  if (b.prevHash.length !== 32) throw new PrtcError('invalid_hash', 'prevHash is 32 bytes');
  out.set(b.prevHash, o);
  o += 32;
  writeUint32LE(out, o, b.createdAt);
  o += 4;
  writeUint32LE(out, o, days.length);
  o += 4;
  for (const d of days) {
    writeUint32LE(out, o, d.i);
    o += 4;
    writeUint32LE(out, o, d.keys.length);
    o += 4;
    for (const key of d.keys) {
      if (key.length !== 32) throw new PrtcError('invalid_key_length', 'a diagnosis key is 32 bytes');
      out.set(key, o);
      o += 32;
    }
  }
  writeUint32LE(out, o, b.warnings.length);
  o += 4;
  for (const [k, w] of b.warnings.entries()) {
    if (w.locationIdHash.length !== 32) throw new PrtcError('invalid_hash', 'a locationIdHash is 32 bytes');
    out.set(w.locationIdHash, o);
    o += 32;
    writeUint32LE(out, o, w.startEnin);
    o += 4;
    writeUint32LE(out, o, w.endEnin);
    o += 4;
    if (levels) {
      const note = notes[k];
      out[o++] = WARNING_SOURCES.indexOf(w.source ?? 'visitor');
      out[o++] = WARNING_LEVELS.indexOf(w.level ?? null);
      out[o++] = note.length & 0xff;
      out[o++] = note.length >> 8;
      out.set(note, o);
      o += note.length;
    }
  }
  return out;
}

/**
 * A warning's note, after the checks the decoder makes: a visitor's warning has no level and no
 * note; an authority's or an owner's has a level.
 */
function checkedNote(w: VenueWarning): Uint8Array {
  const source = w.source ?? 'visitor';
  if (!WARNING_SOURCES.includes(source)) throw new PrtcError('invalid_value', `a warning's source is one of ${WARNING_SOURCES.join(', ')}`);
  if (w.level !== undefined && !WARNING_LEVELS.includes(w.level))
    throw new PrtcError('invalid_value', "a warning's level is inform, test or isolate");
  if (source === 'visitor' && (w.level !== undefined || w.tel !== undefined || w.text !== undefined))
    throw new PrtcError('invalid_value', "a visitor's warning carries no level and no note");
  if (source !== 'visitor' && w.level === undefined) throw new PrtcError('invalid_value', `a warning from the ${source} carries a level`);
  return encodeWarningNote(w);
}

/** A decoded body whose keys are views into the body (no copies). */
export interface DecodedBatch extends BatchContent {
  region: number;
  keyCount: number;
}

/** Strict decoding: magic, exact length, ascending days and keys, day-aligned i. */
export function decodeBatch(body: Uint8Array): DecodedBatch {
  const bad = (why: string): never => {
    throw new PrtcError('invalid_batch', `batch body is malformed: ${why}`);
  };
  const levels = body.length >= 8 && equalBytes(body.subarray(0, 8), LEVEL_BATCH_MAGIC);
  const regional = body.length >= 8 && equalBytes(body.subarray(0, 8), REGION_BATCH_MAGIC);
  if (body.length < (regional || levels ? 60 : 56) || !(levels || regional || equalBytes(body.subarray(0, 8), BATCH_MAGIC)))
    bad('wrong magic or too short');
  let o = 8;
  const u32 = () => {
    if (o + 4 > body.length) bad('truncated');
    const v = readUint32LE(body, o);
    o += 4;
    return v;
  };
  const bytes = (n: number) => {
    if (o + n > body.length) bad('truncated');
    const v = body.subarray(o, o + n);
    o += n;
    return v;
  };
  const region = regional || levels ? u32() : 0;
  if (regional && region === 0) bad('a regional body names region 0');
  const n = u32();
  const prevHash = bytes(32);
  const createdAt = u32();
  const dayCount = u32();
  if (dayCount > 10000) bad('too many days');
  const days: BatchDay[] = [];
  let keyCount = 0;
  for (let d = 0; d < dayCount; d++) {
    const i = u32();
    if (i % ROLLING_PERIOD !== 0) bad('day interval not aligned');
    if (days.length && i <= days[days.length - 1].i) bad('days not ascending');
    const kc = u32();
    if (kc * 32 > body.length - o) bad('truncated');
    const keys: Uint8Array[] = [];
    for (let k = 0; k < kc; k++) {
      const key = bytes(32);
      if (keys.length && compareBytes(keys[keys.length - 1], key) >= 0) bad('keys not ascending');
      keys.push(key);
    }
    keyCount += kc;
    days.push({ i, keys });
  }
  const wc = u32();
  if (wc * 40 > body.length - o) bad('truncated');
  const warnings: VenueWarning[] = [];
  for (let k = 0; k < wc; k++) {
    const locationIdHash = bytes(32);
    const startEnin = u32();
    const endEnin = u32();
    if (endEnin <= startEnin) bad('warning interval empty');
    if (!levels) {
      warnings.push({ locationIdHash, startEnin, endEnin });
      continue;
    }
    const [s, l, lo, hi] = bytes(4);
    const source = WARNING_SOURCES[s];
    const level = WARNING_LEVELS[l];
    const noteLen = lo | (hi << 8);
    if (source === undefined) bad(`unknown warning source ${s}`);
    if (level === undefined) bad(`unknown warning level ${l}`);
    if (noteLen > MAX_WARNING_NOTE) bad('a warning note is too long');
    if ((source === 'visitor') !== (level === null)) bad('a visitor has no level, an authority or owner has one');
    if (source === 'visitor' && noteLen > 0) bad("a visitor's warning has a note");
    const noteBytes = bytes(noteLen);
    const note = ((): Pick<VenueWarning, 'tel' | 'text'> => {
      try {
        return decodeWarningNote(noteBytes);
      } catch (e) {
        return bad(e instanceof PrtcError ? e.message : 'unreadable note');
      }
    })();
    const w: VenueWarning = { locationIdHash, startEnin, endEnin };
    if (source !== 'visitor') w.source = source;
    if (level) w.level = level;
    warnings.push({ ...w, ...note });
  }
  if (o !== body.length) bad('trailing bytes');
  // one encoding per content: the encoder writes "PrTCB003" only for a warning that needs it
  if (levels && !warnings.some(hasLevel)) bad('"PrTCB003" without a warning from an authority or owner');
  return { region, n, prevHash, createdAt, days, warnings, keyCount };
}

export function batchHash(body: Uint8Array): Uint8Array {
  return sha256Bytes(body);
}

export interface Checkpoint {
  n: number;
  hash: Uint8Array;
  signedAt: number;
  signature: Uint8Array;
}

/** Whether a head's signature verifies, for the national chain (§9) or a region's (§15). */
export function verifyHead(c: Checkpoint, publicKey: Uint8Array, region = 0): boolean {
  return verify(c.signature, headMessage(c.n, c.hash, c.signedAt, region), publicKey);
}

/**
 * Verifies one downloaded body against its signed head and the previously verified checkpoint:
 * signature, hash, number, and the prevHash link. Throws PrtcError with a precise reason; on success
 * returns the decoded batch.
 */
export function verifyBatch(
  body: Uint8Array,
  head: Checkpoint,
  previous: Checkpoint | null,
  publicKey: Uint8Array,
  region = 0,
): DecodedBatch {
  if (!verifyHead(head, publicKey, region)) throw new PrtcError('bad_signature', `batch ${head.n}: the signature does not verify`);
  return verifyBody(body, head, previous, region);
}

/**
 * The body's half of verifyBatch, for a head whose signature was already verified (a phone checks
 * each head of the list before it downloads the body): the body hashes to the signed hash, says the
 * head's number and the chain's region (§15: 0 for the national chain), and links to `previous` (or,
 * as batch 1, to the zero hash).
 */
export function verifyBody(body: Uint8Array, head: Checkpoint, previous: Checkpoint | null, region = 0): DecodedBatch {
  if (!equalBytes(batchHash(body), head.hash)) throw new PrtcError('bad_hash', `batch ${head.n}: the body does not match its signed hash`);
  const b = decodeBatch(body);
  if (b.n !== head.n) throw new PrtcError('bad_number', `batch ${head.n}: the body says it is batch ${b.n}`);
  if (b.region !== region) throw new PrtcError('bad_region', `batch ${head.n}: the body belongs to chain ${b.region}, not ${region}`);
  if (previous) {
    if (head.n !== previous.n + 1) throw new PrtcError('bad_chain', `batch ${head.n} does not follow batch ${previous.n}`);
    if (!equalBytes(b.prevHash, previous.hash)) throw new PrtcError('bad_chain', `batch ${head.n} does not link to batch ${previous.n}`);
  } else if (head.n === 1 && !equalBytes(b.prevHash, ZERO_HASH)) {
    throw new PrtcError('bad_chain', 'batch 1 must link to the zero hash');
  }
  return b;
}
