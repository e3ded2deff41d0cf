/**
 * Health authorities: their bearer tokens (created and revoked by the operator) and the one-time
 * upload codes they issue to diagnosed people (§10). Tokens and codes are stored only as hashes.
 */
import { randomBytes } from 'node:crypto';
import { codeFromRandom } from '../../../shared/api/code';
import type { IssueCodeResponse } from '../../../shared/api/types';
import { toBase64url } from '../../../shared/protocol/codec';
import { PrtcError } from '../../../shared/errors';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import type { AuthorityRepository } from './repository';

const TOKEN_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** A health authority whose token checked out. */
export interface Authority {
  /** The token's row id: the codes it issues name it, so revoking it voids them. */
  id: number;
  name: string;
}

export function createAuthorityService(deps: {
  repo: AuthorityRepository;
  secrets: Secrets;
  clock: Clock;
  codeLifetimeS: number;
  /** Live codes at most (docs/protocol.md §10: what keeps guessing hopeless). */
  maxLiveCodes: number;
}) {
  const { repo, secrets, clock } = deps;
  return {
    async createToken(name: string): Promise<string> {
      if (!TOKEN_NAME.test(name)) throw new PrtcError('invalid_value', 'a token name is 1–64 letters, digits, ".", "_" or "-"', 'name');
      const token = `prtc_${toBase64url(new Uint8Array(randomBytes(32)))}`;
      if (!(await repo.insertTokenIfFree({ name, tokenHash: secrets.tokenHash(token), createdAt: clock.now(), revokedAt: null })))
        throw new PrtcError('invalid_value', `an active token named "${name}" exists already (revoke it first to reuse the name)`, 'name');
      return token;
    },
    async listTokens() {
      return (await repo.listTokens()).map((t) => ({ name: t.name, createdAt: t.createdAt, revokedAt: t.revokedAt }));
    },
    /** Revokes the active token `name` and voids the unused codes it issued; null when no active token has that name. */
    revokeToken(name: string): Promise<{ voided: number } | null> {
      return repo.revokeToken(name, clock.now());
    },
    counts: () => repo.counts(clock.now()),
    codesPerDay: (from: number) => repo.codesPerDay(from),
    /** Checks a bearer token; throws missing_token / invalid_token. */
    async authenticate(token: string | undefined | null): Promise<Authority> {
      if (!token) throw new PrtcError('missing_token', 'this needs an authority token: Authorization: Bearer <token>');
      const row = await repo.findTokenByHash(secrets.tokenHash(token));
      if (!row) throw new PrtcError('invalid_token', 'the authority token is not valid');
      if (row.revokedAt !== null) throw new PrtcError('invalid_token', 'the authority token has been revoked');
      return { id: row.id!, name: row.name };
    },
    /** Issues a one-time upload code for an authenticated authority. */
    async issueCode(by: Authority): Promise<IssueCodeResponse> {
      const now = clock.now();
      const code = codeFromRandom(new Uint8Array(randomBytes(7)));
      const expiresAt = now + deps.codeLifetimeS;
      if (!(await repo.insertCode({ codeHash: secrets.codeHash(code), createdAt: now, expiresAt, issuedBy: by.id }, deps.maxLiveCodes))) {
        throw new PrtcError('quota_exceeded', `${deps.maxLiveCodes} upload codes are live already; wait for some to be used or expire`);
      }
      return { code, expiresAt };
    },
    /** Deletes codes past their expiry. */
    prune(): Promise<number> {
      return repo.pruneCodes(clock.now());
    },
  };
}

export type AuthorityService = ReturnType<typeof createAuthorityService>;
