/**
 * The Alipay host over a fake `my` that answers as Alipay's documentation says (tests/helpers/fake-my.ts),
 * and the device over it: what Alipay cannot do is off, and said, and what it can do works.
 */
import { randomBytes as nodeRandom } from 'node:crypto';
import { createDevice } from '../../miniprogram/device';
import { ALIPAY_VALUE_BYTES, createAlipayHost } from '../../miniprogram/host/alipay/host';
import { HostError } from '../../miniprogram/host/errors';
import { featuresOf } from '../../miniprogram/host/features';
import { EncounterLog, recordsPerDay } from '../../miniprogram/services/encounters';
import { DeviceStorage } from '../../miniprogram/services/storage';
import { decodeScanResult, encodeFrame } from '../../shared/protocol/ble';
import { toHex } from '../../shared/protocol/codec';
import { fakeMy } from '../helpers/fake-my';

const nodeSource = (a: Uint8Array) => void a.set(nodeRandom(a.length));
const settings = { backend: 'http' as const, serverUrl: 'https://prtc.example', publicKey: '' };

async function failure(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HostError) return e;
    throw e;
  }
  throw new Error('expected a HostError');
}

describe('Alipay host: capabilities as data', () => {
  test('central only, no canvas, 200 KB per key; a secure random source only where the engine has one', () => {
    const withRandom = createAlipayHost(fakeMy(), undefined, { random: nodeSource });
    expect(withRandom.capabilities).toEqual({
      advertise: null,
      scan: true,
      secureRandom: true,
      images: false,
      storageValueBytes: 204800,
      worker: false,
      background: { via: null, why: 'host' }, // no background running in Alipay's reference
      backgroundBeaconReadable: false,
      liveScan: false, // each frame of a move is one my.scan
    });
    expect(withRandom.background).toBeUndefined();
    expect(featuresOf(withRandom.capabilities)).toEqual({
      beacon: false,
      listen: true,
      keys: true,
      venues: true,
      background: false,
      liveScan: false,
    });
    const without = createAlipayHost(fakeMy(), undefined, { random: null });
    expect(featuresOf(without.capabilities)).toEqual({
      beacon: false,
      listen: true,
      keys: false,
      venues: false,
      background: false,
      liveScan: false,
    });
    // Alipay spells the platform 'iOS' / 'Android' and the language 'zh-Hant', 'zh-HK', 'en'
    expect(createAlipayHost(fakeMy({ platform: 'iOS', language: 'zh-Hant' }), undefined, { random: null }).platform).toBe('ios');
    expect(createAlipayHost(fakeMy({ platform: 'iOS', language: 'zh-Hant' }), undefined, { random: null }).language()).toBe('zh_TW');
    expect(createAlipayHost(fakeMy({ platform: 'Android', language: 'zh-HK' }), undefined, { random: null }).language()).toBe('zh_HK');
    expect(createAlipayHost(fakeMy({ platform: 'Android', language: 'en' }), undefined, { random: null }).language()).toBe('en');
  });

  test('random bytes come in the length asked, past the 65,536-byte Web Crypto limit; without a source the host refuses', async () => {
    const host = createAlipayHost(fakeMy(), undefined, { random: nodeSource });
    const big = await host.randomBytes(70000);
    expect(big.length).toBe(70000);
    expect(big.subarray(65536).some((b) => b !== 0)).toBe(true);
    const none = createAlipayHost(fakeMy(), undefined, { random: null });
    expect((await failure(none.randomBytes(32))).code).toBe('unsupported');
  });
});

describe('Alipay host: my.* shapes and error codes', () => {
  test('storage takes { key, data } and holds at most 200 KB per key; a refused write is storage_full and changes nothing', () => {
    const my = fakeMy();
    const host = createAlipayHost(my, undefined, { random: null });
    host.storage.set('a', 'x'.repeat(1000));
    expect(host.storage.get('a')).toBe('x'.repeat(1000));
    expect(() => host.storage.set('a', 'y'.repeat(ALIPAY_VALUE_BYTES + 1))).toThrow(expect.objectContaining({ code: 'storage_full' }));
    expect(host.storage.get('a')).toBe('x'.repeat(1000));
    // the 10 MB total: Alipay answers the sync call with an error object, not an exception
    for (let i = 0; i < 51; i++) my.store.set(`fill${i}`, 'z'.repeat(200 * 1024));
    expect(() => host.storage.set('b', 'w'.repeat(100 * 1024))).toThrow(expect.objectContaining({ code: 'storage_full' }));
    expect(host.storage.get('b')).toBeNull();
    host.storage.remove('a');
    expect(host.storage.get('a')).toBeNull();
  });

  test('my.scan: the code scanned, error 10 is the user cancelling', async () => {
    const my = fakeMy();
    const host = createAlipayHost(my, undefined, { random: null });
    my.nextScan = { code: 'https://prtc.example/v#abc' };
    await expect(host.scanCode()).resolves.toBe('https://prtc.example/v#abc');
    my.nextScan = { error: 10 };
    expect((await failure(host.scanCode())).code).toBe('cancelled');
    my.nextScan = { error: 11 };
    expect((await failure(host.scanCode())).code).toBe('unknown');
  });

  test('my.request: an HTTP error (19) is the server’s answer with its status and JSON body; 13 is a timeout, 11 and 12 the network', async () => {
    const my = fakeMy();
    const host = createAlipayHost(my, undefined, { random: null });
    my.network = () => ({
      fail: {
        error: 19,
        errorMessage: 'HTTP错误',
        status: 409,
        data: '{"error":{"code":"code_used"}}',
        headers: { 'Content-Type': 'application/json' },
      },
    });
    const r = await host.request({ method: 'POST', url: 'https://prtc.example/v1/upload', body: { a: 1 }, responseType: 'json' });
    expect(r).toEqual({ status: 409, headers: { 'content-type': 'application/json' }, json: { error: { code: 'code_used' } } });
    let sent: unknown;
    my.network = (o) => {
      sent = o;
      return { ok: { status: 200, headers: {}, data: '{"ok":true}' } };
    };
    await expect(
      host.request({ method: 'POST', url: 'https://prtc.example/x', body: { a: 1 }, responseType: 'json' }),
    ).resolves.toMatchObject({ status: 200, json: { ok: true } });
    // Alipay serialises an object body itself when the content type is JSON (my.request, data 参数说明)
    expect(sent).toMatchObject({ method: 'POST', data: { a: 1 }, headers: { 'content-type': 'application/json' }, dataType: 'text' });
    my.network = () => ({ fail: { error: 13, errorMessage: '超时' } });
    expect((await failure(host.request({ method: 'GET', url: 'https://prtc.example/h', responseType: 'json' }))).code).toBe('timeout');
    my.network = () => ({ fail: { error: 11, errorMessage: '无权跨域' } });
    expect((await failure(host.request({ method: 'GET', url: 'https://prtc.example/h', responseType: 'json' }))).code).toBe('network');
  });

  test('Bluetooth: no peripheral; openBluetoothAdapter 12 is Bluetooth off, 14 Alipay not allowed', async () => {
    const my = fakeMy();
    const host = createAlipayHost(my, undefined, { random: null });
    expect((await failure(host.bluetooth.open('peripheral'))).code).toBe('bluetooth_unsupported');
    expect((await failure(host.bluetooth.advertise({ connectable: false }, 'medium'))).code).toBe('bluetooth_unsupported');
    my.adapterError = 12;
    expect((await failure(host.bluetooth.open('central'))).code).toBe('bluetooth_off');
    my.adapterError = 14;
    expect((await failure(host.bluetooth.open('central'))).code).toBe('bluetooth_unauthorized');
  });

  test('a beacon heard as Alipay reports it (manufacturerData in hex) decodes to the rpi and aem that were sent', async () => {
    const my = fakeMy();
    const host = createAlipayHost(my, undefined, { random: null });
    const rpi = Uint8Array.from({ length: 16 }, (_, i) => i * 7 + 1);
    const aem = Uint8Array.of(9, 8, 7, 6);
    const frame = encodeFrame('M', rpi, aem);
    const payload = new Uint8Array(frame.manufacturerData![0].manufacturerSpecificData);
    const heard: ReturnType<typeof decodeScanResult>[] = [];
    await host.bluetooth.open('central');
    await host.bluetooth.startScan((results) => results.forEach((r) => heard.push(decodeScanResult(r))));
    // the company id 0xFFFF little-endian, then the frame: what a phone advertising frame M sends
    my.hear([{ deviceId: 'AA:BB', RSSI: -60, manufacturerData: 'ffff' + toHex(payload), advertisData: '0201060303f7ff' }]);
    expect(heard).toEqual([{ frame: 'M', rpi, aem, rssi: -60 }]);
  });
});

describe('the device on Alipay', () => {
  test('without a secure random source: no tek, tracing only listens, uploads and venue codes say why they are off', async () => {
    const my = fakeMy({ platform: 'Android', language: 'en' });
    const host = createAlipayHost(my, undefined, { random: null });
    const device = createDevice(host, settings);
    await device.start();
    try {
      expect([...my.store.keys()].filter((k) => k === 'prtc.tek')).toEqual([]);
      expect(device.view.features).toEqual({ beacon: false, listen: true, keys: false, venues: false, background: false, liveScan: false });
      await device.setConsent(true);
      expect((await device.startTracing()).ok).toBe(true);
      expect(device.view.tracing).toBe(true);
      expect(device.view.broadcasting).toBe(false);
      expect(my.calls).toContain('startBluetoothDevicesDiscovery');
      const up = await device.upload('ABCDEFGH23', [], false);
      expect(up).toEqual({ ok: false, code: 'unsupported', text: expect.stringContaining('no secure random source') });
      const venue = await device.createVenue({ name: 'Café', type: 1, minutes: 30, staff: false, event: null } as never);
      expect(venue).toMatchObject({ ok: false, code: 'unsupported' });
    } finally {
      await device.stopTracing();
      device.stop();
    }
  });

  test('with one: the tek is made and kept, and still nothing goes on air', async () => {
    const my = fakeMy();
    const device = createDevice(createAlipayHost(my, undefined, { random: nodeSource }), settings);
    await device.start();
    try {
      expect(my.store.get('prtc.tek')).toMatch(/"tek":"[0-9a-f]{64}"/);
      await device.setConsent(true);
      expect((await device.startTracing()).ok).toBe(true);
      expect(device.view.broadcasting).toBe(false);
    } finally {
      await device.stopTracing();
      device.stop();
    }
  });

  test('a day of the encounter log fits one 200 KB key: 4,798 records (hand-computed), the next is dropped, nothing refused', () => {
    // (204,800 − 64 bytes of envelope) × 3/4 base64 → 153,552 bytes / 32 per record = 4,798
    expect(recordsPerDay(ALIPAY_VALUE_BYTES)).toBe(4798);
    const my = fakeMy();
    const storage = new DeviceStorage(createAlipayHost(my, undefined, { random: null }));
    const log = new EncounterLog(storage);
    const t = 1_800_000_000;
    for (let i = 0; i < 4798; i++) {
      const rpi = new Uint8Array(16);
      new DataView(rpi.buffer).setUint32(0, i + 1);
      expect(log.record({ rpi, aem: new Uint8Array(4), rssi: -70 }, t)).toBe(true);
    }
    const extra = new Uint8Array(16).fill(0xee);
    expect(log.record({ rpi: extra, aem: new Uint8Array(4), rssi: -70 }, t)).toBe(false);
    log.flush();
    const stored = [...my.store.entries()].filter(([k]) => k.startsWith('prtc.enc.'));
    expect(stored).toHaveLength(1);
    expect(stored[0][1].length).toBeLessThanOrEqual(ALIPAY_VALUE_BYTES);
    expect(new EncounterLog(storage).count()).toBe(4798);
  });
});
