/**
 * §8 Health code: what a venue gate scans. `PRTC-HC1:` + base64url(payload), payload =
 * version 0x01 | status u8 | issuedAt u32 | statusComputedAt u32 | checkpoint (n u32, hash 32,
 * signedAt u32, signature 64) = 114 bytes. The gate verifies offline with the pinned key.
 *
 * §15: version 0x02 carries the signed root in place of the national chain's head — leafCount u32,
 * rootHash 32, signedAt u32, signature 64, the same 114 bytes — and a gate still checks one
 * signature. Gates accept both versions while phones of the previous release are in use.
 *
 * Issue 32 (docs/protocol.md §16): version 0x03 is a family member's code — the version-0x02
 * payload followed by the member's place `index` u8 (1-based) and the number of members `count` u8
 * on the phone, 116 bytes; a gate shows "member 2 of 3 on this phone" and learns nothing else. A
 * phone draws its user's own code as version 0x02 still, which gates of the previous release accept.
 */
import { fromBase64url, readUint32LE, toBase64url, writeUint32LE } from './codec';
import { PrtcError } from '../errors';
import { verifyHead, type Checkpoint } from './batch';
import { verifyRoot, type SignedRoot } from './root';

/** The status a phone claims (§6), and its byte in the code: 0 green, 1 yellow, 2 red. */
export type Status = 'green' | 'yellow' | 'red';
export const STATUS_CODE: Readonly<Record<Status, number>> = { green: 0, yellow: 1, red: 2 };
export const STATUS_FROM_CODE: readonly Status[] = ['green', 'yellow', 'red'];

export const HEALTH_CODE_PREFIX = 'PRTC-HC1:';
export const HEALTH_CODE_BYTES = 1 + 1 + 4 + 4 + 4 + 32 + 4 + 64;
/** Version 0x03 (a family member's code): version 0x02's bytes, then the member's place and the number of members. */
export const MEMBER_CODE_BYTES = HEALTH_CODE_BYTES + 2;
/** A gate accepts issuedAt within ±60 s of its own clock. */
export const FRESHNESS_S = 60;
/** …and a checkpoint signed within the last 24 h. */
export const MAX_SYNC_AGE_S = 24 * 3600;
/** The phone regenerates the code this often. */
export const REFRESH_S = 30;

/** A family member's place among the members a phone holds (1-based `index` of `count`), issue 32. */
export interface MemberPlace {
  index: number;
  count: number;
}

interface HealthCodeClaim {
  status: Status;
  issuedAt: number;
  statusComputedAt: number;
}
/**
 * Version 0x01 carries a national-chain head (§9); version 0x02 the signed root (§15); version 0x03
 * the signed root and a family member's place (issue 32).
 */
export type HealthCode = HealthCodeClaim &
  ({ checkpoint: Checkpoint; root?: undefined; member?: undefined } | { root: SignedRoot; checkpoint?: undefined; member?: MemberPlace });

const validPlace = (m: MemberPlace) =>
  Number.isInteger(m.index) && Number.isInteger(m.count) && m.index >= 1 && m.index <= m.count && m.count <= 255;

/** When the key list the code rests on was signed: the head's or the root's signedAt. */
export function syncedAtOf(h: HealthCode): number {
  return h.root ? h.root.signedAt : h.checkpoint.signedAt;
}

export function encodeHealthCode(h: HealthCode): string {
  if (h.member && !validPlace(h.member)) throw new PrtcError('invalid_value', 'a member is 1 to 255, at most the number of members');
  const b = new Uint8Array(h.member ? MEMBER_CODE_BYTES : HEALTH_CODE_BYTES);
  b[0] = h.member ? 0x03 : h.root ? 0x02 : 0x01;
  b[1] = STATUS_CODE[h.status];
  writeUint32LE(b, 2, h.issuedAt);
  writeUint32LE(b, 6, h.statusComputedAt);
  const c = h.root ? { n: h.root.count, hash: h.root.hash, signedAt: h.root.signedAt, signature: h.root.signature } : h.checkpoint;
  writeUint32LE(b, 10, c.n);
  b.set(c.hash, 14);
  writeUint32LE(b, 46, c.signedAt);
  b.set(c.signature, 50);
  if (h.member) {
    b[114] = h.member.index;
    b[115] = h.member.count;
  }
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
  if (b.length >= 1 && b[0] !== 0x01 && b[0] !== 0x02 && b[0] !== 0x03)
    throw new PrtcError('unsupported_version', `health code version ${b[0]} is not supported`);
  if (b.length !== (b[0] === 0x03 ? MEMBER_CODE_BYTES : HEALTH_CODE_BYTES))
    throw new PrtcError('invalid_health_code', 'the health code is truncated or has extra bytes');
  if (b[1] > 2) throw new PrtcError('invalid_health_code', 'the health code has an unknown status');
  const claim = { status: STATUS_FROM_CODE[b[1]], issuedAt: readUint32LE(b, 2), statusComputedAt: readUint32LE(b, 6) };
  const signed = { hash: b.slice(14, 46), signedAt: readUint32LE(b, 46), signature: b.slice(50, 114) };
  if (b[0] === 0x02 || b[0] === 0x03) {
    if (readUint32LE(b, 10) === 0) throw new PrtcError('invalid_health_code', 'the health code names a root of no chains');
    const root = { count: readUint32LE(b, 10), ...signed };
    if (b[0] === 0x02) return { ...claim, root };
    const member = { index: b[114], count: b[115] };
    if (!validPlace(member)) throw new PrtcError('invalid_health_code', 'the health code names no valid member place');
    return { ...claim, root, member };
  }
  return { ...claim, checkpoint: { n: readUint32LE(b, 10), ...signed } };
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
  /** A family member's code (version 0x03): its place on the phone; absent for the phone user's own code. */
  member?: MemberPlace;
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
  if (!(h.root ? verifyRoot(h.root, publicKey) : verifyHead(h.checkpoint, publicKey))) {
    reasons.push({ code: 'bad_signature', message: 'the key-list checkpoint is not signed by the health authority server' });
  }
  const signedAt = syncedAtOf(h);
  if (h.issuedAt < now - FRESHNESS_S) {
    reasons.push({
      code: 'stale_code',
      message: `the code was made ${now - h.issuedAt} s ago (a screenshot?); codes are valid for ${FRESHNESS_S} s`,
    });
  } else if (h.issuedAt > now + FRESHNESS_S) {
    reasons.push({ code: 'future_code', message: 'the code claims to be from the future; check the clocks' });
  }
  if (signedAt < now - MAX_SYNC_AGE_S) {
    reasons.push({
      code: 'sync_too_old',
      message: `the phone last synced ${Math.floor((now - signedAt) / 3600)} h ago; it must sync within 24 h`,
    });
  } else if (signedAt > now + FRESHNESS_S) {
    reasons.push({ code: 'sync_in_future', message: 'the checkpoint claims to be from the future' });
  }
  if (h.statusComputedAt > h.issuedAt + FRESHNESS_S) {
    reasons.push({ code: 'status_after_issue', message: 'the status claims to be computed after the code was made' });
  }
  const member = h.member ? { member: h.member } : {};
  return { valid: reasons.length === 0, status: h.status, issuedAt: h.issuedAt, syncedAt: signedAt, ...member, reasons };
}
