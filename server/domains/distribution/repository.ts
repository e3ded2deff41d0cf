/**
 * Reads of what publishing wrote: signed heads and roots, batch bodies of every chain, and the
 * per-day statistics.
 *
 * Which database each read goes to (server/db/replica.ts): the newest head and the signed root from
 * the primary — they are what a list is built for, one small read a second — and the bulk of what
 * phones download, list pages, bodies and statistics, from the replica when there is one. A replica
 * that lags shows itself here and is stepped around: a page that ends before the head it is built
 * for, or a body it does not hold yet, is read from the primary. So a list never trails the primary
 * by more than the service's one-second head cache, whatever the replication delay.
 */
import type { Database, EntityManager } from '../../db/database';
import { DayStat, type BatchRow, type DayStatRow, type RegionBatchRow, type RootHeadRow } from '../../db/schema';
import { HEAD_COLUMNS, lastBatch, type BatchHeadRow } from '../publishing/repository';
import { REGION_HEAD_COLUMNS, type RegionHeadRow } from '../publishing/region-repository';

/** A head of any chain as distribution serves it (§15): the national chain's rows carry their own signedAt. */
export interface ChainHeadRow {
  n: number;
  hash: string;
  signedAt: number;
  signature: string;
  keyCount: number;
  warningCount: number;
  size: number;
}

export function createDistributionRepository(db: Database) {
  return {
    lastBatch: () => db.read((m) => lastBatch(m)),
    /** Up to `limit` heads after batch `after`, oldest first, reaching batch `upTo` (the head the page is for) unless full. */
    async listBatches(after: number, limit: number, upTo: number | null): Promise<BatchHeadRow[]> {
      const page = (m: EntityManager) =>
        m
          .getRepository<BatchRow>('Batch')
          .createQueryBuilder('b')
          .select(HEAD_COLUMNS)
          .where('b.n > :after', { after })
          .orderBy('b.n', 'ASC')
          .limit(limit)
          .getMany();
      const rows = await db.readReplica(page);
      const reaches = rows.length === limit || upTo === null || Math.max(after, rows.at(-1)?.n ?? 0) >= upTo;
      return reaches ? rows : db.read(page);
    },
    async batchBody(n: number): Promise<{ hash: string; body: Buffer } | null> {
      const body = (m: EntityManager) =>
        m.getRepository<BatchRow>('Batch').createQueryBuilder('b').select(['b.n', 'b.hash', 'b.body']).where('b.n = :n', { n }).getOne();
      // not on the replica yet: a list read elsewhere may already name it
      const row = (await db.readReplica(body)) ?? (db.hasReplica ? await db.read(body) : null);
      return row ? { hash: row.hash, body: Buffer.from(row.body) } : null;
    },
    // ---- §15 the regions' chains (region 0 is the national chain, in `batch`)
    root: () => db.read((m) => m.getRepository<RootHeadRow>('RootHead').findOne({ where: { id: 1 } })),
    /** Chain `region`'s heads after `after` up to `upTo`, oldest first, at most `limit`. */
    async chainHeads(region: number, after: number, upTo: number, limit: number): Promise<ChainHeadRow[]> {
      const page = async (m: EntityManager): Promise<ChainHeadRow[]> => {
        if (region === 0) {
          const rows = (await m
            .getRepository<BatchRow>('Batch')
            .createQueryBuilder('b')
            .select(['b.n AS n', 'b.hash AS hash', 'b.signedAt AS signedAt', 'b.signature AS signature'])
            .addSelect(['b.keyCount AS keyCount', 'b.warningCount AS warningCount', 'LENGTH(b.body) AS size'])
            .where('b.n > :after AND b.n <= :upTo', { after, upTo })
            .orderBy('b.n', 'ASC')
            .limit(limit)
            .getRawMany()) as Record<keyof ChainHeadRow, string | number>[];
          return rows.map((r) => ({
            n: Number(r.n),
            hash: String(r.hash),
            signedAt: Number(r.signedAt),
            signature: String(r.signature),
            keyCount: Number(r.keyCount),
            warningCount: Number(r.warningCount),
            size: Number(r.size),
          }));
        }
        const rows = await m
          .getRepository<RegionBatchRow>('RegionBatch')
          .createQueryBuilder('b')
          .select(REGION_HEAD_COLUMNS)
          .where('b.region = :region AND b.n > :after AND b.n <= :upTo', { region, after, upTo })
          .orderBy('b.n', 'ASC')
          .limit(limit)
          .getMany();
        return rows.map((r: RegionHeadRow) => ({ ...r, signedAt: r.createdAt }));
      };
      // the page from the replica, unless it ends short of the head the root names (a lagging replica)
      const rows = await db.readReplica(page);
      const reaches = rows.length === limit || Math.max(after, rows.at(-1)?.n ?? 0) >= upTo;
      return reaches ? rows : db.read(page);
    },
    async regionBody(region: number, n: number): Promise<{ hash: string; body: Buffer } | null> {
      const body = (m: EntityManager) =>
        m
          .getRepository<RegionBatchRow>('RegionBatch')
          .createQueryBuilder('b')
          .select(['b.region', 'b.n', 'b.hash', 'b.body'])
          .where('b.region = :region AND b.n = :n', { region, n })
          .getOne();
      // not on the replica yet: the root read on the primary may already name it
      const row = (await db.readReplica(body)) ?? (db.hasReplica ? await db.read(body) : null);
      return row ? { hash: row.hash, body: Buffer.from(row.body) } : null;
    },
    /** Body bytes published per chain between `from` and `to` (Unix s), region 0 included. */
    async bytesByChain(from: number, to: number): Promise<Map<number, number>> {
      const out = new Map<number, number>();
      const regional = (await db.readReplica((m) =>
        m
          .getRepository<RegionBatchRow>('RegionBatch')
          .createQueryBuilder('b')
          .select('b.region', 'region')
          .addSelect('SUM(b.size)', 'bytes')
          .where('b.createdAt >= :from AND b.createdAt < :to', { from, to })
          .groupBy('b.region')
          .getRawMany(),
      )) as { region: string | number; bytes: string | number }[];
      for (const r of regional) out.set(Number(r.region), Number(r.bytes));
      const national = (await db.readReplica((m) =>
        m
          .getRepository<BatchRow>('Batch')
          .createQueryBuilder('b')
          .select('SUM(LENGTH(b.body))', 'bytes')
          .where('b.createdAt >= :from AND b.createdAt < :to', { from, to })
          .getRawOne(),
      )) as { bytes: string | number | null } | undefined;
      out.set(0, Number(national?.bytes ?? 0));
      return out;
    },
    listDayStats(fromDay: number): Promise<DayStatRow[]> {
      return db.readReplica((m) =>
        m.getRepository(DayStat).createQueryBuilder('s').where('s.i >= :d', { d: fromDay }).orderBy('s.i', 'ASC').getMany(),
      );
    },
  };
}

export type DistributionRepository = ReturnType<typeof createDistributionRepository>;
