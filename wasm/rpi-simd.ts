/**
 * rpi derivation in WebAssembly SIMD, bitsliced (AssemblyScript, `--enable simd`; built by
 * tools/build-worker.ts beside the scalar wasm/rpi.ts, which hosts without SIMD load instead).
 *
 * Eight blocks of one key go through AES-128 together, as eight 128-bit bit planes: byte lane p of
 * plane b holds bit b of state byte p of the eight blocks (bit k for block k). In this layout
 * ShiftRows and MixColumns' row rotations move whole byte lanes (one i8x16.shuffle per plane), and
 * SubBytes is a Boolean circuit applied to the planes: Boyar and Peralta's 113-gate circuit for the
 * AES S-box ("A depth-16 circuit for the AES S-box", 2011, eprint 2011/332), whose four output
 * negations (the affine constant 0x63) are folded into the round keys: MixColumns maps a column of
 * 0x63 bytes to itself, so the constant passes through to the next AddRoundKey unchanged.
 * No table is indexed by secret data. Layout, key expansion and the exported pointers: wasm/aes.ts.
 */
import { expand, FILTER, XK } from './aes';
export { init, reserve, filterPtr, keysPtr, eninsPtr, outPtr } from './aes';
import { keysPtr, eninsPtr, outPtr } from './aes';

/** Scratch after the key schedule: the bitsliced round keys (11 rounds × 8 planes) and the state. */
const BK: usize = 4608; // 1408 bytes
const ST: usize = BK + 1408; // 8 planes, 128 bytes

/** 8×8 bit transposition within every byte lane of eight vectors at `at` (its own inverse). */
function swapmove(at: usize, a: usize, b: usize, n: i32, mask: v128): void {
  const x = v128.load(at + (a << 4));
  const y = v128.load(at + (b << 4));
  // 16-bit shifts: the mask drops every bit that crossed a byte boundary
  const t = v128.and(v128.xor(i16x8.shr_u(x, n), y), mask);
  v128.store(at + (b << 4), v128.xor(y, t));
  v128.store(at + (a << 4), v128.xor(x, i16x8.shl(t, n)));
}

function transpose(at: usize): void {
  const m1 = i8x16.splat(0x55);
  const m2 = i8x16.splat(0x33);
  const m4 = i8x16.splat(0x0f);
  swapmove(at, 0, 1, 1, m1);
  swapmove(at, 2, 3, 1, m1);
  swapmove(at, 4, 5, 1, m1);
  swapmove(at, 6, 7, 1, m1);
  swapmove(at, 0, 2, 2, m2);
  swapmove(at, 1, 3, 2, m2);
  swapmove(at, 4, 6, 2, m2);
  swapmove(at, 5, 7, 2, m2);
  swapmove(at, 0, 4, 4, m4);
  swapmove(at, 1, 5, 4, m4);
  swapmove(at, 2, 6, 4, m4);
  swapmove(at, 3, 7, 4, m4);
}

/** The round keys of the expanded key at XK as planes: every bit spread to a whole byte lane. */
function sliceKeys(): void {
  const c = i8x16.splat(0x63);
  for (let r: usize = 0; r < 11; r++) {
    let v = v128.load(XK + (r << 4));
    if (r > 0) v = v128.xor(v, c); // the S-box's affine constant, left out of the circuit
    for (let b: i32 = 0; b < 8; b++) {
      const bit = i32x4.splat(0x01010101 << b);
      v128.store(BK + (r << 7) + ((<usize>b) << 4), i8x16.eq(v128.and(v, bit), bit));
    }
  }
}

/** SubBytes without its constant (see above) on the planes at ST: the Boyar–Peralta circuit. */
function subBytes(): void {
  const i0 = v128.load(ST);
  const i1 = v128.load(ST, 16);
  const i2 = v128.load(ST, 32);
  const i3 = v128.load(ST, 48);
  const i4 = v128.load(ST, 64);
  const i5 = v128.load(ST, 80);
  const i6 = v128.load(ST, 96);
  const i7 = v128.load(ST, 112);
  // top linear transform
  const t1 = v128.xor(i7, i4);
  const t2 = v128.xor(i7, i2);
  const t3 = v128.xor(i7, i1);
  const t4 = v128.xor(i4, i2);
  const t5 = v128.xor(i3, i1);
  const t6 = v128.xor(t1, t5);
  const t7 = v128.xor(i6, i5);
  const t8 = v128.xor(i0, t6);
  const t9 = v128.xor(i0, t7);
  const t10 = v128.xor(t6, t7);
  const t11 = v128.xor(i6, i2);
  const t12 = v128.xor(i5, i2);
  const t13 = v128.xor(t3, t4);
  const t14 = v128.xor(t6, t11);
  const t15 = v128.xor(t5, t11);
  const t16 = v128.xor(t5, t12);
  const t17 = v128.xor(t9, t16);
  const t18 = v128.xor(i4, i0);
  const t19 = v128.xor(t7, t18);
  const t20 = v128.xor(t1, t19);
  const t21 = v128.xor(i1, i0);
  const t22 = v128.xor(t7, t21);
  const t23 = v128.xor(t2, t22);
  const t24 = v128.xor(t2, t10);
  const t25 = v128.xor(t20, t17);
  const t26 = v128.xor(t3, t16);
  const t27 = v128.xor(t1, t12);
  // the nonlinear middle (inversion in GF(2^8))
  const m1 = v128.and(t13, t6);
  const m2 = v128.and(t23, t8);
  const m3 = v128.xor(t14, m1);
  const m4 = v128.and(t19, i0);
  const m5 = v128.xor(m4, m1);
  const m6 = v128.and(t3, t16);
  const m7 = v128.and(t22, t9);
  const m8 = v128.xor(t26, m6);
  const m9 = v128.and(t20, t17);
  const m10 = v128.xor(m9, m6);
  const m11 = v128.and(t1, t15);
  const m12 = v128.and(t4, t27);
  const m13 = v128.xor(m12, m11);
  const m14 = v128.and(t2, t10);
  const m15 = v128.xor(m14, m11);
  const m16 = v128.xor(m3, m2);
  const m17 = v128.xor(m5, t24);
  const m18 = v128.xor(m8, m7);
  const m19 = v128.xor(m10, m15);
  const m20 = v128.xor(m16, m13);
  const m21 = v128.xor(m17, m15);
  const m22 = v128.xor(m18, m13);
  const m23 = v128.xor(m19, t25);
  const m24 = v128.xor(m22, m23);
  const m25 = v128.and(m22, m20);
  const m26 = v128.xor(m21, m25);
  const m27 = v128.xor(m20, m21);
  const m28 = v128.xor(m23, m25);
  const m29 = v128.and(m28, m27);
  const m30 = v128.and(m26, m24);
  const m31 = v128.and(m20, m23);
  const m32 = v128.and(m27, m31);
  const m33 = v128.xor(m27, m25);
  const m34 = v128.and(m21, m22);
  const m35 = v128.and(m24, m34);
  const m36 = v128.xor(m24, m25);
  const m37 = v128.xor(m21, m29);
  const m38 = v128.xor(m32, m33);
  const m39 = v128.xor(m23, m30);
  const m40 = v128.xor(m35, m36);
  const m41 = v128.xor(m38, m40);
  const m42 = v128.xor(m37, m39);
  const m43 = v128.xor(m37, m38);
  const m44 = v128.xor(m39, m40);
  const m45 = v128.xor(m42, m41);
  const m46 = v128.and(m44, t6);
  const m47 = v128.and(m40, t8);
  const m48 = v128.and(m39, i0);
  const m49 = v128.and(m43, t16);
  const m50 = v128.and(m38, t9);
  const m51 = v128.and(m37, t17);
  const m52 = v128.and(m42, t15);
  const m53 = v128.and(m45, t27);
  const m54 = v128.and(m41, t10);
  const m55 = v128.and(m44, t13);
  const m56 = v128.and(m40, t23);
  const m57 = v128.and(m39, t19);
  const m58 = v128.and(m43, t3);
  const m59 = v128.and(m38, t22);
  const m60 = v128.and(m37, t20);
  const m61 = v128.and(m42, t1);
  const m62 = v128.and(m45, t4);
  const m63 = v128.and(m41, t2);
  // bottom linear transform
  const l0 = v128.xor(m61, m62);
  const l1 = v128.xor(m50, m56);
  const l2 = v128.xor(m46, m48);
  const l3 = v128.xor(m47, m55);
  const l4 = v128.xor(m54, m58);
  const l5 = v128.xor(m49, m61);
  const l6 = v128.xor(m62, l5);
  const l7 = v128.xor(m46, l3);
  const l8 = v128.xor(m51, m59);
  const l9 = v128.xor(m52, m53);
  const l10 = v128.xor(m53, l4);
  const l11 = v128.xor(m60, l2);
  const l12 = v128.xor(m48, m51);
  const l13 = v128.xor(m50, l0);
  const l14 = v128.xor(m52, m61);
  const l15 = v128.xor(m55, l1);
  const l16 = v128.xor(m56, l0);
  const l17 = v128.xor(m57, l1);
  const l18 = v128.xor(m58, l8);
  const l19 = v128.xor(m63, l4);
  const l20 = v128.xor(l0, l1);
  const l21 = v128.xor(l1, l7);
  const l22 = v128.xor(l3, l12);
  const l23 = v128.xor(l18, l2);
  const l24 = v128.xor(l15, l9);
  const l25 = v128.xor(l6, l10);
  const l26 = v128.xor(l7, l9);
  const l27 = v128.xor(l8, l10);
  const l28 = v128.xor(l11, l14);
  const l29 = v128.xor(l11, l17);
  // outputs 0, 1, 5 and 6 are the circuit's XNORs: their negation is in the round keys
  v128.store(ST, v128.xor(l6, l23));
  v128.store(ST, v128.xor(l13, l27), 16);
  v128.store(ST, v128.xor(l25, l29), 32);
  v128.store(ST, v128.xor(l20, l22), 48);
  v128.store(ST, v128.xor(l6, l21), 64);
  v128.store(ST, v128.xor(l19, l28), 80);
  v128.store(ST, v128.xor(l16, l26), 96);
  v128.store(ST, v128.xor(l6, l24), 112);
}

/** ShiftRows, MixColumns unless `last`, and AddRoundKey of round `r`, on the planes at ST. */
function linear(r: usize, last: bool): void {
  const rk = BK + (r << 7);
  if (last) {
    for (let b: usize = 0; b < 8; b++) {
      const a = v128.load(ST + (b << 4));
      // byte r + 4c takes byte r + 4((c + r) mod 4)
      const s = i8x16.shuffle(a, a, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
      v128.store(ST + (b << 4), v128.xor(s, v128.load(rk + (b << 4))));
    }
    return;
  }
  // out_r = 2·(a_r ^ a_r+1) ^ a_r+1 ^ (a_r+2 ^ a_r+3) per column, on the shifted rows: t = a ^ rot1(a),
  // rot1 the next row of the same column, and 2· on planes is a shift by one plane with 0x1b fed back
  // from plane 7 into planes 0, 1, 3 and 4
  const s0 = v128.load(ST);
  const s1 = v128.load(ST, 16);
  const s2 = v128.load(ST, 32);
  const s3 = v128.load(ST, 48);
  const s4 = v128.load(ST, 64);
  const s5 = v128.load(ST, 80);
  const s6 = v128.load(ST, 96);
  const s7 = v128.load(ST, 112);
  const a0 = i8x16.shuffle(s0, s0, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
  const a1 = i8x16.shuffle(s1, s1, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
  const a2 = i8x16.shuffle(s2, s2, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
  const a3 = i8x16.shuffle(s3, s3, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
  const a4 = i8x16.shuffle(s4, s4, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
  const a5 = i8x16.shuffle(s5, s5, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
  const a6 = i8x16.shuffle(s6, s6, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
  const a7 = i8x16.shuffle(s7, s7, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
  // rot1 of the shifted state, straight from the unshifted one: row r + 1 of column c after ShiftRows
  const b0 = i8x16.shuffle(s0, s0, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
  const b1 = i8x16.shuffle(s1, s1, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
  const b2 = i8x16.shuffle(s2, s2, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
  const b3 = i8x16.shuffle(s3, s3, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
  const b4 = i8x16.shuffle(s4, s4, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
  const b5 = i8x16.shuffle(s5, s5, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
  const b6 = i8x16.shuffle(s6, s6, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
  const b7 = i8x16.shuffle(s7, s7, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
  const t0 = v128.xor(a0, b0);
  const t1 = v128.xor(a1, b1);
  const t2 = v128.xor(a2, b2);
  const t3 = v128.xor(a3, b3);
  const t4 = v128.xor(a4, b4);
  const t5 = v128.xor(a5, b5);
  const t6 = v128.xor(a6, b6);
  const t7 = v128.xor(a7, b7);
  v128.store(ST, v128.xor(v128.xor(t7, b0), v128.xor(rot2(t0), v128.load(rk))));
  v128.store(ST, v128.xor(v128.xor(v128.xor(t0, t7), b1), v128.xor(rot2(t1), v128.load(rk, 16))), 16);
  v128.store(ST, v128.xor(v128.xor(t1, b2), v128.xor(rot2(t2), v128.load(rk, 32))), 32);
  v128.store(ST, v128.xor(v128.xor(v128.xor(t2, t7), b3), v128.xor(rot2(t3), v128.load(rk, 48))), 48);
  v128.store(ST, v128.xor(v128.xor(v128.xor(t3, t7), b4), v128.xor(rot2(t4), v128.load(rk, 64))), 64);
  v128.store(ST, v128.xor(v128.xor(t4, b5), v128.xor(rot2(t5), v128.load(rk, 80))), 80);
  v128.store(ST, v128.xor(v128.xor(t5, b6), v128.xor(rot2(t6), v128.load(rk, 96))), 96);
  v128.store(ST, v128.xor(v128.xor(t6, b7), v128.xor(rot2(t7), v128.load(rk, 112))), 112);
}

/** Two rows down within each column. */
function rot2(t: v128): v128 {
  return i8x16.shuffle(t, t, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
}

/** Encrypts the eight blocks at ST (one per vector, bytes in order) under the sliced keys at BK, in place. */
function encrypt8(): void {
  transpose(ST);
  for (let b: usize = 0; b < 8; b++) v128.store(ST + (b << 4), v128.xor(v128.load(ST + (b << 4)), v128.load(BK + (b << 4))));
  for (let r: usize = 1; r < 10; r++) {
    subBytes();
    linear(r, false);
  }
  subBytes();
  linear(10, true);
  transpose(ST);
}

/** See wasm/rpi.ts: the rpi of key q at ENIN e at outPtr() + 16·(q·enins + e). */
export function derive(keys: u32, enins: u32, w0: u32, w1: u32, w2: u32): void {
  run(keys, enins, w0, w1, w2, false);
}

/** See wasm/rpi.ts: only the rpis whose first word passes the filter, as (q, e, rpi) in 24 bytes. */
export function filtered(keys: u32, enins: u32, w0: u32, w1: u32, w2: u32): u32 {
  return run(keys, enins, w0, w1, w2, true);
}

function run(keys: u32, enins: u32, w0: u32, w1: u32, w2: u32, filter: bool): u32 {
  const keysAt = keysPtr();
  const eninsAt = eninsPtr();
  let out = outPtr();
  let found: u32 = 0;
  let base = i32x4.splat(0);
  base = i32x4.replace_lane(base, 0, w0);
  base = i32x4.replace_lane(base, 1, w1);
  base = i32x4.replace_lane(base, 2, w2);
  for (let q: u32 = 0; q < keys; q++) {
    expand(keysAt + ((<usize>q) << 4));
    sliceKeys();
    for (let e0: u32 = 0; e0 < enins; e0 += 8) {
      const n = min<u32>(8, enins - e0);
      // eight blocks (the last group repeats its last ENIN to fill the rest)
      for (let k: u32 = 0; k < 8; k++) {
        const j = load<u32>(eninsAt + ((<usize>(e0 + min<u32>(k, n - 1))) << 2));
        v128.store(ST + ((<usize>k) << 4), i32x4.replace_lane(base, 3, j));
      }
      encrypt8();
      for (let k: u32 = 0; k < n; k++) {
        const rpi = v128.load(ST + ((<usize>k) << 4));
        const e = e0 + k;
        if (filter) {
          const o0 = i32x4.extract_lane(rpi, 0);
          const bit = o0 & 0xfffff;
          if ((load<u32>(FILTER + ((bit >> 5) << 2)) >> (bit & 31)) & 1) {
            store<u32>(out, q);
            store<u32>(out, e, 4);
            v128.store(out, rpi, 8);
            out += 24;
            found++;
          }
        } else {
          v128.store(out + ((<usize>(q * enins + e)) << 4), rpi);
        }
      }
    }
  }
  return found;
}
