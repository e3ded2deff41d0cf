/**
 * The crypto core against published, independent expectations: the Exposure Notification
 * Cryptography Specification v1.2 test vectors (gaen profile), RFC 5869 HKDF-SHA256 test cases, and
 * the FIPS-197 AES-128 examples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex } from '../../shared/protocol/codec';
import { aes128EncryptBlock, cryptAem, dayKeys, deriveDayRpis, deriveRpi, hkdfSha256, PROFILES } from '../../shared/protocol/crypto';

function loadGaenVectors() {
  const lines = readFileSync(join(__dirname, '../fixtures/gaen-vectors.txt'), 'utf8').split('\n');
  const header: Record<string, string> = {};
  const adv: { rpi: string; aem: string }[] = [];
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    const [a, b] = line.split(' ');
    if (/^[0-9a-f]{32}$/.test(a)) adv.push({ rpi: a, aem: b });
    else header[a] = b;
  }
  return { header, adv };
}

describe('GAEN v1.2 published test vectors (profile gaen)', () => {
  const { header, adv } = loadGaenVectors();
  const tek = fromHex(header.tek);
  const start = Number(header.enin);
  const keys = dayKeys(PROFILES.gaen, tek);

  test('the fixture holds the 144 intervals of the key', () => {
    expect(adv).toHaveLength(144);
    expect(start).toBe(1585785600 / 600);
  });

  test('RPIK and AEMK', () => {
    expect(toHex(keys.rpik)).toBe(header.rpik);
    expect(toHex(keys.mk)).toBe(header.aemk);
  });

  test('every rpi of the day, derived in one batch', () => {
    const rpis = deriveDayRpis(keys, start);
    for (let k = 0; k < 144; k++) expect(toHex(rpis.subarray(16 * k, 16 * k + 16))).toBe(adv[k].rpi);
  });

  test('every aem, and decryption returns the metadata', () => {
    const metadata = fromHex(header.metadata);
    for (let k = 0; k < 144; k++) {
      const rpi = deriveRpi(keys, start + k);
      const aem = cryptAem(keys, rpi, metadata);
      expect(toHex(aem)).toBe(adv[k].aem);
      expect(toHex(cryptAem(keys, rpi, aem))).toBe(header.metadata);
    }
  });
});

describe('RFC 5869 HKDF-SHA256', () => {
  const range = (a: number, b: number) => Uint8Array.from({ length: b - a + 1 }, (_, k) => a + k);
  test('test case 1', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), range(0x00, 0x0c), range(0xf0, 0xf9), 42);
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });
  test('test case 2 (long inputs)', () => {
    const okm = hkdfSha256(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82);
    expect(toHex(okm)).toBe(
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
    );
  });
  test('test case 3 (empty salt and info, as the protocol uses)', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), new Uint8Array(0), new Uint8Array(0), 42);
    expect(toHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });
});

describe('FIPS-197 AES-128', () => {
  test('Appendix C.1 example vector', () => {
    const ct = aes128EncryptBlock(fromHex('000102030405060708090a0b0c0d0e0f'), fromHex('00112233445566778899aabbccddeeff'));
    expect(toHex(ct)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });
  test('Appendix B cipher example', () => {
    const ct = aes128EncryptBlock(fromHex('2b7e151628aed2a6abf7158809cf4f3c'), fromHex('3243f6a8885a308d313198a2e0370734'));
    expect(toHex(ct)).toBe('3925841d02dc09fbdc118597196a0b32');
  });
});
