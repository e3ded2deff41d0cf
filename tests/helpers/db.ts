/**
 * The databases a server suite runs against: SQLite always, MySQL/MariaDB when tests/global-setup.js
 * found it reachable. Each call makes a fresh, empty database and a cleanup that removes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface TestDb {
  kind: 'sqlite' | 'mysql';
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

export const MYSQL_AVAILABLE = process.env.PRTC_MYSQL_AVAILABLE === '1';
export const DB_KINDS: ('sqlite' | 'mysql')[] = MYSQL_AVAILABLE ? ['sqlite', 'mysql'] : ['sqlite'];

if (!MYSQL_AVAILABLE) {
  console.warn('MySQL/MariaDB unreachable: these server tests run on SQLite only (MySQL SKIPPED).');
}

export async function freshDb(kind: 'sqlite' | 'mysql'): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'prtc-test-'));
  if (kind === 'sqlite') {
    return {
      kind,
      url: `sqlite:${join(dataDir, 'db.sqlite')}`,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const base = new URL(process.env.PRTC_MYSQL_URL!);
  const name = `prtc_t_${randomBytes(5).toString('hex')}`;
  const mysql = await import('mysql2/promise');
  const admin = await mysql.createConnection({ uri: base.toString() });
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    dataDir,
    drop: async () => {
      const c = await mysql.createConnection({ uri: base.toString() });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
