/**
 * Repositories: every query the services make, over one DataSource. Transactions go through
 * `tx()`, which on SQLite runs them one at a time (one connection, so interleaved BEGINs would
 * collide) and on MySQL uses the pool with InnoDB row locks.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { AuthorityToken, type AuthorityTokenRow, type BatchRow, DayStat, type DayStatRow, PendingKey, type PendingKeyRow, PendingWarning, type PendingWarningRow, UploadCode, type UploadCodeRow } from './schema';
import { dbKindOf, type DbKind } from './datasource';

export type CodeCheck = 'ok' | 'unknown' | 'expired' | 'used';
export type BatchHeadRow = Omit<BatchRow, 'body'>;

export class Store {
  readonly kind: DbKind;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly ds: DataSource, url: string) {
    this.kind = dbKindOf(url);
  }

  tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind !== 'sqlite') return this.ds.transaction(fn);
    const run = this.queue.then(() => this.ds.transaction(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }

  // ---- authority tokens
  async insertToken(row: AuthorityTokenRow): Promise<void> {
    await this.ds.getRepository(AuthorityToken).insert(row);
  }
  findTokenByHash(tokenHash: string): Promise<AuthorityTokenRow | null> {
    return this.ds.getRepository(AuthorityToken).findOneBy({ tokenHash });
  }
  findTokenByName(name: string): Promise<AuthorityTokenRow | null> {
    return this.ds.getRepository(AuthorityToken).findOneBy({ name });
  }
  listTokens(): Promise<AuthorityTokenRow[]> {
    return this.ds.getRepository(AuthorityToken).find({ order: { name: 'ASC' } });
  }
  async revokeToken(name: string, now: number): Promise<boolean> {
    const r = await this.ds.getRepository(AuthorityToken).createQueryBuilder().update()
      .set({ revokedAt: now }).where('name = :name AND revokedAt IS NULL', { name }).execute();
    return (r.affected ?? 0) === 1;
  }

  // ---- upload codes
  async insertCode(row: UploadCodeRow): Promise<void> {
    await this.ds.getRepository(UploadCode).insert(row);
  }
  findCode(codeHash: string, em?: EntityManager): Promise<UploadCodeRow | null> {
    return (em ?? this.ds.manager).getRepository(UploadCode).findOneBy({ codeHash });
  }
  /** Marks the code used if it exists, is unused and unexpired; says why not otherwise. Atomic. */
  async consumeCode(em: EntityManager, codeHash: string, now: number): Promise<CodeCheck> {
    const r = await em.getRepository(UploadCode).createQueryBuilder().update()
      .set({ usedAt: now })
      .where('codeHash = :codeHash AND usedAt IS NULL AND expiresAt > :now', { codeHash, now })
      .execute();
    if ((r.affected ?? 0) === 1) return 'ok';
    const row = await this.findCode(codeHash, em);
    if (!row) return 'unknown';
    return row.usedAt !== null ? 'used' : 'expired';
  }

  // ---- pending keys and warnings
  async insertPending(em: EntityManager, keys: PendingKeyRow[], warnings: PendingWarningRow[]): Promise<void> {
    if (keys.length) await em.getRepository(PendingKey).insert(keys);
    for (let k = 0; k < warnings.length; k += 200) await em.getRepository(PendingWarning).insert(warnings.slice(k, k + 200));
  }
  /** Keys whose day has ended by `firstOpenDay` (embargo) — oldest first, at most `limit`. */
  pendingKeys(em: EntityManager, firstOpenDay: number, limit: number): Promise<PendingKeyRow[]> {
    return em.getRepository(PendingKey).createQueryBuilder('k')
      .where('k.i < :d', { d: firstOpenDay }).orderBy('k.id', 'ASC').limit(limit).getMany();
  }
  pendingWarnings(em: EntityManager, limit: number): Promise<PendingWarningRow[]> {
    return em.getRepository(PendingWarning).createQueryBuilder('w').orderBy('w.id', 'ASC').limit(limit).getMany();
  }
  async deletePending(em: EntityManager, keyIds: number[], warningIds: number[]): Promise<void> {
    for (let k = 0; k < keyIds.length; k += 500) await em.getRepository(PendingKey).delete(keyIds.slice(k, k + 500));
    for (let k = 0; k < warningIds.length; k += 500) await em.getRepository(PendingWarning).delete(warningIds.slice(k, k + 500));
  }
  async countPending(): Promise<{ keys: number; warnings: number }> {
    return {
      keys: await this.ds.getRepository(PendingKey).count(),
      warnings: await this.ds.getRepository(PendingWarning).count(),
    };
  }

  // ---- batches
  private batchRepo(em?: EntityManager) {
    return (em ?? this.ds.manager).getRepository<BatchRow>('Batch');
  }
  lastBatch(em?: EntityManager): Promise<BatchHeadRow | null> {
    return this.batchRepo(em).createQueryBuilder('b')
      .select(['b.n', 'b.hash', 'b.prevHash', 'b.createdAt', 'b.signedAt', 'b.signature', 'b.keyCount', 'b.warningCount'])
      .orderBy('b.n', 'DESC').limit(1).getOne();
  }
  async insertBatch(em: EntityManager, row: BatchRow): Promise<void> {
    await this.batchRepo(em).insert(row);
  }
  listBatches(after: number, limit: number): Promise<BatchHeadRow[]> {
    return this.batchRepo().createQueryBuilder('b')
      .select(['b.n', 'b.hash', 'b.prevHash', 'b.createdAt', 'b.signedAt', 'b.signature', 'b.keyCount', 'b.warningCount'])
      .where('b.n > :after', { after }).orderBy('b.n', 'ASC').limit(limit).getMany();
  }
  async batchBody(n: number): Promise<{ hash: string; body: Buffer } | null> {
    const row = await this.batchRepo().createQueryBuilder('b').select(['b.n', 'b.hash', 'b.body']).where('b.n = :n', { n }).getOne();
    return row ? { hash: row.hash, body: Buffer.from(row.body) } : null;
  }

  // ---- statistics
  async addDayStats(em: EntityManager, counts: Map<number, number>): Promise<void> {
    const repo = em.getRepository(DayStat);
    for (const [i, n] of counts) {
      const r = await repo.createQueryBuilder().update().set({ keyCount: () => `keyCount + ${Number(n)}` }).where('i = :i', { i }).execute();
      if ((r.affected ?? 0) === 0) await repo.insert({ i, keyCount: n });
    }
  }
  listDayStats(fromDay: number): Promise<DayStatRow[]> {
    return this.ds.getRepository(DayStat).createQueryBuilder('s').where('s.i >= :d', { d: fromDay }).orderBy('s.i', 'ASC').getMany();
  }

  // ---- retention
  async deleteExpired(now: number, oldestDay: number, oldestBatchCreatedAt: number): Promise<Record<string, number>> {
    return this.tx(async (em) => {
      const del = async (entity: string, where: string, params: Record<string, number>) =>
        (await em.createQueryBuilder().delete().from(entity).where(where, params).execute()).affected ?? 0;
      return {
        codes: await del('UploadCode', 'expiresAt < :now', { now }),
        pendingKeys: await del('PendingKey', 'i < :d', { d: oldestDay }),
        pendingWarnings: await del('PendingWarning', 'endEnin <= :d', { d: oldestDay }),
        batches: await del('Batch', 'createdAt < :t', { t: oldestBatchCreatedAt }),
        dayStats: await del('DayStat', 'i < :d', { d: oldestDay }),
      };
    });
  }
}
