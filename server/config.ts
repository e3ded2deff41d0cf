/** Server configuration from the environment, with defaults that let `npm start` work anywhere. */
import { resolve } from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:<path>` (default `sqlite:<DATA_DIR>/prtc.sqlite`) or `mysql://user:pass@host:port/db`. */
  databaseUrl: string;
  /** `mysql://…` of a replica of DATABASE_URL: batch lists, bodies and statistics are read there (null: none). */
  databaseReplicaUrl: string | null;
  /** Base64url Ed25519 secret key; when empty the key lives in DATA_DIR/signing.key (created on first start). */
  signingKey: string | null;
  /** Base64url 32-byte key the upload codes are hashed under; when empty it lives in DATA_DIR/code-pepper.key. Instances that share a database must share it. */
  codePepper: string | null;
  /** How long an upload code stays valid, seconds. */
  codeLifetimeS: number;
  /** How often pending keys are published, seconds (0: only on demand). */
  batchIntervalS: number;
  /** A batch is padded with random fake keys up to this many keys. */
  minBatchKeys: number;
  /** At most this many keys per batch (bodies stay small enough for any database packet limit). */
  maxBatchKeys: number;
  /** How often the retention job runs, seconds. */
  retentionIntervalS: number;
  /** The current head is signed again at least this often, also when nothing is published (§9), seconds. */
  headResignS: number;
  /** At most this many upload codes live at once (unused, unexpired): bounds what guessing can hit (docs/protocol.md §10). */
  maxLiveCodes: number;
  /** More wrong codes than this in a minute (all instances) is logged as a brute-force alarm. */
  wrongCodeAlarm: number;
  /** Deadline of one database call on MySQL/MariaDB, ms. */
  dbTimeoutMs: number;
  /** SQLite: `/readyz` says not ready below this much free space (MiB) on the database's disk. */
  readyMinFreeMb: number;
  /** /v1/stats counts are rounded down to a multiple of this (§10). */
  statsGranularity: number;
  /** Print one access-log line per request (method, path, status, duration; never IP or user agent). */
  accessLog: boolean;
  /** The server's public base URL (links the portal hands out: password links, upload-code links). */
  publicUrl: string;
  /** Behind a TLS-terminating proxy: trust its X-Forwarded-Proto (the portal's cookies are then Secure). */
  trustProxy: boolean;
  /** Portal sessions end after this many idle minutes, and after this many hours in any case. */
  portalIdleMin: number;
  portalSessionHours: number;
  /** Default daily code quotas of a new realm, and of each person in it. */
  realmQuota: number;
  personQuota: number;
  /** §15: every key goes to the national chain (region 0) too, for phones of the previous release. */
  nationalChain: boolean;
  /** §15: a region publishes between release slots only with this many real keys; slot batches are padded to it. */
  regionMinKeys: number;
  /** §15: every this many seconds (a release slot) every region publishes what it holds, padded. */
  regionReleaseS: number;
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min = 0): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${v}"`);
  return Number(v);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(env.DATA_DIR || './data');
  return {
    port: int(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || `sqlite:${resolve(dataDir, 'prtc.sqlite')}`,
    databaseReplicaUrl: env.DATABASE_REPLICA_URL || null,
    signingKey: env.SIGNING_KEY || null,
    codePepper: env.CODE_PEPPER || null,
    codeLifetimeS: int(env, 'CODE_LIFETIME_S', 3600, 1),
    batchIntervalS: int(env, 'BATCH_INTERVAL_S', 600),
    minBatchKeys: int(env, 'MIN_BATCH_KEYS', 100),
    maxBatchKeys: int(env, 'MAX_BATCH_KEYS', 100000, 1),
    retentionIntervalS: int(env, 'RETENTION_INTERVAL_S', 3600, 1),
    headResignS: int(env, 'HEAD_RESIGN_S', 3600, 1),
    maxLiveCodes: int(env, 'MAX_LIVE_CODES', 1000, 1),
    wrongCodeAlarm: int(env, 'WRONG_CODE_ALARM', 100, 1),
    dbTimeoutMs: int(env, 'DB_TIMEOUT_MS', 4000, 100),
    readyMinFreeMb: int(env, 'READY_MIN_FREE_MB', 16),
    statsGranularity: int(env, 'STATS_GRANULARITY', 10, 1),
    accessLog: env.ACCESS_LOG !== '0',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${int(env, 'PORT', 8080)}`).replace(/\/+$/, ''),
    trustProxy: env.TRUST_PROXY === '1',
    portalIdleMin: int(env, 'PORTAL_IDLE_MIN', 30, 1),
    portalSessionHours: int(env, 'PORTAL_SESSION_HOURS', 12, 1),
    realmQuota: int(env, 'REALM_DAILY_QUOTA', 1000),
    personQuota: int(env, 'PERSON_DAILY_QUOTA', 200),
    nationalChain: env.NATIONAL_CHAIN !== '0',
    regionMinKeys: int(env, 'REGION_MIN_KEYS', 45, 1),
    regionReleaseS: int(env, 'REGION_RELEASE_S', 21600, 60),
  };
}
