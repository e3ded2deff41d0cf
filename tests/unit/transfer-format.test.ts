/**
 * §17 moving to a new phone: the frames and the snapshot on their own (the byte-exact vector is in
 * protocol-doc.test.ts). Each refusal is checked against a frame changed by hand.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  CHUNK_BYTES,
  checkConfirmation,
  checkFrame,
  CODE_ALPHABET,
  codeFromRandom,
  confirmationText,
  formatCode,
  normaliseCode,
  openTransfer,
  parseFrame,
  sealTransfer,
  transferFresh,
  transferKeys,
} from '../../shared/protocol/transfer';
import { decodeSnapshot, encodeSnapshot, isCarried } from '../../miniprogram/services/transfer';

const id = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]);
const otherId = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1]);
const nonce = new Uint8Array(12).fill(7);
const keys = transferKeys('ABCDE12345', id);
const wrong = transferKeys('ABCDE12346', id);
// 1200 bytes → sealed 12 + 1200 + 16 = 1228 bytes → 3 frames of 480, 480 and 268 bytes
const plaintext = Uint8Array.from({ length: 1200 }, (_, i) => (i * 31) & 255);
const frames = sealTransfer(keys, id, 1_800_000_000, nonce, plaintext);

/** The frame's bytes with one byte changed (after the prefix and base64url). */
function flip(text: string, at: number): string {
  const b = Buffer.from(text.slice('prtc-move:'.length), 'base64url');
  b[at] ^= 1;
  return `prtc-move:${b.toString('base64url')}`;
}

test('a payload becomes ceil((12 + n + 16) / 480) frames, numbered, all tagged; any order opens it', () => {
  expect(frames).toHaveLength(Math.ceil((12 + 1200 + 16) / CHUNK_BYTES));
  const parsed = frames.map(parseFrame);
  expect(parsed.map((f) => [f.index, f.count, f.createdAt])).toEqual([
    [0, 3, 1_800_000_000],
    [1, 3, 1_800_000_000],
    [2, 3, 1_800_000_000],
  ]);
  expect(parsed.map((f) => f.chunk.length)).toEqual([480, 480, 268]);
  expect(parsed.every((f) => checkFrame(keys, f))).toBe(true);
  expect(Math.max(...frames.map((f) => f.length))).toBeLessThanOrEqual(694);
  expect(openTransfer(keys, parsed)).toEqual(plaintext);
});

test('a wrong code or a changed byte anywhere fails the tag; a missing frame, a swapped order or a wrong key refuse the payload', () => {
  const parsed = frames.map(parseFrame);
  expect(checkFrame(wrong, parsed[0])).toBe(false);
  for (const at of [1, 9, 13, 15, 17, 300, 496]) expect(checkFrame(keys, parseFrame(flip(frames[1], at)))).toBe(false);
  expect(() => openTransfer(keys, parsed.slice(0, 2))).toThrow(expect.objectContaining({ code: 'transfer_incomplete' }));
  expect(() => openTransfer(keys, [parsed[1], parsed[0], parsed[2]])).toThrow(expect.objectContaining({ code: 'transfer_incomplete' }));
  expect(() => openTransfer(wrong, parsed)).toThrow(expect.objectContaining({ code: 'transfer_mismatch' }));
  // the ciphertext is bound to the id and time (associated data): the same chunks under another header do not open
  const moved = sealTransfer(keys, otherId, 1_800_000_000, nonce, plaintext).map(parseFrame);
  expect(() =>
    openTransfer(
      keys,
      [moved[0], ...parsed.slice(1)].map((f, i) => ({ ...f, index: i })),
    ),
  ).toThrow(expect.objectContaining({ code: 'transfer_mismatch' }));
});

test('texts that are no frame are refused as such', () => {
  const v1 = Buffer.from(frames[0].slice(10), 'base64url');
  for (const text of [
    'https://example.org/v#abc',
    'prtc-move:***',
    'prtc-move:AQAB', // too short
    `prtc-move:${Buffer.concat([Buffer.from([2]), v1.subarray(1)]).toString('base64url')}`, // another version
    `prtc-move:${Buffer.concat([v1.subarray(0, 13), Buffer.from([3, 0, 3, 0]), v1.subarray(17)]).toString('base64url')}`, // index 3 of 3
    `prtc-move:${Buffer.concat([v1.subarray(0, 13), Buffer.from([0, 0, 0, 0]), v1.subarray(17)]).toString('base64url')}`, // count 0
  ])
    expect(() => parseFrame(text)).toThrow(expect.objectContaining({ code: 'not_a_transfer' }));
});

test('the confirmation verifies for its own transfer only', () => {
  const c = confirmationText(keys, id);
  expect(checkConfirmation(keys, id, c)).toBe(true);
  expect(checkConfirmation(wrong, id, c)).toBe(false);
  expect(checkConfirmation(keys, otherId, c)).toBe(false);
  expect(checkConfirmation(keys, id, c.slice(0, -2) + (c.endsWith('AA') ? 'AB' : 'AA'))).toBe(false);
  expect(checkConfirmation(keys, id, frames[0])).toBe(false);
  expect(checkConfirmation(keys, id, 'prtc-moved:!!')).toBe(false);
});

test('codes: Crockford base32 without I, L, O, U; typed forgivingly', () => {
  expect(CODE_ALPHABET).toHaveLength(32);
  expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
  expect(codeFromRandom(Uint8Array.from([0, 31, 32, 63, 10, 18, 255, 20, 21, 27]))).toBe('0Z0ZAJZMNV');
  expect(formatCode('0Z0ZAJZMNV')).toBe('0Z0ZA-JZMNV');
  expect(normaliseCode(' 0z0za-jzmnv ')).toBe('0Z0ZAJZMNV');
  expect(normaliseCode('oZOZA JZMNV')).toBe('0Z0ZAJZMNV');
  expect(normaliseCode('iLlll-11111')).toBe('1111111111');
  expect(normaliseCode('0Z0ZA-JZMN')).toBeNull(); // 9 symbols
  expect(normaliseCode('0Z0ZA-JZMNU')).toBeNull(); // U is not a symbol
});

test('a transfer is fresh for an hour, and up to 5 minutes early', () => {
  expect(transferFresh(1000, 1000)).toBe(true);
  expect(transferFresh(1000, 1000 + 3600)).toBe(true);
  expect(transferFresh(1000, 1000 + 3601)).toBe(false);
  expect(transferFresh(1300, 1000)).toBe(true);
  expect(transferFresh(1301, 1000)).toBe(false);
});

test('a snapshot: raw DEFLATE of its JSON, read back; anything else or a phone-bound entry is refused', () => {
  const s = { v: 1 as const, entries: { tek: '{"tek":"00"}', 'enc.20000': 'AAAA', members: '[]' } };
  expect(JSON.parse(inflateRawSync(encodeSnapshot(s)).toString('utf8'))).toEqual(s);
  expect(decodeSnapshot(encodeSnapshot(s))).toEqual(s);
  const raw = (x: unknown) => deflateRawSync(Buffer.from(JSON.stringify(x)));
  expect(decodeSnapshot(raw({ v: 2, entries: {} }))).toBeNull();
  expect(decodeSnapshot(raw({ v: 1, entries: { consent: '{}' } }))).toBeNull();
  expect(decodeSnapshot(raw({ v: 1, entries: { 'move.in': '[]' } }))).toBeNull();
  expect(decodeSnapshot(raw({ v: 1, entries: { '../x': 'a' } }))).toBeNull();
  expect(decodeSnapshot(raw({ v: 1, entries: { tek: 5 } }))).toBeNull();
  expect(decodeSnapshot(raw({ v: 1, entries: {}, extra: 1 }))).toBeNull();
  expect(decodeSnapshot(Uint8Array.from([1, 2, 3]))).toBeNull();
  expect(['tek', 'checkins', 'members', 'diary', 'enc.1'].every(isCarried)).toBe(true);
  expect(['consent', 'tracing', 'background', 'tracingTime', 'pinnedKey', 'fakeUpload', 'move.out'].some(isCarried)).toBe(false);
});
