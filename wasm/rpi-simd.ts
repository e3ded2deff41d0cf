/**
 * rpi derivation in WebAssembly SIMD, bitsliced (AssemblyScript, `--enable simd`; built by
 * tools/build/worker.ts beside the scalar wasm/rpi.ts, which hosts without SIMD load instead).
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

/**
 * Encrypts the eight blocks at ST (one per vector, bytes in order) under the sliced keys at BK, in
 * place. The state stays in locals from the first transposition to the last.
 */
function encrypt8(): void {
  const k55 = i8x16.splat(0x55);
  const k33 = i8x16.splat(0x33);
  const k0f = i8x16.splat(0x0f);
  let t: v128;
  let x0 = v128.load(ST, 0);
  let x1 = v128.load(ST, 16);
  let x2 = v128.load(ST, 32);
  let x3 = v128.load(ST, 48);
  let x4 = v128.load(ST, 64);
  let x5 = v128.load(ST, 80);
  let x6 = v128.load(ST, 96);
  let x7 = v128.load(ST, 112);
  // into bit planes and, after the rounds, back: an 8×8 bit transposition within every byte lane
  // (its own inverse; 16-bit shifts: the masks drop every bit that crossed a byte boundary)
  for (let pass = 0; ; pass++) {
    t = v128.and(v128.xor(i16x8.shr_u(x0, 1), x1), k55);
    x1 = v128.xor(x1, t);
    x0 = v128.xor(x0, i16x8.shl(t, 1));
    t = v128.and(v128.xor(i16x8.shr_u(x2, 1), x3), k55);
    x3 = v128.xor(x3, t);
    x2 = v128.xor(x2, i16x8.shl(t, 1));
    t = v128.and(v128.xor(i16x8.shr_u(x4, 1), x5), k55);
    x5 = v128.xor(x5, t);
    x4 = v128.xor(x4, i16x8.shl(t, 1));
    t = v128.and(v128.xor(i16x8.shr_u(x6, 1), x7), k55);
    x7 = v128.xor(x7, t);
    x6 = v128.xor(x6, i16x8.shl(t, 1));
    t = v128.and(v128.xor(i16x8.shr_u(x0, 2), x2), k33);
    x2 = v128.xor(x2, t);
    x0 = v128.xor(x0, i16x8.shl(t, 2));
    t = v128.and(v128.xor(i16x8.shr_u(x1, 2), x3), k33);
    x3 = v128.xor(x3, t);
    x1 = v128.xor(x1, i16x8.shl(t, 2));
    t = v128.and(v128.xor(i16x8.shr_u(x4, 2), x6), k33);
    x6 = v128.xor(x6, t);
    x4 = v128.xor(x4, i16x8.shl(t, 2));
    t = v128.and(v128.xor(i16x8.shr_u(x5, 2), x7), k33);
    x7 = v128.xor(x7, t);
    x5 = v128.xor(x5, i16x8.shl(t, 2));
    t = v128.and(v128.xor(i16x8.shr_u(x0, 4), x4), k0f);
    x4 = v128.xor(x4, t);
    x0 = v128.xor(x0, i16x8.shl(t, 4));
    t = v128.and(v128.xor(i16x8.shr_u(x1, 4), x5), k0f);
    x5 = v128.xor(x5, t);
    x1 = v128.xor(x1, i16x8.shl(t, 4));
    t = v128.and(v128.xor(i16x8.shr_u(x2, 4), x6), k0f);
    x6 = v128.xor(x6, t);
    x2 = v128.xor(x2, i16x8.shl(t, 4));
    t = v128.and(v128.xor(i16x8.shr_u(x3, 4), x7), k0f);
    x7 = v128.xor(x7, t);
    x3 = v128.xor(x3, i16x8.shl(t, 4));
    if (pass == 1) break;
    x0 = v128.xor(x0, v128.load(BK, 0));
    x1 = v128.xor(x1, v128.load(BK, 16));
    x2 = v128.xor(x2, v128.load(BK, 32));
    x3 = v128.xor(x3, v128.load(BK, 48));
    x4 = v128.xor(x4, v128.load(BK, 64));
    x5 = v128.xor(x5, v128.load(BK, 80));
    x6 = v128.xor(x6, v128.load(BK, 96));
    x7 = v128.xor(x7, v128.load(BK, 112));
    for (let r: usize = 1; r <= 10; r++) {
      // SubBytes without its constant: the Boyar–Peralta circuit
      // top linear transform
      const t1 = v128.xor(x7, x4);
      const t2 = v128.xor(x7, x2);
      const t3 = v128.xor(x7, x1);
      const t4 = v128.xor(x4, x2);
      const t5 = v128.xor(x3, x1);
      const t6 = v128.xor(t1, t5);
      const t7 = v128.xor(x6, x5);
      const t8 = v128.xor(x0, t6);
      const t9 = v128.xor(x0, t7);
      const t10 = v128.xor(t6, t7);
      const t11 = v128.xor(x6, x2);
      const t12 = v128.xor(x5, x2);
      const t13 = v128.xor(t3, t4);
      const t14 = v128.xor(t6, t11);
      const t15 = v128.xor(t5, t11);
      const t16 = v128.xor(t5, t12);
      const t17 = v128.xor(t9, t16);
      const t18 = v128.xor(x4, x0);
      const t19 = v128.xor(t7, t18);
      const t20 = v128.xor(t1, t19);
      const t21 = v128.xor(x1, x0);
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
      const m4 = v128.and(t19, x0);
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
      const m48 = v128.and(m39, x0);
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
      const o0 = v128.xor(l6, l23);
      const o1 = v128.xor(l13, l27);
      const o2 = v128.xor(l25, l29);
      const o3 = v128.xor(l20, l22);
      const o4 = v128.xor(l6, l21);
      const o5 = v128.xor(l19, l28);
      const o6 = v128.xor(l16, l26);
      const o7 = v128.xor(l6, l24);
      const rk = BK + (r << 7);
      if (r == 10) {
        // the last round: ShiftRows (byte r + 4c takes byte r + 4((c + r) mod 4)) and AddRoundKey
        x0 = v128.xor(i8x16.shuffle(o0, o0, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), v128.load(rk, 0));
        x1 = v128.xor(i8x16.shuffle(o1, o1, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), v128.load(rk, 16));
        x2 = v128.xor(i8x16.shuffle(o2, o2, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), v128.load(rk, 32));
        x3 = v128.xor(i8x16.shuffle(o3, o3, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), v128.load(rk, 48));
        x4 = v128.xor(i8x16.shuffle(o4, o4, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), v128.load(rk, 64));
        x5 = v128.xor(i8x16.shuffle(o5, o5, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), v128.load(rk, 80));
        x6 = v128.xor(i8x16.shuffle(o6, o6, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), v128.load(rk, 96));
        x7 = v128.xor(i8x16.shuffle(o7, o7, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), v128.load(rk, 112));
        break;
      }
      // ShiftRows, then MixColumns: out_r = 2·(a_r ^ a_r+1) ^ a_r+1 ^ (a_r+2 ^ a_r+3) per column, with
      // a the shifted state, b = rot1(a) (the next row of the same column, straight from the unshifted
      // state) and t = a ^ b; 2· on planes moves each plane up one, plane 7 fed back into 0, 1, 3, 4
      const b0 = i8x16.shuffle(o0, o0, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
      const b1 = i8x16.shuffle(o1, o1, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
      const b2 = i8x16.shuffle(o2, o2, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
      const b3 = i8x16.shuffle(o3, o3, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
      const b4 = i8x16.shuffle(o4, o4, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
      const b5 = i8x16.shuffle(o5, o5, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
      const b6 = i8x16.shuffle(o6, o6, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
      const b7 = i8x16.shuffle(o7, o7, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
      const t0_ = v128.xor(i8x16.shuffle(o0, o0, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), b0);
      const t1_ = v128.xor(i8x16.shuffle(o1, o1, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), b1);
      const t2_ = v128.xor(i8x16.shuffle(o2, o2, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), b2);
      const t3_ = v128.xor(i8x16.shuffle(o3, o3, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), b3);
      const t4_ = v128.xor(i8x16.shuffle(o4, o4, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), b4);
      const t5_ = v128.xor(i8x16.shuffle(o5, o5, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), b5);
      const t6_ = v128.xor(i8x16.shuffle(o6, o6, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), b6);
      const t7_ = v128.xor(i8x16.shuffle(o7, o7, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11), b7);
      x0 = v128.xor(
        v128.xor(t7_, b0),
        v128.xor(i8x16.shuffle(t0_, t0_, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13), v128.load(rk, 0)),
      );
      x1 = v128.xor(
        v128.xor(v128.xor(t0_, t7_), b1),
        v128.xor(i8x16.shuffle(t1_, t1_, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13), v128.load(rk, 16)),
      );
      x2 = v128.xor(
        v128.xor(t1_, b2),
        v128.xor(i8x16.shuffle(t2_, t2_, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13), v128.load(rk, 32)),
      );
      x3 = v128.xor(
        v128.xor(v128.xor(t2_, t7_), b3),
        v128.xor(i8x16.shuffle(t3_, t3_, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13), v128.load(rk, 48)),
      );
      x4 = v128.xor(
        v128.xor(v128.xor(t3_, t7_), b4),
        v128.xor(i8x16.shuffle(t4_, t4_, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13), v128.load(rk, 64)),
      );
      x5 = v128.xor(
        v128.xor(t4_, b5),
        v128.xor(i8x16.shuffle(t5_, t5_, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13), v128.load(rk, 80)),
      );
      x6 = v128.xor(
        v128.xor(t5_, b6),
        v128.xor(i8x16.shuffle(t6_, t6_, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13), v128.load(rk, 96)),
      );
      x7 = v128.xor(
        v128.xor(t6_, b7),
        v128.xor(i8x16.shuffle(t7_, t7_, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13), v128.load(rk, 112)),
      );
    }
  }
  v128.store(ST, x0, 0);
  v128.store(ST, x1, 16);
  v128.store(ST, x2, 32);
  v128.store(ST, x3, 48);
  v128.store(ST, x4, 64);
  v128.store(ST, x5, 80);
  v128.store(ST, x6, 96);
  v128.store(ST, x7, 112);
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
