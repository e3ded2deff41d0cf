/**
 * Tables, as TypeORM EntitySchemas (no decorators, so any TypeScript transpiler works). Nothing
 * here can identify a person: no names, phone numbers, locations, IP addresses or user agents, and
 * no link between an upload code and the keys uploaded with it.
 */
import { EntitySchema } from 'typeorm';

/** bigint columns come back as strings from MySQL; every timestamp here is Unix seconds. */
const asNumber = { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) };

export interface AuthorityTokenRow {
  id?: number;
  name: string;
  tokenHash: string;
  createdAt: number;
  revokedAt: number | null;
}
export interface UploadCodeRow {
  id?: number;
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  /** 1 once used. Never the moment of use: that would link the code to the keys stored then. */
  used: number;
  /** The UTC day (Unix s of its midnight) the code was used, for daily statistics. */
  usedDay: number | null;
  /** HMAC of the client's uploadId: a retry of the same upload is answered as accepted. */
  uploadTag: string | null;
  /** The token (authority) that issued it; null for codes older than this column. */
  issuedBy: number | null;
  /** When its token was revoked before it was used (a voided code is refused). */
  voidedAt: number | null;
}
/** Rows have random ids and no time: neither when nor in which order they arrived is kept. */
export interface PendingKeyRow {
  id: string;
  aemk: string;
  i: number;
}
export interface PendingWarningRow {
  id: string;
  locationIdHash: string;
  startEnin: number;
  endEnin: number;
}
export interface HealthRow {
  id: number;
  probes: number;
}
export interface WrongCodeRow {
  /** Unix minute. */
  minute: number;
  failures: number;
}
/** How long one real upload took (µs), in one of 256 slots overwritten at random: no time, no order. */
export interface UploadTimingRow {
  slot: number;
  us: number;
}
export interface BatchRow {
  n: number;
  hash: string;
  prevHash: string;
  createdAt: number;
  signedAt: number;
  signature: string;
  keyCount: number;
  warningCount: number;
  body: Buffer;
}
export interface DayStatRow {
  i: number;
  keyCount: number;
}

export const AuthorityToken = new EntitySchema<AuthorityTokenRow>({
  name: 'AuthorityToken',
  tableName: 'authority_token',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    // not unique: a revoked token's name may be given again (the revoked row stays as history)
    name: { type: String, length: 64 },
    tokenHash: { type: String, length: 64, unique: true },
    createdAt: { type: 'bigint', transformer: asNumber },
    revokedAt: { type: 'bigint', nullable: true, transformer: asNumber },
  },
});

export const UploadCode = new EntitySchema<UploadCodeRow>({
  name: 'UploadCode',
  tableName: 'upload_code',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    codeHash: { type: String, length: 64, unique: true },
    createdAt: { type: 'bigint', transformer: asNumber },
    expiresAt: { type: 'bigint', transformer: asNumber },
    used: { type: 'integer' },
    usedDay: { type: 'bigint', nullable: true, transformer: asNumber },
    uploadTag: { type: String, length: 64, nullable: true },
    issuedBy: { type: Number, nullable: true },
    voidedAt: { type: 'bigint', nullable: true, transformer: asNumber },
  },
});

export const PendingKey = new EntitySchema<PendingKeyRow>({
  name: 'PendingKey',
  tableName: 'pending_key',
  columns: {
    id: { type: String, length: 32, primary: true },
    aemk: { type: String, length: 64 },
    i: { type: 'bigint', transformer: asNumber },
  },
});

export const PendingWarning = new EntitySchema<PendingWarningRow>({
  name: 'PendingWarning',
  tableName: 'pending_warning',
  columns: {
    id: { type: String, length: 32, primary: true },
    locationIdHash: { type: String, length: 64 },
    startEnin: { type: 'bigint', transformer: asNumber },
    endEnin: { type: 'bigint', transformer: asNumber },
  },
});

export function batchSchema(blobType: 'blob' | 'longblob') {
  return new EntitySchema<BatchRow>({
    name: 'Batch',
    tableName: 'batch',
    columns: {
      n: { type: Number, primary: true },
      hash: { type: String, length: 64 },
      prevHash: { type: String, length: 64 },
      createdAt: { type: 'bigint', transformer: asNumber },
      signedAt: { type: 'bigint', transformer: asNumber },
      signature: { type: String, length: 128 },
      keyCount: { type: Number },
      warningCount: { type: Number },
      body: { type: blobType },
    },
  });
}

export const DayStat = new EntitySchema<DayStatRow>({
  name: 'DayStat',
  tableName: 'day_stat',
  columns: {
    i: { type: 'bigint', primary: true, transformer: asNumber },
    keyCount: { type: Number },
  },
});

export const Health = new EntitySchema<HealthRow>({
  name: 'Health',
  tableName: 'health',
  columns: {
    id: { type: Number, primary: true },
    probes: { type: 'bigint', transformer: asNumber },
  },
});

export const WrongCode = new EntitySchema<WrongCodeRow>({
  name: 'WrongCode',
  tableName: 'wrong_code',
  columns: {
    minute: { type: 'bigint', primary: true, transformer: asNumber },
    failures: { type: Number },
  },
});

export const UploadTiming = new EntitySchema<UploadTimingRow>({
  name: 'UploadTiming',
  tableName: 'upload_timing',
  columns: {
    slot: { type: Number, primary: true },
    us: { type: Number },
  },
});
