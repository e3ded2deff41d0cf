/**
 * Who derives the rpis during matching (§5): every key of one day at the ENINs the phone recorded
 * that day, in one call. Three engines, the same bytes: WebAssembly SIMD (wasm/rpi-simd.ts,
 * bitsliced), scalar WebAssembly (wasm/rpi.ts), both built by tools/build/worker.ts, and the
 * JavaScript core of shared/protocol (where a host has no WebAssembly). The worker picks at run time,
 * the first its WeChat can load, and says which (worker-core.ts).
 */
import { deriveRpis, paddedData, PROFILES, type DayKeys } from '../../shared/protocol/crypto';

export type EngineName = 'simd' | 'wasm' | 'js';

export interface RpiEngine {
  readonly name: EngineName;
  /**
   * The rpis of `n` keys (rpiks, 16 bytes each) at `enins`: the rpi of key q at enins[e] is at
   * 16·(q·enins.length + e). The result is valid until the next call.
   */
  derive(rpiks: Uint8Array, n: number, enins: Uint32Array): Uint8Array;
  /**
   * Engines that can filter where they derive: only the rpis whose first word's low 20 bits are set
   * in `filter` (MatchIndex's bitset, given by useFilter), as 24-byte records (LE32 key index, LE32
   * ENIN index, rpi). The rest never leave the engine.
   */
  useFilter?(filter: Int32Array): void;
  candidates?(rpiks: Uint8Array, n: number, enins: Uint32Array): { count: number; records: Uint8Array };
}

/** The padded block's three constant words (§2: the profile's label, zero-filled), little-endian. */
export function labelWords(): [number, number, number] {
  const b = paddedData(PROFILES.prtc, 0);
  const w = (o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  return [w(0), w(4), w(8)];
}

/** The JavaScript core (shared/protocol/_aes-batch.gen.ts), one key after another. */
export function jsEngine(): RpiEngine {
  let out = new Uint8Array(0);
  const noMk = new Uint8Array(16); // deriveRpis reads only the rpik
  return {
    name: 'js',
    derive(rpiks, n, enins) {
      const per = 16 * enins.length;
      if (out.length < n * per) out = new Uint8Array(n * per);
      for (let q = 0; q < n; q++) {
        const keys: DayKeys = { profile: PROFILES.prtc, rpik: rpiks.subarray(16 * q, 16 * q + 16), mk: noMk };
        deriveRpis(keys, enins, out.subarray(q * per, (q + 1) * per));
      }
      return out.subarray(0, n * per);
    },
  };
}

/** What wasm/rpi.ts exports. */
export interface RpiWasmExports {
  memory: { buffer: ArrayBuffer };
  init(): void;
  reserve(keys: number, enins: number): number;
  keysPtr(): number;
  eninsPtr(): number;
  outPtr(): number;
  filterPtr(): number;
  derive(keys: number, enins: number, w0: number, w1: number, w2: number): void;
  filtered(keys: number, enins: number, w0: number, w1: number, w2: number): number;
}

/** A WebAssembly engine over an instance of wasm/rpi-simd.ts (`simd`) or wasm/rpi.ts (`wasm`): the same exports. */
export function wasmEngine(x: RpiWasmExports, name: 'simd' | 'wasm' = 'wasm'): RpiEngine {
  x.init();
  const [w0, w1, w2] = labelWords();
  let loaded: Int32Array | null = null;
  const load = (rpiks: Uint8Array, n: number, enins: Uint32Array) => {
    if (!x.reserve(n, enins.length)) throw new RangeError(`no memory for ${n} keys × ${enins.length} ENINs`);
    new Uint8Array(x.memory.buffer, x.keysPtr(), 16 * n).set(rpiks.subarray(0, 16 * n));
    new Uint32Array(x.memory.buffer, x.eninsPtr(), enins.length).set(enins);
  };
  return {
    name,
    derive(rpiks, n, enins) {
      load(rpiks, n, enins);
      x.derive(n, enins.length, w0, w1, w2);
      return new Uint8Array(x.memory.buffer, x.outPtr(), 16 * n * enins.length);
    },
    useFilter(filter) {
      // matchBatch passes the index's filter with every batch: copied once per index, not per batch
      if (filter === loaded) return;
      new Int32Array(x.memory.buffer, x.filterPtr(), filter.length).set(filter);
      loaded = filter;
    },
    candidates(rpiks, n, enins) {
      load(rpiks, n, enins);
      const count = x.filtered(n, enins.length, w0, w1, w2);
      return { count, records: new Uint8Array(x.memory.buffer, x.outPtr(), 24 * count) };
    },
  };
}
