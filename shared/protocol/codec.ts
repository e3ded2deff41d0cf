/**
 * Byte codecs with strict validation: hex, base64url (RFC 4648 §5, no padding), uint32 LE, UTF-8.
 * Platform-free: no Buffer, no TextEncoder (not every mini-program base library has it).
 */
import { PrtcError } from '../errors';

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

export function fromHex(hex: string, expectedLength?: number, field = 'hex'): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new PrtcError('invalid_hex', `${field} must be an even number of hex digits`, field);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new PrtcError('invalid_length', `${field} must be ${expectedLength} bytes, got ${out.length}`, field);
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX: Int16Array = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

const B64_CODES: number[] = Array.from(B64, (c) => c.charCodeAt(0));

/** Characters per String.fromCharCode call: well under any engine's argument limit. */
const B64_CHUNK = 8192;

export function toBase64url(bytes: Uint8Array): string {
  const n = bytes.length;
  const full = n - (n % 3);
  // character codes into a plain array, one string per chunk of them: a batch body (hundreds of KB)
  // goes to the matching worker as text, and growing a string four characters at a time ran at
  // 40 MB/s (a typed array given to fromCharCode.apply is slower still)
  const codes: number[] = [];
  const parts: string[] = [];
  let o = 0;
  const flush = () => {
    codes.length = o;
    parts.push(String.fromCharCode.apply(null, codes));
    o = 0;
  };
  for (let i = 0; i < full; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes[o] = B64_CODES[v >> 18];
    codes[o + 1] = B64_CODES[(v >> 12) & 63];
    codes[o + 2] = B64_CODES[(v >> 6) & 63];
    codes[o + 3] = B64_CODES[v & 63];
    o += 4;
    if (o === B64_CHUNK) flush();
  }
  if (n - full === 1) {
    const v = bytes[full] << 16;
    codes[o] = B64_CODES[v >> 18];
    codes[o + 1] = B64_CODES[(v >> 12) & 63];
    o += 2;
  } else if (n - full === 2) {
    const v = (bytes[full] << 16) | (bytes[full + 1] << 8);
    codes[o] = B64_CODES[v >> 18];
    codes[o + 1] = B64_CODES[(v >> 12) & 63];
    codes[o + 2] = B64_CODES[(v >> 6) & 63];
    o += 3;
  }
  if (o > 0) flush();
  return parts.join('');
}

/**
 * Strict base64url decoding: only the URL-safe alphabet, no padding, no whitespace, and the unused
 * low bits of the last character must be zero (so every byte string has exactly one encoding).
 */
export function fromBase64url(s: string, expectedLength?: number, field = 'base64url'): Uint8Array {
  const bad = (): never => {
    throw new PrtcError('invalid_base64url', `${field} must be base64url without padding`, field);
  };
  if (typeof s !== 'string' || s.length % 4 === 1) bad();
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) bad();
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) bad();
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new PrtcError('invalid_length', `${field} must be ${expectedLength} bytes, got ${out.length}`, field);
  }
  return out;
}

export function isUint32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

export function writeUint32LE(buf: Uint8Array, offset: number, n: number): void {
  if (!isUint32(n)) throw new PrtcError('invalid_uint32', `${n} is not a uint32`);
  buf[offset] = n & 0xff;
  buf[offset + 1] = (n >>> 8) & 0xff;
  buf[offset + 2] = (n >>> 16) & 0xff;
  buf[offset + 3] = (n >>> 24) & 0xff;
}

export function readUint32LE(buf: Uint8Array, offset: number): number {
  if (offset < 0 || offset + 4 > buf.length) throw new PrtcError('truncated', 'input ends inside a uint32');
  return (buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16)) + buf[offset + 3] * 0x1000000;
}

export function uint32LE(n: number): Uint8Array {
  const b = new Uint8Array(4);
  writeUint32LE(b, 0, n);
  return b;
}

export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Strict UTF-8 decoding: overlong forms, surrogates and truncated sequences are rejected. */
export function utf8Decode(b: Uint8Array, field = 'text'): string {
  const bad = (): never => {
    throw new PrtcError('invalid_utf8', `${field} is not valid UTF-8`, field);
  };
  let s = '';
  for (let i = 0; i < b.length;) {
    const c = b[i];
    let cp: number;
    let n: number;
    if (c < 0x80) {
      cp = c;
      n = 0;
    } else if (c >= 0xc2 && c <= 0xdf) {
      cp = c & 0x1f;
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      cp = c & 0x0f;
      n = 2;
    } else if (c >= 0xf0 && c <= 0xf4) {
      cp = c & 0x07;
      n = 3;
    } else return bad();
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) bad();
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) bad();
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Bytewise lexicographic order (the order of keys inside a batch, §9). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
