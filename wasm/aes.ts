/**
 * What both WebAssembly engines share (wasm/rpi.ts, scalar; wasm/rpi-simd.ts, SIMD): the memory
 * layout the page side writes to and reads from, the tables built from the field arithmetic
 * (FIPS-197 §4.2, §5.1.1), and the key expansion (§5.2). Each engine's module exports these and its
 * own derive() and filtered().
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

export const T0: usize = 0;
export const T1: usize = 1024;
export const T2: usize = 2048;
export const T3: usize = 3072;
export const SB: usize = 4096;
export const XK: usize = 4352;
export const FILTER: usize = 8192; // 2^20 bits: one per value of a recorded rpi's first word's low 20 bits
export const DATA: usize = FILTER + 131072;

let keysAt: usize = DATA;
let eninsAt: usize = DATA;
let outAt: usize = DATA;

export function xtime(a: u32): u32 {
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

export function t0(x: u32): u32 {
  return load<u32>(T0 + ((x & 255) << 2));
}
export function t1(x: u32): u32 {
  return load<u32>(T1 + (((x >> 8) & 255) << 2));
}
export function t2(x: u32): u32 {
  return load<u32>(T2 + (((x >> 16) & 255) << 2));
}
export function t3(x: u32): u32 {
  return load<u32>(T3 + ((x >> 24) << 2));
}
export function sb(x: u32): u32 {
  return <u32>load<u8>(SB + x);
}
export function k(i: usize): u32 {
  return load<u32>(XK + (i << 2));
}

/** FIPS-197 §5.2 for the 16-byte key at `at`, into XK (RotWord of an LE word is a right rotation). */
export function expand(at: usize): void {
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
