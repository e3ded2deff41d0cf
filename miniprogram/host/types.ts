/**
 * The one host interface: everything the super-app provides. Device services reach the outside
 * world only through it. One implementation per platform (`wechat/`), chosen at build time by
 * `index.<platform>.ts` (Taro's platform files); tests and the demo run the WeChat one over a
 * simulated handset (testkit/handset, outside the shipping tree). Errors come out as HostErrors
 * with this interface's own codes (errors.ts): each implementation translates its platform's
 * error codes at this boundary.
 */
import type { MeasuringCanvas2D } from '../../shared/poster/canvas';
import type { AdvertiseRequest } from '../../shared/protocol/ble';

/** What the mini-program draws with: the part of a 2D canvas context every host has (the poster's). */
export type HostCanvas2D = MeasuringCanvas2D;

/** The system the super-app runs on (WeChat's wx.getDeviceInfo().platform values). */
export type Platform = 'android' | 'ios' | 'ohos' | 'ohos_pc' | 'windows' | 'mac' | 'devtools' | 'other';
/** The interface language, as WeChat names it (wx.getAppBaseInfo().language); every other language gets English. */
export type Language = 'zh_CN' | 'zh_TW' | 'zh_HK' | 'en';

/** WeChat's language setting → the interface language: zh_TW, zh_HK (and Macau's zh_MO) Traditional, other Chinese Simplified. */
export function languageOf(raw: string): Language {
  if (/^zh[_-](TW|Hant)/i.test(raw)) return 'zh_TW';
  if (/^zh[_-](HK|MO)/i.test(raw)) return 'zh_HK';
  if (/^zh/i.test(raw)) return 'zh_CN';
  return 'en';
}

/**
 * Why a host cannot keep the mini-program's JavaScript running in the background, in the host
 * interface's words (the pages say each in a sentence of its own):
 * - host: this super-app offers mini-programs no way to run in the background (Alipay: none in its reference);
 * - plugin: WeChat plug-ins may not (wx.startLocationUpdateBackground: "小程序插件：不支持");
 * - base_library: this WeChat's base library lacks wx.startLocationUpdateBackground (before 2.8.0);
 * - no_radio: this device cannot trace at all (desktop WeChat, DevTools), so there is nothing to keep running.
 */
export type BackgroundUnavailable = 'host' | 'plugin' | 'base_library' | 'no_radio';

/**
 * What the user allowed the mini-program as to running in the background (WeChat: the mini-program's
 * "位置信息" setting): 'always' ("使用小程序期间和离开小程序后"), 'while_using' ("使用小程序期间"),
 * 'denied' ("不允许"), 'unasked' (never set).
 */
export type BackgroundPermission = 'always' | 'while_using' | 'denied' | 'unasked';

/**
 * Keeping the JavaScript running while the mini-program is in the background (hosts whose
 * capabilities.background.via is not null). WeChat: background location — the location itself is
 * never read, kept or sent; only the fact that an update arrived is passed on.
 */
export interface HostBackground {
  /** What the user allowed (WeChat: wx.getSetting's authSetting). */
  permission(): Promise<BackgroundPermission>;
  /**
   * Starts it. HostError 'background_denied' / 'background_while_using' when the user has not chosen
   * "also after leaving"; 'background_not_declared' when the build does not declare it; the privacy
   * guide's codes as for any privacy-scoped API.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Each sign that it is still working (WeChat: a location update arrived; its content is dropped unread). Returns an unsubscribe. */
  onAlive(cb: () => void): () => void;
  /** The host reports that it stopped (WeChat: wx.onLocationChangeError, base library 2.19.5). Returns an unsubscribe. */
  onLost(cb: () => void): () => void;
}

/** What a scan looks for: every advertisement, or only those whose service list holds one of `services`. */
export interface ScanFilter {
  services: string[];
}

/**
 * What a host can do, as data: pages and services ask this instead of testing platforms.
 * `advertise` is the §4 frame the host can put on air: manufacturer data (frame M, Android only per
 * WeChat's AdvertiseReqObj), service UUIDs only (frame U), or nothing.
 */
export interface HostCapabilities {
  advertise: 'manufacturerData' | 'serviceUuids' | null;
  scan: boolean;
  /** A cryptographically secure random source: the tek, upload ids and venue codes need one. */
  secureRandom: boolean;
  /** A 2D canvas whose picture can be saved to the album (venue posters). */
  images: boolean;
  /** The most text one storage key holds (WeChat 1 MB, Alipay 200 KB): the encounter log sizes its days by it. */
  storageValueBytes: number;
  /** A worker thread for matching (`Host.worker`). */
  worker: boolean;
  /** Keeping the JavaScript running in the background (`Host.background`): how, or why this host cannot. */
  background: { via: 'location' } | { via: null; why: BackgroundUnavailable };
  /**
   * Whether other phones can read this phone's beacon while it advertises in the background. iOS
   * moves a background peripheral's service UUIDs into an "overflow area" that only iOS devices
   * scanning for those very UUIDs see, and then only as present (CBPeripheralManager.startAdvertising):
   * frame U's rpi UUID cannot be read there.
   */
  backgroundBeaconReadable: boolean;
  /**
   * A camera on the page that reports every code it recognises, without a tap per code (WeChat's
   * camera component with mode="scanCode" and bindscancode, base library 2.1.0, scope.camera:
   * developers.weixin.qq.com/miniprogram/dev/component/camera.html). The move to a new phone reads
   * its frames with it; without it, each frame is one wx.scanCode.
   */
  liveScan: boolean;
}

/**
 * A worker thread (WeChat: wx.createWorker, base library 1.9.90; one at a time; messages are
 * serialised copies). `onKilled`: the system stopped it (WeChat: Worker.onProcessKilled).
 */
export interface HostWorker {
  post(message: object): void;
  onMessage(cb: (message: unknown) => void): void;
  onKilled(cb: () => void): void;
  terminate(): void;
}

/** Where a user fixes a missing permission or switch. */
export type SettingsPage =
  | 'mini_program' // the mini-program's own permissions (wx.openSetting)
  | 'app_permissions' // the super-app's permissions in the system (wx.openAppAuthorizeSetting)
  | 'bluetooth'; // the system's Bluetooth settings (wx.openSystemBluetoothSetting, Android)

/** How the user answered a privacy prompt: agreed through the agree button `buttonId`, or not. */
export type PrivacyAnswer = { agreed: true; buttonId: string } | { agreed: false };

export interface HostScanResult {
  deviceId?: string;
  RSSI: number;
  advertisData?: ArrayBuffer | null;
  advertisServiceUUIDs?: string[] | null;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** JSON-serialisable body for POST. */
  body?: unknown;
  /** 'json' parses the answer; 'arraybuffer' returns bytes. */
  responseType: 'json' | 'arraybuffer';
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  json?: unknown;
  bytes?: Uint8Array;
}

export interface StorageInfo {
  keys: string[];
  currentSizeKB: number;
  limitSizeKB: number;
}

export interface Host {
  readonly platform: Platform;
  readonly capabilities: HostCapabilities;
  language(): Language;
  /** Unix time in milliseconds. */
  nowMs(): number;
  /** Cryptographically secure random bytes from the host. */
  randomBytes(n: number): Promise<Uint8Array>;

  storage: {
    get(key: string): string | null;
    /** Throws HostError('storage_full') past the host's limits. */
    set(key: string, value: string): void;
    remove(key: string): void;
    info(): StorageInfo;
  };

  bluetooth: {
    /** Opens the adapter in the given mode; HostError 'bluetooth_off' when Bluetooth is off, 'unauthorized' when denied. */
    open(mode: 'central' | 'peripheral'): Promise<void>;
    close(): Promise<void>;
    /** Advertises (restarting any advertisement in progress). `powerLevel` as the host knows it. */
    advertise(request: AdvertiseRequest, powerLevel: 'low' | 'medium' | 'high'): Promise<void>;
    stopAdvertising(): Promise<void>;
    /**
     * Starts scanning (restarting a scan in progress); `onFound` receives batches of scan results.
     * With a filter only advertisements listing one of its service UUIDs are reported — what
     * background scans need (iOS in the background, Android 8.1+ with the screen off).
     */
    startScan(onFound: (results: HostScanResult[]) => void, filter?: ScanFilter): Promise<void>;
    stopScan(): Promise<void>;
    /** Adapter availability changes (e.g. the user turns Bluetooth off); returns an unsubscribe. */
    onStateChange(cb: (available: boolean) => void): () => void;
  };

  /** Opens the host's code scanner and resolves with the scanned text; HostError('cancelled') if dismissed. */
  scanCode(): Promise<string>;

  request(req: HttpRequest): Promise<HttpResponse>;
  /** Starts the worker script at `path` in the package, ending the one running (hosts with capabilities.worker). */
  worker?: { start(path: string): HostWorker };
  /** WeChat cloud functions, when the build chose that back end. */
  callFunction?(name: string, data: Record<string, unknown>): Promise<unknown>;

  screen: {
    keepOn(on: boolean): Promise<void>;
    setBrightness(value: number): Promise<void>;
    /** Hides the page from screenshots and recordings where the host allows it. */
    hideFromCapture(on: boolean): Promise<void>;
  };

  /** Opens another page of the mini-program ('/pages/report/index'); HostError('page_limit') when the stack is full. */
  navigate(url: string): Promise<void>;
  /** Back to the page that opened this one; to the home page when this one was opened directly (a scanned link). */
  back(): Promise<void>;
  /** The title in the navigation bar of the page on screen. */
  setTitle(text: string): Promise<void>;

  /** Keeping the JavaScript running in the background, on hosts that can (capabilities.background). */
  background?: HostBackground;

  /** The mini-program going to the background and coming back; each returns an unsubscribe. */
  lifecycle: {
    onHide(cb: () => void): () => void;
    onShow(cb: () => void): () => void;
  };

  /**
   * Timers of the mini-program's JavaScript. The host suspends them with the rest of the JavaScript
   * (WeChat: about 5 s after the mini-program goes to the background, unless background location
   * keeps it running). Each returns a cancel.
   */
  timers: {
    every(ms: number, fn: () => void): () => void;
    after(ms: number, fn: () => void): () => void;
  };

  /**
   * The host's privacy agreement (WeChat: the mini-program's privacy guide). Privacy-scoped APIs
   * wait for it; `onNeedAuthorization` is told when one does, and must call `answer` once the user
   * chose. `require` asks without calling a privacy API.
   */
  privacy: {
    onNeedAuthorization(cb: (answer: (a: PrivacyAnswer) => void) => void): void;
    require(): Promise<void>;
    openContract(): Promise<void>;
  };

  /**
   * Pictures the mini-program makes for the user to keep (a venue poster). WeChat: an OffscreenCanvas
   * of type 2d (base library 2.16.1), its pixels read back and written as a PNG file under
   * USER_DATA_PATH, saved with saveImageToPhotosAlbum (scope.writePhotosAlbum, behind the privacy guide).
   */
  images: {
    /** Paints on a canvas of that many pixels; resolves with the path of the PNG file it became. HostError('unsupported') where the host has no 2D canvas. */
    render(widthPx: number, heightPx: number, paint: (ctx: HostCanvas2D) => void): Promise<string>;
    /** Saves an image file to the phone's photo album; HostError('permission_denied') once the user refused album access. */
    saveToAlbum(path: string): Promise<void>;
  };

  /**
   * Puts text on the system clipboard, for the user to paste elsewhere (the diary's export, issue 32).
   * WeChat: wx.setClipboardData (base library 1.1.0; plug-ins from 1.9.6), behind the privacy guide's
   * clipboard entry since 2023-09-15, and WeChat itself shows the toast "内容已复制" for 1.5 s
   * (developers.weixin.qq.com/miniprogram/dev/api/device/clipboard/wx.setClipboardData.html).
   * Alipay: my.setClipboard({ text }) (miniprogram.alipay.com/docs/miniprogram/mpdev/api_device_clipboard_setclipboard).
   * HostError('unsupported')
   * where the host has none.
   */
  setClipboardData(text: string): Promise<void>;

  /**
   * A text file sent to a chat, and one opened from a chat (moving to a new phone, §17). WeChat:
   * written under USER_DATA_PATH and sent with wx.shareFileMessage (base library 2.16.1); picked
   * with wx.chooseMessageFile (2.5.0) and read with FileSystemManager.readFile. HostError
   * 'unsupported' where the host or its version lacks them, 'cancelled' when the user closes the chooser.
   */
  chatFiles?: {
    share(fileName: string, text: string): Promise<void>;
    pick(): Promise<string>;
  };

  /** Opens a settings page where the user can turn on what is missing. */
  openSettings(page: SettingsPage): Promise<void>;

  sleep(ms: number): Promise<void>;
}
