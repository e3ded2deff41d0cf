/**
 * What one phone's scan reports of another phone's advertisement, by the platforms' rules for the
 * background (docs/wechat-host.md, "The background"; rules.ts):
 * - iOS advertising in the background: every service UUID goes to the "overflow area", which only an
 *   iOS device scanning for that very UUID sees, and then only as present; the local name is dropped
 *   (Apple, CBPeripheralManager.startAdvertising). An Android scanner sees Apple's manufacturer data
 *   and nothing of ours.
 * - iOS scanning in the background finds only the services it filters for
 *   (CBCentralManager.scanForPeripherals(withServices:): "must explicitly scan for one or more services").
 * - Android 8.1+ with the screen off: a scan without a filter finds nothing.
 * - A scan with a filter (wx.startBluetoothDevicesDiscovery `services`) reports only advertisements
 *   whose service list holds one of its UUIDs.
 * What reaches the mini-program is shaped as WeChat reports it: manufacturer data with the company id
 * first, 16-bit service UUIDs as "FFF7" on iOS and in the Bluetooth base form on Android.
 */
import type { AdvertiseRequest } from '../../shared/protocol/ble';
import { concatBytes } from '../../shared/protocol/codec';
import type { Platform } from '../../miniprogram/host/types';
import type { WeChatRules } from './rules';

/** An advertisement on air, with what decides how others see it. */
export interface OnAir {
  request: AdvertiseRequest;
  platform: Platform;
  /** The mini-program is not on screen (iOS then treats the advertiser as a background app). */
  background: boolean;
  rules: WeChatRules;
}

/** A scan in progress, with what decides what it finds. */
export interface Listening {
  platform: Platform;
  background: boolean;
  screenOn: boolean;
  /** The scan's service filter (16-bit UUIDs as "FFF7", or 128-bit), or null for none. */
  services: string[] | null;
  rules: WeChatRules;
}

export interface Perceived {
  advertisData: ArrayBuffer;
  advertisServiceUUIDs: string[];
}

const BASE_SUFFIX = '-0000-1000-8000-00805F9B34FB';

/** A UUID in one comparable form: 16-bit ones (any notation) as "FFF7", 128-bit ones upper case. */
function norm(u: string): string {
  const x = u.toUpperCase().replace(/^0X/, '');
  if (/^[0-9A-F]{4}$/.test(x)) return x;
  if (x.startsWith('0000') && x.endsWith(BASE_SUFFIX)) return x.slice(4, 8);
  return x;
}

/** How a 16-bit UUID is reported on this platform (Android's ScanRecord gives ParcelUuids, in the base form). */
function reported(u: string, platform: Platform): string {
  const n = norm(u);
  return n.length === 4 && platform === 'android' ? `0000${n}${BASE_SUFFIX}` : n;
}

/** Apple's manufacturer data that carries the overflow area: what an Android scanner sees of a background iPhone. */
const APPLE_OVERFLOW = Uint8Array.of(0x4c, 0x00, 0x01, ...new Uint8Array(16));

export function perceive(from: OnAir, by: Listening): Perceived | null {
  const iosBackgroundTx = from.platform === 'ios' && from.background;
  const iosBackgroundRx = by.platform === 'ios' && by.background;
  if (iosBackgroundTx && !from.rules.iosBluetoothInBackground) return null;
  if (iosBackgroundRx && !by.rules.iosBluetoothInBackground) return null;
  if (iosBackgroundRx && by.rules.iosBackgroundScanNeedsFilter && !by.services) return null;
  if (by.platform === 'android' && !by.screenOn && by.rules.androidScreenOffScanNeedsFilter && !by.services) return null;

  const uuids = (from.request.serviceUuids ?? []).map(norm);
  const filter = by.services?.map(norm) ?? null;
  if (iosBackgroundTx && from.rules.iosBackgroundAdvertising) {
    // the overflow area: only an iOS scanner filtering for one of the UUIDs learns it is there
    if (by.platform === 'ios' && filter) {
      const present = uuids.filter((u) => filter.includes(u));
      return present.length ? { advertisData: new ArrayBuffer(0), advertisServiceUUIDs: present.map((u) => reported(u, 'ios')) } : null;
    }
    return filter ? null : { advertisData: APPLE_OVERFLOW.slice().buffer, advertisServiceUUIDs: [] };
  }
  if (filter && !uuids.some((u) => filter.includes(u))) return null;
  const m = from.request.manufacturerData?.[0];
  return {
    advertisData: m
      ? concatBytes(Uint8Array.of(0xff, 0xff), new Uint8Array(m.manufacturerSpecificData)).slice().buffer
      : new ArrayBuffer(0),
    advertisServiceUUIDs: uuids.map((u) => reported(u, by.platform)),
  };
}
