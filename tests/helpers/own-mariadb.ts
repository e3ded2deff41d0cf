/**
 * A MariaDB server of a test's own: its own data folder, port and socket, started from Debian's
 * `mariadbd`, so a test can stop it, start it again or freeze it (SIGSTOP) without touching the
 * shared instance at 127.0.0.1:3306. `available` says why not when the binaries are missing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL = '/usr/bin/mariadb-install-db';

export const ownMariadbMissing: string | null = !existsSync(MARIADBD)
  ? `${MARIADBD} is not installed`
  : !existsSync(INSTALL)
    ? `${INSTALL} is not installed`
    : null;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export class OwnMariadb {
  readonly dir = mkdtempSync(join(tmpdir(), 'prtc-mariadb-'));
  port = 0;
  private proc: ChildProcess | null = null;
  private log = '';

  get url() {
    return `mysql://root@127.0.0.1:${this.port}/prtc`;
  }

  /** Creates the data folder (first time) and starts the server; resolves once it answers. */
  async start(): Promise<void> {
    if (!this.port) {
      this.port = await freePort();
      execFileSync(INSTALL, ['--no-defaults', `--datadir=${join(this.dir, 'data')}`, '--user=root', '--skip-test-db'], { stdio: 'pipe' });
    }
    this.proc = spawn(MARIADBD, [
      '--no-defaults',
      `--datadir=${join(this.dir, 'data')}`,
      `--port=${this.port}`,
      `--socket=${join(this.dir, 'sock')}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      '--skip-grant-tables',
      '--innodb-buffer-pool-size=16M',
      `--pid-file=${join(this.dir, 'pid')}`,
    ]);
    this.proc.stderr!.on('data', (d) => (this.log += d));
    const mysql = await import('mysql2/promise');
    const end = Date.now() + 20000;
    for (;;) {
      try {
        const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1000 });
        await c.query('CREATE DATABASE IF NOT EXISTS prtc');
        await c.end();
        return;
      } catch (e) {
        if (Date.now() > end || this.proc.exitCode !== null)
          throw new Error(`own MariaDB did not start: ${(e as Error).message}\n${this.log}`, { cause: e });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  freeze() {
    this.proc!.kill('SIGSTOP');
  }

  thaw() {
    this.proc!.kill('SIGCONT');
  }

  /** A clean shutdown (SIGTERM), waiting for the process to end. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode) return;
    p.kill('SIGCONT');
    const done = new Promise((r) => p.on('exit', r));
    p.kill('SIGTERM');
    await done;
    this.proc = null;
  }

  /** Runs `sql` on a connection of its own. */
  async query<T>(sql: string): Promise<T> {
    const mysql = await import('mysql2/promise');
    const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', database: 'prtc' });
    try {
      const [rows] = await c.query(sql);
      return rows as T;
    } finally {
      await c.end();
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
