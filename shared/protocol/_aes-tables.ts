/**
 * AES-128 tables and key schedule for the batch rpi core (`aes-batch.gen.ts`).
 *
 * Words are little-endian columns, as in @noble/ciphers: byte r of column c of the state is bits
 * 8r..8r+7 of word c. With that packing one full round is, for each output column c,
 *
 *   t_c = rk_c ^ T0[byte0(s_c)] ^ T1[byte1(s_{c+1})] ^ T2[byte2(s_{c+2})] ^ T3[byte3(s_{c+3})]
 *
 * (column indices mod 4: ShiftRows is the choice of columns, SubBytes and MixColumns are in the
 * tables), and the last round, without MixColumns, uses S0..S3, the S-box placed in each lane.
 * Eight tables of 256 words: 8 KB, built from the field arithmetic, no literal tables.
 */

/** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 §4.2.1). */
function xtime(a: number): number {
  return ((a << 1) ^ (a & 0x80 ? 0x11b : 0)) & 0xff;
}

/** The AES S-box (FIPS-197 §5.1.1): multiplicative inverse, then the affine map with 0x63. */
export const SBOX: Uint8Array = (() => {
  // Powers of the generator 3 give the inverse as exp[255 - log[a]].
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= xtime(x);
  }
  const box = new Uint8Array(256);
  for (let a = 0; a < 256; a++) {
    const inv = a === 0 ? 0 : exp[(255 - log[a]) % 255];
    let s = inv;
    let r = inv;
    for (let k = 0; k < 4; k++) {
      r = ((r << 1) | (r >>> 7)) & 0xff;
      s ^= r;
    }
    box[a] = s ^ 0x63;
  }
  return box;
})();

const rotl8 = (w: number) => ((w << 8) | (w >>> 24)) >>> 0;

/**
 * Builds T0..T3 and S0..S3. The core keeps them in module-level constants of its own module: read
 * through an import, every lookup would go through the module interop that tsx and unbundled
 * esbuild output generate (a getter per access, measured 30× slower under tsx).
 */
export function aesTables() {
  const T0 = new Uint32Array(256);
  const T1 = new Uint32Array(256);
  const T2 = new Uint32Array(256);
  const T3 = new Uint32Array(256);
  const S0 = new Uint32Array(256);
  const S1 = new Uint32Array(256);
  const S2 = new Uint32Array(256);
  const S3 = new Uint32Array(256);
  for (let a = 0; a < 256; a++) {
    const s = SBOX[a];
    const s2 = xtime(s);
    // Column [02·s, s, s, 03·s]: MixColumns of a column whose only non-zero byte is row 0.
    const w = (s2 | (s << 8) | (s << 16) | ((s2 ^ s) << 24)) >>> 0;
    T0[a] = w;
    T1[a] = rotl8(w);
    T2[a] = rotl8(T1[a]);
    T3[a] = rotl8(T2[a]);
    S0[a] = s;
    S1[a] = s << 8;
    S2[a] = s << 16;
    S3[a] = (s << 24) >>> 0;
  }
  return { T0, T1, T2, T3, S0, S1, S2, S3 };
}

/**
 * The AES-128 encryption key schedule (FIPS-197 §5.2): 44 little-endian words, written into `w`
 * when given (a small typed array costs more to allocate than the whole expansion on V8).
 */
export function expandKey128(key: Uint8Array, w: Uint32Array = new Uint32Array(44)): Uint32Array {
  if (key.length !== 16) throw new RangeError('AES-128 key must be 16 bytes');
  if (w.length < 44) throw new RangeError('an AES-128 key schedule needs 44 words');
  let w0 = key[0] | (key[1] << 8) | (key[2] << 16) | (key[3] << 24);
  let w1 = key[4] | (key[5] << 8) | (key[6] << 16) | (key[7] << 24);
  let w2 = key[8] | (key[9] << 8) | (key[10] << 16) | (key[11] << 24);
  let w3 = key[12] | (key[13] << 8) | (key[14] << 16) | (key[15] << 24);
  w[0] = w0;
  w[1] = w1;
  w[2] = w2;
  w[3] = w3;
  let rcon = 1;
  for (let i = 4; i < 44; i += 4) {
    // RotWord moves byte 1 to byte 0 (a right rotation of the LE word), then SubWord, then Rcon.
    const t = SBOX[(w3 >>> 8) & 0xff] | (SBOX[(w3 >>> 16) & 0xff] << 8) | (SBOX[w3 >>> 24] << 16) | (SBOX[w3 & 0xff] << 24);
    w0 ^= t ^ rcon;
    w1 ^= w0;
    w2 ^= w1;
    w3 ^= w2;
    w[i] = w0;
    w[i + 1] = w1;
    w[i + 2] = w2;
    w[i + 3] = w3;
    rcon = xtime(rcon);
  }
  return w;
}
