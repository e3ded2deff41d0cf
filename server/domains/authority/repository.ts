/**
 * The authority's data: bearer tokens of health authorities and the upload codes they issue, both
 * stored only as hashes. `redeemCode` is the one write another domain makes here: uploads use a code
 * up inside their own transaction.
 */
import type { Database, EntityManager } from '../../db/database';
import { AuthorityToken, UploadCode, type AuthorityTokenRow, type UploadCodeRow } from '../../db/schema';

export type CodeCheck = 'ok' | 'unknown' | 'expired' | 'used';

/** Marks the code used if it exists, is unused and unexpired; says why not otherwise. Atomic within `m`. */
export async function redeemCode(m: EntityManager, codeHash: string, now: number): Promise<CodeCheck> {
  const r = await m
    .getRepository(UploadCode)
    .createQueryBuilder()
    .update()
    .set({ usedAt: now })
    .where('codeHash = :codeHash AND usedAt IS NULL AND expiresAt > :now', { codeHash, now })
    .execute();
  if ((r.affected ?? 0) === 1) return 'ok';
  const row = await m.getRepository(UploadCode).findOneBy({ codeHash });
  if (!row) return 'unknown';
  return row.usedAt !== null ? 'used' : 'expired';
}

export function createAuthorityRepository(db: Database) {
  const tokens = () => db.manager.getRepository(AuthorityToken);
  const codes = () => db.manager.getRepository(UploadCode);
  return {
    async insertToken(row: AuthorityTokenRow): Promise<void> {
      await tokens().insert(row);
    },
    findTokenByHash: (tokenHash: string) => tokens().findOneBy({ tokenHash }),
    findTokenByName: (name: string) => tokens().findOneBy({ name }),
    listTokens: () => tokens().find({ order: { name: 'ASC' } }),
    async revokeToken(name: string, now: number): Promise<boolean> {
      const r = await tokens()
        .createQueryBuilder()
        .update()
        .set({ revokedAt: now })
        .where('name = :name AND revokedAt IS NULL', { name })
        .execute();
      return (r.affected ?? 0) === 1;
    },
    async insertCode(row: UploadCodeRow): Promise<void> {
      await codes().insert(row);
    },
    /** The code's row, if any (the fake-upload path reads it as a real upload would). */
    findCode: (codeHash: string) => codes().findOneBy({ codeHash }),
    /** Deletes codes past their expiry; returns how many. */
    async pruneCodes(now: number): Promise<number> {
      const r = await codes().createQueryBuilder().delete().where('expiresAt < :now', { now }).execute();
      return r.affected ?? 0;
    },
  };
}

export type AuthorityRepository = ReturnType<typeof createAuthorityRepository>;
