/** A deterministic byte generator (SHA-256 in counter mode over a seed) for repeatable simulations. */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, uint32LE, utf8Encode } from '../shared/protocol/codec';

export function seededRandom(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  const key = utf8Encode(seed);
  return (n) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) out.set(sha256(concatBytes(key, uint32LE(counter++))).subarray(0, Math.min(32, n - o)), o);
    return out;
  };
}
