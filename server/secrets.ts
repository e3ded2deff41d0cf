/**
 * The server's secrets: the Ed25519 signing key (SIGNING_KEY, or DATA_DIR/signing.key created on
 * first start with mode 0600) and the pepper that upload-code hashes are keyed with (CODE_PEPPER,
 * or DATA_DIR/code-pepper.key), so a copy of the database alone cannot brute-force live codes.
 * Every instance on one database needs the same two: a code issued by one is checked by another,
 * and phones verify every batch against one public key.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, randomBytes, sign as nodeSign } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64url, toBase64url } from '../shared/protocol/codec';
import { publicKeyOf } from '../shared/protocol/signing';

/** RFC 8410's PKCS#8 prefix of an Ed25519 private key: the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface Secrets {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
  codeHash(normalizedCode: string): string;
  tokenHash(token: string): string;
  /** AES-256-GCM under a key derived from the pepper: for what must be read back (a TOTP secret). */
  seal(plain: Uint8Array): string;
  unseal(sealed: string): Uint8Array;
  /** HMAC-SHA256 under a key derived from the pepper (the portal's device cookies). */
  mac(purpose: string, data: string): string;
}

function loadOrCreate(file: string, make: () => Uint8Array): Uint8Array {
  if (existsSync(file)) return fromBase64url(readFileSync(file, 'utf8').trim(), 32, file);
  const v = make();
  writeFileSync(file, toBase64url(v) + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return v;
}

export function loadSecrets(dataDir: string, signingKey: string | null, codePepper: string | null = null): Secrets {
  if (!signingKey || !codePepper) mkdirSync(dataDir, { recursive: true });
  const secretKey = signingKey
    ? fromBase64url(signingKey, 32, 'SIGNING_KEY')
    : loadOrCreate(join(dataDir, 'signing.key'), () => new Uint8Array(randomBytes(32)));
  const pepper = codePepper
    ? fromBase64url(codePepper, 32, 'CODE_PEPPER')
    : loadOrCreate(join(dataDir, 'code-pepper.key'), () => new Uint8Array(randomBytes(32)));
  const publicKey = publicKeyOf(secretKey);
  // Node's Ed25519 (OpenSSL): the same deterministic signatures as @noble/curves (RFC 8032), some 30×
  // faster — a release slot signs one head per region (§15)
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, secretKey]), format: 'der', type: 'pkcs8' });
  return {
    publicKey,
    sign: (m) => new Uint8Array(nodeSign(null, m, privateKey)),
    codeHash: (code) => createHmac('sha256', pepper).update(code).digest('hex'),
    tokenHash: (token) => createHash('sha256').update(token).digest('hex'),
    seal(plain) {
      const key = createHmac('sha256', pepper).update('prtc-seal').digest();
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
    },
    unseal(sealed) {
      const key = createHmac('sha256', pepper).update('prtc-seal').digest();
      const b = Buffer.from(sealed, 'base64url');
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return new Uint8Array(Buffer.concat([d.update(b.subarray(28)), d.final()]));
    },
    mac: (purpose, data) =>
      createHmac('sha256', createHmac('sha256', pepper).update(`prtc-mac:${purpose}`).digest())
        .update(data)
        .digest('base64url'),
  };
}
