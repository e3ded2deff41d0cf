/**
 * Health authorities: their bearer tokens (created and revoked by the operator) and the one-time
 * upload codes they issue to diagnosed people (§10). Tokens and codes are stored only as hashes.
 *
 * The writes another domain asks for (the portal: a realm's API keys, its codes issued and voided)
 * take `also`: writes of that domain's own (its audit row) committed in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import { codeFromRandom } from '../../../shared/api/code';
import type { IssueCodeResponse } from '../../../shared/api/types';
import { toBase64url } from '../../../shared/protocol/codec';
import { WARNING_LEVELS, type WarningLevel } from '../../../shared/protocol/batch';
import { PrtcError } from '../../../shared/errors';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import type { AuthorityRepository, CodeStatus, TxPart } from './repository';

export type { CodeStatus, TxPart };

/** How strongly a venue warning code's warning asks visitors to act (issue 31). */
export type VenueWarningLevel = WarningLevel;

/** A venue warning code as stored: the pepper's HMAC under its own label, so the two kinds never meet. */
export function venueCodeHash(secrets: Pick<Secrets, 'codeHash'>, normalizedCode: string): string {
  return secrets.codeHash(`venue:${normalizedCode}`);
}

const TOKEN_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** A health authority whose token checked out. */
export interface Authority {
  /** The token's row id: the codes it issues name it, so revoking it voids them; null for a person in the portal. */
  id: number | null;
  name: string;
  /** The portal realm (an API key's, or a person's); null for the operator's own tokens. */
  realmId: number | null;
  /** The person issuing, in the portal. */
  personId?: number | null;
}

/** A realm's daily quotas, for codes issued in it. */
export interface Quota {
  realmMax: number;
  personMax?: number;
}

/** Short ids staff read beside a code: 6 characters of Crockford's alphabet (no I L O U). */
const SHORT = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newShortId(): string {
  const r = randomBytes(6);
  return Array.from(r, (b) => SHORT[b & 31]).join('');
}

export function createAuthorityService(deps: {
  repo: AuthorityRepository;
  secrets: Secrets;
  clock: Clock;
  codeLifetimeS: number;
  /** Live codes at most (docs/protocol.md §10: what keeps guessing hopeless). */
  maxLiveCodes: number;
  /** The daily quota of a realm, for codes its API keys issue. */
  realmQuota?: (realmId: number) => Promise<Quota | undefined>;
}) {
  const { repo, secrets, clock } = deps;
  return {
    /** A bearer token: the operator's (realmId null) or a portal realm's API key. */
    async createToken(name: string, realmId: number | null = null, opts: { also?: TxPart } = {}): Promise<string> {
      if (!TOKEN_NAME.test(name)) throw new PrtcError('invalid_value', 'a token name is 1–64 letters, digits, ".", "_" or "-"', 'name');
      const token = `prtc_${toBase64url(new Uint8Array(randomBytes(32)))}`;
      const row = { name, tokenHash: secrets.tokenHash(token), createdAt: clock.now(), revokedAt: null, realmId };
      if (!(await repo.insertTokenIfFree(row, opts.also)))
        throw new PrtcError('name_taken', `an active token named "${name}" exists already (revoke it first to reuse the name)`, 'name');
      return token;
    },
    async listTokens(realmId: number | null = null) {
      return (await repo.listTokens(realmId)).map((t) => ({
        name: t.name,
        createdAt: t.createdAt,
        revokedAt: t.revokedAt,
        realmId: t.realmId ?? null,
      }));
    },
    /** Revokes the active token `name` and voids the unused codes it issued; null when no active token has that name. */
    revokeToken(name: string, realmId: number | null = null, opts: { also?: TxPart } = {}): Promise<{ voided: number } | null> {
      return repo.revokeToken(name, clock.now(), realmId, opts.also);
    },
    counts: () => repo.counts(clock.now()),
    codesPerDay: (from: number) => repo.codesPerDay(from),
    /** Checks a bearer token; throws missing_token / invalid_token. */
    async authenticate(token: string | undefined | null): Promise<Authority> {
      if (!token) throw new PrtcError('missing_token', 'this needs an authority token: Authorization: Bearer <token>');
      const row = await repo.findTokenByHash(secrets.tokenHash(token));
      if (!row) throw new PrtcError('invalid_token', 'the authority token is not valid');
      if (row.revokedAt !== null) throw new PrtcError('invalid_token', 'the authority token has been revoked');
      return { id: row.id!, name: row.name, realmId: row.realmId ?? null };
    },
    /**
     * Issues a one-time upload code for an authenticated authority (under its realm's daily quota, if
     * any); `also` gets the code's short id and adds its writes to the code's transaction.
     */
    async issueCode(
      by: Authority,
      explicitQuota?: Quota,
      opts: { also?: (issued: { shortId: string }) => TxPart } = {},
    ): Promise<IssueCodeResponse> {
      const now = clock.now();
      const quota = explicitQuota ?? (by.realmId !== null && deps.realmQuota ? await deps.realmQuota(by.realmId) : undefined);
      const code = codeFromRandom(new Uint8Array(randomBytes(7)));
      const expiresAt = now + deps.codeLifetimeS;
      let shortId = newShortId();
      const insert = () =>
        repo.insertCode(
          {
            codeHash: secrets.codeHash(code),
            createdAt: now,
            expiresAt,
            issuedBy: by.id,
            realmId: by.realmId,
            personId: by.personId ?? null,
            shortId,
          },
          deps.maxLiveCodes,
          quota ? { since: now - (now % 86400), ...quota } : undefined,
          opts.also?.({ shortId }),
        );
      let r = await insert();
      // a short id is unique in its realm (the look-up finds one code); a repeat draws another
      for (let tries = 1; r === 'short_taken'; tries++) {
        if (tries >= 8) throw new Error('no free short id after 8 draws');
        shortId = newShortId();
        r = await insert();
      }
      if (r === 'live')
        throw new PrtcError('quota_exceeded', `${deps.maxLiveCodes} upload codes are live already; wait for some to be used or expire`);
      if (r === 'realm_quota')
        throw new PrtcError('quota_exceeded', `the daily quota of ${quota!.realmMax} codes for this health authority is spent`);
      if (r === 'person_quota') throw new PrtcError('quota_exceeded', `your daily quota of ${quota!.personMax} codes is spent`);
      return { code, expiresAt, shortId };
    },
    /**
     * Issue 31: a one-time venue warning code (§10 "Venue warning codes"): its own kind, stored as
     * the pepper's HMAC of "venue:" and the code (so no upload code is ever one), with the level
     * fixed now. At most `maxLiveCodes` of them live at once, as upload codes.
     */
    async issueVenueWarningCode(
      by: Authority,
      level: VenueWarningLevel = 'test',
      opts: { also?: TxPart } = {},
    ): Promise<{ code: string; expiresAt: number; level: VenueWarningLevel }> {
      const byte = WARNING_LEVELS.indexOf(level);
      if (byte < 1) throw new PrtcError('invalid_value', 'the level is inform, test or isolate', 'level');
      const now = clock.now();
      const code = codeFromRandom(new Uint8Array(randomBytes(7)));
      const expiresAt = now + deps.codeLifetimeS;
      const row = {
        codeHash: venueCodeHash(secrets, code),
        level: byte,
        createdAt: now,
        expiresAt,
        realmId: by.realmId,
        personId: by.personId ?? null,
      };
      if (!(await repo.insertVenueCode(row, deps.maxLiveCodes, opts.also)))
        throw new PrtcError(
          'quota_exceeded',
          `${deps.maxLiveCodes} venue warning codes are live already; wait for some to be used or expire`,
        );
      return { code, expiresAt, level };
    },
    /** A realm's code by the short id staff read beside it (spaces and case ignored); null when it has none of that id. */
    realmCode: (realmId: number, shortId: string) => repo.codeByShortId(realmId, shortId.trim().toUpperCase(), clock.now()),
    /** Voids a realm's unused, unexpired code by its short id; false when there is no such code. */
    voidRealmCode: (realmId: number, shortId: string, opts: { also?: TxPart } = {}): Promise<boolean> =>
      repo.voidCode(realmId, shortId.trim().toUpperCase(), clock.now(), opts.also),
    /** Per UTC day since `from`: a realm's codes issued, used, expired unused and voided. */
    realmCodeDays: (realmId: number, from: number) => repo.realmCodeDays(realmId, from, clock.now()),
    /**
     * Deletes codes that expired more than 14 days ago. Until then a code's row (hashed, with whether
     * and on which day it was used) serves the portal's per-day statistics and look-ups.
     */
    prune(): Promise<number> {
      return repo.pruneCodes(clock.now() - 14 * 86400);
    },
  };
}

export type AuthorityService = ReturnType<typeof createAuthorityService>;
