/**
 * A fake Alipay `my` that answers as Alipay's API reference says (opendocs.alipay.com/mini/api):
 * callbacks get `{ error, errorMessage }` on failure; storage takes `{ key, data }` objects and holds
 * 200 KB per key, 10 MB in all (缓存); Bluetooth is central only and reports advertisData /
 * manufacturerData as hex strings (my.onBluetoothDeviceFound); my.scan fails with 10 when the user
 * cancels (my.scan, 错误码); my.request fails with 19 and the status on an HTTP error, 13 on a
 * timeout, 11 for a domain off the whitelist (my.request, 错误码). Tests script what the radio hears,
 * what the camera sees and what the network answers.
 */
import type { MyApi, MyBluetoothDevice, MyCallbacks, MyError, MyRequestOptions, MyRequestResult } from '../../miniprogram/host/alipay/my';

export interface FakeMy extends MyApi {
  store: Map<string, string>;
  calls: string[];
  /** What the next my.scan does: scan this text, or fail with this code (10 cancelled). */
  nextScan: { code: string } | { error: number };
  /** Answers my.request: a result, or a failure as Alipay reports it. */
  network: (o: MyRequestOptions) => { ok: MyRequestResult } | { fail: MyError };
  /** Fails my.openBluetoothAdapter with this code (12 off, 14 unauthorised), or opens it. */
  adapterError: number | null;
  /** Delivers devices to the my.onBluetoothDeviceFound listener, as a discovery would. */
  hear(devices: MyBluetoothDevice[]): void;
  discovering: boolean;
}

const KEY_LIMIT = 200 * 1024;
const TOTAL_LIMIT = 10 * 1024 * 1024;

export function fakeMy(system: { platform?: string; language?: string } = { platform: 'Android', language: 'zh-Hans' }): FakeMy {
  let found: ((r: { devices: MyBluetoothDevice[] }) => void) | null = null;
  const hide = new Set<() => void>();
  const show = new Set<() => void>();
  const async =
    <O, T>(name: string, run: (o: O) => { ok: T } | { fail: MyError }) =>
    (o: O & MyCallbacks<T>) => {
      my.calls.push(name);
      const r = run(o);
      queueMicrotask(() => ('ok' in r ? o.success?.(r.ok) : o.fail?.(r.fail)));
    };
  const ok = <T>(v: T) => ({ ok: v });
  const my: FakeMy = {
    store: new Map(),
    calls: [],
    nextScan: { error: 10 },
    network: () => ({ fail: { error: 12, errorMessage: '网络出错' } }),
    adapterError: null,
    discovering: false,
    hear(devices) {
      if (found && this.discovering) found({ devices });
    },
    getSystemInfoSync: () => ({ ...system }),
    getStorageSync({ key }) {
      return my.store.has(key) ? { data: my.store.get(key) } : { data: null as unknown as undefined };
    },
    setStorageSync({ key, data }) {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      let total = text.length;
      for (const [k, v] of my.store) if (k !== key) total += v.length;
      if (text.length > KEY_LIMIT || total > TOTAL_LIMIT) return { error: 3, errorMessage: '存储空间不足' };
      my.store.set(key, text);
      return undefined;
    },
    removeStorageSync({ key }) {
      my.store.delete(key);
      return { success: true };
    },
    getStorageInfoSync() {
      let total = 0;
      for (const v of my.store.values()) total += v.length;
      return { keys: [...my.store.keys()], currentSize: Math.ceil(total / 1024), limitSize: TOTAL_LIMIT / 1024 };
    },
    openBluetoothAdapter: async('openBluetoothAdapter', () =>
      my.adapterError === null ? ok({ isSupportBLE: true }) : { fail: { error: my.adapterError, errorMessage: 'adapter' } },
    ),
    closeBluetoothAdapter: async('closeBluetoothAdapter', () => ok({})),
    startBluetoothDevicesDiscovery: async('startBluetoothDevicesDiscovery', () => {
      my.discovering = true;
      return ok({});
    }),
    stopBluetoothDevicesDiscovery: async('stopBluetoothDevicesDiscovery', () => {
      my.discovering = false;
      return ok({});
    }),
    onBluetoothDeviceFound(cb) {
      found = cb;
    },
    offBluetoothDeviceFound(cb) {
      if (!cb || cb === found) found = null;
    },
    onBluetoothAdapterStateChange: () => undefined,
    offBluetoothAdapterStateChange: () => undefined,
    scan: async('scan', () =>
      'code' in my.nextScan
        ? ok({ code: my.nextScan.code, qrCode: my.nextScan.code })
        : { fail: { error: my.nextScan.error, errorMessage: 'scan' } },
    ),
    request: async<MyRequestOptions, MyRequestResult>('request', (o) => my.network(o)),
    setKeepScreenOn: async('setKeepScreenOn', () => ok({})),
    getScreenBrightness: async('getScreenBrightness', () => ok({ brightness: 0.4 })),
    setScreenBrightness: async('setScreenBrightness', () => ok({})),
    navigateTo: async('navigateTo', () => ok({})),
    navigateBack: async('navigateBack', () => ok({})),
    reLaunch: async('reLaunch', () => ok({})),
    setNavigationBar: async('setNavigationBar', () => ok({})),
    onAppHide: (cb) => void hide.add(cb),
    offAppHide: (cb) => void (cb && hide.delete(cb)),
    onAppShow: (cb) => void show.add(cb),
    offAppShow: (cb) => void (cb && show.delete(cb)),
    openSetting: async('openSetting', () => ok({})),
    showAuthGuide: async('showAuthGuide', () => ok({})),
  };
  return my;
}
