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
  usedAt: number | null;
}
export interface PendingKeyRow {
  id?: number;
  aemk: string;
  i: number;
  createdAt: number;
}
export interface PendingWarningRow {
  id?: number;
  locationIdHash: string;
  startEnin: number;
  endEnin: number;
  createdAt: number;
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
    name: { type: String, length: 64, unique: true },
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
    usedAt: { type: 'bigint', nullable: true, transformer: asNumber },
  },
});

export const PendingKey = new EntitySchema<PendingKeyRow>({
  name: 'PendingKey',
  tableName: 'pending_key',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    aemk: { type: String, length: 64 },
    i: { type: 'bigint', transformer: asNumber },
    createdAt: { type: 'bigint', transformer: asNumber },
  },
});

export const PendingWarning = new EntitySchema<PendingWarningRow>({
  name: 'PendingWarning',
  tableName: 'pending_warning',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    locationIdHash: { type: String, length: 64 },
    startEnin: { type: 'bigint', transformer: asNumber },
    endEnin: { type: 'bigint', transformer: asNumber },
    createdAt: { type: 'bigint', transformer: asNumber },
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
