/**
 * Driver errors → the error codes of shared/errors.ts. Only this module knows what mysql2,
 * better-sqlite3 and TypeORM throw; services never see a driver code.
 *
 * - `database_unavailable`: the database cannot be reached or did not answer in time (retry soon);
 * - `storage_unavailable`: the database answered but cannot keep what it is given — a full disk, an
 *   I/O error, a read-only or vanished file (retry later; an operator may be needed).
 */
import type { ErrorCode } from '../../shared/errors';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
const UNREACHABLE_NAMES = new Set(['ConnectionIsNotSetError', 'CannotExecuteNotConnectedError', 'DatabaseTimeout']);
const UNREACHABLE_TEXT =
  /connection is not established|Connection lost|closed state|Pool is closed|database connection is not open|The database connection is not open/i;

/** SQLite's storage failures (extended codes start with these), the OS's, and MySQL's full table, disk and read-only errors. */
const STORAGE_PREFIXES = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_PERM',
];
const STORAGE_CODES = new Set([
  'ENOSPC',
  'EROFS',
  'EIO',
  'EDQUOT',
  'ER_RECORD_FILE_FULL',
  'ER_DISK_FULL',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_CANT_LOCK',
  'ER_ERROR_ON_WRITE',
  'StorageFault',
]);

/** The error code a database failure stands for, or null when `e` is not one the client should see as such. */
export function databaseErrorCode(e: unknown): ErrorCode | null {
  const err = e as { code?: string; name?: string; message?: string } | null;
  if (!err || typeof err !== 'object') return null;
  if (err.code && (STORAGE_CODES.has(err.code) || STORAGE_PREFIXES.some((p) => err.code!.startsWith(p)))) return 'storage_unavailable';
  if (err.name && STORAGE_CODES.has(err.name)) return 'storage_unavailable';
  if (err.code && UNREACHABLE_CODES.has(err.code)) return 'database_unavailable';
  if (err.name && UNREACHABLE_NAMES.has(err.name)) return 'database_unavailable';
  if (UNREACHABLE_TEXT.test(err.message ?? '')) return 'database_unavailable';
  return null;
}

/** The database did not answer within its deadline. */
export class DatabaseTimeout extends Error {
  override name = 'DatabaseTimeout';
}

/** The database cannot keep what it is given, and cannot recover by itself (its file is gone). */
export class StorageFault extends Error {
  override name = 'StorageFault';
}
