/** Reads of what publishing wrote: signed heads, batch bodies and the per-day statistics. */
import type { Database } from '../../db/database';
import { DayStat, type BatchRow, type DayStatRow } from '../../db/schema';
import { HEAD_COLUMNS, lastBatch, type BatchHeadRow } from '../publishing/repository';

export function createDistributionRepository(db: Database) {
  return {
    lastBatch: () => db.read((m) => lastBatch(m)),
    listBatches(after: number, limit: number): Promise<BatchHeadRow[]> {
      return db.read((m) =>
        m
          .getRepository<BatchRow>('Batch')
          .createQueryBuilder('b')
          .select(HEAD_COLUMNS)
          .where('b.n > :after', { after })
          .orderBy('b.n', 'ASC')
          .limit(limit)
          .getMany(),
      );
    },
    async batchBody(n: number): Promise<{ hash: string; body: Buffer } | null> {
      const row = await db.read((m) =>
        m.getRepository<BatchRow>('Batch').createQueryBuilder('b').select(['b.n', 'b.hash', 'b.body']).where('b.n = :n', { n }).getOne(),
      );
      return row ? { hash: row.hash, body: Buffer.from(row.body) } : null;
    },
    listDayStats(fromDay: number): Promise<DayStatRow[]> {
      return db.read((m) =>
        m.getRepository(DayStat).createQueryBuilder('s').where('s.i >= :d', { d: fromDay }).orderBy('s.i', 'ASC').getMany(),
      );
    },
  };
}

export type DistributionRepository = ReturnType<typeof createDistributionRepository>;
