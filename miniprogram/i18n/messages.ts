/**
 * The one place where the phone turns codes into sentences: host errors (host/errors.ts), the
 * server's and the protocol's error codes (shared/errors.ts) and a gate's reasons (§8).
 */
import type { ErrorCode } from '../../shared/errors';
import type { GateReason } from '../../shared/protocol/healthcode';
import type { HostErrorCode } from '../host/errors';
import { t, type Language, type StringKey } from './strings';

export function hostErrorText(lang: Language, code: HostErrorCode): string {
  return t(lang, `host_${code}` as StringKey);
}

/** Upload failures the user can act on, by the server's error code; other codes are reported with their detail. */
const UPLOAD_ERRORS: Partial<Record<ErrorCode, StringKey>> = {
  code_unknown: 'codeUnknown',
  code_used: 'codeUsed',
  code_expired: 'codeExpired',
  rate_limited: 'codeRateLimited',
  invalid_code_format: 'codeFormat',
};

export function uploadErrorText(lang: Language, code: ErrorCode, detail: string): string {
  const key = UPLOAD_ERRORS[code];
  return key ? t(lang, key) : t(lang, 'uploadFailed', { reason: detail });
}

export function gateReasonText(lang: Language, code: GateReason): string {
  return t(lang, `gr_${code}` as StringKey);
}
