/** A signed batch head (§9) as JSON: binary values base64url. */
import { fromBase64url, toBase64url } from '../protocol/codec';
import type { Checkpoint } from '../protocol/batch';
import type { SignedRoot } from '../protocol/root';
import type { RootJson } from './types';

export interface HeadJson {
  n: number;
  hash: string;
  signedAt: number;
  signature: string;
}

export function headToJson(c: Checkpoint): HeadJson {
  return { n: c.n, hash: toBase64url(c.hash), signedAt: c.signedAt, signature: toBase64url(c.signature) };
}

/** Strict: a hash that is not 32 bytes or a signature that is not 64 throws invalid_length / invalid_base64url. */
export function headFromJson(h: HeadJson): Checkpoint {
  return { n: h.n, hash: fromBase64url(h.hash, 32, 'hash'), signedAt: h.signedAt, signature: fromBase64url(h.signature, 64, 'signature') };
}

/** §15: a signed root as JSON (hash and signature base64url). */
export function rootToJson(r: SignedRoot): RootJson {
  return { count: r.count, hash: toBase64url(r.hash), signedAt: r.signedAt, signature: toBase64url(r.signature) };
}

/** Strict, as headFromJson. */
export function rootFromJson(r: RootJson): SignedRoot {
  return {
    count: r.count,
    hash: fromBase64url(r.hash, 32, 'root.hash'),
    signedAt: r.signedAt,
    signature: fromBase64url(r.signature, 64, 'root.signature'),
  };
}
