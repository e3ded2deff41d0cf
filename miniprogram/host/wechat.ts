/**
 * The WeChat implementation of the host interface, over Taro's wrappers of the wx.* APIs. Callback
 * APIs are wrapped in promises; host error codes become HostErrors with sentences users understand.
 */
import Taro from '@tarojs/taro';
import type { AdvertiseRequest } from '../../shared/ble';
import { fromWechatError, HostError } from './errors';
import type { Host, HostScanResult, HttpRequest, HttpResponse, Language, Platform } from './types';

type Api = (opts: Record<string, unknown>) => unknown;

/** Calls a wx-style API with success/fail callbacks and resolves with what success got. */
function call<T = Record<string, unknown>>(name: string, opts: Record<string, unknown> = {}): Promise<T> {
  const fn = (Taro as unknown as Record<string, Api | undefined>)[name];
  if (typeof fn !== 'function') return Promise.reject(new HostError('unsupported', name));
  return new Promise<T>((resolve, reject) => {
    try {
      const r = fn({ ...opts, success: (res: T) => resolve(res), fail: (err: unknown) => reject(fromWechatError(err)) });
      // Some Taro wrappers also return a promise; its rejection is already handled by `fail`.
      if (r && typeof (r as Promise<unknown>).catch === 'function') (r as Promise<unknown>).catch(() => undefined);
    } catch (e) {
      reject(fromWechatError(e));
    }
  });
}

interface PeripheralServer {
  startAdvertising(o: Record<string, unknown>): unknown;
  stopAdvertising(o?: Record<string, unknown>): unknown;
  close(o?: Record<string, unknown>): unknown;
}

function serverCall(server: PeripheralServer, method: 'startAdvertising' | 'stopAdvertising' | 'close', opts: Record<string, unknown> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      const r = server[method]({ ...opts, success: () => resolve(), fail: (e: unknown) => reject(fromWechatError(e)) });
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(() => resolve(), (e) => reject(fromWechatError(e)));
    } catch (e) {
      reject(fromWechatError(e));
    }
  });
}

export function createWechatHost(): Host {
  const info = Taro.getSystemInfoSync() as unknown as { platform?: string; language?: string };
  const platform: Platform = info.platform === 'android' || info.platform === 'ios' || info.platform === 'devtools' ? info.platform : 'other';
  let peripheral: PeripheralServer | null = null;
  let foundListener: ((r: { devices: HostScanResult[] }) => void) | null = null;
  let savedBrightness: number | null = null;
  let cloudReady = false;
  const adapterModes = new Set<string>();

  return {
    platform,
    language(): Language {
      return /^zh/i.test(info.language ?? '') ? 'zh' : 'en';
    },
    nowMs: () => Date.now(),
    async randomBytes(n) {
      const r = await call<{ randomValues: ArrayBuffer }>('getRandomValues', { length: n });
      const bytes = new Uint8Array(r.randomValues);
      if (bytes.length !== n) throw new HostError('unsupported', 'getRandomValues returned the wrong length');
      return bytes;
    },
    storage: {
      get(key) {
        try {
          const v = Taro.getStorageSync(key);
          return typeof v === 'string' && v !== '' ? v : null;
        } catch {
          return null;
        }
      },
      set(key, value) {
        try {
          Taro.setStorageSync(key, value);
        } catch (e) {
          throw fromWechatError(e);
        }
      },
      remove(key) {
        try { Taro.removeStorageSync(key); } catch { /* already gone */ }
      },
      info() {
        const i = Taro.getStorageInfoSync() as unknown as { keys: string[]; currentSize: number; limitSize: number };
        return { keys: i.keys ?? [], currentSizeKB: i.currentSize ?? 0, limitSizeKB: i.limitSize ?? 10240 };
      },
    },
    bluetooth: {
      async open(mode) {
        if (adapterModes.has(mode)) return;
        await call('openBluetoothAdapter', { mode });
        adapterModes.add(mode);
      },
      async close() {
        adapterModes.clear();
        if (peripheral) { await serverCall(peripheral, 'close').catch(() => undefined); peripheral = null; }
        await call('closeBluetoothAdapter').catch(() => undefined);
      },
      async advertise(request: AdvertiseRequest, powerLevel) {
        if (!peripheral) {
          const r = await call<{ server: PeripheralServer }>('createBLEPeripheralServer');
          peripheral = r.server;
        } else {
          await serverCall(peripheral, 'stopAdvertising').catch(() => undefined);
        }
        await serverCall(peripheral, 'startAdvertising', { advertiseRequest: request, powerLevel });
      },
      async stopAdvertising() {
        if (peripheral) await serverCall(peripheral, 'stopAdvertising').catch(() => undefined);
      },
      async startScan(onFound) {
        if (foundListener) (Taro as unknown as Record<string, (cb: unknown) => void>).offBluetoothDeviceFound?.(foundListener);
        foundListener = (r) => onFound(r.devices ?? []);
        Taro.onBluetoothDeviceFound(foundListener as never);
        await call('startBluetoothDevicesDiscovery', { allowDuplicatesKey: true, interval: 0, powerLevel: 'high' });
      },
      async stopScan() {
        if (foundListener) (Taro as unknown as Record<string, (cb: unknown) => void>).offBluetoothDeviceFound?.(foundListener);
        foundListener = null;
        await call('stopBluetoothDevicesDiscovery').catch(() => undefined);
      },
      onStateChange(cb) {
        const l = (r: { available: boolean }) => cb(Boolean(r.available));
        Taro.onBluetoothAdapterStateChange(l as never);
        return () => (Taro as unknown as Record<string, (cb: unknown) => void>).offBluetoothAdapterStateChange?.(l);
      },
    },
    async scanCode() {
      const r = await call<{ result: string }>('scanCode', { onlyFromCamera: true, scanType: ['qrCode'] });
      return r.result;
    },
    async request(req: HttpRequest): Promise<HttpResponse> {
      const r = await call<{ statusCode: number; data: unknown; header: Record<string, string> }>('request', {
        url: req.url,
        method: req.method,
        data: req.body,
        header: { ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
        responseType: req.responseType === 'arraybuffer' ? 'arraybuffer' : 'text',
        dataType: req.responseType === 'json' ? 'json' : 'other',
        timeout: req.timeoutMs ?? 15000,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.header ?? {})) headers[k.toLowerCase()] = String(v);
      if (req.responseType === 'arraybuffer') return { status: r.statusCode, headers, bytes: new Uint8Array(r.data as ArrayBuffer) };
      let json = r.data;
      if (typeof json === 'string') { try { json = JSON.parse(json); } catch { /* leave as text */ } }
      return { status: r.statusCode, headers, json };
    },
    async callFunction(name, data) {
      const cloud = (Taro as unknown as { cloud?: { init?(o: unknown): void; callFunction(o: unknown): Promise<{ result: unknown }> } }).cloud;
      if (!cloud) throw new HostError('unsupported', 'cloud');
      if (!cloudReady) {
        // traceUser: false — WeChat would otherwise record each user's visits in the cloud console
        cloud.init?.({ ...(PRTC_CLOUD_ENV ? { env: PRTC_CLOUD_ENV } : {}), traceUser: false });
        cloudReady = true;
      }
      try {
        return (await cloud.callFunction({ name, data })).result;
      } catch (e) {
        throw fromWechatError(e);
      }
    },
    screen: {
      keepOn: (on) => call('setKeepScreenOn', { keepScreenOn: on }).then(() => undefined),
      // value < 0 restores: WeChat takes -1 ("follow the system") on Android only, so the brightness
      // before the code was shown is remembered and put back on every platform
      async setBrightness(value) {
        if (value >= 0) {
          if (savedBrightness === null) savedBrightness = await call<{ value: number }>('getScreenBrightness').then((r) => r.value, () => -1);
          await call('setScreenBrightness', { value });
          return;
        }
        const restore = savedBrightness ?? -1;
        savedBrightness = null;
        if (restore >= 0) await call('setScreenBrightness', { value: restore });
        else if (platform === 'android') await call('setScreenBrightness', { value: -1 });
      },
      hideFromCapture: (on) => call('setVisualEffectOnCapture', { visualEffect: on ? 'hidden' : 'none' }).then(() => undefined, () => undefined),
    },
    navigate: (url) => call('navigateTo', { url }).then(() => undefined),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
