/**
 * The encounter record of §5 as the phone stores it (docs/protocol.md §5): 32 bytes per rpi seen.
 *
 *   offset  size  field
 *        0    16  rpi
 *       16     4  aem (valid when flags bit 0 is set)
 *       20     4  eninFirst, uint32 LE
 *       24     1  span = eninLast − eninFirst (saturates at 255)
 *       25     1  flags: bit 0 aem present
 *       26     1  rssiMax, int8
 *       27     1  rssiMean, int8 (mean over the distinct minutes)
 *       28     2  minutes: distinct wall-clock minutes with a sighting, uint16 LE
 *       30     2  lastMinute: the Unix minute of the last counted sighting, mod 65536, uint16 LE
 *
 * Every reader and writer of that layout goes through this module: the encounter log, the matcher's
 * index and the tools that measure storage.
 */

export const RECORD_BYTES = 32;

const AEM = 16;
const ENIN_FIRST = 20;
const SPAN = 24;
const FLAGS = 25;
const RSSI_MAX = 26;
const RSSI_MEAN = 27;
const MINUTES = 28;
const LAST_MINUTE = 30;
const FLAG_AEM = 1;

export interface EncounterRecord {
  rpi: Uint8Array;
  aem: Uint8Array | null;
  eninFirst: number;
  eninLast: number;
  rssiMax: number;
  rssiMean: number;
  minutes: number;
}

/** One sighting as the scanner decoded it (the fields of a DecodedFrame the log keeps). */
export interface Sighting {
  rpi: Uint8Array;
  aem: Uint8Array | null;
  rssi: number;
}

const i8 = (v: number) => (v << 24) >> 24;
const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
function putU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}

/** The first four bytes of the rpi as a little-endian word (what the matcher indexes by). */
export function rpiWord(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export function eninFirstOf(b: Uint8Array, o: number): number {
  return (b[o + ENIN_FIRST] | (b[o + ENIN_FIRST + 1] << 8) | (b[o + ENIN_FIRST + 2] << 16)) + b[o + ENIN_FIRST + 3] * 0x1000000;
}

export function eninLastOf(b: Uint8Array, o: number): number {
  return eninFirstOf(b, o) + b[o + SPAN];
}

/** Whether the 16 bytes of `rpis` at `p` equal the record's rpi, given that the first word already did. */
export function sameRpiTail(b: Uint8Array, o: number, rpis: Uint8Array, p: number): boolean {
  for (let q = 4; q < 16; q++) if (b[o + q] !== rpis[p + q]) return false;
  return true;
}

export function readRecord(b: Uint8Array, o: number): EncounterRecord {
  const eninFirst = eninFirstOf(b, o);
  return {
    rpi: b.slice(o, o + 16),
    aem: b[o + FLAGS] & FLAG_AEM ? b.slice(o + AEM, o + AEM + 4) : null,
    eninFirst,
    eninLast: eninFirst + b[o + SPAN],
    rssiMax: i8(b[o + RSSI_MAX]),
    rssiMean: i8(b[o + RSSI_MEAN]),
    minutes: u16(b, o + MINUTES),
  };
}

/** Writes a new record for a first sighting at ENIN `j` in Unix minute `minute`. */
export function writeRecord(b: Uint8Array, o: number, s: Sighting, j: number, minute: number): void {
  b.fill(0, o, o + RECORD_BYTES);
  b.set(s.rpi, o);
  if (s.aem) {
    b.set(s.aem, o + AEM);
    b[o + FLAGS] = FLAG_AEM;
  }
  b[o + ENIN_FIRST] = j & 0xff;
  b[o + ENIN_FIRST + 1] = (j >>> 8) & 0xff;
  b[o + ENIN_FIRST + 2] = (j >>> 16) & 0xff;
  b[o + ENIN_FIRST + 3] = (j >>> 24) & 0xff;
  b[o + RSSI_MAX] = s.rssi & 0xff;
  b[o + RSSI_MEAN] = s.rssi & 0xff;
  putU16(b, o + MINUTES, 1);
  putU16(b, o + LAST_MINUTE, minute & 0xffff);
}

/**
 * Merges a later sighting into the record: the span grows to ENIN `j`, a missing aem is filled in,
 * rssiMax rises, and a new wall-clock minute counts once, moving the mean.
 */
export function mergeSighting(b: Uint8Array, o: number, s: Sighting, j: number, minute: number): void {
  b[o + SPAN] = Math.min(255, Math.max(b[o + SPAN], j - eninFirstOf(b, o)));
  if (s.aem && !(b[o + FLAGS] & FLAG_AEM)) {
    b.set(s.aem, o + AEM);
    b[o + FLAGS] |= FLAG_AEM;
  }
  if (s.rssi > i8(b[o + RSSI_MAX])) b[o + RSSI_MAX] = s.rssi & 0xff;
  const m = minute & 0xffff;
  if (u16(b, o + LAST_MINUTE) !== m) {
    const n = u16(b, o + MINUTES) + 1;
    b[o + RSSI_MEAN] = Math.round((i8(b[o + RSSI_MEAN]) * (n - 1) + s.rssi) / n) & 0xff;
    putU16(b, o + MINUTES, n);
    putU16(b, o + LAST_MINUTE, m);
  }
}
