/**
 * The one answer of every device action that can fail: the result and what to tell the user, or
 * why not — the code, and the sentence to show (null when the user just cancelled, or when the
 * action has nothing to say).
 */
import type { ErrorCode } from '../../shared/errors';
import type { HostErrorCode } from '../host/errors';
import type { CheckinProblem } from '../services/checkins';
import type { DiaryProblem } from '../services/diary';

/** Why the device itself declined, before any host or server was asked. */
export type DeviceRefusal = 'no_consent' | CheckinProblem | DiaryProblem | MoveRefusal;

/** Why a move to a new phone was refused (docs/protocol.md §17); nothing changed on either phone. */
export type MoveRefusal =
  | 'transfer_bad_code'
  | 'transfer_no_code'
  | 'transfer_other'
  | 'transfer_expired'
  | 'transfer_replayed'
  | 'transfer_invalid'
  | 'transfer_too_large'
  | 'transfer_has_data'
  | 'transfer_not_confirmed'
  | 'transfer_no_pending';

export type RefusalCode = ErrorCode | HostErrorCode | DeviceRefusal;

export type Outcome<T = null> = { ok: true; value: T; text: string | null } | { ok: false; code: RefusalCode; text: string | null };

export function done<T>(value: T, text: string | null = null): Outcome<T> {
  return { ok: true, value, text };
}

export function refused<T = never>(code: RefusalCode, text: string | null): Outcome<T> {
  return { ok: false, code, text };
}
