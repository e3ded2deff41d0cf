/**
 * §8 Health code: what a venue gate scans. `PRTC-HC1:` + base64url(payload), payload =
 * version 0x01 | status u8 | issuedAt u32 | statusComputedAt u32 | checkpoint (n u32, hash 32,
 * signedAt u32, signature 64) = 114 bytes. The gate verifies offline with the pinned key.
 */
import { fromBase64url, readUint32LE, toBase64url, writeUint32LE } from './codec';
import { PrtcError } from '../errors';
import { verifyHead, type Checkpoint } from './batch';

/** The status a phone claims (§6), and its byte in the code: 0 green, 1 yellow, 2 red. */
export type Status = 'green' | 'yellow' | 'red';
export const STATUS_CODE: Readonly<Record<Status, number>> = { green: 0, yellow: 1, red: 2 };
export const STATUS_FROM_CODE: readonly Status[] = ['green', 'yellow', 'red'];

export const HEALTH_CODE_PREFIX = 'PRTC-HC1:';
export const HEALTH_CODE_BYTES = 1 + 1 + 4 + 4 + 4 + 32 + 4 + 64;
/** A gate accepts issuedAt within ±60 s of its own clock. */
export const FRESHNESS_S = 60;
/** …and a checkpoint signed within the last 24 h. */
export const MAX_SYNC_AGE_S = 24 * 3600;
/** The phone regenerates the code this often. */
export const REFRESH_S = 30;

export interface HealthCode {
  status: Status;
  issuedAt: number;
  statusComputedAt: number;
  checkpoint: Checkpoint;
}

export function encodeHealthCode(h: HealthCode): string {
  const b = new Uint8Array(HEALTH_CODE_BYTES);
  b[0] = 0x01;
  b[1] = STATUS_CODE[h.status];
  writeUint32LE(b, 2, h.issuedAt);
  writeUint32LE(b, 6, h.statusComputedAt);
  writeUint32LE(b, 10, h.checkpoint.n);
  b.set(h.checkpoint.hash, 14);
  writeUint32LE(b, 46, h.checkpoint.signedAt);
  b.set(h.checkpoint.signature, 50);
  return HEALTH_CODE_PREFIX + toBase64url(b);
}

/** Strict decoding; throws PrtcError (`not_a_health_code`, `unsupported_version`, `invalid_health_code`). */
export function decodeHealthCode(text: string): HealthCode {
  if (typeof text !== 'string' || !text.startsWith(HEALTH_CODE_PREFIX)) {
    throw new PrtcError('not_a_health_code', 'this QR code is not a PrTC health code');
  }
  if (text.length > 400) throw new PrtcError('invalid_health_code', 'the health code is too long');
  let b: Uint8Array;
  try {
    b = fromBase64url(text.slice(HEALTH_CODE_PREFIX.length));
  } catch {
    throw new PrtcError('invalid_health_code', 'the health code is damaged (not base64url)');
  }
  if (b.length >= 1 && b[0] !== 0x01) throw new PrtcError('unsupported_version', `health code version ${b[0]} is not supported`);
  if (b.length !== HEALTH_CODE_BYTES) throw new PrtcError('invalid_health_code', 'the health code is truncated or has extra bytes');
  if (b[1] > 2) throw new PrtcError('invalid_health_code', 'the health code has an unknown status');
  return {
    status: STATUS_FROM_CODE[b[1]],
    issuedAt: readUint32LE(b, 2),
    statusComputedAt: readUint32LE(b, 6),
    checkpoint: { n: readUint32LE(b, 10), hash: b.slice(14, 46), signedAt: readUint32LE(b, 46), signature: b.slice(50, 114) },
  };
}

export type GateReason =
  | 'not_a_health_code'
  | 'unsupported_version'
  | 'invalid_health_code'
  | 'bad_signature'
  | 'stale_code'
  | 'future_code'
  | 'sync_too_old'
  | 'sync_in_future'
  | 'status_after_issue';

export interface GateResult {
  valid: boolean;
  status: Status | null;
  issuedAt: number | null;
  syncedAt: number | null;
  reasons: { code: GateReason; message: string }[];
}

/** Verifies a scanned health code offline, at gate time `now` (Unix s). Never throws. */
export function verifyHealthCode(text: string, publicKey: Uint8Array, now: number): GateResult {
  let h: HealthCode;
  try {
    h = decodeHealthCode(text);
  } catch (e) {
    const err = e as PrtcError;
    return {
      valid: false,
      status: null,
      issuedAt: null,
      syncedAt: null,
      reasons: [{ code: err.code as GateReason, message: err.message }],
    };
  }
  const reasons: GateResult['reasons'] = [];
  if (!verifyHead(h.checkpoint, publicKey)) {
    reasons.push({ code: 'bad_signature', message: 'the key-list checkpoint is not signed by the health authority server' });
  }
  if (h.issuedAt < now - FRESHNESS_S) {
    reasons.push({
      code: 'stale_code',
      message: `the code was made ${now - h.issuedAt} s ago (a screenshot?); codes are valid for ${FRESHNESS_S} s`,
    });
  } else if (h.issuedAt > now + FRESHNESS_S) {
    reasons.push({ code: 'future_code', message: 'the code claims to be from the future; check the clocks' });
  }
  if (h.checkpoint.signedAt < now - MAX_SYNC_AGE_S) {
    reasons.push({
      code: 'sync_too_old',
      message: `the phone last synced ${Math.floor((now - h.checkpoint.signedAt) / 3600)} h ago; it must sync within 24 h`,
    });
  } else if (h.checkpoint.signedAt > now + FRESHNESS_S) {
    reasons.push({ code: 'sync_in_future', message: 'the checkpoint claims to be from the future' });
  }
  if (h.statusComputedAt > h.issuedAt + FRESHNESS_S) {
    reasons.push({ code: 'status_after_issue', message: 'the status claims to be computed after the code was made' });
  }
  return { valid: reasons.length === 0, status: h.status, issuedAt: h.issuedAt, syncedAt: h.checkpoint.signedAt, reasons };
}
