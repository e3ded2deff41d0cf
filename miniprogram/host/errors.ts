/**
 * What a host operation can fail with, in the host interface's own words. Each platform's
 * implementation translates its error codes into these at its boundary (wechat/errors.ts); the
 * sentences a user reads are made from them in one place (i18n/messages.ts).
 */
export type HostErrorCode =
  | 'bluetooth_not_ready' // the adapter is not open yet
  | 'bluetooth_off' // the phone's Bluetooth is switched off
  | 'bluetooth_unsupported' // no BLE, or not this operation
  | 'bluetooth_failed' // any other error the system reported
  | 'unauthorized' // the user or the system did not allow it
  | 'cancelled' // the user dismissed it (scanner)
  | 'network'
  | 'timeout'
  | 'storage_full'
  | 'unsupported' // this host (or its version) lacks the API
  | 'unknown';

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
