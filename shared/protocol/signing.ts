/** Ed25519 signatures over the batch heads (§9) and the risk configuration (§6). */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, uint32LE, utf8Encode } from './codec';
import { PrtcError } from '../errors';

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

export function newSecretKey(crng: (n: number) => Uint8Array): Uint8Array {
  return crng(32);
}

export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/** Never throws: malformed keys or signatures simply do not verify. */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

/**
 * The signed head message: UTF8("PrTC-HEAD") || LE32(n) || batchHash_n || LE32(signedAt) for the
 * national chain (§9); for a region's chain (§15) UTF8("PrTC-RHEAD") || LE32(region) || LE32(n) ||
 * batchHash_n || LE32(signedAt), so a signature names the one chain it was made for.
 */
export function headMessage(n: number, batchHash: Uint8Array, signedAt: number, region = 0): Uint8Array {
  if (batchHash.length !== 32) throw new PrtcError('invalid_hash', 'a batch hash is 32 bytes');
  if (region === 0) return concatBytes(utf8Encode('PrTC-HEAD'), uint32LE(n), batchHash, uint32LE(signedAt));
  return concatBytes(utf8Encode('PrTC-RHEAD'), uint32LE(region), uint32LE(n), batchHash, uint32LE(signedAt));
}

/** The signed configuration message: UTF8("PrTC-CONFIG") || UTF8(the exact JSON text served). */
export function configMessage(configJson: string): Uint8Array {
  return concatBytes(utf8Encode('PrTC-CONFIG'), utf8Encode(configJson));
}
