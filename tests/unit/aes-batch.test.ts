/**
 * The batch AES core (shared/protocol/_aes-tables.ts + the generated shared/protocol/_aes-batch.gen.ts) against
 * FIPS-197's published S-box entries and key expansion, and against two independent AES
 * implementations — Node's crypto (OpenSSL) and @noble/ciphers' ECB — over random keys, random
 * blocks and ENIN lists that cross every byte boundary the rounds-1–2 shortcut depends on.
 */
import { createCipheriv, getRandomValues, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ecb } from '@noble/ciphers/aes.js';
import { encryptBlocks } from '../../shared/protocol/_aes-batch.gen';
import { expandKey128, SBOX } from '../../shared/protocol/_aes-tables';
import { dayKeys, deriveRpis, PROFILES } from '../../shared/protocol/crypto';
import { renderAesBatch } from '../../tools/gen-aes-batch';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Node's AES-128-ECB over the blocks (w0, w1, w2, word) as little-endian words. */
function nodeBlocks(key: Uint8Array, w: [number, number, number], words: ArrayLike<number>): Buffer {
  const input = Buffer.alloc(16 * words.length);
  for (let q = 0; q < words.length; q++) {
    input.writeUInt32LE(w[0], 16 * q);
    input.writeUInt32LE(w[1], 16 * q + 4);
    input.writeUInt32LE(w[2], 16 * q + 8);
    input.writeUInt32LE(words[q], 16 * q + 12);
  }
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(input), c.final()]);
}

function core(key: Uint8Array, w: [number, number, number], words: ArrayLike<number>): Buffer {
  const out = new Uint32Array(4 * words.length);
  encryptBlocks(expandKey128(key), w[0], w[1], w[2], Uint32Array.from(words), out);
  return Buffer.from(out.buffer); // little-endian words, as on every test machine
}

const randomWords = (n: number) => [...getRandomValues(new Uint32Array(n))];
const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => (from + k) >>> 0);

describe('AES tables and key schedule against FIPS-197', () => {
  test('S-box entries published in FIPS-197 Figure 7, and it is a permutation', () => {
    expect(SBOX[0x00]).toBe(0x63);
    expect(SBOX[0x01]).toBe(0x7c);
    expect(SBOX[0x53]).toBe(0xed); // the worked example of §5.1.1
    expect(SBOX[0x9a]).toBe(0xb8);
    expect(SBOX[0xff]).toBe(0x16);
    expect(new Set(SBOX).size).toBe(256);
  });

  test('Appendix A.1 key expansion of 2b7e1516 28aed2a6 abf71588 09cf4f3c', () => {
    const w = expandKey128(Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex'));
    // FIPS lists words big-endian by byte; ours hold the same bytes little-endian.
    const be = (x: number) => Buffer.from(new Uint32Array([x]).buffer).toString('hex');
    expect(w.length).toBe(44);
    expect(be(w[4])).toBe('a0fafe17');
    expect(be(w[5])).toBe('88542cb1');
    expect(be(w[23])).toBe('11f915bc');
    expect(be(w[40])).toBe('d014f9a8');
    expect(be(w[43])).toBe('b6630ca6');
  });

  test('a key of the wrong length is refused', () => {
    expect(() => expandKey128(new Uint8Array(15))).toThrow(RangeError);
    expect(() => expandKey128(new Uint8Array(32))).toThrow(RangeError);
  });
});

describe('encryptBlocks against Node crypto and @noble/ciphers', () => {
  const lists: Record<string, number[]> = {
    empty: [],
    one: [7],
    two: [0x1ff, 0x200],
    three: [0xffff, 0x10000, 0x10001],
    'a day crossing a 256 boundary (odd start)': range(2955456 + 1, 143),
    'a whole day': range(2955456, 144),
    'a day and one more': range(2955456, 145),
    'crossing 2^16 and 2^24': [...range(0xfffe, 4), ...range(0xfffffe, 4)],
    'the top of the range': range(0xfffffff0, 16),
    'unsorted with repeats, lanes with different high bytes': [5, 0x12345678, 5, 0xabcdef01, 0x100, 0xff, 0x12345678, 0],
  };

  for (const [name, words] of Object.entries(lists)) {
    test(`${name} (${words.length} blocks), random keys and random constant words`, () => {
      for (let t = 0; t < 8; t++) {
        const key = randomBytes(16);
        const w = randomWords(3) as [number, number, number];
        expect(hex(core(key, w, words))).toBe(hex(nodeBlocks(key, w, words)));
      }
    });
  }

  test('1,000 random blocks in random order match @noble/ciphers ECB', () => {
    const key = randomBytes(16);
    const w: [number, number, number] = [0x43547250, 0x4950522d, 0];
    const words = randomWords(1000);
    const input = new Uint8Array(16 * words.length);
    const dv = new DataView(input.buffer);
    words.forEach((x, q) => {
      w.forEach((c, i) => dv.setUint32(16 * q + 4 * i, c, true));
      dv.setUint32(16 * q + 12, x, true);
    });
    const noble = ecb(key, { disablePadding: true }).encrypt(input);
    expect(hex(core(key, w, words))).toBe(hex(noble));
  });

  test('deriveRpis gives the same rpis for a plain array and a Uint32Array of ENINs, and checks plain ones', () => {
    const keys = dayKeys(PROFILES.prtc, randomBytes(32));
    const enins = range(2955456 + 100, 9);
    expect(hex(deriveRpis(keys, enins))).toBe(hex(deriveRpis(keys, Uint32Array.from(enins))));
    expect(() => deriveRpis(keys, [1, -1])).toThrow(/not a uint32/);
    expect(() => deriveRpis(keys, [2 ** 32])).toThrow(/not a uint32/);
    expect(() => deriveRpis(keys, [1.5])).toThrow(/not a uint32/);
  });
});

test('shared/protocol/_aes-batch.gen.ts is exactly what tools/gen-aes-batch.ts writes', () => {
  const file = readFileSync(join(__dirname, '../../shared/protocol/_aes-batch.gen.ts'), 'utf8');
  expect(file === renderAesBatch()).toBe(true);
});
