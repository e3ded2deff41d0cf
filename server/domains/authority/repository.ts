/**
 * The authority's data: bearer tokens of health authorities and the upload codes they issue, both
 * stored only as hashes. `redeemCode` is the one write another domain makes here: uploads use a code
 * up inside their own transaction. A used code keeps only that it was used and on which day — never
 * the moment, which would link it to the keys stored in that moment.
 */
import type { Database, EntityManager } from '../../db/database';
import { AuthorityToken, UploadCode, type AuthorityTokenRow, type UploadCodeRow } from '../../db/schema';

/** ok: used up now; retry: this very upload (same uploadTag) was accepted before. */
export type CodeCheck = 'ok' | 'retry' | 'unknown' | 'expired' | 'used';

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
    .where('codeHash = :codeHash AND used = 0 AND expiresAt > :now', { codeHash, now })
    .execute();
  if ((r.affected ?? 0) === 1) return 'ok';
  const row = await m.getRepository(UploadCode).findOneBy({ codeHash });
  if (!row) return 'unknown';
  if (row.used) return uploadTag !== null && row.uploadTag === uploadTag ? 'retry' : 'used';
  return 'expired';
}

export function createAuthorityRepository(db: Database) {
  return {
    insertToken: (row: AuthorityTokenRow) => db.transaction(async (m) => void (await m.getRepository(AuthorityToken).insert(row))),
    findTokenByHash: (tokenHash: string) => db.read((m) => m.getRepository(AuthorityToken).findOneBy({ tokenHash })),
    findTokenByName: (name: string) => db.read((m) => m.getRepository(AuthorityToken).findOneBy({ name })),
    listTokens: () => db.read((m) => m.getRepository(AuthorityToken).find({ order: { name: 'ASC' } })),
    revokeToken(name: string, now: number): Promise<boolean> {
      return db.transaction(async (m) => {
        const r = await m
          .getRepository(AuthorityToken)
          .createQueryBuilder()
          .update()
          .set({ revokedAt: now })
          .where('name = :name AND revokedAt IS NULL', { name })
          .execute();
        return (r.affected ?? 0) === 1;
      });
    },
    /** Stores a new code unless `maxLive` codes are live already (unused and unexpired); returns whether it did. */
    insertCode(row: Omit<UploadCodeRow, 'used' | 'usedDay' | 'uploadTag'>, maxLive: number): Promise<boolean> {
      return db.transaction(async (m) => {
        const live = await m
          .getRepository(UploadCode)
          .createQueryBuilder('c')
          .where('c.used = 0 AND c.expiresAt > :now', { now: row.createdAt })
          .getCount();
        if (live >= maxLive) return false;
        await m.getRepository(UploadCode).insert({ ...row, used: 0, usedDay: null, uploadTag: null });
        return true;
      });
    },
    /** The code's row, if any (the fake-upload path reads it as a real upload would). */
    findCode: (codeHash: string) => db.read((m) => m.getRepository(UploadCode).findOneBy({ codeHash })),
    /** Deletes codes past their expiry; returns how many. */
    pruneCodes(now: number): Promise<number> {
      return db.transaction(
        async (m) =>
          (await m.getRepository(UploadCode).createQueryBuilder().delete().where('expiresAt < :now', { now }).execute()).affected ?? 0,
      );
    },
  };
}

export type AuthorityRepository = ReturnType<typeof createAuthorityRepository>;
