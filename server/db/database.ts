/**
 * The database as the domains' repositories see it: one DataSource, migrations applied, and the one
 * way to run a transaction. On SQLite (one connection) transactions run one at a time, so
 * interleaved BEGINs cannot collide; on MySQL they use the pool with InnoDB row locks.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource, dbKindOf, type DbKind } from './datasource';

export type { EntityManager };

export class Database {
  readonly kind: DbKind;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly ds: DataSource,
    url: string,
  ) {
    this.kind = dbKindOf(url);
  }

  /** Outside any transaction. */
  get manager(): EntityManager {
    return this.ds.manager;
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind !== 'sqlite') return this.ds.transaction(fn);
    const run = this.queue.then(() => this.ds.transaction(fn));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** Opens the database of a DATABASE_URL and applies pending migrations. */
export async function openDatabase(url: string): Promise<Database> {
  const ds = createDataSource(url);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'all' });
  return new Database(ds, url);
}
