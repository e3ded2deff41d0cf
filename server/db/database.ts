/**
 * The database as the domains' repositories see it: one DataSource with migrations applied, and
 * the only two ways to use it — `read` and `transaction`. Nothing is acknowledged that is not on disk:
 *
 * SQLite (embedded) runs with a rollback journal and `synchronous = FULL`: a commit is on disk when
 * it returns, and there is no memory-mapped `-shm` file whose failure kills the process with SIGBUS
 * (WAL needs one). It has one connection, so every read and transaction runs one at a time (a read
 * between a transaction's statements would see its uncommitted writes). Transactions are this
 * module's own (`BEGIN IMMEDIATE` … `COMMIT` on the driver's connection): after any failure the
 * connection is checked to be out of the transaction, and reopened if it is not — a connection left
 * inside an uncommitted transaction would answer from memory and write nothing. The file is checked
 * before every transaction to be the one opened: a file deleted or replaced under the server is a
 * fault it cannot recover from (`onFatal`).
 *
 * MySQL/MariaDB: every call has a deadline (`timeoutMs`); a transaction whose work ends after its
 * deadline is rolled back instead of committed, so a client that was told 503 never finds its
 * request done after all.
 */
import { statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource, dbKindOf, type DbKind } from './datasource';
import { withDeadline } from './deadline';
import { DatabaseTimeout, StorageFault } from './errors';
import { Replica } from './replica';

export type { EntityManager };

/**
 * Writes that ride along in a transaction another repository runs: built by the repository that
 * owns their table, run by the one that owns the transaction, committed or rolled back with it —
 * the portal's audit row with the authority's upload code, say. A service hands one on unopened;
 * it never sees the EntityManager inside.
 */
export type TxPart = (m: EntityManager) => Promise<void>;

/** The better-sqlite3 connection TypeORM holds (the parts used here). */
interface SqliteConnection {
  exec(sql: string): void;
  readonly inTransaction: boolean;
}

export interface DatabaseOptions {
  /** Deadline of a call on MySQL (ms). */
  timeoutMs?: number;
  /** Told once when the database can no longer be used (its file vanished): the process should exit. */
  onFatal?: (reason: string) => void;
  /** MySQL: a replica of this database for the reads that may lag it (`readReplica`). */
  replicaUrl?: string | null;
  /**
   * SQLite: readiness needs at least this much free space on the disk of the database file
   * (bytes; default 16 MiB). A nearly full disk still takes the readiness probe's one-page update
   * (a few KB, freed by another transaction's journal a moment before) while every upload fails.
   */
  minFreeBytes?: number;
}

export class Database {
  readonly kind: DbKind;
  readonly timeoutMs: number;
  /** Why the database can no longer be used, once it cannot. */
  fatal: string | null = null;
  private onFatal: (reason: string) => void;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly file: string | null;
  private fileId: { dev: number; ino: number } | null = null;
  private readonly replica: Replica | null;
  private readonly minFreeBytes: number;

  constructor(
    readonly ds: DataSource,
    url: string,
    opts: DatabaseOptions = {},
  ) {
    this.kind = dbKindOf(url);
    this.timeoutMs = opts.timeoutMs ?? 4000;
    this.onFatal = opts.onFatal ?? (() => undefined);
    this.minFreeBytes = opts.minFreeBytes ?? 16 * 1024 * 1024;
    if (opts.replicaUrl && this.kind !== 'mysql') throw new Error('a replica (DATABASE_REPLICA_URL) needs a MySQL/MariaDB DATABASE_URL');
    // a frozen replica costs a read at most 1.5 s before the primary answers it
    this.replica = opts.replicaUrl ? new Replica(opts.replicaUrl, Math.min(this.timeoutMs, 1500)) : null;
    const file = this.kind === 'sqlite' ? url.slice('sqlite:'.length) : null;
    this.file = file && file !== ':memory:' ? file : null;
    if (this.file) {
      const st = statSync(this.file);
      this.fileId = { dev: st.dev, ino: st.ino };
    }
  }

  private raw(): SqliteConnection {
    return (this.ds.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  }

  /** SQLite: one at a time, in order. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Throws StorageFault when the database file is not the one opened (deleted, replaced). */
  checkFile(): void {
    if (this.fatal) throw new StorageFault(this.fatal);
    if (!this.file || !this.fileId) return;
    let same: boolean;
    try {
      const st = statSync(this.file);
      same = st.dev === this.fileId.dev && st.ino === this.fileId.ino;
    } catch {
      same = false; // gone
    }
    if (!same) {
      this.fatal = `the database file ${this.file} was deleted or replaced while the server ran; what was written since is lost with it`;
      this.onFatal(this.fatal);
      throw new StorageFault(this.fatal);
    }
  }

  /** Reads (and single statements) outside a transaction. */
  read<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'sqlite') {
      return this.serial(async () => {
        this.checkFile();
        return fn(this.ds.manager);
      });
    }
    return withDeadline(fn(this.ds.manager), this.timeoutMs, 'a database read');
  }

  /**
   * A read that may lag the primary by the replication delay: on the replica when there is one and
   * it answers, else on the primary (`read`). For what phones download, never for a read that must
   * see a write (replica.ts).
   */
  async readReplica<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    const r = this.replica ? await this.replica.tryRead(fn) : null;
    return r ? r.value : this.read(fn);
  }

  /** Whether reads that may lag go to a replica. */
  get hasReplica(): boolean {
    return this.replica !== null;
  }

  /** Runs `fn` in one transaction: all of it is committed, or none of it. */
  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'sqlite') return this.serial(() => this.sqliteTransaction(fn));
    const deadline = Date.now() + this.timeoutMs;
    const work = this.ds.transaction(async (m) => {
      const result = await fn(m);
      // too late: the caller has been told the database did not answer; do not commit behind its back
      if (Date.now() > deadline) throw new DatabaseTimeout('the transaction finished after its deadline and was rolled back');
      return result;
    });
    return withDeadline(work, this.timeoutMs, 'a database transaction');
  }

  private async sqliteTransaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    this.checkFile();
    const raw = this.raw();
    raw.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn(this.ds.manager);
      raw.exec('COMMIT');
      return result;
    } catch (e) {
      await this.abort();
      throw e;
    }
  }

  /** After a failure inside a transaction: out of it for sure, or a fresh connection. */
  private async abort(): Promise<void> {
    const raw = this.raw();
    if (raw.inTransaction) {
      try {
        raw.exec('ROLLBACK');
      } catch {
        // fall through: still inside, reopen below
      }
    }
    if (this.raw().inTransaction) {
      await this.ds.destroy().catch(() => undefined);
      await this.ds.initialize();
    }
  }

  /**
   * Readiness: the database answers and can still write (a full, read-only or vanished disk cannot),
   * and — SQLite — its disk has room for more than the probe: at least `minFreeBytes` free.
   */
  async ready(): Promise<void> {
    const probe = this.transaction((m) => m.query('UPDATE health SET probes = probes + 1 WHERE id = 1')).then(() => undefined);
    await withDeadline(probe, 1500, 'the readiness probe');
    if (this.file) {
      const fs = statfsSync(dirname(this.file));
      const free = fs.bavail * fs.bsize;
      if (free < this.minFreeBytes)
        throw new StorageFault(
          `only ${Math.floor(free / 1024)} KiB free on the disk of ${this.file}; ready again from ${Math.ceil(this.minFreeBytes / 1024)} KiB (READY_MIN_FREE_MB)`,
        );
    }
  }

  /**
   * Runs `fn` while holding the named lock across every instance on this database, or returns
   * `null` at once when another instance holds it. MySQL: `GET_LOCK` on a connection of its own,
   * released when `fn` ends — or by the server when the connection drops (a killed instance never
   * keeps it). MySQL's named locks belong to the whole server, not to a database, so the name
   * carries the database's (two deployments on one MariaDB never wait for each other). SQLite has
   * one process writing: `fn` just runs.
   */
  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
    if (this.kind === 'sqlite') return fn();
    const runner = this.ds.createQueryRunner();
    try {
      await withDeadline(runner.connect(), this.timeoutMs, 'a database connection');
      const rows = (await withDeadline(
        runner.query("SELECT GET_LOCK(CONCAT(?, ':', DATABASE()), 0) AS got", [name]),
        this.timeoutMs,
        'a lock',
      )) as {
        got: number | string | null;
      }[];
      if (Number(rows[0]?.got) !== 1) return null;
      try {
        return await fn();
      } finally {
        await runner.query("SELECT RELEASE_LOCK(CONCAT(?, ':', DATABASE()))", [name]).catch(() => undefined);
      }
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  async ping(): Promise<void> {
    await this.read((m) => m.query('SELECT 1'));
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.replica?.close().catch(() => undefined);
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** Opens the database of a DATABASE_URL and applies pending migrations. SQLite files are made private (0600). */
export async function openDatabase(url: string, opts: DatabaseOptions = {}): Promise<Database> {
  const ds = createDataSource(url);
  try {
    await ds.initialize();
    if (dbKindOf(url) === 'mysql') await migrateLocked(ds);
    else await ds.runMigrations({ transaction: 'all' });
  } catch (e) {
    // a failed start leaves no pool behind (its sockets would keep the process alive)
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    else await (ds.driver as unknown as { disconnect?: () => Promise<void> })?.disconnect?.().catch(() => undefined);
    throw e;
  }
  return new Database(ds, url, opts);
}

/**
 * Migrations on MySQL under `GET_LOCK('prtc-migrations:<database>')`: instances (or cloud functions) that start
 * together on an empty database wait for the first to finish instead of all creating the same
 * tables (MySQL's DDL commits on its own, so a transaction cannot serialise them).
 */
async function migrateLocked(ds: DataSource): Promise<void> {
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    const rows = (await runner.query("SELECT GET_LOCK(CONCAT('prtc-migrations:', DATABASE()), 60) AS got")) as {
      got: number | string | null;
    }[];
    if (Number(rows[0]?.got) !== 1) throw new Error('another instance held the migration lock for 60 s');
    try {
      await ds.runMigrations({ transaction: 'all' });
    } finally {
      await runner.query("SELECT RELEASE_LOCK(CONCAT('prtc-migrations:', DATABASE()))").catch(() => undefined);
    }
  } finally {
    await runner.release().catch(() => undefined);
  }
}
