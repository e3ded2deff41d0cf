/**
 * The edge between the domains and whoever called: the Koa app and the cloud functions alike turn
 * whatever a request threw into the §10 error body, its HTTP status and headers, here. Nothing but
 * a PrtcError's code and sentence ever reaches a client: no stack, no driver message.
 */
import { RETRY_AFTER_S, statusOf } from '../../shared/api/status';
import type { ApiErrorBody } from '../../shared/api/types';
import { PrtcError } from '../../shared/errors';
import { databaseErrorCode } from '../db/errors';

export { asObject, onlyFields } from '../../shared/api/json';

const SENTENCES = {
  database_unavailable: 'the database is unavailable; try again shortly',
  storage_unavailable: 'the server cannot store anything right now; nothing was kept, try again later',
  internal_error: 'something went wrong on the server',
} as const;

/**
 * The PrtcError a thrown value stands for. Unexpected errors become `internal_error` and are
 * reported through `report` (the message only, never the request).
 */
export function toPrtcError(e: unknown, report?: (message: string) => void): PrtcError {
  if (e instanceof PrtcError) return e;
  const db = databaseErrorCode(e);
  if (db === 'database_unavailable') return new PrtcError(db, SENTENCES[db]);
  if (db === 'storage_unavailable') {
    // the operator has to know (a full or read-only disk); the driver's message names no request
    report?.(`storage: ${(e as Error)?.message ?? String(e)}`);
    return new PrtcError(db, SENTENCES[db]);
  }
  report?.((e as Error)?.message ?? String(e));
  return new PrtcError('internal_error', SENTENCES.internal_error);
}

export function errorBody(e: PrtcError): ApiErrorBody {
  return { error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } };
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ApiErrorBody;
}

export function errorResponse(e: unknown, report?: (message: string) => void): ErrorResponse {
  const err = toPrtcError(e, report);
  const retry = RETRY_AFTER_S[err.code];
  return { status: statusOf(err.code), headers: retry ? { 'Retry-After': String(retry) } : {}, body: errorBody(err) };
}

/**
 * A uint32 as a request writes it: a plain decimal without leading zeros ("0", "17") — or, from a
 * cloud function's JSON event, an integer. Anything else (1e3, 0x10, " 1", 01) is null, so that
 * every number has one spelling and every body one URL.
 */
export function strictUint32(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? v : null;
  if (typeof v !== 'string' || !/^(0|[1-9][0-9]{0,9})$/.test(v)) return null;
  const n = Number(v);
  return n <= 0xffffffff ? n : null;
}

/** The path as logged: the secret of a one-time password link (/portal/setup/<token>) never reaches a log. */
export const loggablePath = (path: string) => path.replace(/^\/portal\/setup\/[^/]+/, '/portal/setup/…');
