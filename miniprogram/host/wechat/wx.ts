/**
 * The part of WeChat's `wx` object this host uses, typed after WeChat's API reference
 * (developers.weixin.qq.com/miniprogram/dev/api/). Asynchronous APIs take `success`/`fail`
 * callbacks; `fail` receives `{ errMsg, errCode?, errno? }`. The real `wx` is a global of the
 * mini-program's JavaScript; the simulated handset (../simulated) implements the same shape.
 */

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

export interface WxSystemInfo {
  platform?: string;
  language?: string;
}

export interface WxApi {
  getSystemInfoSync(): WxSystemInfo;
  getRandomValues: WxAsync<{ length: number }, { randomValues: ArrayBuffer }>;

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
  startBluetoothDevicesDiscovery: WxAsync<{ allowDuplicatesKey?: boolean; interval?: number; powerLevel?: string }>;
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
}
