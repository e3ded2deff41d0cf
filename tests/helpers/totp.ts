/**
 * An authenticator app, written here from RFC 4226/6238 (not the project's code): the base32 secret
 * the portal shows in, the six digits of a moment out.
 */
import { createHmac } from 'node:crypto';

export function authenticator(secretBase32: string) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secretBase32.replace(/=+$/, '').toUpperCase()].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  return (unixSeconds: number): string => {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
    const h = createHmac('sha1', key).update(counter).digest();
    const o = h[19] & 0xf;
    return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
  };
}
