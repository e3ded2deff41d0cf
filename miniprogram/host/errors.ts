/**
 * What a host operation can fail with, in the host interface's own words. Each platform's
 * implementation translates its error codes into these at its boundary (wechat/errors.ts); the
 * sentences a user reads are made from them in one place (i18n/messages.ts), and REMEDY says what
 * the user can do about each.
 */
import type { SettingsPage } from './types';

export type HostErrorCode =
  | 'bluetooth_not_ready' // the adapter is not open yet
  | 'bluetooth_off' // the phone's Bluetooth switch is off
  | 'bluetooth_unauthorized' // the system does not let the super-app use Bluetooth
  | 'bluetooth_unsupported' // no BLE, or not this operation
  | 'bluetooth_failed' // any other error the system reported
  | 'location_off' // Android: scanning needs the location switch on
  | 'location_unauthorized' // Android: scanning needs the super-app's location permission
  | 'permission_denied' // the user refused the mini-program this permission (a scope)
  | 'privacy_not_agreed' // the user has not agreed to the mini-program's privacy guide
  | 'privacy_not_declared' // the operator did not declare this API in the privacy guide
  | 'background_denied' // the user has not allowed running in the background (WeChat: location "不允许" or never set)
  | 'background_while_using' // the user allowed location only while the mini-program is open
  | 'background_not_declared' // this build does not declare background location (WeChat: app.json requiredPrivateInfos)
  | 'page_limit' // too many pages open
  | 'cancelled' // the user dismissed it (scanner)
  | 'network'
  | 'timeout'
  | 'storage_full'
  | 'unsupported' // this host (or its version) lacks the API
  | 'unknown';

/** What the user can do about a failure: open a settings page, answer the privacy prompt, or nothing here. */
export type Remedy = { kind: 'settings'; page: SettingsPage } | { kind: 'privacy' } | null;

export const REMEDY: Readonly<Record<HostErrorCode, Remedy>> = {
  bluetooth_not_ready: null,
  bluetooth_off: { kind: 'settings', page: 'bluetooth' },
  bluetooth_unauthorized: { kind: 'settings', page: 'app_permissions' },
  bluetooth_unsupported: null,
  bluetooth_failed: null,
  location_off: null, // no API opens the location switch: the sentence says where it is
  location_unauthorized: { kind: 'settings', page: 'app_permissions' },
  permission_denied: { kind: 'settings', page: 'mini_program' },
  privacy_not_agreed: { kind: 'privacy' },
  privacy_not_declared: null,
  background_denied: { kind: 'settings', page: 'mini_program' },
  background_while_using: { kind: 'settings', page: 'mini_program' },
  background_not_declared: null,
  page_limit: null,
  cancelled: null,
  network: null,
  timeout: null,
  storage_full: null,
  unsupported: null,
  unknown: null,
};

export class HostError extends Error {
  readonly code: HostErrorCode;
  /** What the platform said (its errMsg), for logs and tests; never shown as it is. */
  readonly detail: string;
  constructor(code: HostErrorCode, detail = '') {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'HostError';
    this.code = code;
    this.detail = detail;
  }
}

/** The host's code of any failure: a HostError's own, 'unknown' for anything else. */
export function hostErrorCode(e: unknown): HostErrorCode {
  return e instanceof HostError ? e.code : 'unknown';
}

/** Any failure as a HostError (anything that is not one becomes 'unknown', its text kept as the detail). */
export function asHostError(e: unknown): HostError {
  return e instanceof HostError ? e : new HostError('unknown', String(e));
}
