/**
 * §15 the regions' chains and the root, as publishing writes them. Each action is one transaction:
 * publish one region's next batch (when it holds enough), release every region at a slot, replace
 * the root. Reads that distribution serves are in distribution/repository.ts.
 */
import type { Database, EntityManager, TxPart } from '../../db/database';
import {
  PendingRegionKey,
  PendingRegionWarning,
  RegionRelease,
  type PendingRegionKeyRow,
  type PendingRegionWarningRow,
  type RegionBatchRow,
  type RootHeadRow,
} from '../../db/schema';
import { addDayStats, lastBatch } from './repository';

export type RegionHeadRow = Omit<RegionBatchRow, 'body'>;
export const REGION_HEAD_COLUMNS = [
  'b.region',
  'b.n',
  'b.hash',
  'b.prevHash',
  'b.createdAt',
  'b.signature',
  'b.keyCount',
  'b.warningCount',
  'b.size',
];

export interface RegionPublishInput {
  region: number;
  keys: PendingRegionKeyRow[];
  warnings: PendingRegionWarningRow[];
  last: RegionHeadRow | null;
}
export interface RegionPublishOutput {
  batch: RegionBatchRow;
}
export interface RegionLimits {
  /** Keys of this day and later are embargoed (§9). */
  firstOpenDay: number;
  maxKeys: number;
  maxWarnings: number;
}
/** One leaf of the root as stored: a chain's newest head. */
export interface ChainHead {
  region: number;
  n: number;
  hash: string;
}

/** Every regional chain's newest head. */
async function newestRegionHeads(m: EntityManager): Promise<ChainHead[]> {
  const rows = (await m.query(
    'SELECT b.region AS region, b.n AS n, b.hash AS hash FROM region_batch b ' +
      'JOIN (SELECT region, MAX(n) AS top FROM region_batch GROUP BY region) t ON b.region = t.region AND b.n = t.top',
  )) as { region: number | string; n: number | string; hash: string }[];
  return rows.map((r) => ({ region: Number(r.region), n: Number(r.n), hash: r.hash }));
}

function lastRegionBatch(m: EntityManager, region: number): Promise<RegionHeadRow | null> {
  return m
    .getRepository<RegionBatchRow>('RegionBatch')
    .createQueryBuilder('b')
    .select(REGION_HEAD_COLUMNS)
    .where('b.region = :region', { region })
    .orderBy('b.n', 'DESC')
    .limit(1)
    .getOne();
}

/** Reads what `region` holds (out of embargo, oldest ids first), builds and stores its batch, deletes what it published. */
async function publishIn(
  m: EntityManager,
  region: number,
  limits: RegionLimits,
  minRealKeys: number,
  build: (input: RegionPublishInput) => RegionPublishOutput,
): Promise<RegionHeadRow | null> {
  const keys = await m
    .getRepository(PendingRegionKey)
    .createQueryBuilder('k')
    .where('k.region = :region AND k.i < :d', { region, d: limits.firstOpenDay })
    .orderBy('k.id', 'ASC')
    .limit(limits.maxKeys)
    .getMany();
  if (keys.length < minRealKeys) return null;
  const warnings = await m
    .getRepository(PendingRegionWarning)
    .createQueryBuilder('w')
    .where('w.region = :region', { region })
    .orderBy('w.id', 'ASC')
    .limit(limits.maxWarnings)
    .getMany();
  const made = build({ region, keys, warnings, last: await lastRegionBatch(m, region) });
  await m.getRepository<RegionBatchRow>('RegionBatch').insert(made.batch);
  const keyIds = keys.map((k) => k.id);
  const warningIds = warnings.map((w) => w.id);
  for (let k = 0; k < keyIds.length; k += 500) await m.getRepository(PendingRegionKey).delete(keyIds.slice(k, k + 500));
  for (let k = 0; k < warningIds.length; k += 500) await m.getRepository(PendingRegionWarning).delete(warningIds.slice(k, k + 500));
  const counted = new Map<number, number>();
  for (const k of keys) if (k.counts) counted.set(k.i, (counted.get(k.i) ?? 0) + 1);
  await addDayStats(m, counted);
  const { body: _body, ...head } = made.batch;
  return head;
}

export function createRegionPublishingRepository(db: Database) {
  /** One column of `region`'s batch `n`, or null when it is not stored. */
  const columnOf = async <K extends 'hash' | 'body'>(region: number, n: number, column: K): Promise<RegionBatchRow[K] | null> =>
    (
      await db.read((m) =>
        m
          .getRepository<RegionBatchRow>('RegionBatch')
          .createQueryBuilder('b')
          .select(['b.region', 'b.n', `b.${column}`])
          .where('b.region = :region AND b.n = :n', { region, n })
          .getOne(),
      )
    )?.[column] ?? null;
  return {
    /** The regions holding at least `minKeys` real keys out of embargo. */
    async readyRegions(firstOpenDay: number, minKeys: number): Promise<number[]> {
      const rows = (await db.read((m) =>
        m
          .getRepository(PendingRegionKey)
          .createQueryBuilder('k')
          .select('k.region', 'region')
          .addSelect('COUNT(*)', 'held')
          .where('k.i < :d', { d: firstOpenDay })
          .groupBy('k.region')
          .having('COUNT(*) >= :min', { min: minKeys })
          .getRawMany(),
      )) as { region: number | string }[];
      return rows.map((r) => Number(r.region)).sort((a, b) => a - b);
    },
    /** One region's next batch, in one transaction, if it holds at least `minKeys` real keys; else null. */
    publishRegion(region: number, limits: RegionLimits, minKeys: number, build: (input: RegionPublishInput) => RegionPublishOutput) {
      return db.transaction((m) => publishIn(m, region, limits, minKeys, build));
    },
    /**
     * The release slot (§15): every chain of `regions` holding fewer than `minKeys` real keys (the
     * others publish unpadded in the same run) publishes what it holds — the builder pads it — and
     * the slot is recorded, all in one transaction: a slot is released once or not at all. A few
     * statements whatever the number of regions: the held rows are few (under `minKeys` a region).
     */
    releaseSlot(
      slot: number,
      regions: readonly number[],
      minKeys: number,
      limits: RegionLimits,
      build: (input: RegionPublishInput) => RegionPublishOutput,
    ): Promise<RegionHeadRow[] | null> {
      return db.transaction(async (m) => {
        const release = m.getRepository(RegionRelease);
        const done = await release.findOne({ where: { id: 1 } });
        if (done && done.slot >= slot) return null; // already released (an instance that lost the lock, a repeated run)
        const held = new Map<number, number>();
        for (const r of (await m
          .getRepository(PendingRegionKey)
          .createQueryBuilder('k')
          .select('k.region', 'region')
          .addSelect('COUNT(*)', 'held')
          .where('k.i < :d', { d: limits.firstOpenDay })
          .groupBy('k.region')
          .getRawMany()) as { region: string | number; held: string | number }[])
          held.set(Number(r.region), Number(r.held));
        const chains = regions.filter((r) => (held.get(r) ?? 0) < minKeys);
        const keys = new Map<number, PendingRegionKeyRow[]>();
        const warnings = new Map<number, PendingRegionWarningRow[]>();
        const busy = chains.filter((r) => held.has(r));
        for (let k = 0; k < busy.length; k += 500) {
          const part = busy.slice(k, k + 500);
          const rows = await m
            .getRepository(PendingRegionKey)
            .createQueryBuilder('k')
            .where('k.region IN (:...part) AND k.i < :d', { part, d: limits.firstOpenDay })
            .getMany();
          for (const row of rows) keys.set(row.region, [...(keys.get(row.region) ?? []), row]);
        }
        for (let k = 0; k < chains.length; k += 500) {
          const part = chains.slice(k, k + 500);
          const rows = await m
            .getRepository(PendingRegionWarning)
            .createQueryBuilder('w')
            .where('w.region IN (:...part)', { part })
            .getMany();
          for (const row of rows) warnings.set(row.region, [...(warnings.get(row.region) ?? []), row]);
        }
        const lasts = new Map<number, RegionHeadRow>();
        for (const r of (await m
          .getRepository<RegionBatchRow>('RegionBatch')
          .createQueryBuilder('b')
          .select(REGION_HEAD_COLUMNS)
          .innerJoin('(SELECT region, MAX(n) AS top FROM region_batch GROUP BY region)', 't', 't.region = b.region AND t.top = b.n')
          .getMany()) as RegionHeadRow[])
          lasts.set(r.region, r);
        const made: RegionBatchRow[] = [];
        for (const region of chains) {
          const w = (warnings.get(region) ?? []).sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, limits.maxWarnings);
          warnings.set(region, w);
          made.push(build({ region, keys: keys.get(region) ?? [], warnings: w, last: lasts.get(region) ?? null }).batch);
        }
        for (let k = 0; k < made.length; k += 50) await m.getRepository<RegionBatchRow>('RegionBatch').insert(made.slice(k, k + 50));
        const keyIds = [...keys.values()].flat().map((r) => r.id);
        const warningIds = [...warnings.values()].flat().map((r) => r.id);
        for (let k = 0; k < keyIds.length; k += 500) await m.getRepository(PendingRegionKey).delete(keyIds.slice(k, k + 500));
        for (let k = 0; k < warningIds.length; k += 500) await m.getRepository(PendingRegionWarning).delete(warningIds.slice(k, k + 500));
        const counted = new Map<number, number>();
        for (const row of [...keys.values()].flat()) if (row.counts) counted.set(row.i, (counted.get(row.i) ?? 0) + 1);
        await addDayStats(m, counted);
        if (done) await release.update({ id: 1 }, { slot });
        else await release.insert({ id: 1, slot });
        return made.map(({ body: _body, ...head }) => head);
      });
    },
    /** The last release slot run, or null before the first. */
    async releasedSlot(): Promise<number | null> {
      return (await db.read((m) => m.getRepository(RegionRelease).findOne({ where: { id: 1 } })))?.slot ?? null;
    },
    /**
     * A new root, in one transaction: reads every chain's newest head (the national one from `batch`),
     * asks `make` for the signed row and stores it in place of the last. Returns it, or null when no
     * chain has a batch yet.
     */
    replaceRoot(make: (heads: ChainHead[], previous: RootHeadRow | null) => RootHeadRow): Promise<RootHeadRow | null> {
      return db.transaction(async (m) => {
        const national = await lastBatch(m);
        const heads: ChainHead[] = [
          ...(national ? [{ region: 0, n: national.n, hash: national.hash }] : []),
          ...(await newestRegionHeads(m)),
        ].sort((a, b) => a.region - b.region);
        if (heads.length === 0) return null;
        const repo = m.getRepository<RootHeadRow>('RootHead');
        const previous = await repo.findOne({ where: { id: 1 } });
        const row = make(heads, previous);
        if (previous) await repo.update({ id: 1 }, row);
        else await repo.insert(row);
        return row;
      });
    },
    /** The stored root's moment of signing, or null. */
    async rootSignedAt(): Promise<number | null> {
      const r = await db.read((m) =>
        m.getRepository<RootHeadRow>('RootHead').findOne({ where: { id: 1 }, select: { id: true, signedAt: true } }),
      );
      return r ? r.signedAt : null;
    },
    /** Every regional chain's newest head (for the record of heads published, head-record.ts). */
    newestHeads: (): Promise<ChainHead[]> => db.read((m) => newestRegionHeads(m)),
    /** The hash of `region`'s batch `n`, or null when it is not stored. */
    hashOf: (region: number, n: number): Promise<string | null> => columnOf(region, n, 'hash'),
    /** The regions that hold at least one batch, in order (for `admin export-batches`). */
    async chains(): Promise<number[]> {
      const rows = (await db.read((m) =>
        m.getRepository<RegionBatchRow>('RegionBatch').createQueryBuilder('b').select('DISTINCT b.region', 'region').getRawMany(),
      )) as { region: number | string }[];
      return rows.map((r) => Number(r.region)).sort((a, b) => a - b);
    },
    /** Every stored head of `region`'s chain, oldest first. */
    heads: (region: number): Promise<RegionHeadRow[]> =>
      db.read((m) =>
        m
          .getRepository<RegionBatchRow>('RegionBatch')
          .createQueryBuilder('b')
          .select(REGION_HEAD_COLUMNS)
          .where('b.region = :region', { region })
          .orderBy('b.n', 'ASC')
          .getMany(),
      ),
    bodyOf: (region: number, n: number): Promise<Buffer | null> => columnOf(region, n, 'body'),
    /**
     * Stores regional batches the caller verified, as a part of the national chain's restore
     * transaction (all or nothing); a batch already there must be the same one (same hash), else
     * nothing is stored. `counts` is filled in when the part has run.
     */
    restorePart(rows: RegionBatchRow[], counts: { added: number; present: number }): TxPart {
      return async (m) => {
        const repo = m.getRepository<RegionBatchRow>('RegionBatch');
        let added = 0;
        let present = 0;
        for (const row of rows) {
          const have = await repo
            .createQueryBuilder('b')
            .select(['b.region', 'b.n', 'b.hash'])
            .where('b.region = :region AND b.n = :n', { region: row.region, n: row.n })
            .getOne();
          if (have && have.hash !== row.hash)
            throw new Error(`region ${row.region} batch ${row.n} in the database differs from the one being imported`);
          if (have) present++;
          else {
            await repo.insert(row);
            added++;
          }
        }
        Object.assign(counts, { added, present });
      };
    },
    /**
     * Deletes the regions' batches created before `createdBefore`, but never a chain's newest (see
     * the national repository's prune: a chain without its head would start again at 1).
     */
    prune(createdBefore: number): Promise<number> {
      return db.transaction(async (m) => {
        // the chains with anything to delete, and each one's newest batch (a few rows: every region
        // publishes at every release slot, so its old batches are never its newest while publishing runs)
        const tops = (await m
          .getRepository<RegionBatchRow>('RegionBatch')
          .createQueryBuilder('b')
          .select('b.region', 'region')
          .addSelect('MAX(b.n)', 'top')
          .where('b.region IN (SELECT o.region FROM region_batch o WHERE o.createdAt < :t)', { t: createdBefore })
          .groupBy('b.region')
          .getRawMany()) as { region: number | string; top: number | string }[];
        let deleted = 0;
        for (const { region, top } of tops)
          deleted +=
            (
              await m
                .createQueryBuilder()
                .delete()
                .from('RegionBatch')
                .where('region = :region AND createdAt < :t AND n < :top', { region: Number(region), t: createdBefore, top: Number(top) })
                .execute()
            ).affected ?? 0;
        return deleted;
      });
    },
  };
}

export type RegionPublishingRepository = ReturnType<typeof createRegionPublishingRepository>;
