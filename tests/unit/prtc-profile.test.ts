/**
 * The prtc profile against a second, independent implementation written here with Node's own
 * crypto (HKDF, AES-128-ECB, AES-128-CTR), over random keys and the edges of a day.
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { toHex, uint32LE } from '../../shared/protocol/codec';
import {
  cryptAem,
  dayKeys,
  decodeMetadata,
  deriveAemk,
  deriveDayRpis,
  deriveRpis,
  diagnosisKeyForDay,
  encodeMetadata,
  generateTek,
  PROFILES,
} from '../../shared/protocol/crypto';
import { dayInterval, enin, ROLLING_PERIOD } from '../../shared/protocol/time';

const ref = {
  aemk(tek: Uint8Array, i: number): Buffer {
    const info = Buffer.concat([Buffer.from('PrTC', 'utf8'), Buffer.from(uint32LE(i))]);
    return Buffer.from(hkdfSync('sha256', tek, Buffer.alloc(0), info, 32));
  },
  rpi(aemk: Buffer, j: number): Buffer {
    const block = Buffer.alloc(16);
    block.write('PrTC-RPI', 0, 'utf8');
    block.writeUInt32LE(j, 12);
    const c = createCipheriv('aes-128-ecb', aemk.subarray(0, 16), null);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(block), c.final()]);
  },
  aem(aemk: Buffer, rpi: Buffer, metadata: Buffer): Buffer {
    const c = createCipheriv('aes-128-ctr', aemk.subarray(16, 32), rpi);
    return Buffer.concat([c.update(metadata), c.final()]);
  },
};

const today = dayInterval(enin(Date.UTC(2026, 10, 23, 12) / 1000));

describe('prtc profile vs an independent implementation on Node crypto', () => {
  test.each(Array.from({ length: 8 }, (_, k) => k))('random tek #%i: aemk, rpis at the day edges, aems', () => {
    const tek = new Uint8Array(randomBytes(32));
    for (const i of [today - 13 * ROLLING_PERIOD, today]) {
      const aemk = deriveAemk(tek, i);
      const expAemk = ref.aemk(tek, i);
      expect(toHex(aemk)).toBe(expAemk.toString('hex'));
      const keys = dayKeys(PROFILES.prtc, aemk);
      const edges = [i, i + 1, i + 71, i + 142, i + 143];
      const rpis = deriveRpis(keys, edges);
      const md = encodeMetadata(-12);
      edges.forEach((j, k) => {
        const rpi = rpis.subarray(16 * k, 16 * k + 16);
        const expRpi = ref.rpi(expAemk, j);
        expect(toHex(rpi)).toBe(expRpi.toString('hex'));
        expect(toHex(cryptAem(keys, rpi, md))).toBe(ref.aem(expAemk, expRpi, Buffer.from(md)).toString('hex'));
      });
    }
  });

  test('the whole day matches rpi by rpi', () => {
    const aemk = new Uint8Array(randomBytes(32));
    const all = deriveDayRpis(dayKeys(PROFILES.prtc, aemk), today);
    for (let k = 0; k < 144; k++) {
      expect(toHex(all.subarray(16 * k, 16 * k + 16))).toBe(ref.rpi(Buffer.from(aemk), today + k).toString('hex'));
    }
  });

  test('a day key must be aligned to a day', () => {
    expect(() => diagnosisKeyForDay(PROFILES.prtc, new Uint8Array(32).fill(1), today + 1)).toThrow(/multiple of 144/);
  });

  test('tek comes from the injected CRNG, and a broken all-zero RNG is refused', () => {
    const fixed = new Uint8Array(32).fill(7);
    expect(generateTek(PROFILES.prtc, () => fixed)).toEqual(fixed);
    expect(() => generateTek(PROFILES.prtc, (n) => new Uint8Array(n))).toThrow(/only zero/);
    expect(() => generateTek(PROFILES.prtc, () => new Uint8Array(16).fill(1))).toThrow(/32 bytes/);
  });

  test('metadata: version byte 0x40, tx power as int8', () => {
    expect(toHex(encodeMetadata(8))).toBe('40080000');
    expect(toHex(encodeMetadata(-20))).toBe('40ec0000');
    expect(decodeMetadata(Uint8Array.of(0x40, 0xec, 0, 0))).toEqual({ major: 1, minor: 0, txPower: -20 });
    expect(decodeMetadata(Uint8Array.of(0x80, 0, 0, 0))).toBeNull();
    expect(() => encodeMetadata(200)).toThrow();
  });
});

describe('properties', () => {
  test('rpis of one day never repeat', () => {
    for (let n = 0; n < 20; n++) {
      const rpis = deriveDayRpis(dayKeys(PROFILES.prtc, new Uint8Array(randomBytes(32))), today);
      const set = new Set<string>();
      for (let k = 0; k < 144; k++) set.add(toHex(rpis.subarray(16 * k, 16 * k + 16)));
      expect(set.size).toBe(144);
    }
  });

  test("one day's aemk reveals nothing of another day: keys and rpis are unrelated", () => {
    const tek = new Uint8Array(randomBytes(32));
    const a = deriveAemk(tek, today);
    const b = deriveAemk(tek, today - ROLLING_PERIOD);
    const ra = deriveDayRpis(dayKeys(PROFILES.prtc, a), today);
    const rb = deriveDayRpis(dayKeys(PROFILES.prtc, b), today); // same ENINs, the other day's key
    const seen = new Set<string>();
    for (let k = 0; k < 144; k++) seen.add(toHex(ra.subarray(16 * k, 16 * k + 16)));
    let bits = 0;
    for (let k = 0; k < 144; k++) {
      expect(seen.has(toHex(rb.subarray(16 * k, 16 * k + 16)))).toBe(false);
      for (let q = 0; q < 16; q++) {
        let x = ra[16 * k + q] ^ rb[16 * k + q];
        while (x) {
          bits += x & 1;
          x >>= 1;
        }
      }
    }
    // Unrelated 128-bit values differ in 64 bits on average; 144 pairs give 9216 ± ~68 (1 sigma).
    expect(bits / 144).toBeGreaterThan(60);
    expect(bits / 144).toBeLessThan(68);
    let keyBits = 0;
    for (let q = 0; q < 32; q++) {
      let x = a[q] ^ b[q];
      while (x) {
        keyBits += x & 1;
        x >>= 1;
      }
    }
    expect(keyBits).toBeGreaterThan(80);
    expect(keyBits).toBeLessThan(176);
  });
});
