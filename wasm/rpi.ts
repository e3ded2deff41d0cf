/**
 * rpi derivation in WebAssembly, scalar (AssemblyScript; built by tools/build/worker.ts, no binary
 * in git). The same algorithm as shared/protocol/_aes-batch.gen.ts: AES-128 with T-tables,
 * little-endian column words, and rounds 1–2 shared between ENINs that differ only in their low byte
 * (5 lookups instead of 32 per block). Layout, tables and key expansion: wasm/aes.ts.
 */
import { expand, FILTER, k, sb, t0, t1, t2, t3 } from './aes';
export { init, reserve, filterPtr, keysPtr, eninsPtr, outPtr } from './aes';
import { keysPtr, eninsPtr, outPtr } from './aes';

/**
 * The rpis of `keys` keys at `enins` ENINs: block (w0, w1, w2, LE32(enin)) under each key, the rpi
 * of key q at ENIN e at outPtr() + 16·(q·enins + e).
 */
export function derive(keys: u32, enins: u32, w0: u32, w1: u32, w2: u32): void {
  run(keys, enins, w0, w1, w2, false);
}

/**
 * Like derive(), but keeps only the rpis whose first word passes the filter: each as (q, e, rpi) in
 * 24 bytes from outPtr(). Returns how many. Almost every derived rpi was never recorded; this way
 * they never leave the module. reserve() made room for the worst case (every rpi a candidate).
 */
export function filtered(keys: u32, enins: u32, w0: u32, w1: u32, w2: u32): u32 {
  return run(keys, enins, w0, w1, w2, true);
}

function run(keys: u32, enins: u32, w0: u32, w1: u32, w2: u32, filter: bool): u32 {
  const keysAt = keysPtr();
  const eninsAt = eninsPtr();
  let out = outPtr();
  let found: u32 = 0;
  for (let q: u32 = 0; q < keys; q++) {
    expand(keysAt + ((<usize>q) << 4));
    const i0 = w0 ^ k(0);
    const i1 = w1 ^ k(1);
    const i2 = w2 ^ k(2);
    const k3 = k(3);
    let h: u32 = 0xffffffff;
    let K3: u32 = 0;
    let C0: u32 = 0;
    let C1: u32 = 0;
    let C2: u32 = 0;
    let C3: u32 = 0;
    for (let e: u32 = 0; e < enins; e++) {
      const word = load<u32>(eninsAt + ((<usize>e) << 2));
      if (word >> 8 != h) {
        // rounds 1–2 for everything that depends only on the top three bytes of the ENIN
        h = word >> 8;
        const i3 = (h << 8) ^ k3;
        const r0 = k(4) ^ t0(i0) ^ t1(i1) ^ t2(i2) ^ t3(i3);
        const r1 = k(5) ^ t0(i1) ^ t1(i2) ^ t2(i3) ^ t3(i0);
        const r2 = k(6) ^ t0(i2) ^ t1(i3) ^ t2(i0) ^ t3(i1);
        K3 = k(7) ^ t1(i0) ^ t2(i1) ^ t3(i2);
        C0 = k(8) ^ t0(r0) ^ t1(r1) ^ t2(r2);
        C1 = k(9) ^ t0(r1) ^ t1(r2) ^ t3(r0);
        C2 = k(10) ^ t0(r2) ^ t2(r0) ^ t3(r1);
        C3 = k(11) ^ t1(r0) ^ t2(r1) ^ t3(r2);
      }
      const c3 = K3 ^ t0((word ^ k3) & 255);
      let s0 = C0 ^ t3(c3);
      let s1 = C1 ^ t2(c3);
      let s2 = C2 ^ t1(c3);
      let s3 = C3 ^ t0(c3);
      for (let r: usize = 3; r < 10; r++) {
        const b = r << 2;
        const n0 = k(b) ^ t0(s0) ^ t1(s1) ^ t2(s2) ^ t3(s3);
        const n1 = k(b + 1) ^ t0(s1) ^ t1(s2) ^ t2(s3) ^ t3(s0);
        const n2 = k(b + 2) ^ t0(s2) ^ t1(s3) ^ t2(s0) ^ t3(s1);
        const n3 = k(b + 3) ^ t0(s3) ^ t1(s0) ^ t2(s1) ^ t3(s2);
        s0 = n0;
        s1 = n1;
        s2 = n2;
        s3 = n3;
      }
      const o0 = k(40) ^ (sb(s0 & 255) | (sb((s1 >> 8) & 255) << 8) | (sb((s2 >> 16) & 255) << 16) | (sb(s3 >> 24) << 24));
      const o1 = k(41) ^ (sb(s1 & 255) | (sb((s2 >> 8) & 255) << 8) | (sb((s3 >> 16) & 255) << 16) | (sb(s0 >> 24) << 24));
      const o2 = k(42) ^ (sb(s2 & 255) | (sb((s3 >> 8) & 255) << 8) | (sb((s0 >> 16) & 255) << 16) | (sb(s1 >> 24) << 24));
      const o3 = k(43) ^ (sb(s3 & 255) | (sb((s0 >> 8) & 255) << 8) | (sb((s1 >> 16) & 255) << 16) | (sb(s2 >> 24) << 24));
      if (filter) {
        const bit = o0 & 0xfffff;
        if ((load<u32>(FILTER + ((bit >> 5) << 2)) >> (bit & 31)) & 1) {
          store<u32>(out, q);
          store<u32>(out, e, 4);
          store<u32>(out, o0, 8);
          store<u32>(out, o1, 12);
          store<u32>(out, o2, 16);
          store<u32>(out, o3, 20);
          out += 24;
          found++;
        }
      } else {
        store<u32>(out, o0);
        store<u32>(out, o1, 4);
        store<u32>(out, o2, 8);
        store<u32>(out, o3, 12);
        out += 16;
      }
    }
  }
  return found;
}
