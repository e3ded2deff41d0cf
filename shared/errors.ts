/**
 * The one error type of the project and the one list of its error codes. Every rejected input, on
 * the phone, the server and in the cloud functions, becomes a PrtcError whose `code` is one of
 * ERROR_CODES (stable snake_case: the same string travels in the HTTP API's error body, §10), with a
 * sentence for logs and command-line tools. The phone turns codes into its own words in one place
 * (miniprogram/i18n/messages.ts); the HTTP status of each code is in shared/api/status.ts.
 */

export const ERROR_CODES = [
  // request shape (HTTP edge, JSON checks)
  'malformed_json',
  'invalid_type',
  'unknown_field',
  'missing_field',
  'invalid_value',
  'invalid_query',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  // codecs
  'invalid_hex',
  'invalid_base64url',
  'invalid_length',
  'invalid_uint32',
  'invalid_utf8',
  'truncated',
  'invalid_protobuf',
  // protocol values
  'invalid_key_length',
  'invalid_interval',
  'invalid_enin',
  'invalid_buffer',
  'invalid_hash',
  'invalid_tx_power',
  'invalid_profile',
  'bad_rng',
  'invalid_rpi',
  'invalid_aem',
  'invalid_frame',
  'invalid_marker',
  'not_a_frame',
  // uploads (§10)
  'no_keys',
  'too_many_keys',
  'duplicate_day',
  'key_too_old',
  'key_in_future',
  'too_many_checkins',
  'invalid_checkin',
  'invalid_code_format',
  'code_unknown',
  'code_expired',
  'code_used',
  'code_voided',
  'rate_limited',
  'quota_exceeded',
  // authority
  'missing_token',
  'invalid_token',
  'name_taken',
  // batches and their verification (§9)
  'invalid_batch',
  'bad_signature',
  'bad_hash',
  'bad_number',
  'bad_chain',
  'bad_list',
  'bad_key',
  // risk configuration (§6)
  'invalid_config',
  // venues (§7)
  'not_a_venue',
  'invalid_venue',
  'invalid_description',
  'unsupported_version',
  'venue_not_valid_now',
  'venue_not_started',
  'venue_over',
  // health codes (§8)
  'not_a_health_code',
  'invalid_health_code',
  'no_key',
  // regions and the root (§15)
  'invalid_region',
  'too_many_regions',
  'bad_region',
  'bad_root',
  // moving to a new phone (§17)
  'not_a_transfer',
  'transfer_mismatch',
  'transfer_incomplete',
  // the server itself
  'forbidden',
  'not_configured',
  'database_unavailable',
  'storage_unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN = new Set<string>(ERROR_CODES);

export function isErrorCode(s: unknown): s is ErrorCode {
  return typeof s === 'string' && KNOWN.has(s);
}

export class PrtcError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'PrtcError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

export function isPrtcError(e: unknown): e is PrtcError {
  return e instanceof PrtcError;
}
