/**
 * The encounter log (§5): per rpi seen, { rpi, aem|null, enin_first, enin_last, rssi max/mean,
 * minutes seen }, merged while the same rpi keeps being seen. Stored compactly — 32 bytes a
 * record, one storage entry per UTC day, base64url — so 14 days of a busy user stay far below the
 * host's 1 MB-per-key and 10 MB limits.
 *
 * Record: rpi(16) | aem(4) | eninFirst u32 LE | span u8 (eninLast − eninFirst) | flags u8 (bit0: aem
 * present) | rssiMax i8 | rssiMean i8 | minutes u16 LE | lastMinute u16 LE (Unix minute mod 65536).
 */
import { fromBase64url, toBase64url } from '../../shared/codec';
import type { DecodedFrame } from '../../shared/ble';
import { dayInterval, enin, retentionStart } from '../../shared/time';
import { DeviceStorage } from './storage';

export const RECORD_BYTES = 32;
/** Keeps one day's entry below 1 MB of base64 text. */
export const MAX_RECORDS_PER_DAY = 24000;

export interface EncounterRecord {
  rpi: Uint8Array;
  aem: Uint8Array | null;
  eninFirst: number;
  eninLast: number;
  rssiMax: number;
  rssiMean: number;
  minutes: number;
}

class DayLog {
  buf: Uint8Array;
  count = 0;
  dirty = false;
  /** rpi hex → record index, for merging. */
  index = new Map<string, number>();

  constructor(initial?: Uint8Array) {
    this.buf = new Uint8Array(Math.max(64 * RECORD_BYTES, initial?.length ?? 0));
    if (initial) {
      this.buf.set(initial);
      this.count = initial.length / RECORD_BYTES;
      for (let r = 0; r < this.count; r++) this.index.set(rpiKey(this.buf, r * RECORD_BYTES), r);
    }
  }

  append(): number {
    if ((this.count + 1) * RECORD_BYTES > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    return this.count++;
  }
}

function rpiKey(b: Uint8Array, o: number): string {
  let s = '';
  for (let k = 0; k < 16; k++) s += String.fromCharCode(b[o + k]);
  return s;
}

const i8 = (v: number) => (v << 24) >> 24;

export function readRecord(b: Uint8Array, o: number): EncounterRecord {
  const eninFirst = (b[o + 20] | (b[o + 21] << 8) | (b[o + 22] << 16)) + b[o + 23] * 0x1000000;
  return {
    rpi: b.slice(o, o + 16),
    aem: b[o + 25] & 1 ? b.slice(o + 16, o + 20) : null,
    eninFirst,
    eninLast: eninFirst + b[o + 24],
    rssiMax: i8(b[o + 26]),
    rssiMean: i8(b[o + 27]),
    minutes: b[o + 28] | (b[o + 29] << 8),
  };
}

export class EncounterLog {
  private days = new Map<number, DayLog>();
  private loaded = new Set<number>();

  constructor(private storage: DeviceStorage) {}

  private key(day: number) {
    return `enc.${day}`;
  }

  private day(day: number): DayLog {
    let d = this.days.get(day);
    if (!d) {
      let initial: Uint8Array | undefined;
      if (!this.loaded.has(day)) {
        const text = this.storage.getText(this.key(day));
        if (text !== null) {
          try {
            const bytes = fromBase64url(text);
            if (bytes.length % RECORD_BYTES === 0) initial = bytes;
            else { this.storage.corrupted.push(this.key(day)); this.storage.remove(this.key(day)); }
          } catch {
            this.storage.corrupted.push(this.key(day));
            this.storage.remove(this.key(day));
          }
        }
        this.loaded.add(day);
      }
      d = new DayLog(initial);
      this.days.set(day, d);
    }
    return d;
  }

  /** Records one sighting at Unix time `nowS`. Returns false if it was dropped (day full). */
  record(f: DecodedFrame, nowS: number): boolean {
    const j = enin(nowS);
    const minute = Math.floor(nowS / 60) & 0xffff;
    const key = rpiKey(f.rpi, 0);
    // A record lives in the day of its first sighting; an rpi seen again after midnight merges there.
    for (const day of [dayInterval(j), dayInterval(j) - 144]) {
      const d = this.days.get(day) ?? (day === dayInterval(j) ? this.day(day) : null);
      const r = d?.index.get(key);
      if (d && r !== undefined) {
        const o = r * RECORD_BYTES;
        const b = d.buf;
        const first = (b[o + 20] | (b[o + 21] << 8) | (b[o + 22] << 16)) + b[o + 23] * 0x1000000;
        b[o + 24] = Math.min(255, Math.max(b[o + 24], j - first));
        if (f.aem && !(b[o + 25] & 1)) { b.set(f.aem, o + 16); b[o + 25] |= 1; }
        if (f.rssi > i8(b[o + 26])) b[o + 26] = f.rssi & 0xff;
        const last = b[o + 30] | (b[o + 31] << 8);
        if (last !== minute) {
          const n = (b[o + 28] | (b[o + 29] << 8)) + 1;
          const mean = Math.round((i8(b[o + 27]) * (n - 1) + f.rssi) / n);
          b[o + 27] = mean & 0xff;
          b[o + 28] = n & 0xff;
          b[o + 29] = (n >> 8) & 0xff;
          b[o + 30] = minute & 0xff;
          b[o + 31] = minute >> 8;
        }
        d.dirty = true;
        return true;
      }
    }
    const d = this.day(dayInterval(j));
    if (d.count >= MAX_RECORDS_PER_DAY) return false;
    const r = d.append();
    const o = r * RECORD_BYTES;
    const b = d.buf;
    b.fill(0, o, o + RECORD_BYTES);
    b.set(f.rpi, o);
    if (f.aem) { b.set(f.aem, o + 16); b[o + 25] = 1; }
    b[o + 20] = j & 0xff; b[o + 21] = (j >>> 8) & 0xff; b[o + 22] = (j >>> 16) & 0xff; b[o + 23] = (j >>> 24) & 0xff;
    b[o + 26] = f.rssi & 0xff;
    b[o + 27] = f.rssi & 0xff;
    b[o + 28] = 1;
    b[o + 30] = minute & 0xff;
    b[o + 31] = minute >> 8;
    d.index.set(key, r);
    d.dirty = true;
    return true;
  }

  /** Writes changed days to storage. */
  flush(): void {
    for (const [day, d] of this.days) {
      if (!d.dirty) continue;
      this.storage.setText(this.key(day), toBase64url(d.buf.subarray(0, d.count * RECORD_BYTES)));
      d.dirty = false;
    }
  }

  /** The stored days (day intervals), oldest first. */
  storedDays(): number[] {
    const set = new Set<number>(this.days.keys());
    for (const k of this.storage.keys('enc.')) {
      const n = Number(k.slice(4));
      if (Number.isInteger(n)) set.add(n);
    }
    return [...set].sort((a, b) => a - b);
  }

  /** Raw records of one day (32 bytes each). */
  dayBytes(day: number): Uint8Array {
    const d = this.day(day);
    return d.buf.subarray(0, d.count * RECORD_BYTES);
  }

  records(day: number): EncounterRecord[] {
    const b = this.dayBytes(day);
    const out: EncounterRecord[] = [];
    for (let o = 0; o < b.length; o += RECORD_BYTES) out.push(readRecord(b, o));
    return out;
  }

  count(): number {
    let n = 0;
    for (const day of this.storedDays()) n += this.day(day).count;
    return n;
  }

  /** Deletes days older than the retention window. */
  retain(nowS: number): number {
    const oldest = retentionStart(enin(nowS));
    let removed = 0;
    for (const day of this.storedDays()) {
      if (day >= oldest) continue;
      this.storage.remove(this.key(day));
      this.days.delete(day);
      removed++;
    }
    return removed;
  }

  clear(): void {
    for (const day of this.storedDays()) this.storage.remove(this.key(day));
    this.days.clear();
    this.loaded.clear();
  }
}
