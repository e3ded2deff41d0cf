/**
 * Moving to a new phone (docs/protocol.md §17): the old phone's data, encrypted under a one-time
 * code, as a sequence of QR frames the new phone scans; and the confirmation the new phone shows
 * back. Everything here is bytes and keys: what the snapshot holds and how it is compressed is the
 * phone's business (miniprogram/services/transfer.ts).
 *
 * - The code: 10 symbols of Crockford's base32 (no I, L, O, U: nothing to confuse), 50 bits, made
 *   by the OLD phone and shown only on its screen; the user types it on the new phone. It never
 *   travels inside a QR code, so a photo of the frames alone opens nothing.
 * - Keys: scrypt (N 2^14, r 8, p 1; memory-hard, so that guessing 50 bits offline from recorded
 *   frames costs ~2^49 scrypt runs) over the code, salted with the transfer id; then HKDF-SHA256
 *   splits it into the payload key, the frame key and the confirmation key (RFC 5869).
 * - The payload: ChaCha20-Poly1305 (RFC 8439; a random 12-byte nonce — the key is new for every transfer —; the version, id and time as associated data).
 * - Frames: header (version, transfer id, created at, index, count) || chunk || HMAC-SHA256 tag
 *   (16 bytes) under the frame key, so a tampered or foreign frame is refused as it is scanned.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { scrypt, scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalCode, CROCKFORD, formatCode } from '../api/code';
import { PrtcError } from '../errors';
import { concatBytes, equalBytes, fromBase64url, toBase64url, utf8Encode } from './codec';

/** Crockford's base32, as upload codes (§10): digits and letters without I, L, O and U. */
export const CODE_ALPHABET = CROCKFORD;
export const CODE_LENGTH = 10;
export const TRANSFER_ID_BYTES = 8;
export const NONCE_BYTES = 12;
/** Payload bytes a frame carries: a frame is 17 + 480 + 16 bytes, 694 characters with its prefix — QR version 21 at level M. */
export const CHUNK_BYTES = 480;
export const FRAME_TAG_BYTES = 16;
const HEADER_BYTES = 1 + TRANSFER_ID_BYTES + 4 + 2 + 2;
export const FRAME_VERSION = 0x01;
export const FRAME_PREFIX = 'prtc-move:';
export const DONE_PREFIX = 'prtc-moved:';
/** A transfer is accepted for one hour after the old phone made it (and up to 5 minutes early: clocks differ). */
export const TRANSFER_TTL_S = 3600;
export const CLOCK_SKEW_S = 300;
export const MAX_FRAMES = 0xffff;
/** scrypt's cost: 16 MiB and about 0.15 s in Node, a second or two in a phone's JavaScript. */
export const SCRYPT = { N: 2 ** 14, r: 8, p: 1, dkLen: 32 } as const;

export interface TransferKeys {
  /** ChaCha20-Poly1305 key of the payload. */
  payload: Uint8Array;
  /** HMAC-SHA256 key of each frame's tag. */
  frame: Uint8Array;
  /** HMAC-SHA256 key of the new phone's confirmation. */
  done: Uint8Array;
}

/** The code as the user typed it → its canonical form (Crockford: O→0, I and L→1, spaces and dashes dropped); null when it is not a code. */
export const normaliseCode = canonicalCode;

/** A code from `random` (≥ 10 bytes from a secure source): each symbol from the low 5 bits of one byte. */
export function codeFromRandom(random: Uint8Array): string {
  if (random.length < CODE_LENGTH) throw new PrtcError('bad_rng', `need ${CODE_LENGTH} random bytes`);
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[random[i] & 31];
  return s;
}

/** How the code is shown: two groups of five, as an upload code. */
export { formatCode };

function scryptSalt(transferId: Uint8Array): Uint8Array {
  return concatBytes(utf8Encode('prtc-move-v1'), transferId);
}

function split(master: Uint8Array, transferId: Uint8Array): TransferKeys {
  const part = (info: string) => hkdf(sha256, master, transferId, utf8Encode(info), 32);
  return { payload: part('prtc-move payload'), frame: part('prtc-move frame'), done: part('prtc-move done') };
}

function checkId(transferId: Uint8Array): void {
  if (transferId.length !== TRANSFER_ID_BYTES) throw new PrtcError('invalid_length', `a transfer id has ${TRANSFER_ID_BYTES} bytes`);
}

/** The three keys of a transfer (synchronous: tests and the bench). */
export function transferKeys(code: string, transferId: Uint8Array): TransferKeys {
  checkId(transferId);
  return split(scrypt(utf8Encode(code), scryptSalt(transferId), SCRYPT), transferId);
}

/** The same, giving the phone's event loop room while scrypt runs. */
export async function transferKeysAsync(code: string, transferId: Uint8Array): Promise<TransferKeys> {
  checkId(transferId);
  return split(await scryptAsync(utf8Encode(code), scryptSalt(transferId), { ...SCRYPT, asyncTick: 20 }), transferId);
}

function header(transferId: Uint8Array, createdAt: number, index: number, count: number): Uint8Array {
  const h = new Uint8Array(HEADER_BYTES);
  const v = new DataView(h.buffer);
  h[0] = FRAME_VERSION;
  h.set(transferId, 1);
  v.setUint32(9, createdAt, true);
  v.setUint16(13, index, true);
  v.setUint16(15, count, true);
  return h;
}

/** The payload's associated data: the header without index and count (version, id, created at). */
function payloadAad(transferId: Uint8Array, createdAt: number): Uint8Array {
  return header(transferId, createdAt, 0, 0).subarray(0, 13);
}

const tag = (key: Uint8Array, data: Uint8Array) => hmac(sha256, key, data).subarray(0, FRAME_TAG_BYTES);

/**
 * The frames of a transfer: `plaintext` sealed under the keys, cut into chunks, each framed and
 * tagged. `nonce` comes from a secure source (12 bytes).
 */
export function sealTransfer(
  keys: TransferKeys,
  transferId: Uint8Array,
  createdAt: number,
  nonce: Uint8Array,
  plaintext: Uint8Array,
): string[] {
  checkId(transferId);
  if (nonce.length !== NONCE_BYTES) throw new PrtcError('invalid_length', `a nonce has ${NONCE_BYTES} bytes`);
  const sealed = concatBytes(nonce, chacha20poly1305(keys.payload, nonce, payloadAad(transferId, createdAt)).encrypt(plaintext));
  const count = Math.ceil(sealed.length / CHUNK_BYTES);
  if (count > MAX_FRAMES) throw new PrtcError('payload_too_large', `more than ${MAX_FRAMES} frames`);
  const frames: string[] = [];
  for (let i = 0; i < count; i++) {
    const body = concatBytes(header(transferId, createdAt, i, count), sealed.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES));
    frames.push(FRAME_PREFIX + toBase64url(concatBytes(body, tag(keys.frame, body))));
  }
  return frames;
}

export interface Frame {
  transferId: Uint8Array;
  createdAt: number;
  index: number;
  count: number;
  chunk: Uint8Array;
  /** Header and chunk: what the tag covers. */
  body: Uint8Array;
  tag: Uint8Array;
}

/** A scanned text → its frame, structure only (the tag is checked by `checkFrame`). PrtcError 'not_a_transfer' when it is none. */
export function parseFrame(text: string): Frame {
  if (!text.startsWith(FRAME_PREFIX)) throw new PrtcError('not_a_transfer', 'not a frame of a move to a new phone');
  let b: Uint8Array;
  try {
    b = fromBase64url(text.slice(FRAME_PREFIX.length));
  } catch {
    throw new PrtcError('not_a_transfer', 'the frame is not base64url');
  }
  if (b.length < HEADER_BYTES + 1 + FRAME_TAG_BYTES || b[0] !== FRAME_VERSION)
    throw new PrtcError('not_a_transfer', 'the frame is too short or of another version');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const index = v.getUint16(13, true);
  const count = v.getUint16(15, true);
  if (count === 0 || index >= count) throw new PrtcError('not_a_transfer', 'the frame numbers itself outside its count');
  const body = b.subarray(0, b.length - FRAME_TAG_BYTES);
  return {
    transferId: b.slice(1, 9),
    createdAt: v.getUint32(9, true),
    index,
    count,
    chunk: body.subarray(HEADER_BYTES),
    body,
    tag: b.subarray(b.length - FRAME_TAG_BYTES),
  };
}

/** Whether the frame's tag verifies under these keys (a wrong code, or an altered frame, fails). */
export function checkFrame(keys: TransferKeys, f: Frame): boolean {
  return equalBytes(tag(keys.frame, f.body), f.tag);
}

/** Whether a transfer made at `createdAt` may still be imported at `nowS`. */
export function transferFresh(createdAt: number, nowS: number): boolean {
  return createdAt <= nowS + CLOCK_SKEW_S && nowS - createdAt <= TRANSFER_TTL_S;
}

/**
 * The plaintext of a complete set of frames (all verified, all of one transfer, `frames[i]` of index
 * i). PrtcError 'transfer_mismatch' when the payload does not open.
 */
export function openTransfer(keys: TransferKeys, frames: readonly Frame[]): Uint8Array {
  const first = frames[0];
  if (!first || frames.length !== first.count || frames.some((f, i) => f.index !== i || f.count !== first.count))
    throw new PrtcError('transfer_incomplete', 'frames are missing');
  const sealed = concatBytes(...frames.map((f) => f.chunk));
  if (sealed.length < NONCE_BYTES + 16) throw new PrtcError('transfer_mismatch', 'the payload is too short');
  try {
    return chacha20poly1305(keys.payload, sealed.subarray(0, NONCE_BYTES), payloadAad(first.transferId, first.createdAt)).decrypt(
      sealed.subarray(NONCE_BYTES),
    );
  } catch {
    throw new PrtcError('transfer_mismatch', 'the payload does not open under this code');
  }
}

/** What the new phone shows once it imported: the transfer id and a tag under the confirmation key. */
export function confirmationText(keys: TransferKeys, transferId: Uint8Array): string {
  checkId(transferId);
  return DONE_PREFIX + toBase64url(concatBytes(transferId, tag(keys.done, concatBytes(utf8Encode('prtc-moved'), transferId))));
}

/** Whether a scanned text confirms this very transfer. */
export function checkConfirmation(keys: TransferKeys, transferId: Uint8Array, text: string): boolean {
  if (!text.startsWith(DONE_PREFIX)) return false;
  let b: Uint8Array;
  try {
    b = fromBase64url(text.slice(DONE_PREFIX.length), TRANSFER_ID_BYTES + FRAME_TAG_BYTES);
  } catch {
    return false;
  }
  return (
    equalBytes(b.subarray(0, TRANSFER_ID_BYTES), transferId) &&
    equalBytes(b.subarray(TRANSFER_ID_BYTES), tag(keys.done, concatBytes(utf8Encode('prtc-moved'), transferId)))
  );
}
