import {
  compareBytes,
  fromBase64url,
  fromHex,
  toBase64url,
  toHex,
  utf8Decode,
  utf8Encode,
  readUint32LE,
  uint32LE,
} from '../../shared/protocol/codec';
import { decodeScanResult, encodeFrame, rpiToUuid } from '../../shared/protocol/ble';
import { PrtcError } from '../../shared/errors';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('codecs', () => {
  test('base64url: RFC 4648 §10 vectors, unpadded', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, enc] of cases) {
      expect(toBase64url(ascii(plain))).toBe(enc);
      expect(fromBase64url(enc)).toEqual(ascii(plain));
    }
    expect(toBase64url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  test("base64url of long inputs equals Node's encoder, at and around the encoder's 8,192-character chunks", () => {
    // 6,144 bytes make exactly one chunk of characters; the lengths around it end a chunk with a
    // partial group or start a new one with it
    for (const n of [6142, 6143, 6144, 6145, 6146, 12288, 12289, 320168]) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 131 + (i >> 7) * 17) & 255;
      const expected = Buffer.from(bytes).toString('base64url');
      const enc = toBase64url(bytes);
      expect(enc.length).toBe(expected.length);
      expect(enc === expected).toBe(true);
      expect(fromBase64url(enc)).toEqual(bytes);
    }
  });

  test('base64url rejects padding, the standard alphabet, junk and non-canonical tails', () => {
    for (const bad of ['Zg==', 'Zm+v', 'Zm/v', 'Z', 'Zh', 'Zm9v\n', 'Zm 9', 'é']) {
      expect(() => fromBase64url(bad)).toThrow(PrtcError);
    }
    expect(() => fromBase64url('Zm9v', 4)).toThrow(/4 bytes/);
  });

  test('hex round trip and rejection', () => {
    expect(toHex(fromHex('00ff10Ab'))).toBe('00ff10ab');
    for (const bad of ['0', 'zz', '0x00', ' 00']) expect(() => fromHex(bad)).toThrow(PrtcError);
  });

  test('uint32 LE', () => {
    expect(toHex(uint32LE(0x01020304))).toBe('04030201');
    expect(readUint32LE(Uint8Array.of(0xff, 0xff, 0xff, 0xff), 0)).toBe(0xffffffff);
    expect(() => uint32LE(-1)).toThrow(PrtcError);
    expect(() => uint32LE(2 ** 32)).toThrow(PrtcError);
    expect(() => readUint32LE(Uint8Array.of(1, 2, 3), 0)).toThrow(/uint32/);
  });

  test('UTF-8 against known encodings, strict decoding', () => {
    expect(toHex(utf8Encode('健康码'))).toBe('e581a5e5bab7e7a081');
    expect(toHex(utf8Encode('a😀'))).toBe('61f09f9880');
    expect(utf8Decode(fromHex('e581a5e5bab7e7a081'))).toBe('健康码');
    for (const bad of ['c0af', 'e080af', 'eda080', 'f4908080', 'e581', 'ff', '80']) {
      expect(() => utf8Decode(fromHex(bad))).toThrow(/UTF-8/);
    }
  });

  test('bytewise order', () => {
    expect(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 255))).toBeGreaterThan(0);
  });
});

describe('BLE frames', () => {
  const rpi = fromHex('8be6cd371c5c891604bfbe49df845096');
  const aem = fromHex('72033874');

  test('frame M: 23 bytes of manufacturer data under 0xFFFF, round trip with and without company id', () => {
    const req = encodeFrame('M', rpi, aem);
    expect(req.serviceUuids).toBeUndefined();
    const m = req.manufacturerData![0];
    expect(m.manufacturerId).toBe('0xFFFF');
    const data = new Uint8Array(m.manufacturerSpecificData);
    expect(toHex(data)).toBe('505401' + '8be6cd371c5c891604bfbe49df845096' + '72033874');
    const bare = decodeScanResult({ advertisData: data.slice().buffer, RSSI: -61 });
    expect(bare).toEqual({ frame: 'M', rpi, aem, rssi: -61 });
    const withCompany = new Uint8Array(25);
    withCompany.set([0xff, 0xff]);
    withCompany.set(data, 2);
    expect(decodeScanResult({ advertisData: withCompany.buffer, RSSI: -70 })).toEqual({ frame: 'M', rpi, aem, rssi: -70 });
  });

  test('frame U: marker + rpi as a 128-bit UUID in canonical text order, aem null', () => {
    const req = encodeFrame('U', rpi, null);
    expect(req.serviceUuids).toEqual(['FFF7', '8BE6CD37-1C5C-8916-04BF-BE49DF845096']);
    expect(req.manufacturerData).toBeUndefined();
    expect(decodeScanResult({ advertisServiceUUIDs: req.serviceUuids, RSSI: -50 })).toEqual({ frame: 'U', rpi, aem: null, rssi: -50 });
    // iOS-style full base UUID for the marker, lower case rpi
    const ios = ['0000FFF7-0000-1000-8000-00805F9B34FB', rpiToUuid(rpi).toLowerCase()];
    expect(decodeScanResult({ advertisServiceUUIDs: ios, RSSI: -50 })?.rpi).toEqual(rpi);
  });

  test('frame S: the marker as the only service UUID, rpi || aem as 20 bytes under 0xFFFF; read with and without company id', () => {
    const req = encodeFrame('S', rpi, aem);
    expect(req.serviceUuids).toEqual(['FFF7']);
    expect(req.connectable).toBe(false);
    const m = req.manufacturerData![0];
    expect(m.manufacturerId).toBe('0xFFFF');
    const data = new Uint8Array(m.manufacturerSpecificData);
    expect(toHex(data)).toBe('8be6cd371c5c891604bfbe49df845096' + '72033874');
    // Android reports the marker as a full base UUID, iOS as "FFF7"; hosts differ on the company id
    for (const uuids of [['0000fff7-0000-1000-8000-00805f9b34fb'], ['FFF7']]) {
      expect(decodeScanResult({ advertisData: data.slice().buffer, advertisServiceUUIDs: uuids, RSSI: -61 })).toEqual({
        frame: 'S',
        rpi,
        aem,
        rssi: -61,
      });
      const withCompany = Uint8Array.from([0xff, 0xff, ...data]);
      expect(decodeScanResult({ advertisData: withCompany.buffer, advertisServiceUUIDs: uuids, RSSI: -70 })?.frame).toBe('S');
    }
    // 20 bytes of someone's manufacturer data without our marker are not ours; nor ours under another marker
    expect(decodeScanResult({ advertisData: data.slice().buffer, RSSI: -61 })).toBeNull();
    expect(decodeScanResult({ advertisData: data.slice().buffer, advertisServiceUUIDs: ['FFF7'], RSSI: -61 }, 'FFF8')).toBeNull();
    expect(
      decodeScanResult({ advertisData: Uint8Array.from([0x4c, 0x00, ...data]).buffer, advertisServiceUUIDs: ['FFF7'], RSSI: -61 }),
    ).toBeNull();
    expect(() => encodeFrame('S', rpi, null)).toThrow(PrtcError);
  });

  test('truncated, altered and foreign advertisements are rejected without throwing', () => {
    const data = new Uint8Array(encodeFrame('M', rpi, aem).manufacturerData![0].manufacturerSpecificData);
    const rejects = [
      { advertisData: data.slice(0, 22).buffer, RSSI: -60 }, // truncated
      { advertisData: Uint8Array.from([...data, 0]).buffer, RSSI: -60 }, // trailing byte
      { advertisData: Uint8Array.from([0x4c, 0x00, ...data]).buffer, RSSI: -60 }, // Apple's company id
      { advertisData: Uint8Array.from([0x50, 0x54, 0x02, ...data.slice(3)]).buffer, RSSI: -60 }, // version 2
      { advertisData: new ArrayBuffer(0), RSSI: -60 },
      { advertisData: data.slice().buffer, RSSI: 'strong' as unknown as number },
      { advertisData: data.slice().buffer }, // no RSSI
      { advertisServiceUUIDs: ['FD6F'], RSSI: -60 }, // GAEN service, not ours
      { advertisServiceUUIDs: ['FFF7'], RSSI: -60 }, // marker only
      { advertisServiceUUIDs: ['180F', rpiToUuid(rpi)], RSSI: -60 }, // no marker
      { advertisServiceUUIDs: ['FFF7', 'not-a-uuid'], RSSI: -60 },
      { advertisServiceUUIDs: ['FFF7', rpiToUuid(rpi), rpiToUuid(aem.length ? fromHex('00'.repeat(16)) : rpi)], RSSI: -60 },
      null,
      'garbage',
    ];
    for (const r of rejects) expect(decodeScanResult(r as never)).toBeNull();
  });

  test('encode refuses what no frame can carry', () => {
    expect(() => encodeFrame('M', rpi, null)).toThrow(PrtcError);
    expect(() => encodeFrame('U', rpi.slice(1), null)).toThrow(PrtcError);
    expect(() => encodeFrame('X' as never, rpi, aem)).toThrow(/unknown frame/);
  });
});
