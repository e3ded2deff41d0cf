/**
 * rpi derivation in WebAssembly (AssemblyScript; compiled by `npm run build:wasm`, no binary in git).
 * The same algorithm as shared/protocol/_aes-batch.gen.ts: AES-128 with T-tables built from the
 * field arithmetic (FIPS-197 §4.2, §5.1.1), little-endian column words, and rounds 1–2 shared
 * between ENINs that differ only in their low byte (5 lookups instead of 32 per block).
 *
 * Everything lives in linear memory at fixed places (the build starts it at 3 pages, 192 KB, so the
 * tables, the filter and init()'s scratch fit); the caller writes rpiks and ENINs, calls derive(),
 * and reads the rpis:
 *   [0, 4096)      T0..T3, 256 words each
 *   [4096, 4352)   the S-box
 *   [4352, 4528)   the key schedule of the key in progress (44 words)
 *   [8192, 139264) the filter: a bit per value of the low 20 bits of a recorded rpi's first word
 *   [139264, …)    keys (16 bytes each) · ENINs (u32) · rpis (16 bytes per key and ENIN), or the
 *                  candidates of filtered(): (key, ENIN index, rpi) in 24 bytes each
 */

const T0: usize = 0;
const T1: usize = 1024;
const T2: usize = 2048;
const T3: usize = 3072;
const SB: usize = 4096;
const XK: usize = 4352;
const FILTER: usize = 8192; // 2^20 bits: one per value of a recorded rpi's first word's low 20 bits
const DATA: usize = FILTER + 131072;

let keysAt: usize = DATA;
let eninsAt: usize = DATA;
let outAt: usize = DATA;

function xtime(a: u32): u32 {
  return ((a << 1) ^ (a & 0x80 ? 0x11b : 0)) & 0xff;
}

/** Builds the S-box and T-tables (the scratch space of the data area holds exp/log meanwhile). */
export function init(): void {
  let x: u32 = 1;
  for (let i: u32 = 0; i < 255; i++) {
    store<u8>(DATA + i, <u8>x);
    store<u8>(DATA + 256 + x, <u8>i);
    x ^= xtime(x);
  }
  for (let a: u32 = 0; a < 256; a++) {
    const inv: u32 = a == 0 ? 0 : <u32>load<u8>(DATA + ((255 - <u32>load<u8>(DATA + 256 + a)) % 255));
    let s = inv;
    let r = inv;
    for (let k = 0; k < 4; k++) {
      r = ((r << 1) | (r >> 7)) & 0xff;
      s ^= r;
    }
    s ^= 0x63;
    store<u8>(SB + a, <u8>s);
    const s2 = xtime(s);
    const w: u32 = s2 | (s << 8) | (s << 16) | ((s2 ^ s) << 24);
    store<u32>(T0 + (a << 2), w);
    store<u32>(T1 + (a << 2), rotl<u32>(w, 8));
    store<u32>(T2 + (a << 2), rotl<u32>(w, 16));
    store<u32>(T3 + (a << 2), rotl<u32>(w, 24));
  }
}

/** Makes room for `keys` keys and `enins` ENINs; returns false when memory cannot grow that far. */
export function reserve(keys: u32, enins: u32): bool {
  keysAt = DATA;
  eninsAt = keysAt + ((<usize>keys) << 4);
  outAt = (eninsAt + ((<usize>enins) << 2) + 15) & ~15;
  const end = outAt + <usize>keys * <usize>enins * 24;
  const pages = <i32>((end + 0xffff) >> 16);
  const have = memory.size();
  return pages <= have || memory.grow(pages - have) >= 0;
}

export function filterPtr(): usize {
  return FILTER;
}

export function keysPtr(): usize {
  return keysAt;
}
export function eninsPtr(): usize {
  return eninsAt;
}
export function outPtr(): usize {
  return outAt;
}

function t0(x: u32): u32 {
  return load<u32>(T0 + ((x & 255) << 2));
}
function t1(x: u32): u32 {
  return load<u32>(T1 + (((x >> 8) & 255) << 2));
}
function t2(x: u32): u32 {
  return load<u32>(T2 + (((x >> 16) & 255) << 2));
}
function t3(x: u32): u32 {
  return load<u32>(T3 + ((x >> 24) << 2));
}
function sb(x: u32): u32 {
  return <u32>load<u8>(SB + x);
}
function k(i: usize): u32 {
  return load<u32>(XK + (i << 2));
}

/** FIPS-197 §5.2 for the 16-byte key at `at`, into XK (RotWord of an LE word is a right rotation). */
function expand(at: usize): void {
  let w0 = load<u32>(at);
  let w1 = load<u32>(at, 4);
  let w2 = load<u32>(at, 8);
  let w3 = load<u32>(at, 12);
  store<u32>(XK, w0);
  store<u32>(XK, w1, 4);
  store<u32>(XK, w2, 8);
  store<u32>(XK, w3, 12);
  let rcon: u32 = 1;
  for (let i: usize = 4; i < 44; i += 4) {
    const t = sb((w3 >> 8) & 255) | (sb((w3 >> 16) & 255) << 8) | (sb(w3 >> 24) << 16) | (sb(w3 & 255) << 24);
    w0 ^= t ^ rcon;
    w1 ^= w0;
    w2 ^= w1;
    w3 ^= w2;
    store<u32>(XK + (i << 2), w0);
    store<u32>(XK + (i << 2), w1, 4);
    store<u32>(XK + (i << 2), w2, 8);
    store<u32>(XK + (i << 2), w3, 12);
    rcon = xtime(rcon);
  }
}

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
  let out = outAt;
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
