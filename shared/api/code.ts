/**
 * §10 upload codes: 10 symbols of Crockford base32 from 50 random bits, shown as XXXXX-XXXXX, typed
 * case-insensitively with look-alikes forgiven.
 */
import { PrtcError } from '../errors';

/** Crockford's base32: digits and letters without I, L, O and U. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function formatCode(raw10: string): string {
  return `${raw10.slice(0, 5)}-${raw10.slice(5)}`;
}

/** Code from 50 random bits: the low 2 bits of bytes[0] and bytes[1..6]. */
export function codeFromRandom(bytes: Uint8Array): string {
  if (bytes.length < 7) throw new PrtcError('invalid_length', 'need 7 random bytes');
  let acc = bytes[0] & 0x03;
  for (let k = 1; k < 7; k++) acc = acc * 256 + bytes[k];
  let s = '';
  for (let k = 0; k < 10; k++) {
    s = CROCKFORD[acc % 32] + s;
    acc = Math.floor(acc / 32);
  }
  return formatCode(s);
}

/**
 * Normalises what a person typed: case-insensitive, hyphens and spaces ignored, and Crockford's
 * look-alikes (O→0, I/L→1). Throws invalid_code_format for anything that is not 10 symbols.
 */
export function normalizeCode(input: unknown): string {
  const s = typeof input === 'string' && input.length <= 40 ? canonicalCode(input) : null;
  if (s === null) throw new PrtcError('invalid_code_format', 'the code must be 10 characters like ABCDE-12345', 'code');
  return formatCode(s);
}

/**
 * The 10 symbols of what a person typed, or null when it is not a code: case-insensitive, spaces and
 * hyphens ignored, Crockford's look-alikes read (O→0, I/L→1). Upload codes and the one-time code of a
 * move to a new phone (§17) are typed alike.
 */
export function canonicalCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{10}$/.test(s) ? s : null;
}
