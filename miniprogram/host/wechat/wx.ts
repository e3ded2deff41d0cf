/**
 * The part of WeChat's `wx` object this host uses, typed after WeChat's API reference
 * (developers.weixin.qq.com/miniprogram/dev/api/). Asynchronous APIs take `success`/`fail`
 * callbacks; `fail` receives `{ errMsg, errCode?, errno? }`. The real `wx` is a global of the
 * mini-program's JavaScript; the simulated handset (testkit/handset) implements the same shape.
 */
import type { MeasuringCanvas2D } from '../../../shared/poster/canvas';

export interface WxError {
  errMsg: string;
  errCode?: number;
  errno?: number;
  state?: number;
}

export interface WxCallbacks<T = Record<string, unknown>> {
  success?: (res: T) => void;
  fail?: (err: WxError) => void;
  complete?: () => void;
}

export type WxAsync<O = Record<string, unknown>, T = Record<string, unknown>> = (options: O & WxCallbacks<T>) => unknown;

export interface WxBLEPeripheralServer {
  startAdvertising: WxAsync<{ advertiseRequest: unknown; powerLevel?: string }>;
  stopAdvertising: WxAsync;
  close: WxAsync;
}

export interface WxBluetoothDevice {
  deviceId?: string;
  RSSI: number;
  advertisData?: ArrayBuffer;
  advertisServiceUUIDs?: string[];
}

/** Worker (wx.createWorker): postMessage copies a serialisable object; onProcessKilled for the experimental worker (2.13.0). */
export interface WxWorker {
  postMessage(message: object): void;
  onMessage(cb: (message: unknown) => void): void;
  onProcessKilled?(cb: () => void): void;
  terminate(): void;
}

export interface WxSystemInfo {
  platform?: string;
  language?: string;
}
/** wx.getDeviceInfo (base library 2.20.1): platform 'ios' | 'android' | 'ohos' | 'ohos_pc' | 'windows' | 'mac' | 'devtools'. */
export interface WxDeviceInfo {
  platform?: string;
  system?: string;
}
/** wx.getAppBaseInfo (2.20.1): the WeChat language ('zh_CN', 'zh_TW', 'en', …) and base library version. */
export interface WxAppBaseInfo {
  language?: string;
  SDKVersion?: string;
  version?: string;
}
/** wx.getSystemSetting (2.20.1): the system switches. */
export interface WxSystemSetting {
  bluetoothEnabled?: boolean;
  locationEnabled?: boolean;
}
/** wx.getAppAuthorizeSetting (2.20.1): what the system lets WeChat do. */
export type WxAuthorized = 'authorized' | 'denied' | 'not determined';
export interface WxAppAuthorizeSetting {
  bluetoothAuthorized?: WxAuthorized;
  locationAuthorized?: WxAuthorized;
  albumAuthorized?: WxAuthorized;
  cameraAuthorized?: WxAuthorized;
}

/** OffscreenCanvas (wx.createOffscreenCanvas with type '2d'): a CanvasRenderingContext2D-like context. */
export interface WxOffscreenCanvas {
  width: number;
  height: number;
  getContext(type: '2d'): WxCanvasContext2D;
}
export interface WxCanvasContext2D extends MeasuringCanvas2D {
  getImageData(x: number, y: number, w: number, h: number): { width: number; height: number; data: Uint8ClampedArray };
}
/** FileSystemManager (wx.getFileSystemManager): writeFile takes an ArrayBuffer as `data`. */
export interface WxFileSystemManager {
  writeFile(options: { filePath: string; data: ArrayBuffer | string; encoding?: string } & WxCallbacks<Record<string, unknown>>): void;
  /** FileSystemManager.readFile: with `encoding: 'utf8'` the data is a string. */
  readFile?(options: { filePath: string; encoding?: string } & WxCallbacks<{ data: string | ArrayBuffer }>): void;
}

/** The resolve of wx.onNeedPrivacyAuthorization. */
export type WxPrivacyResolve = (
  r: { event: 'agree'; buttonId: string } | { event: 'disagree' } | { event: 'exposureAuthorization' },
) => void;

export interface WxApi {
  /** Deprecated since base library 2.20.1 in favour of the calls below; kept as the fallback for older ones. */
  getSystemInfoSync?(): WxSystemInfo;
  getDeviceInfo?(): WxDeviceInfo;
  getAppBaseInfo?(): WxAppBaseInfo;
  getSystemSetting?(): WxSystemSetting;
  getAppAuthorizeSetting?(): WxAppAuthorizeSetting;
  getRandomValues?: WxAsync<{ length: number }, { randomValues: ArrayBuffer }>;

  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;
  getStorageInfoSync(): { keys: string[]; currentSize: number; limitSize: number };

  openBluetoothAdapter: WxAsync<{ mode?: 'central' | 'peripheral' }>;
  closeBluetoothAdapter: WxAsync;
  onBluetoothAdapterStateChange(cb: (res: { available: boolean; discovering: boolean }) => void): void;
  offBluetoothAdapterStateChange?(cb?: (res: { available: boolean; discovering: boolean }) => void): void;
  createBLEPeripheralServer: WxAsync<Record<string, never>, { server: WxBLEPeripheralServer }>;
  onBluetoothDeviceFound(cb: (res: { devices: WxBluetoothDevice[] }) => void): void;
  offBluetoothDeviceFound?(cb?: (res: { devices: WxBluetoothDevice[] }) => void): void;
  /** `services`: only devices whose advertisement lists one of these service UUIDs (16/32/128-bit). */
  startBluetoothDevicesDiscovery: WxAsync<{ allowDuplicatesKey?: boolean; interval?: number; powerLevel?: string; services?: string[] }>;
  stopBluetoothDevicesDiscovery: WxAsync;

  scanCode: WxAsync<{ onlyFromCamera?: boolean; scanType?: string[] }, { result: string; scanType?: string }>;

  request(
    options: {
      url: string;
      method?: string;
      data?: unknown;
      header?: Record<string, string>;
      responseType?: 'text' | 'arraybuffer';
      dataType?: string;
      timeout?: number;
    } & WxCallbacks<{ statusCode: number; data: unknown; header: Record<string, string> }>,
  ): unknown;

  cloud?: {
    init?(options: { env?: string; traceUser?: boolean }): void;
    callFunction(options: { name: string; data: Record<string, unknown> }): Promise<{ result: unknown }>;
  };

  setKeepScreenOn: WxAsync<{ keepScreenOn: boolean }>;
  setScreenBrightness: WxAsync<{ value: number }>;
  getScreenBrightness: WxAsync<Record<string, never>, { value: number }>;
  setVisualEffectOnCapture?: WxAsync<{ visualEffect: 'none' | 'hidden' }>;

  navigateTo: WxAsync<{ url: string }>;
  navigateBack: WxAsync<{ delta?: number }>;
  /** Closes every page and opens `url` (the way home from a page a scanned link opened). */
  reLaunch: WxAsync<{ url: string }>;
  setNavigationBarTitle: WxAsync<{ title: string }>;

  onAppHide(cb: () => void): void;
  offAppHide?(cb?: () => void): void;
  onAppShow(cb: () => void): void;
  offAppShow?(cb?: () => void): void;

  // privacy (base library 2.32.3; developers.weixin.qq.com/miniprogram/dev/framework/user-privacy/PrivacyAuthorize.html)
  onNeedPrivacyAuthorization?(cb: (resolve: WxPrivacyResolve, info: { referrer: string }) => void): void;
  requirePrivacyAuthorize?: WxAsync;
  openPrivacyContract?: WxAsync;
  getPrivacySetting?: WxAsync<Record<string, never>, { needAuthorization: boolean; privacyContractName: string }>;

  // pictures: an off-screen 2D canvas (base library 2.16.1), files under USER_DATA_PATH, the album
  createOffscreenCanvas?(options: { type: '2d'; width: number; height: number }): WxOffscreenCanvas;
  /** wx.createWorker (1.9.90): scriptPath without a leading '/', under app.json's `workers` folder. */
  createWorker?(scriptPath: string, options?: { useExperimentalWorker?: boolean }): WxWorker;
  env?: { USER_DATA_PATH: string };
  getFileSystemManager?(): WxFileSystemManager;
  saveImageToPhotosAlbum?: WxAsync<{ filePath: string }>;
  /** Base library 1.1.0; behind the privacy guide (clipboard) since 2023-09-15; WeChat shows "内容已复制". */
  setClipboardData?: WxAsync<{ data: string }>;
  /** A local file sent to a chat (base library 2.16.1; developers.weixin.qq.com/miniprogram/dev/api/share/wx.shareFileMessage.html). */
  shareFileMessage?: WxAsync<{ filePath: string; fileName?: string }>;
  /** A file picked from a chat (base library 2.5.0; developers.weixin.qq.com/miniprogram/dev/api/media/image/wx.chooseMessageFile.html). */
  chooseMessageFile?: WxAsync<
    { count: number; type: 'all' | 'video' | 'image' | 'file'; extension?: string[] },
    { tempFiles: { path: string; size: number; name: string; type: string }[] }
  >;

  // background location (base library 2.8.0), only to keep the JavaScript running in the background
  // (framework/runtime/operating-mechanism: "使用了…后台地理位置等能力时，小程序可以在「后台」持续运行")
  startLocationUpdateBackground?: WxAsync;
  stopLocationUpdate?: WxAsync;
  /** The listener is typed to take nothing: this host never reads what WeChat passes it (a location). */
  onLocationChange?(cb: () => void): void;
  offLocationChange?(cb?: () => void): void;
  /** base library 2.19.5: continuous location failed. */
  onLocationChangeError?(cb: () => void): void;
  offLocationChangeError?(cb?: () => void): void;
  getSetting?: WxAsync<Record<string, never>, { authSetting: Record<string, boolean> }>;

  openSetting: WxAsync<Record<string, never>, { authSetting: Record<string, boolean> }>;
  openAppAuthorizeSetting?: WxAsync;
  openSystemBluetoothSetting?: WxAsync;
}
