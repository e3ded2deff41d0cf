/**
 * Portal passwords: scrypt (Node's crypto, memory-hard) with OWASP's parameters N=2^15, r=8, p=3
 * (32 MiB a hash), a random 16-byte salt, stored with its parameters so they can rise later. A
 * password must be 12 to 128 characters and not common: zxcvbn-ts (a maintained estimator, with its
 * common-password and English dictionaries) must give it a score of at least 3 of 4.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { PrtcError } from '../../../shared/errors';

const N = 2 ** 15;
const R = 8;
const P = 3;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 128;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${Math.log2(N)}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** A hash of a random password: checked against when the username is unknown, so timing does not say which names exist. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummy;
}

/**
 * How long a check takes here when the machine is not busy: the fastest of the last 16 checks (see
 * `pretendToVerify`). Checks made while many run at once take longer; the pretence does not copy that.
 */
const recentMs: number[] = [];
let typicalMs = 150;

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [alg, logN, r, p, salt, key] = (stored ?? (await dummyHash())).split('$');
  if (alg !== 'scrypt') return false;
  const started = performance.now();
  const got = await derive(password, Buffer.from(salt, 'base64url'), 2 ** Number(logN), Number(r), Number(p));
  recentMs.push(performance.now() - started);
  if (recentMs.length > 16) recentMs.shift();
  typicalMs = Math.min(...recentMs);
  const want = Buffer.from(key, 'base64url');
  return stored !== null && got.length === want.length && timingSafeEqual(got, want);
}

/**
 * For a guess at a locked account: takes as long as a check, without the check's 32 MiB and CPU —
 * a guessing run against a locked account costs the server a timer, not a core, and the answer's
 * timing is the same as a real refusal's.
 */
export function pretendToVerify(): Promise<false> {
  return new Promise((resolve) => setTimeout(() => resolve(false), typicalMs));
}

let estimator: ZxcvbnFactory | null = null;

/** Why a new password is refused: a code (the portal's pages turn it into words), never a sentence to show. */
export type PasswordProblem = 'too_short' | 'too_long' | 'common';

const FOR_LOGS: Record<PasswordProblem, string> = {
  too_short: `a password needs at least ${MIN_PASSWORD} characters`,
  too_long: `a password has at most ${MAX_PASSWORD} characters`,
  common: 'this password is too common or too easy to guess',
};

/** A new password the rules refuse: an `invalid_value` of the field `password`, with the rule it broke. */
export class PasswordRefused extends PrtcError {
  constructor(readonly problem: PasswordProblem) {
    super('invalid_value', FOR_LOGS[problem], 'password');
    this.name = 'PasswordRefused';
  }
}

/** Throws PasswordRefused unless the rules accept `password` as a new password for `username`. */
export function checkNewPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new PasswordRefused(problem);
}

/** Why a new password is refused, or null. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD) return 'too_short';
  if ([...password].length > MAX_PASSWORD) return 'too_long';
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator.check(password, [username, 'prtc', 'health', 'portal']).score < 3 ? 'common' : null;
}
