/**
 * The base library and the system as the mini-program reads them: the system information the Taro
 * runtime reads while loading (wx.getSystemInfoSync, getWindowInfo, nextTick, canIUse), the calls
 * that replaced it in base library 2.20.1 (getDeviceInfo, getAppBaseInfo, getSystemSetting,
 * getAppAuthorizeSetting; rules.modernSystemInfo), and wx.getRandomValues.
 */
import type { Language, Platform } from '../../miniprogram/host/types';
import type { WxApi, WxAuthorized } from '../../miniprogram/host/wechat/wx';
import type { MakeApi } from './calls';
import type { WeChatRules } from './rules';

export interface SystemKnobs {
  readonly platform: Platform;
  readonly language: Language;
  readonly rules: WeChatRules;
  readonly wechatVersion: string;
  /** The base library version (SDKVersion). */
  readonly baseLibrary: string;
  readonly bluetoothOn: boolean;
  readonly locationOn: boolean;
  readonly appAuthorize: { bluetooth: WxAuthorized; location: WxAuthorized; album: WxAuthorized };
}

type SystemWx = Pick<
  WxApi,
  'getSystemInfoSync' | 'getRandomValues' | 'getDeviceInfo' | 'getAppBaseInfo' | 'getSystemSetting' | 'getAppAuthorizeSetting'
> &
  Record<string, unknown>;

/** The platform's secure random source (Node's and browsers' crypto.getRandomValues). */
export function platformRandom(n: number): Uint8Array {
  const c = (globalThis as { crypto?: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto;
  if (!c) throw new Error('no crypto.getRandomValues: give the simulated phone a random source');
  return c.getRandomValues(new Uint8Array(n));
}

export function systemWx(phone: SystemKnobs, api: MakeApi, random: (n: number) => Uint8Array): SystemWx {
  const legacyInfo = () => ({
    platform: phone.platform === 'ohos' ? 'android' : phone.platform, // old base libraries knew no HarmonyOS
    language: phone.language,
    windowWidth: 375,
    windowHeight: 667,
    pixelRatio: 2,
    screenWidth: 375,
    screenHeight: 667,
    statusBarHeight: 20,
    SDKVersion: phone.baseLibrary,
    version: phone.wechatVersion,
    brand: 'sim',
    model: 'sim',
    system: 'sim',
  });
  const part: SystemWx = {
    // what the Taro runtime reads while loading
    getSystemInfoSync: legacyInfo,
    getSystemInfo: api('getSystemInfo', legacyInfo),
    getWindowInfo: legacyInfo,
    nextTick: (f: () => void) => setTimeout(f, 0),
    canIUse: () => true,

    getRandomValues: api('getRandomValues', (o) => ({ randomValues: random(o.length as number).slice().buffer })),
  };
  if (phone.rules.modernSystemInfo) {
    part.getDeviceInfo = () => ({ platform: phone.platform, system: 'sim' });
    part.getAppBaseInfo = () => ({ language: legacyInfo().language, SDKVersion: legacyInfo().SDKVersion, version: phone.wechatVersion });
    part.getSystemSetting = () => ({ bluetoothEnabled: phone.bluetoothOn, locationEnabled: phone.locationOn });
    part.getAppAuthorizeSetting = () => ({
      bluetoothAuthorized: phone.appAuthorize.bluetooth,
      locationAuthorized: phone.appAuthorize.location,
      albumAuthorized: phone.appAuthorize.album,
    });
  }
  return part;
}
