/**
 * The WeChat implementation of the host interface, over the `wx` object of a mini-program (the
 * real global in the weapp build, a simulated handset in tests). Callback APIs become promises;
 * WeChat's error codes become the host interface's (./errors.ts). docs/wechat-host.md lists every
 * WeChat rule this follows, with its documentation page.
 */
import { encode as encodePng } from 'fast-png';
import type { AdvertiseRequest } from '../../../shared/protocol/ble';
import { HostError } from '../errors';
import {
  languageOf,
  type BackgroundPermission,
  type Host,
  type HostBackground,
  type HostCapabilities,
  type HostScanResult,
  type HttpRequest,
  type HttpResponse,
  type Language,
  type Platform,
  type SettingsPage,
} from '../types';
import { fromWechatError } from './errors';
import type { JsRuntime } from '../runtime';
import { appLifecycle, brightnessKeeper, browserRuntime, httpAnswer, runtimeTimers } from '../runtime';
import type { WxApi, WxAsync, WxBLEPeripheralServer, WxBluetoothDevice, WxWorker } from './wx';

/** What the mini-program's JavaScript context gives besides `wx`: a clock and timers. */
export { browserRuntime, type JsRuntime } from '../runtime';

const PLATFORMS: readonly Platform[] = ['android', 'ios', 'ohos', 'ohos_pc', 'windows', 'mac', 'devtools'];

/**
 * What each platform can do with Bluetooth: manufacturer data in an advertisement is Android only
 * (AdvertiseReqObj.manufacturerData: "仅安卓支持，iOS 因系统限制无法定制"); iOS and HarmonyOS phones
 * advertise service UUIDs (frame U); WeChat on a desktop or in DevTools has no BLE peripheral.
 * The rest is what this `wx` has: wx.getRandomValues (base library 2.15.0; absent in plug-ins, api-limit:
 * "这些函数不存在于 wx 对象下"), wx.createOffscreenCanvas (2.16.1), wx.createWorker (1.9.90); 1 MB per storage key
 * (wx.setStorageSync).
 */
export function capabilitiesOf(
  platform: Platform,
  wx: Pick<WxApi, 'getRandomValues' | 'createOffscreenCanvas' | 'createWorker' | 'startLocationUpdateBackground'>,
): HostCapabilities {
  const radio: Pick<HostCapabilities, 'advertise' | 'scan'> =
    platform === 'android'
      ? { advertise: 'manufacturerData', scan: true }
      : platform === 'ios' || platform === 'ohos'
        ? { advertise: 'serviceUuids', scan: true }
        : { advertise: null, scan: false };
  // background: wx.startLocationUpdateBackground (base library 2.8.0; absent in plug-ins, whose host
  // says so itself: host/plugin/bridge.ts)
  const background: HostCapabilities['background'] = !radio.scan
    ? { via: null, why: 'no_radio' }
    : typeof wx.startLocationUpdateBackground === 'function'
      ? { via: 'location' }
      : { via: null, why: 'base_library' };
  return {
    ...radio,
    secureRandom: typeof wx.getRandomValues === 'function',
    images: typeof wx.createOffscreenCanvas === 'function',
    storageValueBytes: 1024 * 1024,
    worker: typeof wx.createWorker === 'function',
    background,
    // iOS puts a background peripheral's service UUIDs into the overflow area (CBPeripheralManager
    // startAdvertising): frame U's rpi UUID is unreadable there. Android's advertiser is the system's, unchanged.
    backgroundBeaconReadable: platform === 'android',
    // the camera component in scanCode mode (base library 2.1.0, below the 2.15.0 the tek needs); on
    // phones and in DevTools — WeChat's desktop clients are left out: we found no page saying they
    // have the camera component
    liveScan: platform !== 'windows' && platform !== 'mac',
  };
}

/**
 * Host.background over WeChat's background location (wx.startLocationUpdateBackground, base library
 * 2.8.0, scope.userLocationBackground; app.json requiredBackgroundModes ["location"] and, since
 * 2022-07-14, requiredPrivateInfos). It is used only because a mini-program using it keeps running in
 * the background (framework/runtime/operating-mechanism). The onLocationChange listener takes no
 * parameter: what WeChat passes it — a coordinate — is never read, kept or sent; only the fact that
 * an update arrived is told (the sign that WeChat still keeps the JavaScript running).
 */
function wechatBackground(wx: WxApi, call: <T>(name: string, opts: Record<string, unknown>) => Promise<T>): HostBackground {
  const alive = new Set<() => void>();
  const lost = new Set<() => void>();
  const onUpdate = () => {
    for (const cb of alive) cb();
  };
  const onError = () => {
    for (const cb of lost) cb();
  };
  let listening = false;
  const permission = async (): Promise<BackgroundPermission> => {
    if (!wx.getSetting) return 'unasked';
    const { authSetting } = await call<{ authSetting: Record<string, boolean> }>('getSetting', {});
    // authorize.html, 后台定位: "使用小程序期间和离开小程序后" sets scope.userLocationBackground;
    // "使用小程序期间" only scope.userLocation
    if (authSetting['scope.userLocationBackground'] === true) return 'always';
    if (authSetting['scope.userLocation'] === true) return 'while_using';
    if (authSetting['scope.userLocation'] === false || authSetting['scope.userLocationBackground'] === false) return 'denied';
    return 'unasked';
  };
  return {
    permission,
    async start() {
      try {
        await call('startLocationUpdateBackground', {});
      } catch (e) {
        if (e instanceof HostError && e.code === 'permission_denied') {
          // the scope is not asked with a prompt (authorize.html, 后台定位): the user sets it on the
          // settings page; which answer stands decides what to tell them
          const p = await permission().catch(() => 'unasked' as const);
          throw new HostError(p === 'while_using' ? 'background_while_using' : 'background_denied', e.detail);
        }
        throw e;
      }
      if (!listening) {
        wx.onLocationChange?.(onUpdate);
        wx.onLocationChangeError?.(onError);
        listening = true;
      }
    },
    async stop() {
      if (listening) {
        wx.offLocationChange?.(onUpdate);
        wx.offLocationChangeError?.(onError);
        listening = false;
      }
      await call('stopLocationUpdate', {}).catch(() => undefined);
    },
    onAlive(cb) {
      alive.add(cb);
      return () => alive.delete(cb);
    },
    onLost(cb) {
      lost.add(cb);
      return () => lost.delete(cb);
    },
  };
}

/**
 * Platform and language from wx.getDeviceInfo / wx.getAppBaseInfo (base library 2.20.1); older base
 * libraries have only wx.getSystemInfoSync, deprecated since.
 */
function systemOf(wx: WxApi): { platform: Platform; language: string } {
  const legacy = () => (wx.getSystemInfoSync ? wx.getSystemInfoSync() : {});
  const raw = (wx.getDeviceInfo ? wx.getDeviceInfo().platform : undefined) ?? legacy().platform ?? '';
  const language = (wx.getAppBaseInfo ? wx.getAppBaseInfo().language : undefined) ?? legacy().language ?? '';
  return { platform: (PLATFORMS as readonly string[]).includes(raw) ? (raw as Platform) : 'other', language };
}

type AsyncName = { [K in keyof WxApi]-?: NonNullable<WxApi[K]> extends WxAsync<infer _O, infer _T> ? K : never }[keyof WxApi];
type OptionsOf<K extends AsyncName> = NonNullable<WxApi[K]> extends WxAsync<infer O, infer _T> ? O : never;
type ResultOf<K extends AsyncName> = NonNullable<WxApi[K]> extends WxAsync<infer _O, infer T> ? T : never;

/** Calls a wx-style API with success/fail callbacks and resolves with what success got. */
function invoke<T>(owner: object, name: string, opts: Record<string, unknown>): Promise<T> {
  const fn = (owner as Record<string, unknown>)[name];
  if (typeof fn !== 'function') return Promise.reject(new HostError('unsupported', name));
  return new Promise<T>((resolve, reject) => {
    try {
      const r = fn.call(owner, { ...opts, success: (res: T) => resolve(res), fail: (err: unknown) => reject(fromWechatError(err)) });
      // Some base libraries also return a promise; its rejection is already handled by `fail`.
      if (r && typeof (r as Promise<unknown>).catch === 'function') (r as Promise<unknown>).catch(() => undefined);
    } catch (e) {
      reject(fromWechatError(e));
    }
  });
}

function call<K extends AsyncName>(wx: WxApi, name: K, opts: OptionsOf<K>): Promise<ResultOf<K>> {
  return invoke(wx, name, opts as Record<string, unknown>);
}

export interface WechatHostOptions {
  /** The WeChat cloud environment id the cloud functions live in (empty: the default environment). */
  cloudEnv?: string;
}

export function createWechatHost(wx: WxApi, js: JsRuntime = browserRuntime, options: WechatHostOptions = {}): Host {
  const info = systemOf(wx);
  const platform = info.platform;
  const capabilities = capabilitiesOf(platform, wx);
  /** The system's switches and WeChat's permissions, where the base library can tell (2.20.1+). */
  const systemSetting = () => (wx.getSystemSetting ? wx.getSystemSetting() : {});
  const appAuthorize = () => (wx.getAppAuthorizeSetting ? wx.getAppAuthorizeSetting() : {});
  let peripheral: WxBLEPeripheralServer | null = null;
  let foundListener: ((r: { devices: WxBluetoothDevice[] }) => void) | null = null;
  let cloudReady = false;
  let current: WxWorker | null = null;
  const adapterModes = new Set<string>();
  const server = (method: keyof WxBLEPeripheralServer, opts: Record<string, unknown> = {}) =>
    invoke(peripheral!, method, opts).then(() => undefined);

  return {
    platform,
    capabilities,
    language(): Language {
      return languageOf(info.language);
    },
    nowMs: () => js.now(),
    async randomBytes(n) {
      const r = await call(wx, 'getRandomValues', { length: n });
      const bytes = new Uint8Array(r.randomValues);
      if (bytes.length !== n) throw new HostError('unsupported', 'getRandomValues returned the wrong length');
      return bytes;
    },
    storage: {
      get(key) {
        try {
          const v = wx.getStorageSync(key);
          return typeof v === 'string' && v !== '' ? v : null;
        } catch {
          return null;
        }
      },
      set(key, value) {
        try {
          wx.setStorageSync(key, value);
        } catch (e) {
          throw fromWechatError(e);
        }
      },
      remove(key) {
        try {
          wx.removeStorageSync(key);
        } catch {
          /* already gone */
        }
      },
      info() {
        const i = wx.getStorageInfoSync();
        return { keys: i.keys ?? [], currentSizeKB: i.currentSize ?? 0, limitSizeKB: i.limitSize ?? 10240 };
      },
    },
    bluetooth: {
      async open(mode) {
        if (adapterModes.has(mode)) return;
        try {
          await call(wx, 'openBluetoothAdapter', { mode });
        } catch (e) {
          // Android reports a missing system permission as "not available" too: WeChat's own
          // permission tells the two apart (iOS says it in `state`, see ./errors.ts).
          if (e instanceof HostError && e.code === 'bluetooth_off' && appAuthorize().bluetoothAuthorized === 'denied') {
            throw new HostError('bluetooth_unauthorized', e.detail);
          }
          throw e;
        }
        adapterModes.add(mode);
      },
      async close() {
        adapterModes.clear();
        if (peripheral) {
          await server('close').catch(() => undefined);
          peripheral = null;
        }
        await call(wx, 'closeBluetoothAdapter', {}).catch(() => undefined);
      },
      async advertise(request: AdvertiseRequest, powerLevel) {
        if (!peripheral) peripheral = (await call(wx, 'createBLEPeripheralServer', {})).server;
        else await server('stopAdvertising').catch(() => undefined);
        await server('startAdvertising', { advertiseRequest: request, powerLevel });
      },
      async stopAdvertising() {
        if (peripheral) await server('stopAdvertising').catch(() => undefined);
      },
      async startScan(onFound, filter) {
        if (platform === 'android') {
          // Android 6+ scans only with the location switch on and WeChat allowed location; before
          // WeChat 8.0.16 the scan "succeeds" and finds nothing (startBluetoothDevicesDiscovery, 注意)
          if (systemSetting().locationEnabled === false) throw new HostError('location_off', 'getSystemSetting: locationEnabled false');
          if (appAuthorize().locationAuthorized === 'denied')
            throw new HostError('location_unauthorized', 'getAppAuthorizeSetting: locationAuthorized denied');
        }
        if (foundListener) {
          wx.offBluetoothDeviceFound?.(foundListener);
          await call(wx, 'stopBluetoothDevicesDiscovery', {}).catch(() => undefined);
        }
        foundListener = (r) => onFound((r.devices ?? []) as HostScanResult[]);
        wx.onBluetoothDeviceFound(foundListener);
        // `services`: "只搜索广播包有对应 UUID 的主服务的蓝牙设备" (startBluetoothDevicesDiscovery)
        await call(wx, 'startBluetoothDevicesDiscovery', {
          allowDuplicatesKey: true,
          interval: 0,
          powerLevel: 'high',
          ...(filter ? { services: filter.services } : {}),
        });
      },
      async stopScan() {
        if (foundListener) wx.offBluetoothDeviceFound?.(foundListener);
        foundListener = null;
        await call(wx, 'stopBluetoothDevicesDiscovery', {}).catch(() => undefined);
      },
      onStateChange(cb) {
        const l = (r: { available: boolean }) => cb(Boolean(r.available));
        wx.onBluetoothAdapterStateChange(l);
        return () => wx.offBluetoothAdapterStateChange?.(l);
      },
    },
    async scanCode() {
      const r = await call(wx, 'scanCode', { onlyFromCamera: true, scanType: ['qrCode'] });
      return r.result;
    },
    request(req: HttpRequest): Promise<HttpResponse> {
      return new Promise((resolve, reject) => {
        wx.request({
          url: req.url,
          method: req.method,
          data: req.body,
          header: { ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
          responseType: req.responseType === 'arraybuffer' ? 'arraybuffer' : 'text',
          dataType: req.responseType === 'json' ? 'json' : 'other',
          timeout: req.timeoutMs ?? 15000,
          success: (r) => resolve(httpAnswer(r.statusCode, r.header, r.data, req.responseType)),
          fail: (e) => reject(fromWechatError(e)),
        });
      });
    },
    worker: wx.createWorker
      ? {
          start(path) {
            // one worker at a time (wx.createWorker: "目前限制最多只能创建一个 Worker"); the experimental
            // worker runs JavaScript several times faster on iOS and may be reclaimed: onProcessKilled
            current?.terminate();
            const w = wx.createWorker!(path, { useExperimentalWorker: true });
            current = w;
            return {
              post: (m) => w.postMessage(m),
              onMessage: (cb) => w.onMessage(cb),
              onKilled: (cb) =>
                w.onProcessKilled?.(() => {
                  if (current === w) current = null;
                  cb();
                }),
              terminate: () => {
                if (current === w) current = null;
                w.terminate();
              },
            };
          },
        }
      : undefined,
    async callFunction(name, data) {
      const cloud = wx.cloud;
      if (!cloud) throw new HostError('unsupported', 'cloud');
      if (!cloudReady) {
        // traceUser: false — WeChat would otherwise record each user's visits in the cloud console
        cloud.init?.({ ...(options.cloudEnv ? { env: options.cloudEnv } : {}), traceUser: false });
        cloudReady = true;
      }
      try {
        return (await cloud.callFunction({ name, data })).result;
      } catch (e) {
        throw fromWechatError(e);
      }
    },
    screen: {
      keepOn: (on) => call(wx, 'setKeepScreenOn', { keepScreenOn: on }).then(() => undefined),
      // value < 0 restores: WeChat takes -1 ("follow the system") on Android only, so the brightness
      // before the code was shown is remembered and put back on every platform
      setBrightness: brightnessKeeper(
        () => call(wx, 'getScreenBrightness', {}).then((r) => r.value),
        (value) => call(wx, 'setScreenBrightness', { value }),
        platform === 'android' ? () => call(wx, 'setScreenBrightness', { value: -1 }) : undefined,
      ),
      hideFromCapture: (on) =>
        call(wx, 'setVisualEffectOnCapture', { visualEffect: on ? 'hidden' : 'none' }).then(
          () => undefined,
          () => undefined,
        ),
    },
    navigate: (url) => call(wx, 'navigateTo', { url }).then(() => undefined),
    // navigateBack fails on the first page of the stack — a page a scanned link opened directly
    // (wx.navigateBack: "cannot navigate back at first page"): then home, as a person means by "back"
    back: () =>
      call(wx, 'navigateBack', { delta: 1 }).then(
        () => undefined,
        () => call(wx, 'reLaunch', { url: '/pages/home/index' }).then(() => undefined),
      ),
    setTitle: (title) => call(wx, 'setNavigationBarTitle', { title }).then(() => undefined),
    background: capabilities.background.via === 'location' ? wechatBackground(wx, (name, opts) => invoke(wx, name, opts)) : undefined,
    lifecycle: appLifecycle(wx),
    timers: runtimeTimers(js),
    privacy: {
      onNeedAuthorization(cb) {
        // base libraries before 2.32.3 have no privacy gate: nothing to wait for
        wx.onNeedPrivacyAuthorization?.((resolve) => {
          cb((a) => resolve(a.agreed ? { event: 'agree', buttonId: a.buttonId } : { event: 'disagree' }));
        });
      },
      async require() {
        if (wx.requirePrivacyAuthorize) await call(wx, 'requirePrivacyAuthorize', {});
      },
      openContract: () => call(wx, 'openPrivacyContract', {}).then(() => undefined),
    },
    images: {
      async render(widthPx, heightPx, paint) {
        // wx.createOffscreenCanvas (base library 2.16.1): type '2d', read back with getImageData as
        // the page's own example does; canvasToTempFilePath is documented for canvas components only
        if (!wx.createOffscreenCanvas || !wx.getFileSystemManager || !wx.env)
          throw new HostError('unsupported', 'createOffscreenCanvas needs base library 2.16.1');
        const canvas = wx.createOffscreenCanvas({ type: '2d', width: widthPx, height: heightPx });
        const ctx = canvas.getContext('2d');
        paint(ctx);
        const pixels = ctx.getImageData(0, 0, widthPx, heightPx);
        const png = encodePng({ width: widthPx, height: heightPx, data: pixels.data, channels: 4, depth: 8 });
        // a fixed name per size: a new poster replaces the last one (USER_DATA_PATH is capped at 200 MB)
        const filePath = `${wx.env.USER_DATA_PATH}/poster-${widthPx}x${heightPx}.png`;
        const data = png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer;
        await invoke(wx.getFileSystemManager(), 'writeFile', { filePath, data });
        return filePath;
      },
      async saveToAlbum(path) {
        if (!wx.saveImageToPhotosAlbum) throw new HostError('unsupported', 'saveImageToPhotosAlbum');
        await call(wx, 'saveImageToPhotosAlbum', { filePath: path });
      },
    },
    async setClipboardData(text) {
      if (!wx.setClipboardData) throw new HostError('unsupported', 'setClipboardData');
      await call(wx, 'setClipboardData', { data: text });
    },
    chatFiles: {
      async share(fileName, text) {
        if (!wx.shareFileMessage || !wx.getFileSystemManager || !wx.env)
          throw new HostError('unsupported', 'shareFileMessage needs base library 2.16.1');
        // a fixed name: a new file replaces the last one (USER_DATA_PATH is capped at 200 MB)
        const filePath = `${wx.env.USER_DATA_PATH}/${fileName}`;
        await invoke(wx.getFileSystemManager(), 'writeFile', { filePath, data: text, encoding: 'utf8' });
        await call(wx, 'shareFileMessage', { filePath, fileName });
      },
      async pick() {
        const fs = wx.getFileSystemManager?.();
        if (!wx.chooseMessageFile || !fs?.readFile) throw new HostError('unsupported', 'chooseMessageFile needs base library 2.5.0');
        const r = await call(wx, 'chooseMessageFile', { count: 1, type: 'file', extension: ['txt'] });
        const file = r.tempFiles[0];
        if (!file) throw new HostError('cancelled', 'chooseMessageFile: no file');
        const read = await invoke<{ data: string | ArrayBuffer }>(fs, 'readFile', { filePath: file.path, encoding: 'utf8' });
        if (typeof read.data !== 'string') throw new HostError('unknown', 'readFile: not text');
        return read.data;
      },
    },
    openSettings(page: SettingsPage) {
      const api =
        page === 'mini_program' ? 'openSetting' : page === 'app_permissions' ? 'openAppAuthorizeSetting' : 'openSystemBluetoothSetting';
      if (api === 'openSystemBluetoothSetting' && platform !== 'android')
        return Promise.reject(new HostError('unsupported', 'openSystemBluetoothSetting is Android only'));
      return call(wx, api, {}).then(() => undefined);
    },
    sleep: (ms) => js.sleep(ms),
  };
}
