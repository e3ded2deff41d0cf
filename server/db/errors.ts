/**
 * Driver errors → the error codes of shared/errors.ts. Only this module knows what mysql2,
 * better-sqlite3 and TypeORM throw when the database is not there; services never see a driver code.
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
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);
const UNREACHABLE_NAMES = new Set(['ConnectionIsNotSetError', 'CannotExecuteNotConnectedError']);
const UNREACHABLE_TEXT =
  /connection is not established|Connection lost|closed state|Pool is closed|database connection is not open|The database connection is not open/i;

/** The error code a database failure stands for, or null when `e` is not one the client should see as such. */
export function databaseErrorCode(e: unknown): ErrorCode | null {
  const err = e as { code?: string; name?: string; message?: string } | null;
  if (!err || typeof err !== 'object') return null;
  if (err.code && UNREACHABLE_CODES.has(err.code)) return 'database_unavailable';
  if (err.name && UNREACHABLE_NAMES.has(err.name)) return 'database_unavailable';
  if (UNREACHABLE_TEXT.test(err.message ?? '')) return 'database_unavailable';
  return null;
}
