/**
 * The screen and the camera: brightness and keep-on (what the health code page asks for), whether
 * the app is hidden from screen capture, and what the camera "sees" at the next wx.scanCode
 * (`cameraQueue`; null or nothing left: the user cancels).
 */
import type { WxApi } from '../../miniprogram/host/wechat/wx';
import { fail, type MakeApi } from './calls';

export interface ScreenState {
  keepOn: boolean;
  /** -1: nothing overrides the phone's own setting. */
  brightness: number;
  hiddenFromCapture: boolean;
}

export interface ScreenKnobs {
  readonly screenState: ScreenState;
  readonly cameraQueue: (string | null)[];
}

export function screenWx(
  phone: ScreenKnobs,
  api: MakeApi,
): Pick<WxApi, 'setKeepScreenOn' | 'setScreenBrightness' | 'getScreenBrightness' | 'setVisualEffectOnCapture' | 'scanCode'> {
  return {
    setKeepScreenOn: api('setKeepScreenOn', (o) => {
      phone.screenState.keepOn = o.keepScreenOn as boolean;
    }),
    setScreenBrightness: api('setScreenBrightness', (o) => {
      phone.screenState.brightness = o.value as number;
    }),
    // the phone's own setting is 0.4 while nothing overrides it (-1)
    getScreenBrightness: api('getScreenBrightness', () => ({
      value: phone.screenState.brightness < 0 ? 0.4 : phone.screenState.brightness,
    })),
    setVisualEffectOnCapture: api('setVisualEffectOnCapture', (o) => {
      phone.screenState.hiddenFromCapture = o.visualEffect === 'hidden';
    }),
    scanCode: api('scanCode', () => {
      const v = phone.cameraQueue.shift();
      if (v === undefined || v === null) throw fail('scanCode', 'cancel');
      return { result: v, scanType: 'QR_CODE' };
    }),
  };
}
