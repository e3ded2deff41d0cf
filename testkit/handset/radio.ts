/**
 * The phone's Bluetooth as WeChat shows it: the adapter (wx.openBluetoothAdapter, central or
 * peripheral, and the system switch it depends on), advertising through a BLE peripheral server,
 * discovery and the device-found listeners — and, towards the shared SimWorld, what this phone has
 * on air and whether it is scanning. Who may scan (Android's location rule) and what may be
 * advertised (manufacturer data on Android only) follow rules.ts.
 */
import type { AdvertiseRequest } from '../../shared/protocol/ble';
import type { Platform } from '../../miniprogram/host/types';
import type { WxApi, WxAuthorized, WxBluetoothDevice } from '../../miniprogram/host/wechat/wx';
import type { Listening, OnAir } from './air';
import { fail, type Deliver, type MakeApi } from './calls';
import { versionBelow } from './location';
import type { WeChatRules } from './rules';

/** What the radio reads and moves on the phone: its switches, permissions and the advertisement on air. */
export interface RadioKnobs {
  readonly platform: Platform;
  readonly rules: WeChatRules;
  readonly wechatVersion: string;
  bluetoothOn: boolean;
  locationOn: boolean;
  readonly appAuthorize: { bluetooth: WxAuthorized; location: WxAuthorized };
  advertising: AdvertiseRequest | null;
  readonly foreground: boolean;
  readonly screenOn: boolean;
}

type RadioWx = Pick<
  WxApi,
  | 'openBluetoothAdapter'
  | 'closeBluetoothAdapter'
  | 'onBluetoothAdapterStateChange'
  | 'offBluetoothAdapterStateChange'
  | 'createBLEPeripheralServer'
  | 'onBluetoothDeviceFound'
  | 'offBluetoothDeviceFound'
  | 'startBluetoothDevicesDiscovery'
  | 'stopBluetoothDevicesDiscovery'
>;

export class Radio {
  private adapterOpen = new Set<string>();
  private discovering = false;
  /** The service filter of the discovery in progress (startBluetoothDevicesDiscovery `services`). */
  private services: string[] | null = null;
  private foundListeners = new Set<(r: { devices: WxBluetoothDevice[] }) => void>();
  private stateListeners = new Set<(r: { available: boolean; discovering: boolean }) => void>();

  constructor(
    private readonly phone: RadioKnobs,
    private readonly deliver: Deliver,
  ) {}

  /** The user turns Bluetooth off or on (WeChat reports it through onBluetoothAdapterStateChange). */
  setBluetooth(on: boolean): void {
    this.phone.bluetoothOn = on;
    if (!on) {
      this.phone.advertising = null;
      this.discovering = false;
    }
    this.deliver(() => {
      for (const l of this.stateListeners) l({ available: on, discovering: this.discovering });
    });
  }

  /** The advertisement on air, null when not advertising or Bluetooth is off. */
  onAir(): AdvertiseRequest | null {
    return this.phone.bluetoothOn ? this.phone.advertising : null;
  }

  scanning(): boolean {
    return this.phone.bluetoothOn && this.discovering;
  }

  /** The advertisement on air as other phones' scans see it (air.ts decides what they perceive). */
  air(): OnAir | null {
    const request = this.onAir();
    const p = this.phone;
    return request ? { request, platform: p.platform, background: !p.foreground, rules: p.rules } : null;
  }

  /** The scan in progress and what decides what it finds. */
  listening(): Listening | null {
    const p = this.phone;
    return this.scanning()
      ? { platform: p.platform, background: !p.foreground, screenOn: p.screenOn, services: this.services, rules: p.rules }
      : null;
  }

  /** The filter the current discovery uses (null: none), for tests. */
  scanFilter(): string[] | null {
    return this.scanning() ? this.services : null;
  }

  /** One batch of scan results from the world, to the mini-program's device-found listeners. */
  hear(devices: WxBluetoothDevice[]): void {
    this.deliver(() => {
      for (const l of this.foundListeners) l({ devices });
    });
  }

  wx(api: MakeApi): RadioWx {
    const phone = this.phone;
    const checkAdapter = (name: string, mode: string) => {
      if (!this.adapterOpen.has(mode)) throw fail(name, 'not init', { errCode: 10000 });
      if (!phone.bluetoothOn) throw fail(name, 'not available', { errCode: 10001 });
    };
    const server = {
      startAdvertising: api('startAdvertising', (o) => {
        checkAdapter('startAdvertising', 'peripheral');
        const req = o.advertiseRequest as AdvertiseRequest;
        if (phone.rules.manufacturerDataAndroidOnly && phone.platform !== 'android' && req.manufacturerData) {
          throw fail('startAdvertising', 'property not support', { errCode: 10007 });
        }
        phone.advertising = req;
      }),
      stopAdvertising: api('stopAdvertising', () => {
        phone.advertising = null;
      }),
      close: api('close', () => {
        phone.advertising = null;
      }),
    };
    return {
      openBluetoothAdapter: api('openBluetoothAdapter', (o) => {
        // the module is initialised even when the adapter is unavailable (wx.openBluetoothAdapter, 注意)
        this.adapterOpen.add((o.mode as string) ?? 'central');
        const ios = phone.platform === 'ios' && phone.rules.iosAdapterState;
        if (phone.appAuthorize.bluetooth === 'denied')
          throw fail('openBluetoothAdapter', ':not available', { errCode: 10001, ...(ios ? { state: 3 } : {}) });
        if (!phone.bluetoothOn) throw fail('openBluetoothAdapter', ':not available', { errCode: 10001, ...(ios ? { state: 4 } : {}) });
      }),
      closeBluetoothAdapter: api('closeBluetoothAdapter', () => {
        this.adapterOpen.clear();
        phone.advertising = null;
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
      startBluetoothDevicesDiscovery: api('startBluetoothDevicesDiscovery', (o) => {
        checkAdapter('startBluetoothDevicesDiscovery', 'central');
        if (
          phone.platform === 'android' &&
          phone.rules.androidLocationForScan &&
          (!phone.locationOn || phone.appAuthorize.location === 'denied')
        ) {
          // before WeChat 8.0.16 the call succeeds and nothing is ever found
          if (versionBelow(phone.wechatVersion, '8.0.16')) return;
          if (!phone.locationOn) throw fail('startBluetoothDevicesDiscovery', ':location service is disabled', { errCode: -1 });
          throw fail('startBluetoothDevicesDiscovery', ':location permission is denied', { errCode: -1 });
        }
        this.discovering = true;
        this.services = Array.isArray(o.services) && o.services.length ? (o.services as string[]) : null;
      }),
      stopBluetoothDevicesDiscovery: api('stopBluetoothDevicesDiscovery', () => {
        this.discovering = false;
        this.services = null;
      }),
    };
  }
}
