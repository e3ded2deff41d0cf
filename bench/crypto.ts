/**
 * Batch rpi derivation: 100,000 random keys × 144 ENINs, the project's derivation (dayKeys with its
 * key schedule, then one deriveRpis call per key through the unrolled core of shared/aes-batch.gen.ts)
 * against Node's crypto (OpenSSL, AES-NI, one createCipheriv and one update over prebuilt padded
 * blocks per key) as the ceiling. A plain per-key use of @noble/ciphers' ECB is printed for reference.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { ecb } from '@noble/ciphers/aes.js';
import { dayKeys, deriveRpis, PROFILES } from '../shared/protocol/crypto';
import { ROLLING_PERIOD } from '../shared/protocol/time';

export interface CryptoBench {
  ours: number;
  ceiling: number;
  ratio: number;
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
  // Warm up each path, then take the best of three runs.
  const best = (f: () => number) => {
    f();
    return Math.max(f(), f(), f());
  };
  const o = best(ours);
  const c = best(nodePrebuilt);
  const plain = best(noblePlain);
  const r = { ours: o, ceiling: c, ratio: o / c };
  const M = (x: number) => (x / 1e6).toFixed(2) + ' M rpi/s';
  log(`crypto: ${keyCount.toLocaleString('en')} keys × ${ROLLING_PERIOD} ENINs (prtc profile)`);
  log(`  project batch derivation (shared/aes-batch)   ${M(r.ours)}   (${(r.ours / plain).toFixed(2)}× plain noble)`);
  log(`  plain per-key @noble/ciphers ecb (reference) ${M(plain)}   (${(plain / c).toFixed(3)} of the ceiling)`);
  log(`  Node crypto (AES-NI), the ceiling             ${M(r.ceiling)}`);
  log(`  ratio project / ceiling                       ${r.ratio.toFixed(3)}   (target 0.4)`);
  if (sink === 0.5) log('');
  return r;
}
