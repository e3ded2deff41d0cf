/**
 * The encounter log (§5): per rpi seen, { rpi, aem|null, enin_first, enin_last, rssi max/mean,
 * minutes seen }, merged while the same rpi keeps being seen. Stored compactly — the 32-byte records
 * of shared/protocol/record.ts, one storage entry per UTC day, base64url — so 14 days of a busy user
 * stay far below the host's 1 MB-per-key and 10 MB limits.
 */
import { fromBase64url, toBase64url } from '../../shared/protocol/codec';
import {
  eninFirstOf,
  eninLastOf,
  mergeSighting,
  readRecord,
  RECORD_BYTES,
  writeRecord,
  type EncounterRecord,
  type Sighting,
} from '../../shared/protocol/record';
import { dayInterval, enin, retentionStart } from '../../shared/protocol/time';
import { DeviceStorage } from './storage';

export { RECORD_BYTES, type EncounterRecord };
/** Keeps one day's entry below 1 MB of base64 text (WeChat's limit per key). */
export const MAX_RECORDS_PER_DAY = 24000;

/** Records one day may hold on a host that keeps `valueBytes` of text per key: base64 of 32-byte records plus the envelope. */
export function recordsPerDay(valueBytes: number): number {
  return Math.min(MAX_RECORDS_PER_DAY, Math.floor(((valueBytes - 64) * 3) / 4 / RECORD_BYTES));
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

export class EncounterLog {
  private days = new Map<number, DayLog>();
  private loaded = new Set<number>();

  /** The most records one day keeps: what one storage key of this host holds (Alipay: about 4,800). */
  readonly perDay: number;

  constructor(private storage: DeviceStorage) {
    this.perDay = recordsPerDay(storage.valueLimitBytes);
  }

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
            else {
              this.storage.corrupted.push(this.key(day));
              this.storage.remove(this.key(day));
            }
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
  record(f: Sighting, nowS: number): boolean {
    const j = enin(nowS);
    const minute = Math.floor(nowS / 60);
    const key = rpiKey(f.rpi, 0);
    // A record lives in the day of its first sighting; an rpi seen again after midnight merges there.
    for (const day of [dayInterval(j), dayInterval(j) - 144]) {
      const d = this.days.get(day) ?? (day === dayInterval(j) ? this.day(day) : null);
      const r = d?.index.get(key);
      if (d && r !== undefined) {
        mergeSighting(d.buf, r * RECORD_BYTES, f, j, minute);
        d.dirty = true;
        return true;
      }
    }
    const d = this.day(dayInterval(j));
    if (d.count >= this.perDay) return false;
    const r = d.append();
    writeRecord(d.buf, r * RECORD_BYTES, f, j, minute);
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

  /**
   * The most rpis heard within one ENIN between `fromEnin` and `toEnin` (inclusive): as every phone
   * changes its rpi each ENIN, the most phones nearby at once. Records only say which ENINs they span.
   */
  mostAtOnce(fromEnin: number, toEnin: number): number {
    if (toEnin < fromEnin) return 0;
    const delta = new Int32Array(toEnin - fromEnin + 2);
    for (const day of this.storedDays()) {
      if (day + 144 + 144 < fromEnin || day > toEnin) continue; // a record of day d may run into the next
      const b = this.dayBytes(day);
      for (let o = 0; o < b.length; o += RECORD_BYTES) {
        const first = eninFirstOf(b, o);
        const last = eninLastOf(b, o);
        const a = Math.max(first, fromEnin);
        const z = Math.min(last, toEnin);
        if (a > z) continue;
        delta[a - fromEnin]++;
        delta[z - fromEnin + 1]--;
      }
    }
    let most = 0;
    let now = 0;
    for (let k = 0; k < delta.length; k++) most = Math.max(most, (now += delta[k]));
    return most;
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
