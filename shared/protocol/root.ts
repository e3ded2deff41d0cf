/**
 * §15 The root: one Merkle tree over the newest head of every region's chain, signed with the
 * server's Ed25519 key, so that a phone following a few regions and a gate checking one signature
 * both rest on one commitment to everything published.
 *
 *   leaf  = SHA-256(0x00 || LE32(region) || LE32(n) || hash)          (41 bytes hashed)
 *   node  = SHA-256(0x01 || left || right)                            (65 bytes hashed)
 *   levels: leaves in ascending region order; pairs left to right; a last node without a partner
 *           moves up unchanged (never paired with itself)
 *   signed: UTF8("PrTC-ROOT") || LE32(count) || rootHash || LE32(signedAt)   (49 bytes)
 *
 * The 0x00/0x01 prefixes keep a leaf from ever being read as a node (RFC 6962 §2.1 does the same);
 * the leaf count is signed, so a path's shape (where a node moved up unpaired) is fixed by it.
 */
import { concatBytes, equalBytes, uint32LE, utf8Encode } from './codec';
import { sha256Bytes } from './crypto';
import { PrtcError } from '../errors';
import { verify } from './signing';

export interface RootLeaf {
  region: number;
  n: number;
  /** The chain's newest head hash: batchHash_n of §9 (the body links to the one before). */
  hash: Uint8Array;
}

/** A signed root: what a phone keeps as its checkpoint and a health code (version 2) carries. */
export interface SignedRoot {
  count: number;
  hash: Uint8Array;
  signedAt: number;
  signature: Uint8Array;
}

/** Where a leaf sits and the hashes that lead from it to the root, bottom up. */
export interface RootProof {
  index: number;
  path: Uint8Array[];
}

const LEAF = new Uint8Array([0x00]);
const NODE = new Uint8Array([0x01]);

export function leafHash(l: RootLeaf): Uint8Array {
  if (l.hash.length !== 32) throw new PrtcError('invalid_hash', 'a head hash is 32 bytes');
  return sha256Bytes(concatBytes(LEAF, uint32LE(l.region), uint32LE(l.n), l.hash));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256Bytes(concatBytes(NODE, left, right));
}

function checkOrder(leaves: readonly RootLeaf[]): void {
  if (leaves.length === 0) throw new PrtcError('invalid_value', 'a root needs at least one chain');
  for (let k = 1; k < leaves.length; k++)
    if (leaves[k].region <= leaves[k - 1].region)
      throw new PrtcError('invalid_value', 'root leaves must be in strictly ascending region order');
}

/** Every level of the tree, leaves first, the root's level (one hash) last. */
function levels(leaves: readonly RootLeaf[]): Uint8Array[][] {
  checkOrder(leaves);
  const out = [leaves.map(leafHash)];
  while (out[out.length - 1].length > 1) {
    const level = out[out.length - 1];
    const next: Uint8Array[] = [];
    for (let k = 0; k < level.length; k += 2) next.push(k + 1 < level.length ? nodeHash(level[k], level[k + 1]) : level[k]);
    out.push(next);
  }
  return out;
}

export function merkleRoot(leaves: readonly RootLeaf[]): Uint8Array {
  const l = levels(leaves);
  return l[l.length - 1][0];
}

/** The proof of leaf `index`: its siblings bottom up (none at a level where it moves up unpaired). */
export function merkleProof(leaves: readonly RootLeaf[], index: number): RootProof {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new PrtcError('invalid_value', 'no such leaf');
  const path: Uint8Array[] = [];
  let k = index;
  for (const level of levels(leaves).slice(0, -1)) {
    if (k % 2 === 1) path.push(level[k - 1]);
    else if (k + 1 < level.length) path.push(level[k + 1]);
    k >>= 1;
  }
  return { index, path };
}

/** The root a proof leads to from `leaf`, in a tree of `count` leaves; null when the path does not fit that shape. */
export function rootFromProof(leaf: RootLeaf, proof: RootProof, count: number): Uint8Array | null {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(proof.index) || proof.index < 0 || proof.index >= count) return null;
  let h = leafHash(leaf);
  let k = proof.index;
  let width = count;
  let used = 0;
  while (width > 1) {
    if (k % 2 === 1) {
      if (used >= proof.path.length) return null;
      h = nodeHash(proof.path[used++], h);
    } else if (k + 1 < width) {
      if (used >= proof.path.length) return null;
      h = nodeHash(h, proof.path[used++]);
    }
    k >>= 1;
    width = (width + 1) >> 1;
  }
  return used === proof.path.length ? h : null;
}

/** The signed root message: UTF8("PrTC-ROOT") || LE32(count) || rootHash || LE32(signedAt). */
export function rootMessage(count: number, hash: Uint8Array, signedAt: number): Uint8Array {
  if (hash.length !== 32) throw new PrtcError('invalid_hash', 'a root hash is 32 bytes');
  return concatBytes(utf8Encode('PrTC-ROOT'), uint32LE(count), hash, uint32LE(signedAt));
}

export function verifyRoot(root: SignedRoot, publicKey: Uint8Array): boolean {
  if (root.hash.length !== 32) return false;
  return verify(root.signature, rootMessage(root.count, root.hash, root.signedAt), publicKey);
}

/**
 * Checks that `leaf` is in `root` (whose signature the caller verified, or verifies here with
 * `publicKey`). Throws `bad_signature` or `bad_root` with the reason.
 */
export function verifyLeaf(leaf: RootLeaf, proof: RootProof, root: SignedRoot, publicKey?: Uint8Array): void {
  if (publicKey && !verifyRoot(root, publicKey)) throw new PrtcError('bad_signature', 'the root is not signed by the server');
  const got = rootFromProof(leaf, proof, root.count);
  if (!got || !equalBytes(got, root.hash))
    throw new PrtcError('bad_root', `the head of chain ${leaf.region} (batch ${leaf.n}) is not the one the signed root commits to`);
}
