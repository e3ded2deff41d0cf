/**
 * Batch rpi derivation: 100,000 random keys × 144 ENINs, each engine of the phone — the two
 * WebAssembly modules of the build (dist/weapp/wasm/rpi-simd.wasm, bitsliced SIMD, and rpi.wasm,
 * scalar) and the JavaScript core (dayKeys with its key schedule, then one deriveRpis call per key
 * through the unrolled core of shared/protocol/_aes-batch.gen.ts) — against
 * Node's crypto (OpenSSL, AES-NI, one createCipheriv and one update over prebuilt padded
 * blocks per key) as the ceiling. A plain per-key use of @noble/ciphers' ECB is printed for reference.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wasmEngine, type RpiEngine, type RpiWasmExports } from '../miniprogram/matching/engines';
import { ecb } from '@noble/ciphers/aes.js';
import { dayKeys, deriveRpis, PROFILES } from '../shared/protocol/crypto';
import { ROLLING_PERIOD } from '../shared/protocol/time';

export interface CryptoBench {
  ours: number;
  simd: number | null;
  wasm: number | null;
  ceiling: number;
  ratio: number;
}

/** A WebAssembly engine as the build ships it (dist/weapp/wasm/<file>), or null when not built. */
function shippedWasm(file: string, name: 'simd' | 'wasm'): RpiEngine | null {
  const path = join(__dirname, '..', 'weapp', 'wasm', file);
  if (!existsSync(path)) return null;
  const mod = new WebAssembly.Module(readFileSync(path));
  return wasmEngine(new WebAssembly.Instance(mod, {}).exports as unknown as RpiWasmExports, name);
}

function rate(keys: number, seconds: number) {
  return (keys * ROLLING_PERIOD) / seconds;
}

export function runCryptoBench(keyCount = 100_000, log = console.log): CryptoBench {
  const day = 2955456;
  const all = new Uint8Array(randomBytes(32 * keyCount));
  const key = (k: number) => all.subarray(32 * k, 32 * k + 32);
  const enins = new Uint32Array(ROLLING_PERIOD);
  for (let k = 0; k < ROLLING_PERIOD; k++) enins[k] = day + k;
  const out = new Uint8Array(16 * ROLLING_PERIOD);
  let sink = 0;

  // The project's derivation: dayKeys (key schedule) + one batch call per key.
  const ours = () => {
    const t = performance.now();
    for (let k = 0; k < keyCount; k++) sink ^= deriveRpis(dayKeys(PROFILES.prtc, key(k)), enins, out)[0];
    return rate(keyCount, (performance.now() - t) / 1000);
  };
  // The ceiling: Node crypto with the padded blocks prepared once for all keys (its most favourable case).
  const pre = Buffer.alloc(16 * ROLLING_PERIOD);
  for (let k = 0; k < ROLLING_PERIOD; k++) {
    pre.write('PrTC-RPI', 16 * k);
    pre.writeUInt32LE(day + k, 16 * k + 12);
  }
  const nodePrebuilt = () => {
    const t = performance.now();
    for (let k = 0; k < keyCount; k++) {
      const c = createCipheriv('aes-128-ecb', key(k).subarray(0, 16), null);
      c.setAutoPadding(false);
      sink ^= c.update(pre)[0];
    }
    return rate(keyCount, (performance.now() - t) / 1000);
  };
  // For reference: a plain per-key use of @noble/ciphers (ecb over the same prebuilt blocks).
  const preU8 = new Uint8Array(pre);
  const noblePlain = () => {
    const t = performance.now();
    for (let k = 0; k < keyCount; k++) sink ^= ecb(key(k).subarray(0, 16), { disablePadding: true }).encrypt(preU8)[0];
    return rate(keyCount, (performance.now() - t) / 1000);
  };
  // The WebAssembly engines of the build: the rpiks of 1,000 keys per call, as matching feeds them.
  const simdEngine = shippedWasm('rpi-simd.wasm', 'simd');
  const wasmEngine_ = shippedWasm('rpi.wasm', 'wasm');
  const rpiks = new Uint8Array(16 * keyCount);
  for (let k = 0; k < keyCount; k++) rpiks.set(key(k).subarray(0, 16), 16 * k);
  const wasm = (engine: RpiEngine | null) => () => {
    const t = performance.now();
    for (let from = 0; from < keyCount; from += 1000) {
      const n = Math.min(1000, keyCount - from);
      sink ^= engine!.derive(rpiks.subarray(16 * from, 16 * (from + n)), n, enins)[0];
    }
    return rate(keyCount, (performance.now() - t) / 1000);
  };
  // Warm up each path, then take the best of three runs.
  const best = (f: () => number) => {
    f();
    return Math.max(f(), f(), f());
  };
  const o = best(ours);
  const c = best(nodePrebuilt);
  const plain = best(noblePlain);
  const w = wasmEngine_ ? best(wasm(wasmEngine_)) : null;
  const sm = simdEngine ? best(wasm(simdEngine)) : null;
  const r = { ours: o, simd: sm, wasm: w, ceiling: c, ratio: Math.max(o, w ?? 0, sm ?? 0) / c };
  const M = (x: number) => (x / 1e6).toFixed(2) + ' M rpi/s';
  log(`crypto: ${keyCount.toLocaleString('en')} keys × ${ROLLING_PERIOD} ENINs (prtc profile)`);
  log(
    sm === null
      ? '  WebAssembly SIMD engine (dist/weapp/wasm)     not built: run `npm run build:weapp`'
      : `  WebAssembly SIMD engine (wasm/rpi-simd.wasm)  ${M(sm)}   (${(sm / c).toFixed(3)} of the ceiling)`,
  );
  log(
    w === null
      ? '  WebAssembly engine (dist/weapp/wasm)          not built: run `npm run build:weapp`'
      : `  WebAssembly scalar engine (wasm/rpi.wasm)     ${M(w)}   (${(w / c).toFixed(3)} of the ceiling)`,
  );
  log(
    `  JavaScript engine (shared/aes-batch)          ${M(r.ours)}   (${(r.ours / c).toFixed(3)} of the ceiling; ${(r.ours / plain).toFixed(2)}× plain noble)`,
  );
  log(`  plain per-key @noble/ciphers ecb (reference) ${M(plain)}   (${(plain / c).toFixed(3)} of the ceiling)`);
  log(`  Node crypto (AES-NI), the ceiling             ${M(r.ceiling)}`);
  log(`  best engine / ceiling                         ${r.ratio.toFixed(3)}   (target 0.6)`);
  if (sink === 0.5) log('');
  return r;
}
