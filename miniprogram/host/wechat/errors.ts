/**
 * WeChat's failures → the host interface's codes. WeChat reports `{ errMsg, errCode, errno }`:
 * Bluetooth APIs use errCode 10000–10013 (wx.openBluetoothAdapter, "错误"), permission and scope
 * failures say "auth deny" / "auth denied" or carry errno 103/104, a dismissed scanner "cancel".
 */
import { HostError, type HostErrorCode } from '../errors';
import type { WxError } from './wx';

const BLUETOOTH: Record<number, HostErrorCode> = {
  10000: 'bluetooth_not_ready',
  10001: 'bluetooth_off',
  10007: 'bluetooth_unsupported',
  10009: 'bluetooth_unsupported',
};

export function fromWechatError(e: unknown): HostError {
  if (e instanceof HostError) return e;
  const err = (e ?? {}) as Partial<WxError> & { message?: string };
  const msg = err.errMsg ?? err.message ?? '';
  if (/auth den|authorize|permission|not authorized|auth deny/i.test(msg) || err.errno === 103 || err.errno === 104)
    return new HostError('unauthorized', msg);
  if (/cancel/i.test(msg)) return new HostError('cancelled', msg);
  if (/timeout/i.test(msg) && err.errCode === undefined) return new HostError('timeout', msg);
  if (/exceed|storage.*(limit|max)|max size/i.test(msg)) return new HostError('storage_full', msg);
  if (typeof err.errCode === 'number' && err.errCode >= 10000 && err.errCode <= 10013)
    return new HostError(BLUETOOTH[err.errCode] ?? 'bluetooth_failed', msg);
  if (/request:fail|network/i.test(msg)) return new HostError('network', msg);
  return new HostError('unknown', msg);
}
