/**
 * The portal's credentials against published vectors: TOTP against RFC 6238 Appendix B, base32
 * against RFC 4648 §10, the stored password hash re-derived with Node's scrypt from what it stores.
 */
import { scryptSync } from 'node:crypto';
import { checkNewPassword, hashPassword, PasswordRefused, passwordProblem, verifyPassword } from '../../server/domains/portal/passwords';
import { PrtcError } from '../../shared/errors';
import { base32, fromBase32, otpauthUri, recoveryHash, newRecoveryCodes, totpAt, totpStep } from '../../server/domains/portal/totp';

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

describe('TOTP (RFC 6238 Appendix B, 8 digits)', () => {
  // T, then the SHA1, SHA256 and SHA512 codes of the RFC's table
  const table: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  const seeds = {
    sha1: ascii('12345678901234567890'),
    sha256: ascii('12345678901234567890123456789012'),
    sha512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  test.each(table)('T=%d', (t, sha1, sha256, sha512) => {
    expect(totpAt(seeds.sha1, t, 8, 'sha1')).toBe(sha1);
    expect(totpAt(seeds.sha256, t, 8, 'sha256')).toBe(sha256);
    expect(totpAt(seeds.sha512, t, 8, 'sha512')).toBe(sha512);
  });

  test('six digits are the last six of the eight (the truncation is modulo 10^digits)', () => {
    expect(totpAt(seeds.sha1, 59)).toBe('287082');
    expect(totpAt(seeds.sha1, 1111111109)).toBe('081804');
  });

  test('a code is accepted one step early or late, and once only (RFC 6238 §5.2)', () => {
    const t = 1111111111; // step 37037037
    const code = totpAt(seeds.sha1, t);
    expect(totpStep(seeds.sha1, code, t)).toBe(Math.floor(t / 30));
    expect(totpStep(seeds.sha1, code, t + 30)).toBe(Math.floor(t / 30)); // the phone's clock 30 s behind
    expect(totpStep(seeds.sha1, code, t - 30)).toBe(Math.floor(t / 30)); // 30 s ahead
    expect(totpStep(seeds.sha1, code, t + 90)).toBeNull(); // too old
    expect(totpStep(seeds.sha1, code, t, Math.floor(t / 30))).toBeNull(); // used already
    expect(totpStep(seeds.sha1, '12345', t)).toBeNull();
    expect(totpStep(seeds.sha1, 'abcdef', t)).toBeNull();
  });
});

describe('base32 (RFC 4648 §10, padding left off as otpauth:// writes it)', () => {
  test.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%j → %s and back', (plain, encoded) => {
    expect(base32(ascii(plain))).toBe(encoded);
    expect(Buffer.from(fromBase32(encoded)).toString('ascii')).toBe(plain);
    expect(Buffer.from(fromBase32(encoded.toLowerCase() + '====')).toString('ascii')).toBe(plain);
  });

  test('an otpauth:// link carries the secret, issuer and parameters authenticator apps read', () => {
    const u = new URL(otpauthUri('PrTC', 'alice', ascii('12345678901234567890')));
    expect(u.protocol).toBe('otpauth:');
    expect(u.host).toBe('totp'); // otpauth://totp/LABEL (Google Authenticator's Key Uri Format)
    expect(decodeURIComponent(u.pathname)).toBe('/PrTC:alice');
    expect(u.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'); // the RFC's seed in base32
    expect(u.searchParams.get('issuer')).toBe('PrTC');
    expect(u.searchParams.get('digits')).toBe('6');
    expect(u.searchParams.get('period')).toBe('30');
  });

  test('recovery codes: ten, distinct, matched however they are typed', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    expect(recoveryHash(codes[0].toLowerCase().replace('-', ' '))).toBe(hashes[0]);
  });
});

describe('passwords', () => {
  test('stored as scrypt N=2^15 r=8 p=3 with a 16-byte salt: re-derived here with Node, it matches', async () => {
    const h = await hashPassword('Vermilion-otter-58-quietly');
    const [alg, logN, r, p, salt, key] = h.split('$');
    expect([alg, logN, r, p]).toEqual(['scrypt', '15', '8', '3']);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    const again = scryptSync('Vermilion-otter-58-quietly', Buffer.from(salt, 'base64url'), 32, {
      N: 2 ** 15,
      r: 8,
      p: 3,
      maxmem: 64 * 1024 * 1024,
    });
    expect(again.toString('base64url')).toBe(key);
    expect(await verifyPassword('Vermilion-otter-58-quietly', h)).toBe(true);
    expect(await verifyPassword('Vermilion-otter-58-quietlY', h)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
    expect(await hashPassword('Vermilion-otter-58-quietly')).not.toBe(h); // a new salt each time
  });

  test('too short, too long and common passwords are refused; a long unusual one is not', () => {
    expect(passwordProblem('Ab1!Ab1!Ab1', 'alice')).toBe('too_short'); // 11
    expect(passwordProblem('x'.repeat(129), 'alice')).toBe('too_long');
    expect(passwordProblem('password1234', 'alice')).toBe('common');
    expect(passwordProblem('qwertyuiop123', 'alice')).toBe('common');
    expect(passwordProblem('alice-alice-alice', 'alice')).toBe('common');
    expect(passwordProblem('Vermilion-otter-58-quietly', 'alice')).toBeNull();
  });

  test('a refused new password is an invalid_value of the field password that names its rule by code, not by a sentence', () => {
    const refusal = (pw: string) => {
      try {
        checkNewPassword(pw, 'alice');
        return null;
      } catch (e) {
        return e;
      }
    };
    for (const [pw, problem] of [
      ['Ab1!Ab1!Ab1', 'too_short'],
      ['x'.repeat(129), 'too_long'],
      ['password1234', 'common'],
    ] as const) {
      const e = refusal(pw);
      expect(e).toBeInstanceOf(PasswordRefused);
      expect(e).toBeInstanceOf(PrtcError);
      expect(e).toMatchObject({ problem, code: 'invalid_value', field: 'password' });
      expect((e as Error).message).not.toBe(problem);
    }
    expect(refusal('Vermilion-otter-58-quietly')).toBeNull();
  });
});
