/**
 * Published batches and the per-day statistics, and the one transaction that turns pending uploads
 * into the next batch: read what is pending and the newest batch, store the new batch, delete what
 * it published and count it — all or nothing, so a batch is never published twice or lost.
 */
import type { Database, EntityManager, TxPart } from '../../db/database';
import { DayStat, PendingKey, PendingWarning, type BatchRow, type PendingKeyRow, type PendingWarningRow } from '../../db/schema';

export type BatchHeadRow = Omit<BatchRow, 'body'>;

export const HEAD_COLUMNS = ['b.n', 'b.hash', 'b.prevHash', 'b.createdAt', 'b.signedAt', 'b.signature', 'b.keyCount', 'b.warningCount'];

export interface PublishInput {
  keys: PendingKeyRow[];
  warnings: PendingWarningRow[];
  last: BatchHeadRow | null;
}

/** What the publishing service made of the input: the batch to store and the real keys per day it holds. */
export interface PublishOutput {
  batch: BatchRow;
  realKeysPerDay: Map<number, number>;
}

export function lastBatch(m: EntityManager): Promise<BatchHeadRow | null> {
  return m.getRepository<BatchRow>('Batch').createQueryBuilder('b').select(HEAD_COLUMNS).orderBy('b.n', 'DESC').limit(1).getOne();
}

export async function addDayStats(m: EntityManager, counts: Map<number, number>): Promise<void> {
  const repo = m.getRepository(DayStat);
  for (const [i, n] of counts) {
    const r = await repo
      .createQueryBuilder()
      .update()
      .set({ keyCount: () => `keyCount + ${Number(n)}` })
      .where('i = :i', { i })
      .execute();
    if ((r.affected ?? 0) === 0) await repo.insert({ i, keyCount: n });
  }
}

export function createPublishingRepository(db: Database) {
  return {
    /**
     * In one transaction: reads up to `maxKeys` pending keys of days before `firstOpenDay` (the
     * embargo) and up to `maxWarnings` warnings, oldest first; asks `build` for the batch; stores it,
     * deletes what it published and adds its real keys to the day statistics. Returns the new
     * batch number, or null when nothing was pending (or `build` declined).
     */
    publishNext(
      limits: { firstOpenDay: number; maxKeys: number; maxWarnings: number },
      build: (input: PublishInput) => PublishOutput | null,
      /** With nothing pending: a batch all the same when the newest was created at or before this (a keep-alive). */
      keepAliveBefore?: number,
    ): Promise<BatchHeadRow | null> {
      return db.transaction(async (m) => {
        const keys = await m
          .getRepository(PendingKey)
          .createQueryBuilder('k')
          .where('k.i < :d', { d: limits.firstOpenDay })
          .orderBy('k.id', 'ASC')
          .limit(limits.maxKeys)
          .getMany();
        const warnings = await m
          .getRepository(PendingWarning)
          .createQueryBuilder('w')
          .orderBy('w.id', 'ASC')
          .limit(limits.maxWarnings)
          .getMany();
        const last = await lastBatch(m);
        if (keys.length === 0 && warnings.length === 0 && !(last && keepAliveBefore !== undefined && last.createdAt <= keepAliveBefore))
          return null;
        const made = build({ keys, warnings, last });
        if (!made) return null;
        await m.getRepository<BatchRow>('Batch').insert(made.batch);
        const keyIds = keys.map((k) => k.id!);
        const warningIds = warnings.map((w) => w.id!);
        for (let k = 0; k < keyIds.length; k += 500) await m.getRepository(PendingKey).delete(keyIds.slice(k, k + 500));
        for (let k = 0; k < warningIds.length; k += 500) await m.getRepository(PendingWarning).delete(warningIds.slice(k, k + 500));
        await addDayStats(m, made.realKeysPerDay);
        const { body: _body, ...head } = made.batch;
        return head;
      });
    },
    lastBatch: () => db.read((m) => lastBatch(m)),
    hashOf: (n: number) =>
      db.read(
        async (m) =>
          (await m.getRepository<BatchRow>('Batch').createQueryBuilder('b').select(['b.n', 'b.hash']).where('b.n = :n', { n }).getOne())
            ?.hash ?? null,
      ),
    /** Every stored head, oldest first. */
    heads: () =>
      db.read((m) => m.getRepository<BatchRow>('Batch').createQueryBuilder('b').select(HEAD_COLUMNS).orderBy('b.n', 'ASC').getMany()),
    bodyOf: async (n: number) =>
      (
        await db.read((m) =>
          m.getRepository<BatchRow>('Batch').createQueryBuilder('b').select(['b.n', 'b.body']).where('b.n = :n', { n }).getOne(),
        )
      )?.body ?? null,
    /**
     * Stores batches the caller verified, in one transaction with `also` (the regions' chains, §15):
     * all of it or nothing. A batch already there must be the same one.
     */
    restore(rows: BatchRow[], also?: TxPart): Promise<{ added: number; present: number }> {
      return db.transaction(async (m) => {
        const repo = m.getRepository<BatchRow>('Batch');
        let added = 0;
        let present = 0;
        for (const row of rows) {
          const have = await repo.createQueryBuilder('b').select(['b.n', 'b.hash']).where('b.n = :n', { n: row.n }).getOne();
          if (have && have.hash !== row.hash) throw new Error(`batch ${row.n} in the database differs from the one being imported`);
          if (have) present++;
          else {
            await repo.insert(row);
            added++;
          }
        }
        await also?.(m);
        return { added, present };
      });
    },
    /**
     * Signs the newest batch again when its signature is older than `staleBefore` (§9): same n and
     * hash, a newer signedAt. One transaction, so two instances never both write. Returns the new
     * signedAt, or null when there is no batch or its signature is recent enough.
     */
    resignHead(staleBefore: number, sign: (head: BatchHeadRow) => { signedAt: number; signature: string }): Promise<number | null> {
      return db.transaction(async (m) => {
        const head = await lastBatch(m);
        if (!head || head.signedAt > staleBefore) return null;
        const next = sign(head);
        const r = await m
          .getRepository<BatchRow>('Batch')
          .createQueryBuilder()
          .update()
          .set(next)
          .where('n = :n AND signedAt = :was', { n: head.n, was: head.signedAt })
          .execute();
        return (r.affected ?? 0) === 1 ? next.signedAt : null;
      });
    },
    /**
     * Deletes batches created before `createdBefore` — but never the newest, whatever its age: it is
     * the head phones' checkpoints and head.json hold on to, and without it the next batch would be
     * number 1 again (a fork) — and statistics of days before `oldestDay`.
     */
    prune(createdBefore: number, oldestDay: number): Promise<{ batches: number; dayStats: number }> {
      return db.transaction(async (m) => {
        const newest = await lastBatch(m);
        const batches = newest
          ? ((
              await m
                .createQueryBuilder()
                .delete()
                .from('Batch')
                .where('createdAt < :t AND n < :newest', { t: createdBefore, newest: newest.n })
                .execute()
            ).affected ?? 0)
          : 0;
        const dayStats = (await m.createQueryBuilder().delete().from(DayStat).where('i < :d', { d: oldestDay }).execute()).affected ?? 0;
        return { batches, dayStats };
      });
    },
  };
}

export type PublishingRepository = ReturnType<typeof createPublishingRepository>;
