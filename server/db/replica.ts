/**
 * A read replica (`DATABASE_REPLICA_URL`): MySQL/MariaDB replicating the primary, for the reads
 * that may lag it — what phones download (batch list pages, bodies, statistics). Everything else
 * stays on the primary: writes, transactions and their locks, the publisher's lock, and every read
 * that must see a write just made (a code, a session, the head a list is built for).
 *
 * Two data sources rather than TypeORM's `replication` option: that option sends every read
 * outside a transaction to a replica, the portal's session checks and the authority's code look-ups
 * included; here a repository method says that it may read a replica, and nothing else does.
 *
 * The replica is never needed: when it cannot answer (down, frozen, not yet reachable at start), the
 * read goes to the primary, and the replica is left alone for `RETRY_MS` before it is tried again.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from './datasource';
import { databaseErrorCode } from './errors';
import { withDeadline } from './deadline';

/** How long a replica that failed is left alone. */
const RETRY_MS = 5000;

export class Replica {
  private ds: DataSource | null = null;
  private opening: Promise<DataSource> | null = null;
  private downUntil = 0;

  constructor(
    readonly url: string,
    /** Deadline of one read on the replica; past it the primary is asked (ms). */
    private readonly timeoutMs: number,
  ) {}

  private open(): Promise<DataSource> {
    if (this.ds) return Promise.resolve(this.ds);
    this.opening ??= (async () => {
      const ds = createDataSource(this.url, { poolSize: 10 });
      try {
        await ds.initialize();
      } catch (e) {
        // a failed start leaves no pool behind (its sockets would keep the process alive)
        await (ds.driver as unknown as { disconnect?: () => Promise<void> })?.disconnect?.().catch(() => undefined);
        throw e;
      }
      this.ds = ds;
      return ds;
    })().finally(() => (this.opening = null));
    return this.opening;
  }

  /**
   * `fn` on the replica: `{ value }`, or null when the replica cannot answer now (the caller reads
   * the primary). Errors that are not about reaching the database are thrown as they are.
   */
  async tryRead<T>(fn: (m: EntityManager) => Promise<T>): Promise<{ value: T } | null> {
    if (Date.now() < this.downUntil) return null;
    try {
      const value = await withDeadline(
        this.open().then((ds) => fn(ds.manager)),
        this.timeoutMs,
        'a read on the replica',
      );
      return { value };
    } catch (e) {
      if (databaseErrorCode(e) !== 'database_unavailable') throw e;
      this.downUntil = Date.now() + RETRY_MS;
      return null;
    }
  }

  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    if (this.ds?.isInitialized) await this.ds.destroy();
  }
}
