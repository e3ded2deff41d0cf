/**
 * Matching (§5), the phone's hot path: for each published key, derive its rpis only at the ENINs
 * where this phone recorded something that day (one batch call per key), and look each up in an
 * index of recorded rpis keyed by their first 32-bit word. Works batch by batch, so memory stays
 * bounded however many keys are published.
 */
import { cryptAem, dayKeys, decodeMetadata, PROFILES } from '../../shared/protocol/crypto';
import type { DecodedBatch } from '../../shared/protocol/batch';
import { toHex } from '../../shared/protocol/codec';
import { ROLLING_PERIOD } from '../../shared/protocol/time';
import type { BluetoothExposure } from '../../shared/risk/status';
import { eninFirstOf, eninLastOf, readRecord, RECORD_BYTES, rpiWord, sameRpiTail } from '../../shared/protocol/record';
import { jsEngine, type RpiEngine } from './engines';

/**
 * What matching reads of the encounter log (services/encounters.ts): its stored days (day
 * intervals), each as that day's encounter records (shared/protocol/record.ts, 32 bytes each) back
 * to back.
 */
export interface RecordedDays {
  storedDays(): number[];
  dayBytes(day: number): Uint8Array;
}

/** Clock-skew tolerance (§5): a record matches rpi_{i,j} when it was seen within ±12 ENINs of j. */
export const SKEW_ENINS = 12;

export interface MatchStats {
  keys: number;
  rpisDerived: number;
  daysSkipped: number;
  hits: number;
}

export class MatchIndex {
  /** First LE word of each recorded rpi → record ids. */
  private byWord = new Map<number, number | number[]>();
  /**
   * One bit per value of a word's low 20 bits (128 KB): almost every derived rpi is not in the log,
   * and this answers "not here" with one array read instead of a Map lookup.
   */
  private filter = new Int32Array(1 << 15);
  private bufs: Uint8Array[] = [];
  private offs: number[] = [];
  /** Distinct ENINs within ±SKEW_ENINS of a record, ascending: where rpis are worth deriving. */
  private enins: Uint32Array;

  /** The index of every stored day of the log. */
  static of(log: RecordedDays): MatchIndex {
    return new MatchIndex(log.storedDays().map((day) => log.dayBytes(day)));
  }

  /** `days`: the log's days as stored, 32-byte records back to back (what a worker receives). */
  constructor(days: Uint8Array[]) {
    const set = new Set<number>();
    for (const b of days) {
      for (let o = 0; o < b.length; o += RECORD_BYTES) {
        const id = this.bufs.length;
        this.bufs.push(b);
        this.offs.push(o);
        const w = rpiWord(b, o);
        this.filter[(w & 0xfffff) >>> 5] |= 1 << (w & 31);
        const prev = this.byWord.get(w);
        if (prev === undefined) this.byWord.set(w, id);
        else if (typeof prev === 'number') this.byWord.set(w, [prev, id]);
        else prev.push(id);
        // §5: the sender's clock may be up to ±12 ENINs off ours, so rpi_{i,j} is derived for every j
        // within 12 of an ENIN at which this record was seen
        for (let j = Math.max(0, eninFirstOf(b, o) - SKEW_ENINS); j <= eninLastOf(b, o) + SKEW_ENINS; j++) set.add(j);
      }
    }
    this.enins = Uint32Array.from([...set].sort((a, b) => a - b));
  }

  get size(): number {
    return this.bufs.length;
  }

  /** The bitset of recorded rpis' first words (low 20 bits), for engines that filter as they derive. */
  get filterBits(): Int32Array {
    return this.filter;
  }

  /** Recorded ENINs within [from, to). */
  eninsIn(from: number, to: number): Uint32Array {
    const e = this.enins;
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (e[m] < from) lo = m + 1;
      else hi = m;
    }
    let end = lo;
    while (end < e.length && e[end] < to) end++;
    return e.subarray(lo, end);
  }

  /**
   * Record ids whose rpi equals `bytes[at .. at+16)` (its first LE word is `word`) and which were
   * seen within ±SKEW of `j`.
   */
  lookupAt(bytes: Uint8Array, at: number, word: number, j: number, out: number[]): void {
    if (((this.filter[(word & 0xfffff) >>> 5] >>> (word & 31)) & 1) === 0) return;
    const hit = this.byWord.get(word);
    if (hit === undefined) return;
    const ids = typeof hit === 'number' ? [hit] : hit;
    for (const id of ids) {
      const b = this.bufs[id];
      const o = this.offs[id];
      if (!sameRpiTail(b, o, bytes, at)) continue;
      if (eninLastOf(b, o) >= j - SKEW_ENINS && eninFirstOf(b, o) <= j + SKEW_ENINS) out.push(id);
    }
  }

  record(id: number) {
    return readRecord(this.bufs[id], this.offs[id]);
  }
}

/** At most this many bytes of rpis per engine call: the keys of a day go in chunks. */
const CHUNK_BYTES = 4 << 20;

/**
 * Matches one verified batch against the index. Returns the Bluetooth exposures found (minutes and
 * attenuation per matched record), attributed to their key and day. The engine derives the rpis
 * of a day's keys together (the rpik of a prtc key is its first 16 bytes, §2); a key's working keys
 * for the aem are made only when one of its rpis was recorded.
 */
export function matchBatch(
  batch: DecodedBatch,
  index: MatchIndex,
  defaultTxPower: number,
  stats?: MatchStats,
  engine: RpiEngine = defaultEngine(),
): BluetoothExposure[] {
  const found: BluetoothExposure[] = [];
  if (index.size === 0) return found;
  const ids: number[] = [];
  let rpiks = new Uint8Array(0);
  engine.useFilter?.(index.filterBits);
  for (const day of batch.days) {
    const i = day.i;
    const enins = index.eninsIn(i, i + ROLLING_PERIOD);
    if (enins.length === 0) {
      if (stats) stats.daysSkipped++;
      continue;
    }
    const E = enins.length;
    const chunk = Math.max(1, Math.floor(CHUNK_BYTES / (16 * E)));
    for (let from = 0; from < day.keys.length; from += chunk) {
      const n = Math.min(chunk, day.keys.length - from);
      if (rpiks.length < 16 * n) rpiks = new Uint8Array(16 * n);
      for (let q = 0; q < n; q++) rpiks.set(day.keys[from + q].subarray(0, 16), 16 * q);
      if (stats) {
        stats.keys += n;
        stats.rpisDerived += n * E;
      }
      const hit = (q: number, e: number, bytes: Uint8Array, at: number, word: number) => {
        ids.length = 0;
        index.lookupAt(bytes, at, word, enins[e], ids);
        for (const id of ids) {
          const key = day.keys[from + q];
          const r = index.record(id);
          let tx = defaultTxPower;
          if (r.aem) {
            const md = decodeMetadata(cryptAem(dayKeys(PROFILES.prtc, key), r.rpi, r.aem));
            if (md) tx = md.txPower;
          }
          const minutes = Math.min(r.minutes, 10 * (r.eninLast - r.eninFirst + 1));
          // when it happened travels with the match (for the reason's part of the day, never shown finer)
          found.push({
            keyId: toHex(key.subarray(0, 8)),
            day: i,
            minutes,
            attenuation: tx - r.rssiMean,
            eninFirst: r.eninFirst,
            eninLast: r.eninLast,
          });
          if (stats) stats.hits++;
        }
      };
      if (engine.candidates) {
        // the engine kept only the rpis the filter lets through: (key, ENIN index, rpi) each
        const { count, records } = engine.candidates(rpiks, n, enins);
        const w = new Uint32Array(records.buffer, records.byteOffset, 6 * count);
        for (let c = 0; c < count; c++) hit(w[6 * c], w[6 * c + 1], records, 24 * c + 8, w[6 * c + 2]);
        continue;
      }
      const rpis = engine.derive(rpiks, n, enins);
      const words = new Uint32Array(rpis.buffer, rpis.byteOffset, 4 * n * E);
      for (let q = 0; q < n; q++) for (let e = 0; e < E; e++) hit(q, e, rpis, 16 * (q * E + e), words[4 * (q * E + e)]);
    }
  }
  return found;
}

let fallback: RpiEngine | null = null;
/** The JavaScript engine, for callers that bring none (the page thread, tests, hosts without WebAssembly). */
function defaultEngine(): RpiEngine {
  fallback ??= jsEngine();
  return fallback;
}
