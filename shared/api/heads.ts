/** A signed batch head (§9) as JSON: binary values base64url. */
import { fromBase64url, toBase64url } from '../protocol/codec';
import type { Checkpoint } from '../protocol/batch';

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
