/**
 * A simulated handset running WeChat, for tests and the demo: its `wx` behaves like WeChat's API —
 * same options, same `{ errMsg, errCode, errno }` failures, and the rules of docs/wechat-host.md,
 * each switchable in `rules` so a test can show that it matters — over a simulated radio (the
 * shared SimWorld), camera, storage, screen, network and JavaScript timers. `host` is the real
 * WeChat host (miniprogram/host/wechat) over that `wx`, exactly as the mini-program runs it. Tests
 * drive the phone through its knobs: the system's switches and permissions, the user's answers, the
 * camera, the network, the clock's skew, where the phone is, the app going to the background.
 *
 * Each area of the phone is a file of its own and contributes its part of `wx`: system.ts (system
 * information, random), storage.ts, radio.ts (Bluetooth), screen.ts (screen, camera), network.ts
 * (wx.request, cloud), pages.ts (the page stack), lifecycle.ts (background, suspension, intervals,
 * the screen), location.ts (background location, which keeps the JavaScript running), air.ts (what
 * other phones' scans perceive of this one's advertisement, by platform and background), scopes.ts
 * (the privacy gate, scopes, settings pages), files.ts (canvas, files, album), worker.ts
 * (wx.createWorker); rules.ts lists the rules. SimPhone holds the knobs and assembles the parts.
 * Platform-free: nothing here imports Node (HTTP goes through an injected transport).
 */
import type { AdvertiseRequest } from '../../shared/protocol/ble';
import type { Host, Language, Platform } from '../../miniprogram/host/types';
import { createWechatHost } from '../../miniprogram/host/wechat/host';
import type { WxApi, WxAuthorized, WxBluetoothDevice } from '../../miniprogram/host/wechat/wx';
import type { RadioPhone, SimWorld } from '../world';
import type { Listening, OnAir } from './air';
import { asyncApi } from './calls';
import { clipboardWx } from './clipboard';
import { filesWx, type CanvasFactory, type ChatFile } from './files';
import { Lifecycle } from './lifecycle';
import { BackgroundLocation, type AppDeclarations, type LocationChoice } from './location';
import { networkWx, type CloudFunctions, type Transport } from './network';
import { pagesWx } from './pages';
import { Radio } from './radio';
import { WECHAT_RULES, type WeChatRules } from './rules';
import { screenWx, type ScreenState } from './screen';
import { PrivacyGate, type PrivacyState } from './scopes';
import { storageWx } from './storage';
import { platformRandom, systemWx } from './system';
import { WorkerSlot, type WorkerThreads } from './worker';

export { SUSPEND_AFTER_MS } from './lifecycle';
export { LOCATION_INTERVAL_MS, SCREEN_OFF_STOP_MS, SIM_COORDINATES, type AppDeclarations, type LocationChoice } from './location';
export type { Transport, TransportRequest, TransportResponse } from './network';
export { PAGE_STACK_LIMIT } from './pages';
export { WECHAT_RULES, type WeChatRules } from './rules';
export type { SimWorkerThread } from './worker';

export interface SimOptions {
  name: string;
  platform?: Platform;
  language?: Language;
  random?: (n: number) => Uint8Array;
  transport?: Transport;
  position?: { x: number; y: number };
  /** WeChat cloud functions (wx.cloud.callFunction): name and data in, the function's result out. */
  cloud?: CloudFunctions;
  rules?: Partial<WeChatRules>;
  /** The WeChat version (Android ≥ 8.0.16 fails a scan without location; older ones find nothing). */
  wechatVersion?: string;
  /** The base library version (background location from 2.8.0, onLocationChangeError from 2.19.5); 3.6.0 by default. */
  baseLibrary?: string;
  /** What the mini-program's app.json declares (the weapp build's own, in the simulator stories); both background location APIs and the "location" background mode by default. */
  declarations?: Partial<AppDeclarations>;
  /**
   * A real 2D canvas for wx.createOffscreenCanvas({ type: '2d' }) (tests give @napi-rs/canvas);
   * without one the phone's base library lacks the API, as before 2.16.1.
   */
  canvas?: CanvasFactory;
  /**
   * A thread that runs a worker script of the built package (tests give Node's worker_threads,
   * testkit/node-worker.ts); without one this phone has no wx.createWorker.
   */
  worker?: WorkerThreads;
}

export class SimPhone implements RadioPhone {
  readonly name: string;
  readonly platform: Platform;
  language: Language;
  readonly rules: WeChatRules;
  readonly wechatVersion: string;
  readonly baseLibrary: string;
  readonly declarations: AppDeclarations;
  /** How far this phone's clock is off the world's (ms); phones in the wild are not all on time. */
  clockSkewMs = 0;
  position: { x: number; y: number };
  /** WeChat's storage of this mini-program on this phone. */
  readonly store = new Map<string, string>();
  /** A kill after that many more storage writes (storage.ts); null: none. Set back to null to relaunch. */
  killAfterWrites: number | null = null;

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
  /** What the user chooses for "位置信息" when the mini-program opens its settings page (null: changes nothing). */
  locationChoiceInSettings: LocationChoice | null = null;
  // the privacy guide: declared by the operator in the admin console, agreed by the user
  privacy: PrivacyState = { declared: true, agreed: false, officialPopupAnswer: 'agree', tapped: new Set<string>() };
  /** Each privacy prompt WeChat raised: the API that asked. */
  readonly privacyPrompts: string[] = [];

  networkUp = true;
  /** How long the network takes to answer (ms, real time): a slow connection, to see the states of a request in flight. */
  networkDelayMs = 0;
  /** What the camera will "see" at the next scanCode() (null: the user cancels). */
  cameraQueue: (string | null)[] = [];
  screenState: ScreenState = { keepOn: false, brightness: -1, hiddenFromCapture: false };
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
  /** Files the mini-program sent to a chat (wx.shareFileMessage), in order. */
  readonly sentToChat: ChatFile[] = [];
  /** What the user picks at the next wx.chooseMessageFile (null or nothing left: the user cancels). */
  chatPicks: (ChatFile | null)[] = [];
  /** The photo album: every image saveImageToPhotosAlbum saved, as its file's bytes. */
  readonly album: Uint8Array[] = [];
  /** The system clipboard's text (wx.setClipboardData; null: nothing copied). */
  clipboard: string | null = null;
  /** Toasts WeChat itself showed (wx.setClipboardData's "内容已复制"). */
  readonly toasts: string[] = [];
  /** The advertisement this phone's peripheral server is sending, if any. */
  advertising: AdvertiseRequest | null = null;
  /** Whether the mini-program is on screen. */
  foreground = true;
  /** Whether the screen is on (locking it hides the mini-program). */
  screenOn = true;

  readonly wx: WxApi & Record<string, unknown>;
  readonly host: Host;

  private readonly lifecycle: Lifecycle;
  private readonly location: BackgroundLocation;
  private readonly radio: Radio;
  private readonly gate: PrivacyGate;
  private readonly worker: WorkerSlot;

  constructor(
    readonly world: SimWorld,
    opts: SimOptions,
  ) {
    this.name = opts.name;
    this.platform = opts.platform ?? 'android';
    this.language = opts.language ?? 'en';
    this.rules = { ...WECHAT_RULES, ...opts.rules };
    this.wechatVersion = opts.wechatVersion ?? '8.0.50';
    this.baseLibrary = opts.baseLibrary ?? (this.rules.modernSystemInfo ? '3.6.0' : '2.19.0');
    this.declarations = {
      requiredPrivateInfos: ['startLocationUpdateBackground', 'onLocationChange'],
      requiredBackgroundModes: ['location'],
      ...opts.declarations,
    };
    this.position = opts.position ?? { x: 0, y: 0 };

    this.lifecycle = new Lifecycle(this, world);
    const deliver = this.lifecycle.deliver;
    this.location = new BackgroundLocation(this, world, deliver, () => this.lifecycle.reconsider());
    this.radio = new Radio(this, deliver);
    this.gate = new PrivacyGate(this);
    this.worker = new WorkerSlot(deliver);
    const api = asyncApi((name) => this.gate.check(name), deliver);
    this.wx = {
      ...systemWx(this, api, opts.random ?? platformRandom),
      ...storageWx(this),
      ...this.radio.wx(api),
      ...screenWx(this, api),
      ...clipboardWx(this, api),
      ...networkWx(this, deliver, opts.transport, opts.cloud),
      ...pagesWx(this, api),
      ...this.lifecycle.wx(),
      ...this.gate.wx(api),
      ...filesWx(this, api, opts.canvas),
      ...this.worker.wx(opts.worker),
      ...this.location.wx(api),
    };
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
    this.radio.setBluetooth(on);
  }

  /** The user leaves the mini-program (home button, another app): App.onHide now, suspension 5 s later. */
  hide(): void {
    this.lifecycle.hide();
  }

  /** The user comes back: the JavaScript resumes, waiting callbacks run, then App.onShow. */
  show(): void {
    this.lifecycle.show();
    this.location.screenChanged(true);
  }

  /** The screen goes off (locking hides the mini-program) or on again (the mini-program stays where it was). */
  setScreen(on: boolean): void {
    if (!on) this.hide();
    this.screenOn = on;
    this.location.screenChanged(on);
  }

  /** The user changes the mini-program's "位置信息" setting (in WeChat's settings, also while it is in the background). */
  chooseLocation(choice: LocationChoice): void {
    this.location.choose(choice);
  }

  /** Whether background location keeps the JavaScript running now. */
  keptRunning(): boolean {
    return this.location.keepsRunning();
  }

  /** Background location updates are running (started, and not stopped by anyone). */
  locationUpdating(): boolean {
    return this.location.running;
  }

  /** How many location updates reached the mini-program. */
  locationUpdatesDelivered(): number {
    return this.location.delivered;
  }

  /** How many times the mini-program read a field (a coordinate, the accuracy…) of a location update. */
  locationFieldReads(): number {
    return this.location.reads;
  }

  /** The system stops location updates (as when it revokes them): no error event is documented for that. */
  stopLocationBySystem(): void {
    this.location.systemStop();
  }

  /**
   * The global `setInterval` / `clearInterval` of a mini-program on this phone: intervals on the
   * world's clock that stop while the JavaScript is suspended (loadWeapp installs them for the build).
   */
  intervals(): { setInterval: (fn: () => void, ms: number) => number; clearInterval: (id: number) => void } {
    return this.lifecycle.intervals();
  }

  /** The system reclaims the worker (WeChat: an experimental worker under memory pressure). */
  killWorker(): void {
    this.worker.kill();
  }

  /** The user taps the `<button open-type="agreePrivacyAuthorization" id=…>` (WeChat checks it was tapped). */
  tapPrivacyAgree(buttonId: string): void {
    this.privacy.tapped.add(buttonId);
  }

  // ---- the radio and the timers, as the world sees this phone
  onAir(): AdvertiseRequest | null {
    return this.radio.onAir();
  }
  air(): OnAir | null {
    return this.radio.air();
  }
  scanning(): boolean {
    return this.radio.scanning();
  }
  listening(): Listening | null {
    return this.radio.listening();
  }
  /** The service filter of the scan in progress (null: none, or not scanning). */
  scanFilter(): string[] | null {
    return this.radio.scanFilter();
  }
  hear(devices: WxBluetoothDevice[]): void {
    this.radio.hear(devices);
  }
  suspended(): boolean {
    return this.lifecycle.suspended;
  }
}
