/**
 * The host interface over Alipay's `my` (opendocs.alipay.com/mini/api), for the build made with
 * @tarojs/plugin-platform-alipay. What Alipay cannot do is declared in `capabilities` and the
 * device turns the feature off (../features.ts):
 * - no BLE peripheral: Alipay's Bluetooth API is central only (open adapter, discover, connect), so
 *   the phone listens for beacons but puts none on air (advertise: null);
 * - no secure random source in Alipay's API reference (WeChat has wx.getRandomValues); the logic
 *   layer's `crypto.getRandomValues` is used where the engine has one, and without it the phone
 *   makes no tek (secureRandom: false);
 * - no documented off-screen canvas to file (images: false);
 * - storage: 200 KB per key, 10 MB in all (缓存 API 概览, 使用限制);
 * - no background running: tracing listens while the mini-program is on screen only.
 * Scan results carry advertisData / manufacturerData as hex strings; they become the ArrayBuffer the
 * protocol decoder reads. my.scan runs app.onHide → app.onShow around the camera (my.scan, 注意).
 */
import { fromHex } from '../../../shared/protocol/codec';
import { HostError } from '../errors';
import { appLifecycle, brightnessKeeper, browserRuntime, httpAnswer, runtimeTimers, type JsRuntime } from '../runtime';
import {
  languageOf,
  type Host,
  type HostCapabilities,
  type HostScanResult,
  type HttpRequest,
  type HttpResponse,
  type Platform,
  type SettingsPage,
} from '../types';
import { fromAlipayError, type MyApiFamily } from './errors';
import type { MyApi, MyAsync, MyBluetoothDevice, MyError } from './my';

/** Alipay's limit per storage key (缓存: "单个 key 允许存储的最大数据大小为 200KB"). */
export const ALIPAY_VALUE_BYTES = 200 * 1024;

/** The engine's Web Crypto random source, if the logic layer has one (Alipay documents none of its own). */
export type RandomSource = ((bytes: Uint8Array) => void) | null;

function engineRandom(): RandomSource {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  return typeof c?.getRandomValues === 'function' ? (a) => void c.getRandomValues!(a) : null;
}

function invoke<T>(my: MyApi, name: keyof MyApi, opts: Record<string, unknown>, family: MyApiFamily): Promise<T> {
  const fn = my[name] as unknown;
  if (typeof fn !== 'function') return Promise.reject(new HostError('unsupported', String(name)));
  return new Promise<T>((resolve, reject) => {
    try {
      (fn as MyAsync<Record<string, unknown>, T>).call(my, {
        ...opts,
        success: (r: T) => resolve(r),
        fail: (e: MyError) => reject(fromAlipayError(e, family)),
      });
    } catch (e) {
      reject(fromAlipayError(e, family));
    }
  });
}

function platformOf(raw: string | undefined): Platform {
  const p = (raw ?? '').toLowerCase();
  return p === 'android' ? 'android' : p === 'ios' ? 'ios' : p === 'devtools' || p === 'ide' ? 'devtools' : 'other';
}

function scanResultOf(d: MyBluetoothDevice): HostScanResult {
  const hex = d.manufacturerData ?? '';
  let advertisData: ArrayBuffer | null = null;
  if (/^([0-9a-f]{2})+$/i.test(hex)) {
    const b = fromHex(hex);
    advertisData = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  return { deviceId: d.deviceId, RSSI: d.RSSI, advertisData, advertisServiceUUIDs: d.advertisServiceUUIDs ?? null };
}

export interface AlipayHostOptions {
  /** The random source; by default the engine's crypto.getRandomValues when it has one. */
  random?: RandomSource;
}

export function createAlipayHost(my: MyApi, js: JsRuntime = browserRuntime, options: AlipayHostOptions = {}): Host {
  const info = my.getSystemInfoSync();
  const platform = platformOf(info.platform);
  const random = options.random === undefined ? engineRandom() : options.random;
  const capabilities: HostCapabilities = {
    advertise: null,
    scan: platform === 'android' || platform === 'ios',
    secureRandom: random !== null,
    images: false,
    storageValueBytes: ALIPAY_VALUE_BYTES,
    // my.createWorker exists, but this host does not use it yet: matching runs on the page thread
    worker: false,
    // Alipay's reference offers a mini-program no background running we could find (docs/hosts.md)
    background: { via: null, why: 'host' },
    backgroundBeaconReadable: false,
    // Alipay's camera has a scanCode mode too (Taro: CameraProps.onScanCode supports alipay), but this
    // host has not been tried with it: each frame of a move is one my.scan
    liveScan: false,
  };
  let adapterOpen = false;
  let foundListener: ((r: { devices: MyBluetoothDevice[] }) => void) | null = null;

  return {
    platform,
    capabilities,
    language: () => languageOf(info.language ?? ''),
    nowMs: () => js.now(),
    async randomBytes(n) {
      if (!random) throw new HostError('unsupported', 'no secure random source on this host');
      const out = new Uint8Array(n);
      // Web Crypto fills at most 65,536 bytes per call
      for (let at = 0; at < n; at += 65536) random(out.subarray(at, Math.min(n, at + 65536)));
      return out;
    },
    storage: {
      get(key) {
        try {
          const r = my.getStorageSync({ key });
          return typeof r?.data === 'string' && r.data !== '' ? r.data : null;
        } catch {
          return null;
        }
      },
      set(key, value) {
        // the per-key limit is checked here: Alipay's answer to an oversized value is not documented
        if (value.length > ALIPAY_VALUE_BYTES)
          throw new HostError('storage_full', `${key}: ${value.length} bytes, at most ${ALIPAY_VALUE_BYTES}`);
        let r: { error?: number; errorMessage?: string } | undefined;
        try {
          r = my.setStorageSync({ key, data: value });
        } catch (e) {
          throw new HostError('storage_full', String((e as Error)?.message ?? e));
        }
        if (r && typeof r.error === 'number') throw new HostError('storage_full', `${r.error} ${r.errorMessage ?? ''}`.trim());
      },
      remove(key) {
        try {
          my.removeStorageSync({ key });
        } catch {
          /* already gone */
        }
      },
      info() {
        const i = my.getStorageInfoSync();
        return { keys: i.keys ?? [], currentSizeKB: i.currentSize ?? 0, limitSizeKB: i.limitSize ?? 10240 };
      },
    },
    bluetooth: {
      async open(mode) {
        if (mode === 'peripheral') throw new HostError('bluetooth_unsupported', 'Alipay has no BLE peripheral API');
        if (adapterOpen) return;
        const r = await invoke<{ isSupportBLE?: boolean }>(my, 'openBluetoothAdapter', {}, 'bluetooth');
        if (r && r.isSupportBLE === false) throw new HostError('bluetooth_unsupported', 'isSupportBLE false');
        adapterOpen = true;
      },
      async close() {
        adapterOpen = false;
        await invoke(my, 'closeBluetoothAdapter', {}, 'bluetooth').catch(() => undefined);
      },
      advertise: () => Promise.reject(new HostError('bluetooth_unsupported', 'Alipay has no BLE peripheral API')),
      stopAdvertising: () => Promise.resolve(),
      async startScan(onFound, filter) {
        if (foundListener) my.offBluetoothDeviceFound?.(foundListener);
        foundListener = (r) => onFound((r.devices ?? []).map(scanResultOf));
        my.onBluetoothDeviceFound(foundListener);
        await invoke(
          my,
          'startBluetoothDevicesDiscovery',
          { allowDuplicatesKey: true, interval: 0, ...(filter ? { services: filter.services } : {}) },
          'bluetooth',
        );
      },
      async stopScan() {
        if (foundListener) my.offBluetoothDeviceFound?.(foundListener);
        foundListener = null;
        await invoke(my, 'stopBluetoothDevicesDiscovery', {}, 'bluetooth').catch(() => undefined);
      },
      onStateChange(cb) {
        const l = (r: { available: boolean }) => cb(Boolean(r.available));
        my.onBluetoothAdapterStateChange(l);
        return () => my.offBluetoothAdapterStateChange?.(l);
      },
    },
    async scanCode() {
      const r = await invoke<{ code?: string; qrCode?: string }>(my, 'scan', { scanType: ['qrCode'], hideAlbum: true }, 'scan');
      return r.qrCode ?? r.code ?? '';
    },
    request(req: HttpRequest): Promise<HttpResponse> {
      return new Promise((resolve, reject) => {
        my.request({
          url: req.url,
          method: req.method,
          data: req.body,
          headers: { ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
          // 'text' rather than 'json': an error answer's JSON body is parsed here, whatever its status
          dataType: req.responseType === 'arraybuffer' ? 'arraybuffer' : 'text',
          timeout: req.timeoutMs ?? 15000,
          success: (r) => resolve(httpAnswer(r.status, r.headers, r.data, req.responseType)),
          fail: (e) => {
            // error 19: the server answered with an HTTP error; its status and body are the answer
            if (e && e.error === 19 && typeof e.status === 'number') resolve(httpAnswer(e.status, e.headers, e.data, req.responseType));
            else reject(fromAlipayError(e, 'request'));
          },
        });
      });
    },
    screen: {
      keepOn: (on) => invoke(my, 'setKeepScreenOn', { keepScreenOn: on }, 'other').then(() => undefined),
      setBrightness: brightnessKeeper(
        () => invoke<{ brightness: number }>(my, 'getScreenBrightness', {}, 'other').then((r) => r.brightness),
        (brightness) => invoke(my, 'setScreenBrightness', { brightness }, 'other'),
      ),
      // Alipay documents no way to keep a page out of screenshots
      hideFromCapture: () => Promise.resolve(),
    },
    navigate: (url) => invoke(my, 'navigateTo', { url }, 'other').then(() => undefined),
    back: () =>
      invoke(my, 'navigateBack', { delta: 1 }, 'other').then(
        () => undefined,
        () => invoke(my, 'reLaunch', { url: '/pages/home/index' }, 'other').then(() => undefined),
      ),
    setTitle: (title) => invoke(my, 'setNavigationBar', { title }, 'other').then(() => undefined),
    lifecycle: appLifecycle(my),
    timers: runtimeTimers(js),
    // Alipay has no per-API privacy gate like WeChat's onNeedPrivacyAuthorization: nothing waits
    privacy: {
      onNeedAuthorization: () => undefined,
      require: () => Promise.resolve(),
      openContract: () => Promise.reject(new HostError('unsupported', 'Alipay has no privacy contract page')),
    },
    images: {
      render: () => Promise.reject(new HostError('unsupported', 'no off-screen canvas to file on Alipay')),
      saveToAlbum: () => Promise.reject(new HostError('unsupported', 'no off-screen canvas to file on Alipay')),
    },
    setClipboardData: (text) => invoke(my, 'setClipboard', { text }, 'other').then(() => undefined),
    openSettings(page: SettingsPage) {
      if (page === 'mini_program') return invoke(my, 'openSetting', {}, 'other').then(() => undefined);
      // my.showAuthGuide: Alipay's own guide to a system permission it lacks
      const authType = page === 'bluetooth' ? 'BLUETOOTH' : 'LBS';
      return invoke(my, 'showAuthGuide', { authType }, 'other').then(() => undefined);
    },
    sleep: (ms) => js.sleep(ms),
  };
}
