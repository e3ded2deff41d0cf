/**
 * §9 Key distribution: the binary batch body, its hash, and verification of a chain of signed
 * heads. All integers uint32 LE.
 *
 *   "PrTCB001" | n | prevHash(32) | createdAt | dayCount | per day: i, keyCount, keys(32 each, ascending)
 *   | warningCount | per warning: locationIdHash(32), startEnin, endEnin
 */
import { compareBytes, equalBytes, readUint32LE, utf8Encode, writeUint32LE } from './codec';
import { sha256Bytes } from './crypto';
import { PrtcError } from '../errors';
import { headMessage, verify } from './signing';
import { ROLLING_PERIOD } from './time';

export const BATCH_MAGIC = utf8Encode('PrTCB001');
export const ZERO_HASH = new Uint8Array(32);

export interface BatchDay {
  i: number;
  keys: Uint8Array[];
}
export interface VenueWarning {
  locationIdHash: Uint8Array;
  startEnin: number;
  endEnin: number;
}
export interface BatchContent {
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
  let size = 8 + 4 + 32 + 4 + 4 + 4;
  for (const d of days) size += 8 + 32 * d.keys.length;
  size += 40 * b.warnings.length;
  const out = new Uint8Array(size);
  let o = 0;
  out.set(BATCH_MAGIC, o);
  o += 8;
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
  for (const w of b.warnings) {
    if (w.locationIdHash.length !== 32) throw new PrtcError('invalid_hash', 'a locationIdHash is 32 bytes');
    out.set(w.locationIdHash, o);
    o += 32;
    writeUint32LE(out, o, w.startEnin);
    o += 4;
    writeUint32LE(out, o, w.endEnin);
    o += 4;
  }
  return out;
}

/** A decoded body whose keys are views into the body (no copies). */
export interface DecodedBatch extends BatchContent {
  keyCount: number;
}

/** Strict decoding: magic, exact length, ascending days and keys, day-aligned i. */
export function decodeBatch(body: Uint8Array): DecodedBatch {
  const bad = (why: string): never => {
    throw new PrtcError('invalid_batch', `batch body is malformed: ${why}`);
  };
  if (body.length < 56 || !equalBytes(body.subarray(0, 8), BATCH_MAGIC)) bad('wrong magic or too short');
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
    warnings.push({ locationIdHash, startEnin, endEnin });
  }
  if (o !== body.length) bad('trailing bytes');
  return { n, prevHash, createdAt, days, warnings, keyCount };
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

export function verifyHead(c: Checkpoint, publicKey: Uint8Array): boolean {
  return verify(c.signature, headMessage(c.n, c.hash, c.signedAt), publicKey);
}

/**
 * Verifies one downloaded body against its signed head and the previously verified checkpoint:
 * signature, hash, number, and the prevHash link. Throws PrtcError with a precise reason; on success
 * returns the decoded batch.
 */
export function verifyBatch(body: Uint8Array, head: Checkpoint, previous: Checkpoint | null, publicKey: Uint8Array): DecodedBatch {
  if (!verifyHead(head, publicKey)) throw new PrtcError('bad_signature', `batch ${head.n}: the signature does not verify`);
  return verifyBody(body, head, previous);
}

/**
 * The body's half of verifyBatch, for a head whose signature was already verified (a phone checks
 * each head of the list before it downloads the body): the body hashes to the signed hash, says the
 * head's number, and links to `previous` (or, as batch 1, to the zero hash).
 */
export function verifyBody(body: Uint8Array, head: Checkpoint, previous: Checkpoint | null): DecodedBatch {
  if (!equalBytes(batchHash(body), head.hash)) throw new PrtcError('bad_hash', `batch ${head.n}: the body does not match its signed hash`);
  const b = decodeBatch(body);
  if (b.n !== head.n) throw new PrtcError('bad_number', `batch ${head.n}: the body says it is batch ${b.n}`);
  if (previous) {
    if (head.n !== previous.n + 1) throw new PrtcError('bad_chain', `batch ${head.n} does not follow batch ${previous.n}`);
    if (!equalBytes(b.prevHash, previous.hash)) throw new PrtcError('bad_chain', `batch ${head.n} does not link to batch ${previous.n}`);
  } else if (head.n === 1 && !equalBytes(b.prevHash, ZERO_HASH)) {
    throw new PrtcError('bad_chain', 'batch 1 must link to the zero hash');
  }
  return b;
}
