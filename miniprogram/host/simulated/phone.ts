/**
 * A simulated handset running WeChat, for tests and the demo: its `wx` behaves like WeChat's API
 * (same options, same `{ errMsg, errCode }` failures) over a simulated radio (the shared SimWorld),
 * camera, storage, screen and network; `host` is the real WeChat host (../wechat) over that `wx`,
 * exactly as the mini-program runs it. The test drives the phone through its knobs: Bluetooth on or
 * off, permissions, what the camera sees, the network, the clock's skew, where the phone is.
 * Platform-free: nothing here imports Node (HTTP goes through an injected transport).
 */
import type { AdvertiseRequest } from '../../../shared/protocol/ble';
import { utf8Decode, utf8Encode } from '../../../shared/protocol/codec';
import type { Host, Language, Platform } from '../types';
import { createWechatHost } from '../wechat/host';
import type { WxApi, WxBluetoothDevice, WxCallbacks, WxError } from '../wechat/wx';
import type { RadioPhone, SimWorld } from './world';

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

export interface SimOptions {
  name: string;
  platform?: Platform;
  language?: Language;
  random?: (n: number) => Uint8Array;
  transport?: Transport;
  position?: { x: number; y: number };
  /** WeChat cloud functions (wx.cloud.callFunction): name and data in, the function's result out. */
  cloud?: (name: string, data: Record<string, unknown>) => Promise<unknown>;
}

type Options = Record<string, unknown> & WxCallbacks<never>;

export class SimPhone implements RadioPhone {
  readonly name: string;
  readonly platform: Platform;
  language: Language;
  /** How far this phone's clock is off the world's (ms); phones in the wild are not all on time. */
  clockSkewMs = 0;
  position: { x: number; y: number };
  /** WeChat's storage of this mini-program on this phone. */
  readonly store = new Map<string, string>();
  bluetoothOn = true;
  bluetoothAuthorized = true;
  networkUp = true;
  /** What the camera will "see" at the next scanCode() (null: the user cancels). */
  cameraQueue: (string | null)[] = [];
  screenState = { keepOn: false, brightness: -1, hiddenFromCapture: false };
  /** Pages the user navigated to, most recent last. */
  readonly navigations: string[] = [];
  /** The advertisement this phone's peripheral server is sending, if any. */
  advertising: AdvertiseRequest | null = null;
  readonly wx: WxApi & Record<string, unknown>;
  readonly host: Host;

  private adapterOpen = new Set<string>();
  private discovering = false;
  private foundListeners = new Set<(r: { devices: WxBluetoothDevice[] }) => void>();
  private stateListeners = new Set<(r: { available: boolean; discovering: boolean }) => void>();
  private random: (n: number) => Uint8Array;
  private transport: Transport;

  constructor(
    readonly world: SimWorld,
    opts: SimOptions,
  ) {
    this.name = opts.name;
    this.platform = opts.platform ?? 'android';
    this.language = opts.language ?? 'en';
    this.position = opts.position ?? { x: 0, y: 0 };
    this.random =
      opts.random ??
      ((n) => {
        const c = (globalThis as { crypto?: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto;
        if (!c) throw new Error('no crypto.getRandomValues: give the simulated phone a random source');
        return c.getRandomValues(new Uint8Array(n));
      });
    this.transport = opts.transport ?? (() => Promise.reject(new Error('no transport')));
    this.wx = this.makeWx(opts.cloud);
    this.host = createWechatHost(this.wx, {
      now: () => this.nowMs(),
      // time passes in the simulated world, instantly
      sleep: async (ms) => {
        this.world.advance(ms);
      },
    });
    world.phones.push(this);
  }

  nowMs(): number {
    return this.world.timeMs + this.clockSkewMs;
  }

  /** The user turns Bluetooth off or on. */
  setBluetooth(on: boolean): void {
    this.bluetoothOn = on;
    if (!on) {
      this.advertising = null;
      this.discovering = false;
      this.adapterOpen.clear();
    }
    for (const l of this.stateListeners) l({ available: on, discovering: this.discovering });
  }

  // ---- the radio, as the world sees this phone
  onAir(): AdvertiseRequest | null {
    return this.bluetoothOn ? this.advertising : null;
  }
  scanning(): boolean {
    return this.bluetoothOn && this.discovering;
  }
  hear(devices: WxBluetoothDevice[]): void {
    for (const l of this.foundListeners) l({ devices });
  }

  // ---- wx
  private makeWx(cloud: SimOptions['cloud']): WxApi & Record<string, unknown> {
    /** A wx-style asynchronous API: answers on a later turn, through success or fail, then complete. */
    const api =
      (name: string, fn: (o: Options) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void) =>
      (options?: unknown) => {
        const o = (options ?? {}) as Options;
        Promise.resolve()
          .then(() => fn(o))
          .then(
            (r) => {
              (o.success as ((x: unknown) => void) | undefined)?.({ errMsg: `${name}:ok`, ...(r ?? {}) });
              o.complete?.();
            },
            (e: WxError | Error) => {
              o.fail?.('errMsg' in e ? e : { errMsg: `${name}:fail ${e.message}` });
              o.complete?.();
            },
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
        // iOS advertises service UUIDs only (PROTOCOL §4)
        if (this.platform === 'ios' && req.manufacturerData) throw fail('startAdvertising', 'property not support', { errCode: 10007 });
        this.advertising = req;
      }),
      stopAdvertising: api('stopAdvertising', () => {
        this.advertising = null;
      }),
      close: api('close', () => {
        this.advertising = null;
      }),
    };
    const info = () => ({
      platform: this.platform,
      language: this.language === 'zh' ? 'zh_CN' : 'en',
      windowWidth: 375,
      windowHeight: 667,
      pixelRatio: 2,
      screenWidth: 375,
      screenHeight: 667,
      statusBarHeight: 20,
      SDKVersion: '3.6.0',
      version: '8.0.50',
      brand: 'sim',
      model: 'sim',
      system: 'sim',
    });
    const storageFull = (key: string, value: string): string | null => {
      if (value.length > KEY_LIMIT) return `setStorageSync:fail entry exceeds 1MB (${key})`;
      let total = value.length;
      for (const [k, v] of this.store) if (k !== key) total += v.length;
      return total > TOTAL_LIMIT ? 'setStorageSync:fail exceed storage max size 10MB' : null;
    };
    const wx: WxApi & Record<string, unknown> = {
      // what the Taro runtime reads while loading
      getSystemInfoSync: info,
      getSystemInfo: api('getSystemInfo', info),
      getWindowInfo: info,
      getDeviceInfo: info,
      getAppBaseInfo: info,
      nextTick: (f: () => void) => setTimeout(f, 0),
      canIUse: () => true,

      getRandomValues: api('getRandomValues', (o) => ({ randomValues: this.random(o.length as number).slice().buffer })),

      getStorageSync: (k: string) => this.store.get(k) ?? '',
      setStorageSync: (k: string, v: unknown) => {
        if (typeof v !== 'string')
          throw Object.assign(new Error('setStorageSync:fail this simulation stores strings only'), {
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
        if (!this.bluetoothAuthorized) throw fail('openBluetoothAdapter', 'auth deny', { errno: 103 });
        if (!this.bluetoothOn) throw fail('openBluetoothAdapter', 'not available', { errCode: 10001 });
        this.adapterOpen.add((o.mode as string) ?? 'central');
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
        const go = this.networkUp
          ? this.transport({ method: o.method ?? 'GET', url: o.url, headers: { ...(o.header ?? {}) }, body })
          : Promise.reject(new Error('network is down'));
        go.then(
          (r) => {
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
          },
          (e: Error) => {
            o.fail?.({ errMsg: `request:fail ${e.message}` });
            o.complete?.();
          },
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
        this.navigations.push(o.url as string);
      }),
    };
    if (cloud) wx.cloud = { init: () => undefined, callFunction: async ({ name, data }) => ({ result: await cloud(name, data) }) };
    return wx;
  }
}
