/**
 * §2–§3: the three codes (tek → aemk → rpi) and the associated encrypted metadata, for both
 * profiles. A profile is data — labels and key sizes — over one implementation of HKDF, the padded
 * block, batch AES-ECB and AES-CTR.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ctr } from '@noble/ciphers/aes.js';
import { expandKey128 } from './_aes-tables';
import { encryptBlocks } from './_aes-batch.gen';
import { PrtcError } from '../errors';
import { concatBytes, uint32LE, utf8Encode } from './codec';
import { ROLLING_PERIOD } from './time';

export type ProfileName = 'prtc' | 'gaen';

export interface Profile {
  readonly name: ProfileName;
  /** Bytes of the secret created once from the CRNG. */
  readonly tekLength: number;
  /** Bytes of a diagnosis key as uploaded and published (prtc: aemk_i, gaen: tek_i). */
  readonly diagnosisKeyLength: number;
  /** HKDF info prefix for the daily key (`info || LE32(i)`); null when the tek itself is the daily key. */
  readonly dailyKeyInfo: string | null;
  /** HKDF info for rpik; null means "the first 16 bytes of the diagnosis key". */
  readonly rpikInfo: string | null;
  /** HKDF info for the metadata key; null means "bytes 16..32 of the diagnosis key". */
  readonly mkInfo: string | null;
  /** The label that starts every padded block, zero-filled to 12 bytes. */
  readonly rpiLabel: string;
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = Object.freeze({
  prtc: Object.freeze({
    name: 'prtc',
    tekLength: 32,
    diagnosisKeyLength: 32,
    dailyKeyInfo: 'PrTC',
    rpikInfo: null,
    mkInfo: null,
    rpiLabel: 'PrTC-RPI',
  }),
  gaen: Object.freeze({
    name: 'gaen',
    tekLength: 16,
    diagnosisKeyLength: 16,
    dailyKeyInfo: null,
    rpikInfo: 'EN-RPIK',
    mkInfo: 'EN-AEMK',
    rpiLabel: 'EN-RPI',
  }),
});

export function getProfile(name: string): Profile {
  if (name !== 'prtc' && name !== 'gaen') {
    throw new PrtcError('invalid_profile', `unknown profile "${name}" (expected prtc or gaen)`, 'profile');
  }
  return PROFILES[name];
}

/** A cryptographic RNG supplied by the host: returns `n` fresh random bytes. */
export type Crng = (n: number) => Uint8Array;

const EMPTY = new Uint8Array(0);

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdf(sha256, ikm, salt, info, length);
}

export function sha256Bytes(data: Uint8Array): Uint8Array {
  return sha256(data);
}

function checkLength(b: Uint8Array, n: number, what: string): void {
  if (!(b instanceof Uint8Array) || b.length !== n) {
    throw new PrtcError('invalid_key_length', `${what} must be ${n} bytes`, what);
  }
}

/** tek = CRNG(tekLength), once, at first launch (prtc) or once per rolling period (gaen). */
export function generateTek(profile: Profile, crng: Crng): Uint8Array {
  const tek = crng(profile.tekLength);
  checkLength(tek, profile.tekLength, 'tek');
  // A host whose RNG returns all zeros is broken; refuse rather than broadcast predictable codes.
  if (tek.every((b) => b === 0)) throw new PrtcError('bad_rng', 'the host RNG returned only zero bytes');
  return tek;
}

/**
 * The diagnosis key of day interval `i`: prtc `aemk_i = HKDF(tek, "", "PrTC" || LE32(i), 32)`;
 * gaen: the tek of that period itself.
 */
export function diagnosisKeyForDay(profile: Profile, tek: Uint8Array, i: number): Uint8Array {
  checkLength(tek, profile.tekLength, 'tek');
  if (profile.dailyKeyInfo === null) return tek.slice();
  if (!Number.isInteger(i) || i < 0 || i > 0xffffffff || i % ROLLING_PERIOD !== 0) {
    throw new PrtcError('invalid_interval', `day interval ${i} is not a multiple of ${ROLLING_PERIOD}`, 'i');
  }
  return hkdfSha256(tek, EMPTY, concatBytes(utf8Encode(profile.dailyKeyInfo), uint32LE(i)), profile.diagnosisKeyLength);
}

/** prtc shorthand: aemk_i from the 32-byte tek. */
export function deriveAemk(tek: Uint8Array, i: number): Uint8Array {
  return diagnosisKeyForDay(PROFILES.prtc, tek, i);
}

/**
 * The per-day working keys: rpik (for rpis) and mk (for aems). The AES key schedule of rpik is
 * expanded by each deriveRpis call into a buffer kept for that purpose (cheaper than keeping one
 * per key: allocating a small typed array costs more on V8 than expanding the key).
 */
export interface DayKeys {
  readonly profile: Profile;
  readonly rpik: Uint8Array;
  readonly mk: Uint8Array;
}

export function dayKeys(profile: Profile, diagnosisKey: Uint8Array): DayKeys {
  checkLength(diagnosisKey, profile.diagnosisKeyLength, 'key');
  const rpik = profile.rpikInfo === null ? diagnosisKey.slice(0, 16) : hkdfSha256(diagnosisKey, EMPTY, utf8Encode(profile.rpikInfo), 16);
  const mk = profile.mkInfo === null ? diagnosisKey.slice(16, 32) : hkdfSha256(diagnosisKey, EMPTY, utf8Encode(profile.mkInfo), 16);
  return { profile, rpik, mk };
}

/** The 16-byte padded block for ENIN j: label zero-filled to 12 bytes, then LE32(j). */
export function paddedData(profile: Profile, j: number): Uint8Array {
  const b = new Uint8Array(16);
  b.set(utf8Encode(profile.rpiLabel));
  b[12] = j & 0xff;
  b[13] = (j >>> 8) & 0xff;
  b[14] = (j >>> 16) & 0xff;
  b[15] = (j >>> 24) & 0xff;
  return b;
}

/** The first three little-endian words of the padded block, which do not depend on j. */
const labelWordsCache = new Map<string, Uint32Array>();
function labelWords(profile: Profile): Uint32Array {
  let w = labelWordsCache.get(profile.rpiLabel);
  if (!w) {
    const b = paddedData(profile, 0);
    w = new Uint32Array(3);
    for (let k = 0; k < 3; k++) w[k] = (b[4 * k] | (b[4 * k + 1] << 8) | (b[4 * k + 2] << 16) | (b[4 * k + 3] << 24)) >>> 0;
    labelWordsCache.set(profile.rpiLabel, w);
  }
  return w;
}

/**
 * Batch derivation, the hot path of matching: the rpis of one key for many ENINs with one key
 * schedule and one pass of AES-128 over the padded blocks. The padded block's last word is LE32(j),
 * so the blocks are fed to the cipher as words without being built in memory.
 *
 * The cipher is the unrolled core of `_aes-batch.gen.ts` (rounds 1–2 shared between ENINs, two
 * blocks in flight); @noble/ciphers does the CTR of aems, and the tests hold the core to FIPS-197,
 * the GAEN vectors, Node's crypto and @noble/ciphers' ECB.
 *
 * Returns `16 * enins.length` bytes (rpi of enins[k] at offset 16k). `out` may be passed to reuse a
 * buffer on hot paths; it must be at least that long and 4-byte aligned.
 */
export function deriveRpis(keys: DayKeys, enins: ArrayLike<number>, out?: Uint8Array): Uint8Array {
  const n = enins.length;
  const bytes = out ?? new Uint8Array(16 * n);
  if (bytes.length < 16 * n || bytes.byteOffset % 4 !== 0) {
    throw new PrtcError('invalid_buffer', 'output buffer too small or unaligned');
  }
  const words = eninWords(enins);
  const o32 = new Uint32Array(bytes.buffer, bytes.byteOffset, 4 * n);
  const label = labelWords(keys.profile);
  encryptBlocks(expandKey128(keys.rpik, SCHEDULE), label[0], label[1], label[2], words, o32);
  if (!LITTLE_ENDIAN) swapWords(o32);
  return bytes;
}

/** The key schedule of the deriveRpis call in progress (calls are synchronous and never nest). */
const SCHEDULE = new Uint32Array(44);

/** ENINs as a Uint32Array: a Uint32Array is used as it is (every value is a uint32), anything else is checked. */
function eninWords(enins: ArrayLike<number>): Uint32Array {
  if (enins instanceof Uint32Array) return enins;
  const words = new Uint32Array(enins.length);
  for (let k = 0; k < enins.length; k++) {
    const j = enins[k];
    if (!(j >= 0 && j <= 0xffffffff) || j !== Math.floor(j)) throw new PrtcError('invalid_enin', `ENIN ${j} is not a uint32`);
    words[k] = j;
  }
  return words;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function swapWords(w: Uint32Array): void {
  for (let i = 0; i < w.length; i++) {
    const x = w[i];
    w[i] = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
  }
}

/** The rpis of one whole day `i .. i+143`. */
export function deriveDayRpis(keys: DayKeys, i: number): Uint8Array {
  const enins = new Uint32Array(ROLLING_PERIOD);
  for (let k = 0; k < ROLLING_PERIOD; k++) enins[k] = i + k;
  return deriveRpis(keys, enins);
}

export function deriveRpi(keys: DayKeys, j: number): Uint8Array {
  return deriveRpis(keys, [j]);
}

/** aem = AES-128-CTR(mk, iv = rpi, metadata); CTR is its own inverse, so this also decrypts. */
export function cryptAem(keys: DayKeys, rpi: Uint8Array, data: Uint8Array): Uint8Array {
  checkLength(rpi, 16, 'rpi');
  if (data.length !== 4) throw new PrtcError('invalid_length', 'metadata and aem are 4 bytes', 'metadata');
  return ctr(keys.mk, rpi).encrypt(data);
}

export interface Metadata {
  major: number;
  minor: number;
  /** Transmit power in dBm, int8. */
  txPower: number;
}

/** Metadata byte 0: version (bits 7–6 major = 1, bits 5–4 minor = 0), byte 1: tx power int8. */
export function encodeMetadata(txPower: number): Uint8Array {
  if (!Number.isInteger(txPower) || txPower < -128 || txPower > 127) {
    throw new PrtcError('invalid_tx_power', 'transmit power must be an integer dBm in -128..127', 'txPower');
  }
  return Uint8Array.of(0x40, txPower & 0xff, 0, 0);
}

/** Decodes metadata; returns null for a major version this implementation does not understand. */
export function decodeMetadata(m: Uint8Array): Metadata | null {
  if (m.length !== 4) return null;
  const major = m[0] >> 6;
  const minor = (m[0] >> 4) & 3;
  if (major !== 1) return null;
  return { major, minor, txPower: (m[1] << 24) >> 24 };
}

/** One AES-128 block through the same key schedule and cipher core as deriveRpis (for test vectors). */
export function aes128EncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  checkLength(key, 16, 'key');
  checkLength(block, 16, 'block');
  const w = new Uint32Array(4);
  for (let k = 0; k < 4; k++) w[k] = (block[4 * k] | (block[4 * k + 1] << 8) | (block[4 * k + 2] << 16) | (block[4 * k + 3] << 24)) >>> 0;
  const o = new Uint32Array(4);
  encryptBlocks(expandKey128(key), w[0], w[1], w[2], w.subarray(3), o);
  if (!LITTLE_ENDIAN) swapWords(o);
  return new Uint8Array(o.buffer);
}
