/**
 * `wx` for miniprogram-simulate, backed by a SimulatedHost: the real WeChat host adapter (over
 * Taro) runs against it exactly as it would against WeChat, while Bluetooth, the camera and storage
 * are simulated and HTTP goes to a real server on loopback.
 */
import http from 'node:http';
import type { SimulatedHost } from '../../miniprogram/host/simulated';
import { HostError } from '../../miniprogram/host/errors';

type Opts = Record<string, any>;
type Cb = (r: any) => void;

function toWxError(api: string, e: unknown) {
  const h = e instanceof HostError ? e : new HostError('unknown', String(e));
  if (typeof h.code === 'number') return { errCode: h.code, errMsg: `${api}:fail ${h.detail || h.message}` };
  if (h.code === 'unauthorized') return { errno: 103, errMsg: `${api}:fail auth deny` };
  if (h.code === 'cancelled') return { errMsg: `${api}:fail cancel` };
  if (h.code === 'storage_full') return { errMsg: `${api}:fail exceed storage max size 10MB` };
  return { errMsg: `${api}:fail ${h.detail || h.message}` };
}

function wrap(api: string, fn: (o: Opts) => Promise<any> | any) {
  return (o: Opts = {}) => {
    Promise.resolve()
      .then(() => fn(o))
      .then((r) => { o.success?.({ errMsg: `${api}:ok`, ...(r ?? {}) }); o.complete?.(); },
        (e) => { o.fail?.(toWxError(api, e)); o.complete?.(); });
  };
}

function httpRequest(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface FakeWxOptions {
  /** The server URL pinned in the build, rewritten to the test server. */
  builtUrl?: string;
  serverUrl: string;
  language?: string;
}

export function makeWx(host: SimulatedHost, opts: FakeWxOptions): Record<string, unknown> {
  const found = new Set<Cb>();
  const builtUrl = opts.builtUrl ?? 'http://127.0.0.1:8080';
  const server = {
    startAdvertising: wrap('startAdvertising', (o) => host.bluetooth.advertise(o.advertiseRequest)),
    stopAdvertising: wrap('stopAdvertising', () => host.bluetooth.stopAdvertising()),
    close: wrap('close', () => host.bluetooth.stopAdvertising()),
  };
  const info = {
    platform: host.platform, language: opts.language ?? 'en', windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375,
    screenHeight: 667, statusBarHeight: 20, SDKVersion: '3.6.0', version: '8.0.50', brand: 'sim', model: 'sim', system: 'sim',
  };
  return {
    getSystemInfoSync: () => info,
    getSystemInfo: wrap('getSystemInfo', () => info),
    getWindowInfo: () => info,
    getDeviceInfo: () => info,
    getAppBaseInfo: () => info,
    nextTick: (f: () => void) => setTimeout(f, 0),
    canIUse: () => true,
    getStorageSync: (k: string) => host.storage.get(k) ?? '',
    setStorageSync: (k: string, v: unknown) => {
      try { host.storage.set(k, v as string); } catch (e) { throw Object.assign(new Error('setStorageSync:fail'), toWxError('setStorageSync', e)); }
    },
    removeStorageSync: (k: string) => host.storage.remove(k),
    getStorageInfoSync: () => {
      const i = host.storage.info();
      return { keys: i.keys, currentSize: i.currentSizeKB, limitSize: i.limitSizeKB };
    },
    getRandomValues: wrap('getRandomValues', async (o) => ({ randomValues: (await host.randomBytes(o.length)).slice().buffer })),
    openBluetoothAdapter: wrap('openBluetoothAdapter', (o) => host.bluetooth.open(o.mode ?? 'central')),
    closeBluetoothAdapter: wrap('closeBluetoothAdapter', () => host.bluetooth.close()),
    onBluetoothAdapterStateChange: (cb: Cb) => host.bluetooth.onStateChange((available) => cb({ available, discovering: false })),
    offBluetoothAdapterStateChange: () => undefined,
    createBLEPeripheralServer: wrap('createBLEPeripheralServer', () => ({ server })),
    onBluetoothDeviceFound: (cb: Cb) => { found.add(cb); },
    offBluetoothDeviceFound: (cb: Cb) => { found.delete(cb); },
    startBluetoothDevicesDiscovery: wrap('startBluetoothDevicesDiscovery', () => host.bluetooth.startScan((devices) => found.forEach((l) => l({ devices })))),
    stopBluetoothDevicesDiscovery: wrap('stopBluetoothDevicesDiscovery', () => host.bluetooth.stopScan()),
    scanCode: wrap('scanCode', async () => ({ result: await host.scanCode(), scanType: 'QR_CODE' })),
    setKeepScreenOn: wrap('setKeepScreenOn', (o) => host.screen.keepOn(o.keepScreenOn)),
    setScreenBrightness: wrap('setScreenBrightness', (o) => host.screen.setBrightness(o.value)),
    // the simulated phone's own setting is 0.4 while nothing overrides it (-1)
    getScreenBrightness: wrap('getScreenBrightness', () => ({ value: host.screenState.brightness < 0 ? 0.4 : host.screenState.brightness })),
    setVisualEffectOnCapture: wrap('setVisualEffectOnCapture', (o) => host.screen.hideFromCapture(o.visualEffect === 'hidden')),
    navigateTo: wrap('navigateTo', (o) => host.navigate(o.url)),
    request: (o: Opts) => {
      const url = String(o.url).replace(builtUrl, opts.serverUrl);
      const body = o.data === undefined || o.method === 'GET' ? undefined : JSON.stringify(o.data);
      httpRequest(url, o.method ?? 'GET', { ...(o.header ?? {}) }, body).then((r) => {
        let data: unknown = r.body;
        if (o.responseType === 'arraybuffer') data = r.body.buffer.slice(r.body.byteOffset, r.body.byteOffset + r.body.length);
        else {
          const text = r.body.toString('utf8');
          data = text;
          if (o.dataType === 'json') { try { data = JSON.parse(text); } catch { data = text; } }
        }
        o.success?.({ statusCode: r.status, data, header: r.headers, errMsg: 'request:ok' });
        o.complete?.();
      }, (e) => { o.fail?.({ errMsg: `request:fail ${e.message}` }); o.complete?.(); });
      return { abort: () => undefined, onHeadersReceived: () => undefined, offHeadersReceived: () => undefined };
    },
  };
}
