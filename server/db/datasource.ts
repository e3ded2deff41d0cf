/** Builds the TypeORM DataSource for a DATABASE_URL: `sqlite:<path>` or `mysql://…`. */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import {
  AuditEvent,
  AuthorityToken,
  batchSchema,
  PendingRegionKey,
  PendingRegionWarning,
  regionBatchSchema,
  RegionRelease,
  rootHeadSchema,
  DayStat,
  DeviceCookie,
  Health,
  Invitation,
  PendingKey,
  PendingWarning,
  Person,
  PortalSession,
  Realm,
  riskConfigSchema,
  UploadCode,
  UploadTiming,
  VenueWarningCode,
  WrongCode,
} from './schema';
import { MIGRATIONS } from './migrations';

export type DbKind = 'sqlite' | 'mysql';

export function dbKindOf(url: string): DbKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return 'mysql';
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got "${url.split(':')[0]}:")`);
}

export function createDataSource(url: string, opts: { poolSize?: number } = {}): DataSource {
  const kind = dbKindOf(url);
  const entities = [
    AuthorityToken,
    UploadCode,
    PendingKey,
    PendingWarning,
    DayStat,
    Health,
    WrongCode,
    UploadTiming,
    Realm,
    Person,
    Invitation,
    PortalSession,
    DeviceCookie,
    AuditEvent,
    batchSchema(kind === 'mysql' ? 'longblob' : 'blob'),
    PendingRegionKey,
    PendingRegionWarning,
    regionBatchSchema(kind === 'mysql' ? 'longblob' : 'blob'),
    rootHeadSchema(kind === 'mysql' ? 'longblob' : 'blob'),
    RegionRelease,
    VenueWarningCode,
    riskConfigSchema(kind === 'mysql' ? 'mediumtext' : 'text'),
  ];
  if (kind === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    return new DataSource({
      type: 'better-sqlite3',
      database: file,
      entities,
      migrations: MIGRATIONS,
      migrationsRun: false,
      synchronize: false,
      logging: false,
      prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
        // a rollback journal, not WAL: WAL's index is a memory-mapped -shm file, and a write to a
        // mapping the disk cannot back kills the process with SIGBUS; FULL: a commit is on disk
        db.pragma('journal_mode = DELETE');
        db.pragma('synchronous = FULL');
        db.pragma('busy_timeout = 5000');
        // the journal is created with the database file's mode: make both private
        if (file !== ':memory:') chmodSync(file, 0o600);
      },
    });
  }
  return new DataSource({
    type: 'mysql',
    url: url.replace(/^mariadb:/, 'mysql:'),
    entities,
    migrations: MIGRATIONS,
    synchronize: false,
    logging: false,
    charset: 'utf8mb4',
    timezone: 'Z',
    connectTimeout: 3000,
    extra: { connectionLimit: opts.poolSize ?? 10, enableKeepAlive: true },
  });
}
