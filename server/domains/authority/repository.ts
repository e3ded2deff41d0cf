/**
 * The authority's data: bearer tokens of health authorities and the upload codes they issue, both
 * stored only as hashes. These two tables are this domain's alone: uploads use a code up through
 * `redeemCode` inside their own transaction, and the portal issues, looks up and voids a realm's
 * codes through the authority's service — its audit row riding along in the same transaction
 * (`also`, a TxPart the portal's repository builds). A used code keeps only that it was used and
 * on which day — never the moment, which would link it to the keys stored in that moment.
 */
import type { Database, EntityManager, TxPart } from '../../db/database';
import {
  AuthorityToken,
  UploadCode,
  VenueWarningCode,
  type AuthorityTokenRow,
  type UploadCodeRow,
  type VenueWarningCodeRow,
} from '../../db/schema';

export type { TxPart };

/** ok: used up now; retry: this very upload (same uploadTag) was accepted before. */
export type CodeCheck = 'ok' | 'retry' | 'unknown' | 'expired' | 'used' | 'voided';

/** A code as a realm's staff see it by its short id. */
export type CodeStatus = 'unused' | 'used' | 'expired' | 'voided';

const dayStart = (t: number) => t - (t % 86400);

/**
 * Marks the code used if it exists, is unused and unexpired; says why not otherwise. Atomic within
 * `m`. `uploadTag` (the HMAC of the client's uploadId, or null) is kept so that the same upload sent
 * again — its answer lost on the way — is recognised instead of refused as `used`.
 */
export async function redeemCode(m: EntityManager, codeHash: string, now: number, uploadTag: string | null): Promise<CodeCheck> {
  const r = await m
    .getRepository(UploadCode)
    .createQueryBuilder()
    .update()
    .set({ used: 1, usedDay: dayStart(now), uploadTag })
    .where('codeHash = :codeHash AND used = 0 AND voidedAt IS NULL AND expiresAt > :now', { codeHash, now })
    .execute();
  if ((r.affected ?? 0) === 1) return 'ok';
  const row = await m.getRepository(UploadCode).findOneBy({ codeHash });
  if (!row) return 'unknown';
  if (row.used) return uploadTag !== null && row.uploadTag === uploadTag ? 'retry' : 'used';
  if (row.voidedAt !== null) return 'voided';
  return 'expired';
}

/** ok: used up now, with the level it was issued with. */
export type VenueCodeCheck = { ok: true; level: number } | { ok: false; why: 'unknown' | 'expired' | 'used' };

/**
 * Issue 31: uses up a venue warning code if it exists, is unused and unexpired; atomic within `m`
 * (one UPDATE … WHERE used = 0: of two concurrent redeems exactly one changes the row).
 */
export async function redeemVenueCode(m: EntityManager, codeHash: string, now: number): Promise<VenueCodeCheck> {
  const r = await m
    .getRepository(VenueWarningCode)
    .createQueryBuilder()
    .update()
    .set({ used: 1 })
    .where('codeHash = :codeHash AND used = 0 AND expiresAt > :now', { codeHash, now })
    .execute();
  const row = await m.getRepository(VenueWarningCode).findOneBy({ codeHash });
  if ((r.affected ?? 0) === 1 && row) return { ok: true, level: row.level };
  if (!row) return { ok: false, why: 'unknown' };
  return { ok: false, why: row.used ? 'used' : 'expired' };
}

function activeNamed(m: EntityManager, name: string, realmId: number | null) {
  return m
    .getRepository(AuthorityToken)
    .createQueryBuilder('t')
    .where(`t.name = :name AND t.revokedAt IS NULL AND ${realmId === null ? 't.realmId IS NULL' : 't.realmId = :realmId'}`, {
      name,
      realmId,
    });
}

export function createAuthorityRepository(db: Database) {
  return {
    insertToken: (row: AuthorityTokenRow) => db.transaction(async (m) => void (await m.getRepository(AuthorityToken).insert(row))),
    findTokenByHash: (tokenHash: string) => db.read((m) => m.getRepository(AuthorityToken).findOneBy({ tokenHash })),
    /** Inserts the token unless an active one of the same realm (or of the operator's: null) has that name; returns whether it did. */
    insertTokenIfFree(row: AuthorityTokenRow, also?: TxPart): Promise<boolean> {
      return db.transaction(async (m) => {
        const taken = await activeNamed(m, row.name, row.realmId ?? null).getCount();
        if (taken) return false;
        await m.getRepository(AuthorityToken).insert(row);
        await also?.(m);
        return true;
      });
    },
    /** Tokens of a realm (null: the operator's own), active and revoked. */
    listTokens: (realmId: number | null) =>
      db.read((m) =>
        m
          .getRepository(AuthorityToken)
          .createQueryBuilder('t')
          .where(realmId === null ? 't.realmId IS NULL' : 't.realmId = :realmId', { realmId })
          .orderBy('t.name', 'ASC')
          .addOrderBy('t.createdAt', 'ASC')
          .getMany(),
      ),
    /** Revokes the active token of that name (the realm's, or the operator's) and voids the codes it issued that are still unused; null when there is none. */
    revokeToken(name: string, now: number, realmId: number | null, also?: TxPart): Promise<{ voided: number } | null> {
      return db.transaction(async (m) => {
        const token = await activeNamed(m, name, realmId).getOne();
        if (!token) return null;
        await m.getRepository(AuthorityToken).update({ id: token.id }, { revokedAt: now });
        const voided = await m
          .getRepository(UploadCode)
          .createQueryBuilder()
          .update()
          .set({ voidedAt: now })
          .where('issuedBy = :id AND used = 0 AND voidedAt IS NULL AND expiresAt > :now', { id: token.id, now })
          .execute();
        await also?.(m);
        return { voided: voided.affected ?? 0 };
      });
    },
    /** Live codes (unused, unvoided, unexpired) and active tokens now. */
    counts: (now: number) =>
      db.read(async (m) => ({
        liveCodes: await m
          .getRepository(UploadCode)
          .createQueryBuilder('c')
          .where('c.used = 0 AND c.voidedAt IS NULL AND c.expiresAt > :now', { now })
          .getCount(),
        activeTokens: await m.getRepository(AuthorityToken).createQueryBuilder('t').where('t.revokedAt IS NULL').getCount(),
      })),
    /** Codes issued and used per UTC day since `from` (Unix s of a midnight): for the operator's stats. */
    codesPerDay: (from: number) =>
      db.read(async (m) => {
        const issued = (await m
          .getRepository(UploadCode)
          .createQueryBuilder('c')
          .select('c.createdAt - (c.createdAt % 86400)', 'day')
          .addSelect('COUNT(*)', 'n')
          .where('c.createdAt >= :from', { from })
          .groupBy('day')
          .getRawMany()) as { day: string | number; n: string | number }[];
        const used = (await m
          .getRepository(UploadCode)
          .createQueryBuilder('c')
          .select('c.usedDay', 'day')
          .addSelect('COUNT(*)', 'n')
          .where('c.used = 1 AND c.usedDay >= :from', { from })
          .groupBy('c.usedDay')
          .getRawMany()) as { day: string | number; n: string | number }[];
        return {
          issued: issued.map((r) => ({ day: Number(r.day), n: Number(r.n) })),
          used: used.map((r) => ({ day: Number(r.day), n: Number(r.n) })),
        };
      }),
    /**
     * Stores a new code unless `maxLive` codes are live already (unused and unexpired) or a daily
     * quota is spent (codes issued since `quota.since` by the realm, or by the person); says which.
     */
    insertCode(
      row: Omit<UploadCodeRow, 'used' | 'usedDay' | 'uploadTag' | 'voidedAt'>,
      maxLive: number,
      quota?: { since: number; realmMax: number; personMax?: number },
      also?: TxPart,
    ): Promise<'ok' | 'live' | 'realm_quota' | 'person_quota' | 'short_taken'> {
      return db.transaction(async (m) => {
        // MySQL: issues of one realm queue on its row before counting, so two at the quota's edge
        // cannot both see room (measured: 12 at once under a quota of 3 issued 6). SQLite's
        // BEGIN IMMEDIATE already runs one transaction at a time.
        if (quota && row.realmId != null && db.kind === 'mysql')
          await m.query('SELECT id FROM realm WHERE id = ? FOR UPDATE', [row.realmId]);
        const codes = m.getRepository(UploadCode);
        const live = await codes
          .createQueryBuilder('c')
          .where('c.used = 0 AND c.voidedAt IS NULL AND c.expiresAt > :now', { now: row.createdAt })
          .getCount();
        if (live >= maxLive) return 'live';
        if (quota && row.realmId != null) {
          const byRealm = await codes
            .createQueryBuilder('c')
            .where('c.realmId = :r AND c.createdAt >= :since', { r: row.realmId, since: quota.since })
            .getCount();
          if (byRealm >= quota.realmMax) return 'realm_quota';
          if (row.personId != null && quota.personMax !== undefined) {
            const byPerson = await codes
              .createQueryBuilder('c')
              .where('c.personId = :p AND c.createdAt >= :since', { p: row.personId, since: quota.since })
              .getCount();
            if (byPerson >= quota.personMax) return 'person_quota';
          }
        }
        // short ids are 30 bits: a busy realm meets a repeat within 14 days (1,000 a day: about 9 %)
        if (row.realmId != null && row.shortId && (await codes.existsBy({ realmId: row.realmId, shortId: row.shortId })))
          return 'short_taken';
        await codes.insert({ ...row, used: 0, usedDay: null, uploadTag: null, voidedAt: null });
        await also?.(m);
        return 'ok';
      });
    },
    /** A realm's code by its short id, and its status at `now`; null when the realm has none of that id. */
    async codeByShortId(
      realmId: number,
      shortId: string,
      now: number,
    ): Promise<{ status: CodeStatus; createdAt: number; expiresAt: number; personId: number | null } | null> {
      const c = await db.read((m) => m.getRepository(UploadCode).findOneBy({ realmId, shortId }));
      if (!c) return null;
      const status: CodeStatus = c.used ? 'used' : c.voidedAt !== null ? 'voided' : c.expiresAt <= now ? 'expired' : 'unused';
      return { status, createdAt: c.createdAt, expiresAt: c.expiresAt, personId: c.personId ?? null };
    },
    /** Voids an unused, unexpired code of the realm (and runs `also` with it); returns whether it did. */
    voidCode(realmId: number, shortId: string, now: number, also?: TxPart): Promise<boolean> {
      return db.transaction(async (m) => {
        const r = await m
          .getRepository(UploadCode)
          .createQueryBuilder()
          .update()
          .set({ voidedAt: now })
          .where('realmId = :realmId AND shortId = :shortId AND used = 0 AND voidedAt IS NULL AND expiresAt > :now', {
            realmId,
            shortId,
            now,
          })
          .execute();
        if ((r.affected ?? 0) !== 1) return false;
        await also?.(m);
        return true;
      });
    },
    /** Per UTC day since `from`: a realm's codes issued, used, expired unused, voided — its statistics. */
    realmCodeDays(
      realmId: number,
      from: number,
      now: number,
    ): Promise<{ day: number; issued: number; used: number; expired: number; voided: number }[]> {
      return db.read(async (m) => {
        const rows = await m
          .getRepository(UploadCode)
          .createQueryBuilder('c')
          .select('c.createdAt - (c.createdAt % 86400)', 'day')
          .addSelect('COUNT(*)', 'issued')
          .addSelect('SUM(CASE WHEN c.used = 1 THEN 1 ELSE 0 END)', 'used')
          .addSelect('SUM(CASE WHEN c.used = 0 AND c.voidedAt IS NULL AND c.expiresAt <= :now THEN 1 ELSE 0 END)', 'expired')
          .addSelect('SUM(CASE WHEN c.used = 0 AND c.voidedAt IS NOT NULL THEN 1 ELSE 0 END)', 'voided')
          .where('c.realmId = :realmId AND c.createdAt >= :from', { realmId, from, now })
          .groupBy('day')
          .getRawMany();
        return (rows as Record<string, string | number>[]).map((r) => ({
          day: Number(r.day),
          issued: Number(r.issued),
          used: Number(r.used),
          expired: Number(r.expired),
          voided: Number(r.voided),
        }));
      });
    },
    /** Issue 31: stores a venue warning code unless `maxLive` of them are live already (then false). */
    insertVenueCode(row: Omit<VenueWarningCodeRow, 'used'>, maxLive: number, also?: TxPart): Promise<boolean> {
      return db.transaction(async (m) => {
        const codes = m.getRepository(VenueWarningCode);
        const live = await codes.createQueryBuilder('c').where('c.used = 0 AND c.expiresAt > :now', { now: row.createdAt }).getCount();
        if (live >= maxLive) return false;
        await codes.insert({ ...row, used: 0 });
        await also?.(m);
        return true;
      });
    },
    /** The code's row, if any (the fake-upload path reads it as a real upload would). */
    findCode: (codeHash: string) => db.read((m) => m.getRepository(UploadCode).findOneBy({ codeHash })),
    /** Deletes codes past their expiry; returns how many. */
    pruneCodes(now: number): Promise<number> {
      return db.transaction(async (m) => {
        const gone = async (entity: typeof UploadCode | typeof VenueWarningCode) =>
          (await m.getRepository(entity).createQueryBuilder().delete().where('expiresAt < :now', { now }).execute()).affected ?? 0;
        return (await gone(UploadCode)) + (await gone(VenueWarningCode));
      });
    },
  };
}

export type AuthorityRepository = ReturnType<typeof createAuthorityRepository>;
