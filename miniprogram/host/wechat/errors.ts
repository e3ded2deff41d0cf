/**
 * WeChat's failures → the host interface's codes. WeChat fails with `{ errMsg, errCode, errno }`:
 * - privacy (PrivacyAuthorize.html): errno 104 "privacy permission is not authorized" (the user
 *   did not agree), errno 112 "api scope is not declared in the privacy agreement" (the operator did
 *   not declare the API in the admin console);
 * - scopes (authorize.html): "auth deny" / "auth denied", errno 103;
 * - Bluetooth (wx.openBluetoothAdapter, 错误): errCode 10000–10013; on iOS a failed
 *   openBluetoothAdapter also carries `state` (3 unauthorised, 4 switched off);
 * - Android scanning without location (wx.startBluetoothDevicesDiscovery, 注意, WeChat ≥ 8.0.16):
 *   "location service is disabled" / "location permission is denied";
 * - navigation: "webview count limit exceed" (wx.navigateTo: 页面栈最多十层);
 * - location APIs not declared in app.json's requiredPrivateInfos (地理位置接口新增与相关流程调整,
 *   2022-07-14): "… need to be declared in the requiredPrivateInfos field in app.json/ext.json".
 */
import { HostError, type HostErrorCode } from '../errors';
import type { WxError } from './wx';

const BLUETOOTH: Record<number, HostErrorCode> = {
  10000: 'bluetooth_not_ready',
  10001: 'bluetooth_off',
  10007: 'bluetooth_unsupported',
  10009: 'bluetooth_unsupported',
};

/** iOS openBluetoothAdapter `state`: 2 not supported, 3 unauthorised, 4 off. */
const IOS_STATE: Record<number, HostErrorCode> = { 2: 'bluetooth_unsupported', 3: 'bluetooth_unauthorized', 4: 'bluetooth_off' };

export function fromWechatError(e: unknown): HostError {
  if (e instanceof HostError) return e;
  const err = (e ?? {}) as Partial<WxError> & { message?: string };
  const msg = err.errMsg ?? err.message ?? '';
  const code = ((): HostErrorCode => {
    if (err.errno === 112 || /not declared in the privacy agreement/i.test(msg)) return 'privacy_not_declared';
    if (err.errno === 104 || /privacy permission is not authorized/i.test(msg)) return 'privacy_not_agreed';
    if (/requiredPrivateInfos/i.test(msg)) return 'background_not_declared';
    if (/location service is disabled/i.test(msg)) return 'location_off';
    if (/location permission is denied/i.test(msg)) return 'location_unauthorized';
    if (err.errno === 103 || /auth den|auth deny|authorize:fail/i.test(msg)) return 'permission_denied';
    if (/cancel/i.test(msg)) return 'cancelled';
    if (/webview count limit/i.test(msg)) return 'page_limit';
    if (typeof err.state === 'number' && IOS_STATE[err.state]) return IOS_STATE[err.state];
    if (typeof err.errCode === 'number' && err.errCode >= 10000 && err.errCode <= 10013)
      return BLUETOOTH[err.errCode] ?? 'bluetooth_failed';
    if (/timeout/i.test(msg)) return 'timeout';
    if (/exceed|storage.*(limit|max)|max size/i.test(msg)) return 'storage_full';
    if (/request:fail|network/i.test(msg)) return 'network';
    return 'unknown';
  })();
  return new HostError(code, msg);
}
