/**
 * Alipay's failures → the host interface's codes. Alipay fails with `{ error, errorMessage }`:
 * - my.openBluetoothAdapter: 12 Bluetooth is off, 13 the link to the system service was lost,
 *   14 Alipay is not allowed to use Bluetooth, 15 unknown; the Bluetooth APIs share 10000 (adapter
 *   not initialised), 10001 (adapter not available) with WeChat's numbering;
 * - my.scan: 10 the user cancelled, 11 the operation failed;
 * - my.request: 11 the domain is not on the whitelist (无权跨域), 12 network error, 13 timeout,
 *   14 the answer could not be decoded, 19 HTTP error (the status is in the result), 20 stopped or
 *   throttled;
 * - the common codes: 2 bad arguments, 3 unknown error, 4 no permission for this API.
 * The same number means different things per API, so each call says which table applies.
 */
import { HostError, type HostErrorCode } from '../errors';
import type { MyError } from './my';

export type MyApiFamily = 'bluetooth' | 'scan' | 'request' | 'other';

const TABLES: Readonly<Record<MyApiFamily, Readonly<Record<number, HostErrorCode>>>> = {
  bluetooth: {
    12: 'bluetooth_off',
    13: 'bluetooth_failed',
    14: 'bluetooth_unauthorized',
    15: 'bluetooth_failed',
    10000: 'bluetooth_not_ready',
    10001: 'bluetooth_off',
  },
  scan: { 10: 'cancelled', 11: 'unknown' },
  request: { 11: 'network', 12: 'network', 13: 'timeout', 14: 'unknown', 19: 'network', 20: 'network' },
  other: {},
};

const COMMON: Readonly<Record<number, HostErrorCode>> = { 2: 'unknown', 3: 'unknown', 4: 'permission_denied' };

export function fromAlipayError(e: unknown, family: MyApiFamily): HostError {
  if (e instanceof HostError) return e;
  const err = (e ?? {}) as Partial<MyError> & { message?: string };
  const detail = `${err.error ?? '?'} ${err.errorMessage ?? err.message ?? ''}`.trim();
  const n = typeof err.error === 'number' ? err.error : NaN;
  const code = TABLES[family][n] ?? COMMON[n] ?? (family === 'bluetooth' && n >= 10000 ? 'bluetooth_failed' : 'unknown');
  return new HostError(code, detail);
}
