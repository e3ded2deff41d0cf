/**
 * The part of Alipay's `my` object this host uses, typed after Alipay's API reference
 * (opendocs.alipay.com/mini/api). Asynchronous APIs take `success`/`fail` callbacks; `fail` receives
 * `{ error, errorMessage }` with a numeric code. Synchronous storage APIs take one object argument
 * (`my.setStorageSync({ key, data })`), unlike WeChat's positional ones.
 */
export interface MyError {
  error: number;
  errorMessage?: string;
  /** my.request, error 19 (HTTP error): the answer's status, body and headers. */
  status?: number;
  data?: unknown;
  headers?: Record<string, string>;
}

export interface MyCallbacks<T = Record<string, unknown>> {
  success?: (res: T) => void;
  fail?: (err: MyError) => void;
  complete?: () => void;
}

export type MyAsync<O = Record<string, unknown>, T = Record<string, unknown>> = (options: O & MyCallbacks<T>) => unknown;

/** my.onBluetoothDeviceFound / my.getBluetoothDevices: advertisData and manufacturerData are hex strings. */
export interface MyBluetoothDevice {
  deviceId?: string;
  name?: string;
  localName?: string;
  RSSI: number;
  advertisData?: string;
  manufacturerData?: string;
  advertisServiceUUIDs?: string[];
}

/** my.getSystemInfoSync: platform 'Android' | 'iOS' (as Alipay spells them), language 'zh-Hans', 'zh-Hant', 'zh-HK', 'en', … */
export interface MySystemInfo {
  platform?: string;
  language?: string;
  version?: string;
  SDKVersion?: string;
}

export interface MyRequestOptions {
  url: string;
  method: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  data?: unknown;
  timeout?: number;
  dataType?: 'json' | 'text' | 'base64' | 'arraybuffer';
}

export interface MyRequestResult {
  data: unknown;
  status: number;
  headers: Record<string, string>;
}

export interface MyApi {
  getSystemInfoSync(): MySystemInfo;

  getStorageSync(o: { key: string }): { data?: unknown; error?: number; errorMessage?: string };
  setStorageSync(o: { key: string; data: unknown }): { error?: number; errorMessage?: string } | undefined;
  removeStorageSync(o: { key: string }): unknown;
  getStorageInfoSync(): { keys?: string[]; currentSize?: number; limitSize?: number };

  openBluetoothAdapter: MyAsync<{ autoClose?: boolean }, { isSupportBLE?: boolean }>;
  closeBluetoothAdapter: MyAsync;
  startBluetoothDevicesDiscovery: MyAsync<{ services?: string[]; allowDuplicatesKey?: boolean; interval?: number }>;
  stopBluetoothDevicesDiscovery: MyAsync;
  onBluetoothDeviceFound(cb: (r: { devices: MyBluetoothDevice[] }) => void): void;
  offBluetoothDeviceFound?(cb?: (r: { devices: MyBluetoothDevice[] }) => void): void;
  onBluetoothAdapterStateChange(cb: (r: { available: boolean; discovering?: boolean }) => void): void;
  offBluetoothAdapterStateChange?(cb?: (r: { available: boolean }) => void): void;

  scan: MyAsync<{ scanType?: string[]; hideAlbum?: boolean }, { code?: string; qrCode?: string }>;
  request: MyAsync<MyRequestOptions, MyRequestResult>;

  setKeepScreenOn: MyAsync<{ keepScreenOn: boolean }>;
  getScreenBrightness: MyAsync<Record<string, never>, { brightness: number }>;
  setScreenBrightness: MyAsync<{ brightness: number }>;

  navigateTo: MyAsync<{ url: string }>;
  navigateBack: MyAsync<{ delta?: number }>;
  reLaunch: MyAsync<{ url: string }>;
  setNavigationBar: MyAsync<{ title?: string }>;

  onAppHide(cb: () => void): void;
  offAppHide?(cb?: () => void): void;
  onAppShow(cb: () => void): void;
  offAppShow?(cb?: () => void): void;

  openSetting: MyAsync;
  /** my.setClipboard: the system clipboard's text (api_device_clipboard_setclipboard). */
  setClipboard?: MyAsync<{ text: string }>;
  /** Alipay's guide to a system permission the app lacks ('BLUETOOTH', 'LBS', 'CAMERA', …). */
  showAuthGuide?: MyAsync<{ authType: string }>;
}
