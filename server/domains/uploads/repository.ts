/**
 * Accepted uploads waiting to be published: diagnosis keys and venue check-ins. An upload is
 * stored in the same transaction that uses up its code, so either both happen or neither.
 */
import type { Database } from '../../db/database';
import { PendingKey, PendingWarning, type PendingKeyRow, type PendingWarningRow } from '../../db/schema';
import { redeemCode, type CodeCheck } from '../authority/repository';

export function createUploadsRepository(db: Database) {
  return {
    /** Uses up the code and stores the upload, atomically; says why not when the code does not check out. */
    acceptUpload(codeHash: string, now: number, keys: PendingKeyRow[], warnings: PendingWarningRow[]): Promise<CodeCheck> {
      return db.transaction(async (m) => {
        const check = await redeemCode(m, codeHash, now);
        if (check !== 'ok') return check;
        if (keys.length) await m.getRepository(PendingKey).insert(keys);
        for (let k = 0; k < warnings.length; k += 200) await m.getRepository(PendingWarning).insert(warnings.slice(k, k + 200));
        return 'ok';
      });
    },
    async countPending(): Promise<{ keys: number; warnings: number }> {
      return {
        keys: await db.manager.getRepository(PendingKey).count(),
        warnings: await db.manager.getRepository(PendingWarning).count(),
      };
    },
    /** Deletes pending keys of days before `oldestDay` and warnings that ended before it. */
    async prune(oldestDay: number): Promise<{ pendingKeys: number; pendingWarnings: number }> {
      return db.transaction(async (m) => ({
        pendingKeys: (await m.createQueryBuilder().delete().from(PendingKey).where('i < :d', { d: oldestDay }).execute()).affected ?? 0,
        pendingWarnings:
          (await m.createQueryBuilder().delete().from(PendingWarning).where('endEnin <= :d', { d: oldestDay }).execute()).affected ?? 0,
      }));
    },
  };
}

export type UploadsRepository = ReturnType<typeof createUploadsRepository>;
