/**
 * A simulated handset running WeChat, for tests and the demo: its `wx` behaves like WeChat's API —
 * same options, same `{ errMsg, errCode, errno }` failures, and the rules of docs/wechat-host.md,
 * each switchable in `rules` so a test can show that it matters — over a simulated radio (the
 * shared SimWorld), camera, storage, screen, network and JavaScript timers. `host` is the real
 * WeChat host (../wechat) over that `wx`, exactly as the mini-program runs it. Tests drive the phone
 * through its knobs: the system's switches and permissions, the user's answers, the camera, the
 * network, the clock's skew, where the phone is, the app going to the background.
 * Platform-free: nothing here imports Node (HTTP goes through an injected transport).
 */
import type { AdvertiseRequest } from '../../shared/protocol/ble';
import { utf8Decode, utf8Encode } from '../../shared/protocol/codec';
import type { Host, Language, Platform } from '../../miniprogram/host/types';
import { createWechatHost } from '../../miniprogram/host/wechat/host';
import type {
  WxApi,
  WxAuthorized,
  WxBluetoothDevice,
  WxCallbacks,
  WxError,
  WxOffscreenCanvas,
  WxPrivacyResolve,
} from '../../miniprogram/host/wechat/wx';
import type { RadioPhone, SimWorld } from '../world';

/** One HTTP exchange as bytes on the wire (a real server on loopback behind it, in tests). */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

/** WeChat's storage limits (wx.setStorageSync): 1 MB a key, 10 MB in all. */
const KEY_LIMIT = 1024 * 1024;
const TOTAL_LIMIT = 10 * 1024 * 1024;
/** WeChat stops a background mini-program's JavaScript after about 5 s (运行机制, 挂起). */
export const SUSPEND_AFTER_MS = 5000;
/** wx.navigateTo: 小程序中页面栈最多十层. */
export const PAGE_STACK_LIMIT = 10;

/** The WeChat rules this handset enforces (docs/wechat-host.md has one row for each). */
export interface WeChatRules {
  /** Privacy-scoped APIs wait for the user's agreement to the privacy guide (PrivacyAuthorize.html). */
  privacyGate: boolean;
  /** Android 6+: scanning needs location permission and the location switch (startBluetoothDevicesDiscovery). */
  androidLocationForScan: boolean;
  /** iOS: a failed openBluetoothAdapter carries `state` (3 unauthorised, 4 off). */
  iosAdapterState: boolean;
  /** JavaScript is suspended about 5 s after the app goes to the background: timers stop, callbacks wait. */
  suspendInBackground: boolean;
  /** At most ten pages on the stack (wx.navigateTo). */
  pageStackLimit: boolean;
  /** 1 MB a key, 10 MB in all (wx.setStorageSync). */
  storageLimits: boolean;
  /** Manufacturer data in an advertisement is Android only (AdvertiseReqObj). */
  manufacturerDataAndroidOnly: boolean;
  /** The base library has wx.getDeviceInfo / getAppBaseInfo / getSystemSetting / getAppAuthorizeSetting (2.20.1+). */
  modernSystemInfo: boolean;
}

export const WECHAT_RULES: Readonly<WeChatRules> = Object.freeze({
  privacyGate: true,
  androidLocationForScan: true,
  iosAdapterState: true,
  suspendInBackground: true,
  pageStackLimit: true,
  storageLimits: true,
  manufacturerDataAndroidOnly: true,
  modernSystemInfo: true,
});

/** APIs behind the privacy gate, with the scope each also needs (the guide's "访问你的蓝牙" / album lists). */
const PRIVACY_SCOPED: Record<string, string | null> = {
  openBluetoothAdapter: 'scope.bluetooth',
  createBLEPeripheralServer: 'scope.bluetooth',
  // not named in the list we could read; the issue saw it gated: the stricter case is simulated
  scanCode: null,
  saveImageToPhotosAlbum: 'scope.writePhotosAlbum',
};

export interface SimOptions {
  name: string;
  platform?: Platform;
  language?: Language;
  random?: (n: number) => Uint8Array;
  transport?: Transport;
  position?: { x: number; y: number };
  /** WeChat cloud functions (wx.cloud.callFunction): name and data in, the function's result out. */
  cloud?: (name: string, data: Record<string, unknown>) => Promise<unknown>;
  rules?: Partial<WeChatRules>;
  /** The WeChat version (Android ≥ 8.0.16 fails a scan without location; older ones find nothing). */
  wechatVersion?: string;
  /**
   * A real 2D canvas for wx.createOffscreenCanvas({ type: '2d' }) (tests give @napi-rs/canvas);
   * without one the phone's base library lacks the API, as before 2.16.1.
   */
  canvas?: (width: number, height: number) => WxOffscreenCanvas;
  /**
   * A thread that runs a worker script of the built package (tests give Node's worker_threads,
   * testkit/node-worker.ts); without one this phone has no wx.createWorker.
   */
  worker?: (scriptPath: string) => SimWorkerThread;
}

/** What runs a worker script: messages in and out, and an end. */
export interface SimWorkerThread {
  postMessage(message: unknown): void;
  onMessage(cb: (message: unknown) => void): void;
  terminate(): void;
}

type Options = Record<string, unknown> & WxCallbacks<never>;

export class SimPhone implements RadioPhone {
  readonly name: string;
  readonly platform: Platform;
  language: Language;
  readonly rules: WeChatRules;
  readonly wechatVersion: string;
  /** How far this phone's clock is off the world's (ms); phones in the wild are not all on time. */
  clockSkewMs = 0;
  position: { x: number; y: number };
  /** WeChat's storage of this mini-program on this phone. */
  readonly store = new Map<string, string>();

  // the system's switches and what it lets WeChat do
  bluetoothOn = true;
  locationOn = true;
  appAuthorize: { bluetooth: WxAuthorized; location: WxAuthorized; album: WxAuthorized } = {
    bluetooth: 'authorized',
    location: 'authorized',
    album: 'authorized',
  };
  // the mini-program's permissions: undefined asks the user, who answers `scopeAnswer`
  scopes: Record<string, boolean | undefined> = {};
  scopeAnswer = true;
  // the privacy guide: declared by the operator in the admin console, agreed by the user
  privacy = { declared: true, agreed: false, officialPopupAnswer: 'agree' as 'agree' | 'disagree', tapped: new Set<string>() };
  /** Each privacy prompt WeChat raised: the API that asked. */
  readonly privacyPrompts: string[] = [];

  networkUp = true;
  /** How long the network takes to answer (ms, real time): a slow connection, to see the states of a request in flight. */
  networkDelayMs = 0;
  /** What the camera will "see" at the next scanCode() (null: the user cancels). */
  cameraQueue: (string | null)[] = [];
  screenState = { keepOn: false, brightness: -1, hiddenFromCapture: false };
  /** The page stack, the home page first. */
  readonly pages: string[] = ['/pages/home/index'];
  /** Every title set with wx.setNavigationBarTitle, in order. */
  readonly titles: string[] = [];
  /** Pages the user navigated to, most recent last. */
  readonly navigations: string[] = [];
  /** Settings pages the user was sent to (openSetting, openAppAuthorizeSetting, openSystemBluetoothSetting). */
  readonly settingsOpened: string[] = [];
  /** Files the mini-program wrote under USER_DATA_PATH (FileSystemManager.writeFile), by path. */
  readonly files = new Map<string, Uint8Array>();
  /** The photo album: every image saveImageToPhotosAlbum saved, as its file's bytes. */
  readonly album: Uint8Array[] = [];
  /** The advertisement this phone's peripheral server is sending, if any. */
  advertising: AdvertiseRequest | null = null;
  /** Whether the mini-program is on screen. */
  foreground = true;

  readonly wx: WxApi & Record<string, unknown>;
  readonly host: Host;

  private adapterOpen = new Set<string>();
  private discovering = false;
  private isSuspended = false;
  private queued: (() => void)[] = [];
  private workerRunning: (() => void) | null = null;
  private workerKill: (() => void) | null = null;

  /** The system reclaims the worker (WeChat: an experimental worker under memory pressure). */
  killWorker(): void {
    this.workerKill?.();
    this.workerKill = null;
  }
  private foundListeners = new Set<(r: { devices: WxBluetoothDevice[] }) => void>();
  private stateListeners = new Set<(r: { available: boolean; discovering: boolean }) => void>();
  private hideListeners = new Set<() => void>();
  private showListeners = new Set<() => void>();
  private privacyListener: ((resolve: WxPrivacyResolve, info: { referrer: string }) => void) | null = null;
  private random: (n: number) => Uint8Array;
  private transport: Transport;

  constructor(
    readonly world: SimWorld,
    opts: SimOptions,
  ) {
    this.name = opts.name;
    this.platform = opts.platform ?? 'android';
    this.language = opts.language ?? 'en';
    this.rules = { ...WECHAT_RULES, ...opts.rules };
    this.wechatVersion = opts.wechatVersion ?? '8.0.50';
    this.position = opts.position ?? { x: 0, y: 0 };
    this.random =
      opts.random ??
      ((n) => {
        const c = (globalThis as { crypto?: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto;
        if (!c) throw new Error('no crypto.getRandomValues: give the simulated phone a random source');
        return c.getRandomValues(new Uint8Array(n));
      });
    this.transport = opts.transport ?? (() => Promise.reject(new Error('no transport')));
    this.wx = this.makeWx(opts.cloud, opts.canvas, opts.worker);
    this.host = createWechatHost(this.wx, {
      now: () => this.nowMs(),
      // time passes in the simulated world, instantly
      sleep: async (ms) => this.world.advance(ms),
      every: (ms, fn) => this.world.addTimer(this, ms, fn, true),
      after: (ms, fn) => this.world.addTimer(this, ms, fn, false),
    });
    world.phones.push(this);
  }

  nowMs(): number {
    return this.world.timeMs + this.clockSkewMs;
  }

  /** The user turns Bluetooth off or on (WeChat reports it through onBluetoothAdapterStateChange). */
  setBluetooth(on: boolean): void {
    this.bluetoothOn = on;
    if (!on) {
      this.advertising = null;
      this.discovering = false;
    }
    this.deliverLater(() => {
      for (const l of this.stateListeners) l({ available: on, discovering: this.discovering });
    });
  }

  /** The user leaves the mini-program (home button, another app): App.onHide now, suspension 5 s later. */
  hide(): void {
    if (!this.foreground) return;
    this.foreground = false;
    for (const l of this.hideListeners) l();
    if (this.rules.suspendInBackground) {
      this.world.addTimer(
        null,
        SUSPEND_AFTER_MS,
        () => {
          if (!this.foreground) this.isSuspended = true;
        },
        false,
      );
    }
  }

  /** The user comes back: the JavaScript resumes, waiting callbacks run, then App.onShow. */
  show(): void {
    if (this.foreground) return;
    this.foreground = true;
    this.isSuspended = false;
    const waiting = this.queued.splice(0);
    for (const f of waiting) f();
    for (const l of this.showListeners) l();
  }

  /**
   * The global `setInterval` / `clearInterval` of a mini-program on this phone: intervals on the
   * world's clock that stop while the JavaScript is suspended (loadWeapp installs them for the build).
   */
  intervals(): { setInterval: (fn: () => void, ms: number) => number; clearInterval: (id: number) => void } {
    const cancels = new Map<number, () => void>();
    let next = 1;
    return {
      setInterval: (fn, ms) => {
        const id = next++;
        cancels.set(id, this.world.addTimer(this, ms, fn, true));
        return id;
      },
      clearInterval: (id) => {
        cancels.get(id)?.();
        cancels.delete(id);
      },
    };
  }

  /** The user taps the `<button open-type="agreePrivacyAuthorization" id=…>` (WeChat checks it was tapped). */
  tapPrivacyAgree(buttonId: string): void {
    this.privacy.tapped.add(buttonId);
  }

  // ---- the radio and the timers, as the world sees this phone
  onAir(): AdvertiseRequest | null {
    return this.bluetoothOn ? this.advertising : null;
  }
  scanning(): boolean {
    return this.bluetoothOn && this.discovering;
  }
  hear(devices: WxBluetoothDevice[]): void {
    this.deliverLater(() => {
      for (const l of this.foundListeners) l({ devices });
    });
  }
  suspended(): boolean {
    return this.isSuspended;
  }

  /** A callback into the mini-program: now, or when it comes back if its JavaScript is suspended. */
  private deliverLater(f: () => void): void {
    if (this.isSuspended) this.queued.push(f);
    else f();
  }

  // ---- wx
  private makeWx(cloud: SimOptions['cloud'], canvas: SimOptions['canvas'], thread: SimOptions['worker']): WxApi & Record<string, unknown> {
    /** A wx-style asynchronous API: answers on a later turn, through success or fail, then complete. */
    const api =
      (name: string, fn: (o: Options) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void) =>
      (options?: unknown) => {
        const o = (options ?? {}) as Options;
        Promise.resolve()
          .then(() => this.privacyCheck(name))
          .then(() => fn(o))
          .then(
            (r) =>
              this.deliverLater(() => {
                (o.success as ((x: unknown) => void) | undefined)?.({ errMsg: `${name}:ok`, ...(r ?? {}) });
                o.complete?.();
              }),
            (e: WxError | Error) =>
              this.deliverLater(() => {
                o.fail?.('errMsg' in e ? e : { errMsg: `${name}:fail ${e.message}` });
                o.complete?.();
              }),
          );
      };
    const fail = (name: string, what: string, extra: Partial<WxError> = {}): WxError => ({ errMsg: `${name}:fail ${what}`, ...extra });
    const checkAdapter = (name: string, mode: string) => {
      if (!this.adapterOpen.has(mode)) throw fail(name, 'not init', { errCode: 10000 });
      if (!this.bluetoothOn) throw fail(name, 'not available', { errCode: 10001 });
    };
    const server = {
      startAdvertising: api('startAdvertising', (o) => {
        checkAdapter('startAdvertising', 'peripheral');
        const req = o.advertiseRequest as AdvertiseRequest;
        if (this.rules.manufacturerDataAndroidOnly && this.platform !== 'android' && req.manufacturerData) {
          throw fail('startAdvertising', 'property not support', { errCode: 10007 });
        }
        this.advertising = req;
      }),
      stopAdvertising: api('stopAdvertising', () => {
        this.advertising = null;
      }),
      close: api('close', () => {
        this.advertising = null;
      }),
    };
    const legacyInfo = () => ({
      platform: this.platform === 'ohos' ? 'android' : this.platform, // old base libraries knew no HarmonyOS
      language: this.language,
      windowWidth: 375,
      windowHeight: 667,
      pixelRatio: 2,
      screenWidth: 375,
      screenHeight: 667,
      statusBarHeight: 20,
      SDKVersion: this.rules.modernSystemInfo ? '3.6.0' : '2.19.0',
      version: this.wechatVersion,
      brand: 'sim',
      model: 'sim',
      system: 'sim',
    });
    const storageFull = (key: string, value: string): string | null => {
      if (!this.rules.storageLimits) return null;
      if (value.length > KEY_LIMIT) return `setStorageSync:fail entry exceeds 1MB (${key})`;
      let total = value.length;
      for (const [k, v] of this.store) if (k !== key) total += v.length;
      return total > TOTAL_LIMIT ? 'setStorageSync:fail exceed storage max size 10MB' : null;
    };
    const wx: WxApi & Record<string, unknown> = {
      // what the Taro runtime reads while loading
      getSystemInfoSync: legacyInfo,
      getSystemInfo: api('getSystemInfo', legacyInfo),
      getWindowInfo: legacyInfo,
      nextTick: (f: () => void) => setTimeout(f, 0),
      canIUse: () => true,

      getRandomValues: api('getRandomValues', (o) => ({ randomValues: this.random(o.length as number).slice().buffer })),

      getStorageSync: (k: string) => this.store.get(k) ?? '',
      setStorageSync: (k: string, v: unknown) => {
        if (typeof v !== 'string')
          throw Object.assign(new Error('setStorageSync:fail data must be a string'), {
            errMsg: 'setStorageSync:fail data must be a string',
          });
        const full = storageFull(k, v);
        if (full) throw Object.assign(new Error(full), { errMsg: full });
        this.store.set(k, v);
      },
      removeStorageSync: (k: string) => {
        this.store.delete(k);
      },
      getStorageInfoSync: () => {
        let total = 0;
        for (const v of this.store.values()) total += v.length;
        return { keys: [...this.store.keys()], currentSize: Math.ceil(total / 1024), limitSize: TOTAL_LIMIT / 1024 };
      },

      openBluetoothAdapter: api('openBluetoothAdapter', (o) => {
        // the module is initialised even when the adapter is unavailable (wx.openBluetoothAdapter, 注意)
        this.adapterOpen.add((o.mode as string) ?? 'central');
        const ios = this.platform === 'ios' && this.rules.iosAdapterState;
        if (this.appAuthorize.bluetooth === 'denied')
          throw fail('openBluetoothAdapter', ':not available', { errCode: 10001, ...(ios ? { state: 3 } : {}) });
        if (!this.bluetoothOn) throw fail('openBluetoothAdapter', ':not available', { errCode: 10001, ...(ios ? { state: 4 } : {}) });
      }),
      closeBluetoothAdapter: api('closeBluetoothAdapter', () => {
        this.adapterOpen.clear();
        this.advertising = null;
        this.discovering = false;
      }),
      onBluetoothAdapterStateChange: (cb) => {
        this.stateListeners.add(cb);
      },
      offBluetoothAdapterStateChange: (cb) => {
        if (cb) this.stateListeners.delete(cb);
        else this.stateListeners.clear();
      },
      createBLEPeripheralServer: api('createBLEPeripheralServer', () => ({ server })),
      onBluetoothDeviceFound: (cb) => {
        this.foundListeners.add(cb);
      },
      offBluetoothDeviceFound: (cb) => {
        if (cb) this.foundListeners.delete(cb);
        else this.foundListeners.clear();
      },
      startBluetoothDevicesDiscovery: api('startBluetoothDevicesDiscovery', () => {
        checkAdapter('startBluetoothDevicesDiscovery', 'central');
        if (
          this.platform === 'android' &&
          this.rules.androidLocationForScan &&
          (!this.locationOn || this.appAuthorize.location === 'denied')
        ) {
          // before WeChat 8.0.16 the call succeeds and nothing is ever found
          if (versionBelow(this.wechatVersion, '8.0.16')) return;
          if (!this.locationOn) throw fail('startBluetoothDevicesDiscovery', ':location service is disabled', { errCode: -1 });
          throw fail('startBluetoothDevicesDiscovery', ':location permission is denied', { errCode: -1 });
        }
        this.discovering = true;
      }),
      stopBluetoothDevicesDiscovery: api('stopBluetoothDevicesDiscovery', () => {
        this.discovering = false;
      }),

      scanCode: api('scanCode', () => {
        const v = this.cameraQueue.shift();
        if (v === undefined || v === null) throw fail('scanCode', 'cancel');
        return { result: v, scanType: 'QR_CODE' };
      }),

      request: (o) => {
        const body = o.data === undefined || o.method === 'GET' ? undefined : utf8Encode(JSON.stringify(o.data));
        const sent = this.networkUp
          ? this.transport({ method: o.method ?? 'GET', url: o.url, headers: { ...(o.header ?? {}) }, body })
          : Promise.reject(new Error('network is down'));
        const delay = this.networkDelayMs;
        const go = delay > 0 ? sent.then((r) => new Promise<typeof r>((res) => setTimeout(() => res(r), delay))) : sent;
        go.then(
          (r) =>
            this.deliverLater(() => {
              let data: unknown;
              if (o.responseType === 'arraybuffer') data = r.body.slice().buffer;
              else {
                const text = utf8Decode(r.body);
                data = text;
                if (o.dataType === 'json') {
                  try {
                    data = JSON.parse(text);
                  } catch {
                    data = text;
                  }
                }
              }
              o.success?.({ statusCode: r.status, data, header: r.headers });
              o.complete?.();
            }),
          (e: Error) =>
            this.deliverLater(() => {
              o.fail?.({ errMsg: `request:fail ${e.message}` });
              o.complete?.();
            }),
        );
        return { abort: () => undefined, onHeadersReceived: () => undefined, offHeadersReceived: () => undefined };
      },

      setKeepScreenOn: api('setKeepScreenOn', (o) => {
        this.screenState.keepOn = o.keepScreenOn as boolean;
      }),
      setScreenBrightness: api('setScreenBrightness', (o) => {
        this.screenState.brightness = o.value as number;
      }),
      // the phone's own setting is 0.4 while nothing overrides it (-1)
      getScreenBrightness: api('getScreenBrightness', () => ({
        value: this.screenState.brightness < 0 ? 0.4 : this.screenState.brightness,
      })),
      setVisualEffectOnCapture: api('setVisualEffectOnCapture', (o) => {
        this.screenState.hiddenFromCapture = o.visualEffect === 'hidden';
      }),

      navigateTo: api('navigateTo', (o) => {
        if (this.rules.pageStackLimit && this.pages.length >= PAGE_STACK_LIMIT) throw fail('navigateTo', 'webview count limit exceed');
        this.pages.push(o.url as string);
        this.navigations.push(o.url as string);
      }),
      navigateBack: api('navigateBack', (o) => {
        const delta = Math.max(1, (o.delta as number) ?? 1);
        if (this.pages.length <= 1) throw fail('navigateBack', 'cannot navigate back at first page.');
        this.pages.splice(Math.max(1, this.pages.length - delta));
      }),
      reLaunch: api('reLaunch', (o) => {
        this.pages.splice(0, this.pages.length, o.url as string);
        this.navigations.push(o.url as string);
      }),
      setNavigationBarTitle: api('setNavigationBarTitle', (o) => {
        this.titles.push(o.title as string);
      }),

      onAppHide: (cb) => {
        this.hideListeners.add(cb);
      },
      offAppHide: (cb) => {
        if (cb) this.hideListeners.delete(cb);
        else this.hideListeners.clear();
      },
      onAppShow: (cb) => {
        this.showListeners.add(cb);
      },
      offAppShow: (cb) => {
        if (cb) this.showListeners.delete(cb);
        else this.showListeners.clear();
      },

      // "覆盖式注册监听": a new listener replaces the old one
      onNeedPrivacyAuthorization: (cb) => {
        this.privacyListener = cb;
      },
      requirePrivacyAuthorize: api('requirePrivacyAuthorize', async () => {
        await this.privacyCheck('requirePrivacyAuthorize', true);
      }),
      openPrivacyContract: api('openPrivacyContract', () => {
        this.settingsOpened.push('privacyContract');
      }),
      getPrivacySetting: api('getPrivacySetting', () => ({
        needAuthorization: this.rules.privacyGate && this.privacy.declared && !this.privacy.agreed,
        privacyContractName: '《PrTC 健康码小程序隐私保护指引》',
      })),

      openSetting: api('openSetting', () => {
        this.settingsOpened.push('openSetting');
        return { authSetting: Object.fromEntries(Object.entries(this.scopes).filter(([, v]) => v !== undefined)) };
      }),
      openAppAuthorizeSetting: api('openAppAuthorizeSetting', () => {
        this.settingsOpened.push('openAppAuthorizeSetting');
      }),
      openSystemBluetoothSetting: api('openSystemBluetoothSetting', () => {
        if (this.platform !== 'android') throw fail('openSystemBluetoothSetting', 'not support');
        this.settingsOpened.push('openSystemBluetoothSetting');
      }),
    };
    if (this.rules.modernSystemInfo) {
      wx.getDeviceInfo = () => ({ platform: this.platform, system: 'sim' });
      wx.getAppBaseInfo = () => ({ language: legacyInfo().language, SDKVersion: legacyInfo().SDKVersion, version: this.wechatVersion });
      wx.getSystemSetting = () => ({ bluetoothEnabled: this.bluetoothOn, locationEnabled: this.locationOn });
      wx.getAppAuthorizeSetting = () => ({
        bluetoothAuthorized: this.appAuthorize.bluetooth,
        locationAuthorized: this.appAuthorize.location,
        albumAuthorized: this.appAuthorize.album,
      });
    }
    // Without a canvas this phone's base library predates 2.16.1: createOffscreenCanvas is absent
    // (and so is what a poster needs next to it)
    wx.env = { USER_DATA_PATH: USER_DATA_PATH };
    if (canvas) {
      // wx.createOffscreenCanvas (base library 2.16.1): the type must be given and kept
      wx.createOffscreenCanvas = (o: { type: string; width: number; height: number }) => {
        if (o.type !== '2d') throw new Error('this simulation draws 2d canvases only');
        return canvas(o.width, o.height);
      };
      // FileSystemManager.writeFile: only under USER_DATA_PATH ("fail permission denied" elsewhere)
      wx.getFileSystemManager = () => ({
        writeFile: api('writeFile', (o) => {
          const path = o.filePath as string;
          if (!path.startsWith(`${USER_DATA_PATH}/`)) throw fail('writeFile', `permission denied, open ${path}`);
          const data = o.data;
          this.files.set(path, typeof data === 'string' ? utf8Encode(data) : new Uint8Array((data as ArrayBuffer).slice(0)));
        }),
      });
    }
    if (thread) {
      // wx.createWorker (1.9.90): one worker at a time ("目前限制最多只能创建一个 Worker，创建下一个
      // Worker 前请先调用 Worker.terminate"), a path without a leading '/', messages copied by
      // serialising them (postMessage: "必须是一个可序列化的 JavaScript 对象"), answers delivered to a
      // suspended mini-program when it comes back; killWorker() is the system reclaiming an
      // experimental worker (onProcessKilled)
      wx.createWorker = (scriptPath: string) => {
        if (this.workerRunning) throw new Error('createWorker:fail exceed max concurrent workers limit');
        if (scriptPath.startsWith('/')) throw new Error('createWorker:fail scriptPath must not start with /');
        const t = thread(scriptPath);
        const copy = (m: unknown) => JSON.parse(JSON.stringify(m)) as unknown;
        let killed: (() => void) | null = null;
        const end = () => {
          if (this.workerRunning === end) this.workerRunning = null;
          t.terminate();
        };
        this.workerRunning = end;
        this.workerKill = () => {
          end();
          this.deliverLater(() => killed?.());
        };
        return {
          postMessage: (m: object) => t.postMessage(copy(m)),
          onMessage: (cb: (m: unknown) => void) => t.onMessage((m) => this.deliverLater(() => cb(copy(m)))),
          onProcessKilled: (cb: () => void) => {
            killed = cb;
          },
          terminate: end,
        };
      };
    }
    // wx.saveImageToPhotosAlbum: scope.writePhotosAlbum behind the privacy guide (api() checks both); a local path only
    wx.saveImageToPhotosAlbum = api('saveImageToPhotosAlbum', (o) => {
      const bytes = this.files.get(o.filePath as string);
      if (!bytes) throw fail('saveImageToPhotosAlbum', 'file not found');
      if (this.appAuthorize.album === 'denied') throw fail('saveImageToPhotosAlbum', 'auth denied', { errno: 103 });
      this.album.push(bytes);
    });
    if (cloud) wx.cloud = { init: () => undefined, callFunction: async ({ name, data }) => ({ result: await cloud(name, data) }) };
    return wx;
  }

  /**
   * The privacy gate (PrivacyAuthorize.html) and the API's scope (authorize.html), before a
   * privacy-scoped API runs: not declared → errno 112; not agreed → the app's listener is asked (or
   * WeChat's own popup), the call waits, and a refusal fails it with errno 104; a refused scope fails
   * with "auth deny".
   */
  private async privacyCheck(name: string, always = false): Promise<void> {
    if (!always && !(name in PRIVACY_SCOPED)) return;
    if (this.rules.privacyGate) {
      if (!this.privacy.declared) throw { errMsg: `${name}:fail api scope is not declared in the privacy agreement`, errno: 112 };
      if (!this.privacy.agreed) {
        this.privacyPrompts.push(name);
        const agreed = await new Promise<boolean>((resolve) => {
          const listener = this.privacyListener;
          if (!listener) return resolve(this.privacy.officialPopupAnswer === 'agree');
          let answered = false;
          listener(
            (r) => {
              if (answered || r.event === 'exposureAuthorization') return;
              answered = true;
              // "基础库会检查对应的同意按钮是否被点击过"
              resolve(r.event === 'agree' && this.privacy.tapped.has(r.buttonId));
            },
            { referrer: name },
          );
        });
        if (!agreed) throw { errMsg: `${name}:fail privacy permission is not authorized`, errno: 104 };
        this.privacy.agreed = true;
      }
    }
    const scope = PRIVACY_SCOPED[name];
    if (!scope) return;
    if (this.scopes[scope] === undefined) this.scopes[scope] = this.scopeAnswer;
    if (!this.scopes[scope]) throw { errMsg: `${name}:fail auth deny`, errno: 103 };
  }
}

/** Where the simulated WeChat keeps the mini-program's own files (wx.env.USER_DATA_PATH). */
const USER_DATA_PATH = 'wxfile://usr';

function versionBelow(v: string, than: string): boolean {
  const a = v.split('.').map(Number);
  const b = than.split('.').map(Number);
  for (let k = 0; k < Math.max(a.length, b.length); k++) if ((a[k] ?? 0) !== (b[k] ?? 0)) return (a[k] ?? 0) < (b[k] ?? 0);
  return false;
}
