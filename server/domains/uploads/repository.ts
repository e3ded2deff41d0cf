/**
 * Accepted uploads waiting to be published: diagnosis keys and venue check-ins, under random ids and
 * with no time, so neither when nor in which order they arrived is kept. An upload is stored in the
 * same transaction that uses up its code: either both happen or neither. Wrong codes are counted
 * per minute (the brute-force alarm all instances share).
 */
import type { Database, EntityManager } from '../../db/database';
import { randomId } from '../../db/ids';
import { PendingKey, PendingRegionKey, PendingRegionWarning, PendingWarning, UploadTiming, WrongCode } from '../../db/schema';
import { redeemCode, type CodeCheck } from '../authority/repository';

export interface NewKey {
  aemk: string;
  i: number;
}
export interface NewWarning {
  locationIdHash: string;
  startEnin: number;
  endEnin: number;
}

async function addWrongCode(m: EntityManager, minute: number): Promise<void> {
  const repo = m.getRepository(WrongCode);
  const r = await repo
    .createQueryBuilder()
    .update()
    .set({ failures: () => 'failures + 1' })
    .where('minute = :minute', { minute })
    .execute();
  if ((r.affected ?? 0) === 0) await repo.insert({ minute, failures: 1 });
}

/**
 * §15: which chains an upload goes to. `national`: the national chain (region 0, `pending_key`);
 * `regions`: the regions' chains, one (key, region) row each under its own random id — no row says
 * which upload or which other rows it came with.
 */
export interface UploadTargets {
  national: boolean;
  regions: number[];
}

async function insertChunks<T extends object>(
  m: EntityManager,
  entity: Parameters<EntityManager['getRepository']>[0],
  rows: T[],
): Promise<void> {
  for (let k = 0; k < rows.length; k += 200) await m.getRepository(entity).insert(rows.slice(k, k + 200) as never);
}

export function createUploadsRepository(db: Database) {
  return {
    /** Uses up the code and stores the upload, atomically; says why not when the code does not check out. */
    acceptUpload(
      codeHash: string,
      now: number,
      uploadTag: string | null,
      keys: NewKey[],
      warnings: NewWarning[],
      targets: UploadTargets = { national: true, regions: [] },
    ): Promise<CodeCheck> {
      return db.transaction(async (m) => {
        const check = await redeemCode(m, codeHash, now, uploadTag);
        if (check !== 'ok') return check;
        if (targets.national) {
          if (keys.length) await m.getRepository(PendingKey).insert(keys.map((k) => ({ id: randomId(), ...k })));
          await insertChunks(
            m,
            PendingWarning,
            warnings.map((w) => ({ id: randomId(), ...w })),
          );
        }
        // a key is counted once in the statistics: by its national row, else by its first region's
        const regionKeys = targets.regions.flatMap((region, r) =>
          keys.map((k) => ({ id: randomId(), region, ...k, counts: !targets.national && r === 0 ? 1 : 0 })),
        );
        await insertChunks(m, PendingRegionKey, regionKeys);
        await insertChunks(
          m,
          PendingRegionWarning,
          targets.regions.flatMap((region) => warnings.map((w) => ({ id: randomId(), region, ...w }))),
        );
        return 'ok';
      });
    },
    /** Writes durations of real uploads (µs) into the given slots of the shared table. */
    saveTimings(entries: { slot: number; us: number }[]): Promise<void> {
      return db.transaction(async (m) => {
        const repo = m.getRepository(UploadTiming);
        for (const e of entries) {
          const r = await repo.update({ slot: e.slot }, { us: e.us });
          if ((r.affected ?? 0) === 0) await repo.insert(e);
        }
      });
    },
    /** Every shared duration (µs). */
    loadTimings: () => db.read(async (m) => (await m.getRepository(UploadTiming).find()).map((r) => r.us)),
    /** Counts a wrong code in its minute. */
    recordWrongCode(now: number): Promise<void> {
      const minute = Math.floor(now / 60);
      return db
        .transaction((m) => addWrongCode(m, minute))
        .catch(async (e) => {
          // two instances inserted the same minute at once: the row exists now
          await db
            .transaction((m) => addWrongCode(m, minute))
            .catch(() => {
              throw e;
            });
        });
    },
    /** Wrong codes since `fromMinute` (Unix minutes). */
    async wrongCodesSince(fromMinute: number): Promise<number> {
      const rows = await db.read((m) =>
        m.getRepository(WrongCode).createQueryBuilder('w').where('w.minute >= :f', { f: fromMinute }).getMany(),
      );
      return rows.reduce((s, r) => s + r.failures, 0);
    },
    countPending(): Promise<{ keys: number; warnings: number }> {
      return db.read(async (m) => ({
        keys: await m.getRepository(PendingKey).count(),
        warnings: await m.getRepository(PendingWarning).count(),
      }));
    },
    /** §15: pending (key, region) and (warning, region) rows. */
    countPendingInRegions(): Promise<{ keys: number; warnings: number }> {
      return db.read(async (m) => ({
        keys: await m.getRepository(PendingRegionKey).count(),
        warnings: await m.getRepository(PendingRegionWarning).count(),
      }));
    },
    /** Deletes pending keys of days before `oldestDay`, warnings that ended before it, and day-old wrong-code counts. */
    prune(oldestDay: number, now: number): Promise<{ pendingKeys: number; pendingWarnings: number }> {
      return db.transaction(async (m) => {
        await m
          .createQueryBuilder()
          .delete()
          .from(WrongCode)
          .where('minute < :m', { m: Math.floor(now / 60) - 1440 })
          .execute();
        const gone = async (
          entity: typeof PendingKey | typeof PendingRegionKey | typeof PendingWarning | typeof PendingRegionWarning,
          where: string,
        ) => (await m.createQueryBuilder().delete().from(entity).where(where, { d: oldestDay }).execute()).affected ?? 0;
        return {
          pendingKeys: (await gone(PendingKey, 'i < :d')) + (await gone(PendingRegionKey, 'i < :d')),
          pendingWarnings: (await gone(PendingWarning, 'endEnin <= :d')) + (await gone(PendingRegionWarning, 'endEnin <= :d')),
        };
      });
    },
  };
}

export type UploadsRepository = ReturnType<typeof createUploadsRepository>;
