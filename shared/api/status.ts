/**
 * §10: the HTTP status that goes with every error code, and which of them a client should retry.
 * The Koa server, the cloud functions and the phone all read this one table.
 */
import type { ErrorCode } from '../errors';

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  malformed_json: 400,
  invalid_type: 400,
  unknown_field: 400,
  missing_field: 400,
  invalid_value: 400,
  invalid_query: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  method_not_allowed: 405,
  invalid_hex: 400,
  invalid_base64url: 400,
  invalid_length: 400,
  invalid_uint32: 400,
  invalid_utf8: 400,
  truncated: 400,
  invalid_protobuf: 400,
  invalid_key_length: 400,
  invalid_interval: 400,
  invalid_enin: 400,
  invalid_buffer: 400,
  invalid_hash: 400,
  invalid_tx_power: 400,
  invalid_profile: 400,
  bad_rng: 400,
  invalid_rpi: 400,
  invalid_aem: 400,
  invalid_frame: 400,
  invalid_marker: 400,
  not_a_frame: 400,
  no_keys: 400,
  too_many_keys: 400,
  duplicate_day: 400,
  key_too_old: 400,
  key_in_future: 400,
  too_many_checkins: 400,
  invalid_checkin: 400,
  invalid_code_format: 400,
  code_unknown: 403,
  code_expired: 403,
  code_used: 403,
  code_voided: 403,
  rate_limited: 429,
  quota_exceeded: 429,
  missing_token: 401,
  invalid_token: 401,
  name_taken: 409,
  invalid_batch: 400,
  bad_signature: 400,
  bad_hash: 400,
  bad_number: 400,
  bad_chain: 400,
  bad_list: 400,
  bad_key: 400,
  invalid_config: 400,
  not_a_venue: 400,
  invalid_venue: 400,
  invalid_description: 400,
  unsupported_version: 400,
  venue_not_valid_now: 400,
  venue_not_started: 400,
  venue_over: 400,
  not_a_health_code: 400,
  invalid_health_code: 400,
  no_key: 400,
  invalid_region: 400,
  too_many_regions: 400,
  bad_region: 400,
  bad_root: 400,
  not_a_transfer: 400,
  transfer_mismatch: 400,
  transfer_incomplete: 400,
  forbidden: 403,
  not_configured: 500,
  database_unavailable: 503,
  storage_unavailable: 503,
  internal_error: 500,
};

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** Server faults and throttling are worth retrying later; a request the server refused is not. */
export function isRetryable(code: ErrorCode): boolean {
  const s = statusOf(code);
  return s >= 500 || s === 429;
}

/** Seconds a client should wait before retrying, sent as `Retry-After` (and honoured by the phone). */
export const RETRY_AFTER_S: Partial<Record<ErrorCode, number>> = { database_unavailable: 5, storage_unavailable: 30, rate_limited: 60 };
