/**
 * MariaDB as the cluster runs it: a primary and a replica, GTID replication, semi-synchronous so
 * that no upload is acknowledged before the replica has it (README, "A cluster"; docs/protocol.md §10).
 *
 * - `startMariadb` runs Debian's `mariadbd` with a data folder and port of its own (never the shared
 *   server on 3306), with what replication needs at start (server id, binary log, GTID strict mode).
 * - `replicate` makes one server the replica of another, idempotently (`npm run cluster` runs it at
 *   every start): semi-synchronous on both sides, the replica read-only, started from its GTID position.
 * - `promote` turns the replica into the primary after the primary died: the documented command,
 *   `npm run cluster -- promote <replica-url>`.
 *
 * The semi-synchronous settings and why (MariaDB's page "Semisynchronous Replication",
 * https://mariadb.com/kb/en/semisynchronous-replication/):
 * - `rpl_semi_sync_master_wait_point = AFTER_SYNC`: the primary writes and syncs its binary log, waits
 *   for the replica to acknowledge that it received the transaction, and only then commits it in the
 *   storage engine and answers. No other session sees it before the replica has it, and a primary
 *   that dies loses nothing it answered. (MariaDB's default is AFTER_COMMIT, where other sessions see
 *   a commit the replica may never get: not used.)
 * - `rpl_semi_sync_master_timeout`: by default, after 10 s without an acknowledgement the primary
 *   falls back to asynchronous replication and answers anyway — an upload would be acknowledged that
 *   only one machine holds. Here the wait is practically unbounded (`SEMI_SYNC_TIMEOUT_MS`, about
 *   a year): with the replica gone the primary refuses, in effect, rather than acknowledging one copy.
 *   The key server's own deadline (`DB_TIMEOUT_MS`) answers the client `503 database_unavailable`; the
 *   phone retries with the same uploadId, and once a replica acknowledges, the waiting commit lands
 *   and the retry is answered 201. An operator who prefers one copy to no uploads says so explicitly:
 *   `SET GLOBAL rpl_semi_sync_master_enabled = OFF` on the primary (or promotes, below).
 * - `rpl_semi_sync_master_wait_no_slave = ON` (the default): the wait also holds when no replica is
 *   connected at all.
 * - the replica: `rpl_semi_sync_slave_enabled = ON`, `sync_relay_log = 1` (what it acknowledges is on
 *   its disk, not only in its memory), `read_only = ON`, `log_slave_updates` (once promoted, its own
 *   binary log holds everything, for the next replica).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

/** About a year: the primary waits for the replica's acknowledgement rather than answer on one copy. */
export const SEMI_SYNC_TIMEOUT_MS = 365 * 24 * 3600 * 1000;

export interface Mariadb {
  url: string;
  port: number;
  proc: ChildProcess;
  log(): string;
  /** A clean shutdown (SIGTERM). */
  stop(): Promise<void>;
  /** SIGKILL: the machine gone, mid-write. */
  kill(): Promise<void>;
}

/**
 * Starts `mariadbd` on 127.0.0.1:`port` with its data in `dir` (created on first start), as server
 * `serverId` with a binary log, as a primary or as a replica (`replicate` attaches it). `url` names
 * `database`, which the caller creates on the primary (`createDatabase`). No grant tables
 * (root, no password, loopback only): a local demo and test set-up, not a production one.
 */
export async function startMariadb(opts: {
  dir: string;
  port: number;
  serverId: number;
  /** What it starts as (a restart keeps the semi-synchronous side it plays; `promote` changes it live). */
  role: 'primary' | 'replica';
  database: string;
}): Promise<Mariadb> {
  if (!existsSync(MARIADBD)) throw new Error(`${MARIADBD} is missing: install Debian's MariaDB (apt-get install mariadb-server)`);
  const dir = resolve(opts.dir);
  const data = join(dir, 'data');
  if (!existsSync(data)) {
    mkdirSync(dir, { recursive: true });
    const r = spawnSync(INSTALL_DB, ['--no-defaults', `--datadir=${data}`, '--user=root', '--skip-test-db'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mariadb-install-db failed: ${r.stderr}`);
  }
  const proc = spawn(MARIADBD, [
    '--no-defaults',
    `--datadir=${data}`,
    `--port=${opts.port}`,
    `--socket=${join(dir, 'sock')}`,
    `--pid-file=${join(dir, 'pid')}`,
    '--bind-address=127.0.0.1',
    '--user=root',
    '--skip-grant-tables',
    '--innodb-buffer-pool-size=32M',
    `--server-id=${opts.serverId}`,
    `--log-bin=${join(data, 'binlog')}`,
    `--relay-log=${join(data, 'relay')}`,
    '--binlog-format=ROW',
    '--log-slave-updates=ON',
    '--gtid-strict-mode=ON',
    '--sync-binlog=1',
    '--innodb-flush-log-at-trx-commit=1',
    '--sync-relay-log=1',
    `--rpl-semi-sync-master-timeout=${SEMI_SYNC_TIMEOUT_MS}`,
    '--rpl-semi-sync-master-wait-point=AFTER_SYNC',
    '--rpl-semi-sync-master-wait-no-slave=ON',
    ...(opts.role === 'primary'
      ? ['--rpl-semi-sync-master-enabled=ON', '--read-only=OFF']
      : // a replica restarted must acknowledge again at once, or the primary's waiting commits wait on
        ['--rpl-semi-sync-slave-enabled=ON', '--read-only=ON']),
  ]);
  let log = '';
  proc.stderr!.on('data', (d) => (log += d));
  proc.stdout!.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = `mysql://root@127.0.0.1:${opts.port}/${opts.database}`;
  const end = Date.now() + 30000;
  for (;;) {
    try {
      // nothing written here: a replica's own first transaction would clash with the primary's
      // GTIDs (strict mode); the database is made on the primary and replicated
      const [here] = await sql<Row[]>(serverOf(url), 'SELECT @@datadir AS datadir');
      // another server on that port (this one then exits: the port is taken) is not this one
      if (resolve(String(here.datadir)) !== data) throw new Error(`port ${opts.port} is taken by another MariaDB (${here.datadir})`);
      break;
    } catch (e) {
      if (Date.now() > end || proc.exitCode !== null || proc.signalCode || /is taken by/.test((e as Error).message)) {
        proc.kill('SIGKILL');
        throw new Error(`MariaDB on port ${opts.port} did not start: ${(e as Error).message}\n${log.slice(-2000)}`, { cause: e });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const gone = () => proc.exitCode !== null || proc.signalCode !== null;
  return {
    url,
    port: opts.port,
    proc,
    log: () => log,
    async stop() {
      if (gone()) return;
      proc.kill('SIGCONT');
      proc.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (gone()) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs statements on a connection of their own (`url`'s database, or none when its path is `/`). */
export async function sql<T = unknown>(url: string, statement: string, values: unknown[] = []): Promise<T> {
  const mysql = await import('mysql2/promise');
  const u = new URL(url);
  const c = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1) || undefined,
    connectTimeout: 3000,
  });
  try {
    const [rows] = await c.query(statement, values);
    return rows as T;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Creates `url`'s database if it does not exist (on a primary: the replica gets it by replication). */
export async function createDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^\w+$/.test(name)) throw new Error(`"${name}" is not a database name this tool makes`);
  await sql(serverOf(url), `CREATE DATABASE IF NOT EXISTS \`${name}\``);
}

type Row = Record<string, string | number | null>;

/** `url` without its database. */
function serverOf(url: string): string {
  const u = new URL(url);
  u.pathname = '/';
  return u.toString();
}

/** `SHOW SLAVE STATUS` of `url`'s server, or null when it replicates from nothing. */
export async function replicaStatus(url: string): Promise<Row | null> {
  return (await sql<Row[]>(url, 'SHOW SLAVE STATUS'))[0] ?? null;
}

/**
 * Makes `replicaUrl`'s server replicate `primaryUrl`'s, semi-synchronously, from its GTID position
 * (`MASTER_USE_GTID = slave_pos`). Idempotent: a replica already replicating that primary is only
 * checked. The replica connects with `primaryUrl`'s user and password, as the primary's host and
 * port are seen from it (`sourceHost`, default the URL's). Resolves once the replica's threads run.
 */
export async function replicate(primaryDbUrl: string, replicaDbUrl: string, opts: { sourceHost?: string } = {}): Promise<void> {
  // the servers, not their database (which may not exist yet: it comes by replication)
  const primaryUrl = serverOf(primaryDbUrl);
  const replicaUrl = serverOf(replicaDbUrl);
  const p = new URL(primaryUrl);
  const host = opts.sourceHost ?? p.hostname;
  const port = Number(p.port || 3306);
  const [primaryVars] = await sql<Row[]>(primaryUrl, 'SELECT @@server_id AS id, @@log_bin AS logBin');
  const [replicaVars] = await sql<Row[]>(replicaUrl, 'SELECT @@server_id AS id');
  if (Number(primaryVars.logBin) !== 1) throw new Error('the primary has no binary log: start it with --log-bin');
  if (Number(primaryVars.id) === Number(replicaVars.id)) throw new Error('the primary and the replica have the same server_id');
  await sql(primaryUrl, 'SET GLOBAL rpl_semi_sync_master_enabled = ON');
  await sql(primaryUrl, 'SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC');
  await sql(primaryUrl, `SET GLOBAL rpl_semi_sync_master_timeout = ${SEMI_SYNC_TIMEOUT_MS}`);
  await sql(replicaUrl, 'SET GLOBAL read_only = ON');
  await sql(replicaUrl, 'SET GLOBAL rpl_semi_sync_slave_enabled = ON');
  const now = await replicaStatus(replicaUrl);
  const same = now && now.Master_Host === host && Number(now.Master_Port) === port;
  if (!same) {
    if (now) await sql(replicaUrl, 'STOP SLAVE');
    await sql(
      replicaUrl,
      'CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1',
      [host, port, decodeURIComponent(p.username), decodeURIComponent(p.password)],
    );
  }
  // (re)started so that the semi-synchronous setting, read when the I/O thread connects, applies
  if (!same || now?.Slave_IO_Running !== 'Yes' || now?.Slave_SQL_Running !== 'Yes') {
    await sql(replicaUrl, 'STOP SLAVE');
    await sql(replicaUrl, 'START SLAVE');
  }
  const end = Date.now() + 15000;
  for (;;) {
    const s = await replicaStatus(replicaUrl);
    if (s?.Slave_IO_Running === 'Yes' && s?.Slave_SQL_Running === 'Yes') break;
    if (Date.now() > end) throw new Error(`the replica does not run: ${s?.Last_IO_Error || s?.Last_SQL_Error || 'no status'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // the primary counts it as a semi-synchronous replica once its I/O thread has connected
  for (;;) {
    const [c] = await sql<Row[]>(primaryUrl, "SHOW STATUS LIKE 'Rpl_semi_sync_master_clients'");
    if (Number(c?.Value) > 0) return;
    if (Date.now() > end) throw new Error('the replica connected, but not semi-synchronously');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Promotes a replica whose primary is gone (docs: README, "A cluster", "When the primary dies"):
 *
 *   1. wait until the replica applied everything it received (`MASTER_GTID_WAIT` on `Gtid_IO_Pos`):
 *      `RESET SLAVE` deletes relay logs "even if they have not been completely executed"
 *      (https://mariadb.com/kb/en/reset-replica/), and what they hold was acknowledged to clients;
 *   2. `STOP SLAVE; RESET SLAVE ALL;` — it forgets its primary;
 *   3. `SET GLOBAL read_only = OFF;` — it accepts writes;
 *   4. `SET GLOBAL rpl_semi_sync_master_enabled = OFF;` — it has no replica yet: it runs on one copy
 *      until a new replica is attached (`replicate`, which turns semi-synchronous waiting back on).
 *
 * Then the instances are restarted with `DATABASE_URL` pointing at it. Returns the GTID position it
 * reached and how long the wait took.
 */
export async function promote(replicaDbUrl: string, opts: { waitS?: number } = {}): Promise<{ gtid: string; waitedMs: number }> {
  const replicaUrl = serverOf(replicaDbUrl);
  const status = await replicaStatus(replicaUrl);
  if (!status) throw new Error('this server replicates from nothing: it is a primary already');
  const received = String(status.Gtid_IO_Pos ?? '');
  const started = Date.now();
  if (received) {
    const [w] = await sql<Row[]>(replicaUrl, 'SELECT MASTER_GTID_WAIT(?, ?) AS r', [received, opts.waitS ?? 60]);
    if (Number(w.r) !== 0) throw new Error(`the replica did not apply what it received (${received}) in time; nothing changed`);
  }
  const waitedMs = Date.now() - started;
  await sql(replicaUrl, 'STOP SLAVE');
  await sql(replicaUrl, 'RESET SLAVE ALL');
  await sql(replicaUrl, 'SET GLOBAL read_only = OFF');
  await sql(replicaUrl, 'SET GLOBAL rpl_semi_sync_master_enabled = OFF');
  const [pos] = await sql<Row[]>(replicaUrl, 'SELECT @@gtid_current_pos AS gtid');
  return { gtid: String(pos.gtid), waitedMs };
}
