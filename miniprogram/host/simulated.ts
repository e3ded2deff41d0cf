/**
 * A simulated host for tests and the demo: several phones share one simulated world — a clock and
 * a Bluetooth radio that delivers each phone's advertisement to the phones within range, with an
 * RSSI that falls with distance — plus a camera that "scans" whatever the test puts in front of it,
 * storage with WeChat's limits, and HTTP through an injected transport (a real server on loopback).
 * Platform-free: nothing here imports Node.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { AdvertiseRequest } from '../../shared/ble';
import { concatBytes, uint32LE, utf8Encode } from '../../shared/codec';
import { HostError } from './errors';
import type { Host, HostScanResult, HttpRequest, HttpResponse, Language, Platform } from './types';

/** A deterministic byte generator (SHA-256 in counter mode over a seed) for repeatable simulations. */
export function seededRandom(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  const key = utf8Encode(seed);
  return (n) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) out.set(sha256(concatBytes(key, uint32LE(counter++))).subarray(0, Math.min(32, n - o)), o);
    return out;
  };
}

export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

const KEY_LIMIT = 1024 * 1024;
const TOTAL_LIMIT = 10 * 1024 * 1024;

interface Advertiser { host: SimulatedHost; request: AdvertiseRequest }

export class SimWorld {
  /** Unix ms. */
  timeMs: number;
  readonly phones: SimulatedHost[] = [];
  /** Radio range in metres. */
  range = 30;

  constructor(startMs = Date.UTC(2026, 10, 23, 8, 0, 0)) {
    this.timeMs = startMs;
  }

  /** RSSI (dBm) at distance d metres: -50 at 1 m, falling 20 dB per decade, never above -30. */
  static rssiAt(d: number): number {
    return Math.round(Math.min(-30, -50 - 20 * Math.log10(Math.max(d, 0.25))));
  }

  distance(a: SimulatedHost, b: SimulatedHost): number {
    return Math.hypot(a.position.x - b.position.x, a.position.y - b.position.y);
  }

  /** One radio round: every scanning phone hears every advertising phone in range. */
  deliver(): number {
    let n = 0;
    const advertisers: Advertiser[] = [];
    for (const p of this.phones) if (p.advertising && p.bluetoothOn) advertisers.push({ host: p, request: p.advertising });
    for (const rx of this.phones) {
      if (!rx.scanCallback || !rx.bluetoothOn) continue;
      const results: HostScanResult[] = [];
      for (const a of advertisers) {
        if (a.host === rx) continue;
        const d = this.distance(a.host, rx);
        if (d > this.range) continue;
        const m = a.request.manufacturerData?.[0];
        results.push({
          deviceId: a.host.name,
          RSSI: SimWorld.rssiAt(d),
          // Android hosts report manufacturer data with the 2-byte company id in front.
          advertisData: m ? concatBytes(Uint8Array.of(0xff, 0xff), new Uint8Array(m.manufacturerSpecificData)).slice().buffer : new ArrayBuffer(0),
          advertisServiceUUIDs: a.request.serviceUuids ?? [],
        });
      }
      if (results.length) { rx.scanCallback(results); n += results.length; }
    }
    return n;
  }

  advance(ms: number): void {
    this.timeMs += ms;
  }
}

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

export class SimulatedHost implements Host {
  /** How far this phone's clock is off the world's (ms); phones in the wild are not all on time. */
  clockSkewMs = 0;
  readonly name: string;
  readonly platform: Platform;
  private lang: Language;
  private random: (n: number) => Uint8Array;
  private transport: Transport;
  readonly store = new Map<string, string>();
  position: { x: number; y: number };
  bluetoothOn = true;
  bluetoothAuthorized = true;
  adapterOpen = new Set<string>();
  advertising: AdvertiseRequest | null = null;
  scanCallback: ((r: HostScanResult[]) => void) | null = null;
  private stateListeners = new Set<(a: boolean) => void>();
  /** What the camera will "see" at the next scanCode() (null: the user cancels). */
  cameraQueue: (string | null)[] = [];
  screenState = { keepOn: false, brightness: -1, hiddenFromCapture: false };
  networkUp = true;

  constructor(readonly world: SimWorld, opts: SimOptions) {
    this.name = opts.name;
    this.platform = opts.platform ?? 'android';
    this.lang = opts.language ?? 'en';
    this.random = opts.random ?? ((n) => {
      const c = (globalThis as { crypto?: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto;
      if (!c) throw new HostError('unsupported', 'no crypto.getRandomValues');
      return c.getRandomValues(new Uint8Array(n));
    });
    this.transport = opts.transport ?? (() => Promise.reject(new HostError('network', 'no transport')));
    this.position = opts.position ?? { x: 0, y: 0 };
    if (opts.cloud) {
      const cloud = opts.cloud;
      this.callFunction = (name, data) => cloud(name, data);
    }
    world.phones.push(this);
  }

  language(): Language { return this.lang; }
  nowMs(): number { return this.world.timeMs + this.clockSkewMs; }
  callFunction?: (name: string, data: Record<string, unknown>) => Promise<unknown>;
  async randomBytes(n: number): Promise<Uint8Array> { return this.random(n); }

  storage = {
    get: (key: string): string | null => this.store.get(key) ?? null,
    set: (key: string, value: string): void => {
      if (typeof value !== 'string') throw new HostError('unknown', 'value must be a string');
      if (value.length > KEY_LIMIT) throw new HostError('storage_full', `setStorage:fail entry exceeds 1MB (${key})`);
      let total = value.length;
      for (const [k, v] of this.store) if (k !== key) total += v.length;
      if (total > TOTAL_LIMIT) throw new HostError('storage_full', 'setStorage:fail exceed storage max size 10MB');
      this.store.set(key, value);
    },
    remove: (key: string): void => { this.store.delete(key); },
    info: () => {
      let total = 0;
      for (const v of this.store.values()) total += v.length;
      return { keys: [...this.store.keys()], currentSizeKB: Math.ceil(total / 1024), limitSizeKB: TOTAL_LIMIT / 1024 };
    },
  };

  private checkAdapter(): void {
    if (!this.bluetoothAuthorized) throw new HostError('unauthorized', 'openBluetoothAdapter:fail auth deny');
    if (!this.bluetoothOn) throw new HostError(10001, 'openBluetoothAdapter:fail not available');
  }

  bluetooth = {
    open: async (mode: 'central' | 'peripheral') => { this.checkAdapter(); this.adapterOpen.add(mode); },
    close: async () => { this.adapterOpen.clear(); this.advertising = null; this.scanCallback = null; },
    advertise: async (request: AdvertiseRequest) => {
      if (!this.adapterOpen.has('peripheral')) throw new HostError(10000, 'not init');
      this.checkAdapter();
      if (this.platform === 'ios' && request.manufacturerData) throw new HostError(10007, 'iOS advertises service UUIDs only');
      this.advertising = request;
    },
    stopAdvertising: async () => { this.advertising = null; },
    startScan: async (onFound: (r: HostScanResult[]) => void) => {
      if (!this.adapterOpen.has('central')) throw new HostError(10000, 'not init');
      this.checkAdapter();
      this.scanCallback = onFound;
    },
    stopScan: async () => { this.scanCallback = null; },
    onStateChange: (cb: (available: boolean) => void) => {
      this.stateListeners.add(cb);
      return () => this.stateListeners.delete(cb);
    },
  };

  /** The user turns Bluetooth off or on. */
  setBluetooth(on: boolean): void {
    this.bluetoothOn = on;
    if (!on) { this.advertising = null; this.scanCallback = null; this.adapterOpen.clear(); }
    for (const l of this.stateListeners) l(on);
  }

  async scanCode(): Promise<string> {
    if (!this.cameraQueue.length) throw new HostError('cancelled', 'scanCode:fail cancel');
    const v = this.cameraQueue.shift()!;
    if (v === null) throw new HostError('cancelled', 'scanCode:fail cancel');
    return v;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    if (!this.networkUp) throw new HostError('network', 'request:fail');
    return this.transport(req);
  }

  screen = {
    keepOn: async (on: boolean) => { this.screenState.keepOn = on; },
    setBrightness: async (v: number) => { this.screenState.brightness = v; },
    hideFromCapture: async (on: boolean) => { this.screenState.hiddenFromCapture = on; },
  };

  /** Pages the user navigated to, most recent last. */
  navigations: string[] = [];
  async navigate(url: string): Promise<void> {
    this.navigations.push(url);
  }

  async sleep(ms: number): Promise<void> {
    this.world.advance(ms);
  }
}
