/**
 * Tables, as TypeORM EntitySchemas (no decorators, so any TypeScript transpiler works). Nothing
 * here can identify a person: no names, phone numbers, locations, IP addresses or user agents, and
 * no link between an upload code and the keys uploaded with it.
 *
 * These describe what the migrations (migrations/) make, to the index: tests/server/schema.test.ts
 * runs them on empty SQLite and MariaDB databases and asks TypeORM's schema builder what it would
 * change to reach these entities — it must be nothing. Unique columns are table-level `uniques`
 * with the names the migrations' `isUnique` columns got (TypeORM's UQ_ hash of table and column),
 * not column `unique`, which TypeORM turns into an index of another name on MySQL.
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
  /** The portal realm whose API key this is; null for the operator's tokens (admin create-token). */
  realmId?: number | null;
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
  /** When it was voided before it was used (its token revoked, or a portal issuer voided it). */
  voidedAt: number | null;
  /** The portal realm it was issued in, and by whom (staff, never the patient); null for older codes. */
  realmId?: number | null;
  personId?: number | null;
  /** A short id staff read beside the code, to look it up later without knowing the code. */
  shortId?: string | null;
}
/** Rows have random ids and no time: neither when nor in which order they arrived is kept. */
export interface PendingKeyRow {
  id: string;
  aemk: string;
  i: number;
}
/** Issue 31 (§9 "Levels"): who warned, how strongly, and the note's canonical JSON; a visitor's: 0, 0, null. */
export interface WarningLevelColumns {
  source?: number;
  level?: number;
  note?: string | null;
}
export interface PendingWarningRow extends WarningLevelColumns {
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
    tokenHash: { type: String, length: 64 },
    createdAt: { type: 'bigint', transformer: asNumber },
    revokedAt: { type: 'bigint', nullable: true, transformer: asNumber },
    realmId: { type: Number, nullable: true },
  },
  uniques: [{ name: 'UQ_aed6541dd3e9fc5c6539d4c7682', columns: ['tokenHash'] }],
  indices: [{ name: 'IDX_authority_token_name', columns: ['name'] }],
});

export const UploadCode = new EntitySchema<UploadCodeRow>({
  name: 'UploadCode',
  tableName: 'upload_code',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    codeHash: { type: String, length: 64 },
    createdAt: { type: 'bigint', transformer: asNumber },
    expiresAt: { type: 'bigint', transformer: asNumber },
    used: { type: 'integer', default: 0 },
    usedDay: { type: 'bigint', nullable: true, transformer: asNumber },
    uploadTag: { type: String, length: 64, nullable: true },
    issuedBy: { type: Number, nullable: true },
    voidedAt: { type: 'bigint', nullable: true, transformer: asNumber },
    realmId: { type: Number, nullable: true },
    personId: { type: Number, nullable: true },
    shortId: { type: String, length: 16, nullable: true },
  },
  uniques: [{ name: 'UQ_45b19075fd7796d5e09bafe25b1', columns: ['codeHash'] }],
  indices: [
    // a short id names one code in its realm (the look-up), whatever the repository checked before
    { name: 'IDX_upload_code_realm_short', columns: ['realmId', 'shortId'], unique: true },
    { name: 'IDX_upload_code_realm_created', columns: ['realmId', 'createdAt'] },
  ],
});

export const PendingKey = new EntitySchema<PendingKeyRow>({
  name: 'PendingKey',
  tableName: 'pending_key',
  columns: {
    id: { type: String, length: 32, primary: true },
    aemk: { type: String, length: 64 },
    i: { type: 'bigint', transformer: asNumber },
  },
  indices: [{ name: 'IDX_pending_key_i2', columns: ['i'] }],
});

const levelColumns = {
  source: { type: 'integer', default: 0 },
  level: { type: 'integer', default: 0 },
  note: { type: String, length: 1100, nullable: true },
} as const;

export const PendingWarning = new EntitySchema<PendingWarningRow>({
  name: 'PendingWarning',
  tableName: 'pending_warning',
  columns: {
    id: { type: String, length: 32, primary: true },
    locationIdHash: { type: String, length: 64 },
    startEnin: { type: 'bigint', transformer: asNumber },
    endEnin: { type: 'bigint', transformer: asNumber },
    ...levelColumns,
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

// ---- the health-authority portal (issue 20)

export interface RealmRow {
  id?: number;
  name: string;
  createdAt: number;
  requireTotp: number;
  dailyQuota: number;
  personQuota: number;
  /** 1: the operator's realm, whose admins publish the health authority's advice (issue 29); one at most. */
  operator?: number;
}
export const Realm = new EntitySchema<RealmRow>({
  name: 'Realm',
  tableName: 'realm',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    name: { type: String, length: 64 },
    createdAt: { type: 'bigint', transformer: asNumber },
    requireTotp: { type: Number },
    dailyQuota: { type: Number },
    personQuota: { type: Number },
    operator: { type: Number, default: 0 },
  },
  uniques: [{ name: 'UQ_93923a3860913569723cbdcefe8', columns: ['name'] }],
});

export type Role = 'admin' | 'issuer';
export interface PersonRow {
  id?: number;
  realmId: number;
  username: string;
  role: Role;
  /** scrypt, with its parameters and salt ("scrypt$N$r$p$salt$hash"); null until the person sets one. */
  passwordHash: string | null;
  /** The TOTP secret, encrypted (AES-256-GCM under a key from CODE_PEPPER); null without a second factor. */
  totpSecret: string | null;
  /** The last TOTP step accepted: a code is good once (RFC 6238 §5.2), however long its window. */
  totpLastStep: number | null;
  /** JSON list of SHA-256 hashes of unused recovery codes. */
  recoveryHashes: string | null;
  createdAt: number;
  disabledAt: number | null;
  /** Wrong passwords from untrusted clients (no device cookie) since the last success. */
  failedLogins: number;
  /** Untrusted clients may not try until then. */
  lockedUntil: number | null;
}
export const Person = new EntitySchema<PersonRow>({
  name: 'Person',
  tableName: 'person',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    realmId: { type: Number },
    username: { type: String, length: 64 },
    role: { type: String, length: 16 },
    passwordHash: { type: String, length: 200, nullable: true },
    totpSecret: { type: String, length: 200, nullable: true },
    totpLastStep: { type: 'bigint', nullable: true, transformer: asNumber },
    recoveryHashes: { type: 'text', nullable: true },
    createdAt: { type: 'bigint', transformer: asNumber },
    disabledAt: { type: 'bigint', nullable: true, transformer: asNumber },
    failedLogins: { type: Number },
    lockedUntil: { type: 'bigint', nullable: true, transformer: asNumber },
  },
  uniques: [{ name: 'UQ_e4475bde6806df5ab6999b47e5b', columns: ['username'] }],
  indices: [{ name: 'IDX_person_realm', columns: ['realmId'] }],
});

export interface InvitationRow {
  tokenHash: string;
  personId: number;
  expiresAt: number;
  usedAt: number | null;
}
export const Invitation = new EntitySchema<InvitationRow>({
  name: 'Invitation',
  tableName: 'invitation',
  columns: {
    tokenHash: { type: String, length: 64, primary: true },
    personId: { type: Number },
    expiresAt: { type: 'bigint', transformer: asNumber },
    usedAt: { type: 'bigint', nullable: true, transformer: asNumber },
  },
});

export interface PortalSessionRow {
  idHash: string;
  personId: number;
  csrf: string;
  /** 1: password checked, waiting for the second factor; 2: logged in. */
  stage: number;
  createdAt: number;
  lastSeenAt: number;
}
export const PortalSession = new EntitySchema<PortalSessionRow>({
  name: 'PortalSession',
  tableName: 'portal_session',
  columns: {
    idHash: { type: String, length: 64, primary: true },
    personId: { type: Number },
    csrf: { type: String, length: 64 },
    stage: { type: Number },
    createdAt: { type: 'bigint', transformer: asNumber },
    lastSeenAt: { type: 'bigint', transformer: asNumber },
  },
  indices: [{ name: 'IDX_portal_session_person', columns: ['personId'] }],
});

export interface DeviceCookieRow {
  nonceHash: string;
  personId: number;
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
}
export const DeviceCookie = new EntitySchema<DeviceCookieRow>({
  name: 'DeviceCookie',
  tableName: 'device_cookie',
  columns: {
    nonceHash: { type: String, length: 64, primary: true },
    personId: { type: Number },
    failedLogins: { type: Number },
    lockedUntil: { type: 'bigint', nullable: true, transformer: asNumber },
    createdAt: { type: 'bigint', transformer: asNumber },
  },
});

export interface AuditEventRow {
  id?: number;
  realmId: number;
  at: number;
  actorId: number | null;
  action: string;
  /** What it was done to: a username, a key's name, a code's short id — never a code, a password, an address. */
  subject: string | null;
}
export const AuditEvent = new EntitySchema<AuditEventRow>({
  name: 'AuditEvent',
  tableName: 'audit_event',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    realmId: { type: Number },
    at: { type: 'bigint', transformer: asNumber },
    actorId: { type: Number, nullable: true },
    action: { type: String, length: 40 },
    subject: { type: String, length: 200, nullable: true },
  },
  indices: [{ name: 'IDX_audit_event_realm_at', columns: ['realmId', 'at'] }],
});

// ---- regions, their chains and the root (issue 30, docs/protocol.md §15)

/** One pending (key, region) row: a random id, no time; `counts` 1 on the one row the statistics count. */
export interface PendingRegionKeyRow {
  id: string;
  region: number;
  aemk: string;
  i: number;
  counts: number;
}
export const PendingRegionKey = new EntitySchema<PendingRegionKeyRow>({
  name: 'PendingRegionKey',
  tableName: 'pending_region_key',
  columns: {
    id: { type: String, length: 32, primary: true },
    region: { type: Number },
    aemk: { type: String, length: 64 },
    i: { type: 'bigint', transformer: asNumber },
    counts: { type: Number },
  },
  indices: [{ name: 'IDX_pending_region_key_region_i', columns: ['region', 'i'] }],
});

export interface PendingRegionWarningRow extends WarningLevelColumns {
  id: string;
  region: number;
  locationIdHash: string;
  startEnin: number;
  endEnin: number;
}
export const PendingRegionWarning = new EntitySchema<PendingRegionWarningRow>({
  name: 'PendingRegionWarning',
  tableName: 'pending_region_warning',
  columns: {
    id: { type: String, length: 32, primary: true },
    region: { type: Number },
    locationIdHash: { type: String, length: 64 },
    startEnin: { type: 'bigint', transformer: asNumber },
    endEnin: { type: 'bigint', transformer: asNumber },
    ...levelColumns,
  },
  indices: [{ name: 'IDX_pending_region_warning_region', columns: ['region'] }],
});

export interface RegionBatchRow {
  region: number;
  n: number;
  hash: string;
  prevHash: string;
  createdAt: number;
  signature: string;
  keyCount: number;
  warningCount: number;
  /** The body's bytes (what a phone downloads), without reading the body. */
  size: number;
  body: Buffer;
}
export function regionBatchSchema(blobType: 'blob' | 'longblob') {
  return new EntitySchema<RegionBatchRow>({
    name: 'RegionBatch',
    tableName: 'region_batch',
    columns: {
      region: { type: Number, primary: true },
      n: { type: Number, primary: true },
      hash: { type: String, length: 64 },
      prevHash: { type: String, length: 64 },
      createdAt: { type: 'bigint', transformer: asNumber },
      signature: { type: String, length: 128 },
      keyCount: { type: Number },
      warningCount: { type: Number },
      size: { type: Number },
      body: { type: blobType },
    },
    indices: [{ name: 'IDX_region_batch_created', columns: ['createdAt'] }],
  });
}

/** The newest signed root (one row, id 1) and the leaves it commits to. */
export interface RootHeadRow {
  id: number;
  count: number;
  hash: string;
  signedAt: number;
  signature: string;
  /** The leaves, 40 bytes each: LE32(region) || LE32(n) || hash. */
  leaves: Buffer;
}
export function rootHeadSchema(blobType: 'blob' | 'longblob') {
  return new EntitySchema<RootHeadRow>({
    name: 'RootHead',
    tableName: 'root_head',
    columns: {
      id: { type: Number, primary: true },
      count: { type: Number },
      hash: { type: String, length: 64 },
      signedAt: { type: 'bigint', transformer: asNumber },
      signature: { type: String, length: 128 },
      leaves: { type: blobType },
    },
  });
}

/** The last release slot (§15) that ran: floor(t / REGION_RELEASE_S) of a publication, one row (id 1). */
export interface RegionReleaseRow {
  id: number;
  slot: number;
}
export const RegionRelease = new EntitySchema<RegionReleaseRow>({
  name: 'RegionRelease',
  tableName: 'region_release',
  columns: {
    id: { type: Number, primary: true },
    slot: { type: 'bigint', transformer: asNumber },
  },
});

// ---- the signed configuration (issue 29)

/** One publication of the signed configuration (§6, version 2): kept, never changed. */
export interface RiskConfigRow {
  serial: number;
  /** The exact JSON text served (and signed when served). */
  json: string;
  publishedAt: number;
  /** Who published it from the portal (their realm and person); null from the admin CLI. */
  realmId: number | null;
  personId: number | null;
}
export function riskConfigSchema(textType: 'text' | 'mediumtext') {
  return new EntitySchema<RiskConfigRow>({
    name: 'RiskConfig',
    tableName: 'risk_config',
    columns: {
      serial: { type: Number, primary: true },
      json: { type: textType },
      publishedAt: { type: 'bigint', transformer: asNumber },
      realmId: { type: Number, nullable: true },
      personId: { type: Number, nullable: true },
    },
  });
}

// ---- venue warnings from the authority and venue owners (issue 31, docs/protocol.md §10)

/** A one-time venue warning code: its HMAC, the level fixed at issue, who issued it; never when it was used, nor for which venue. */
export interface VenueWarningCodeRow {
  id?: number;
  codeHash: string;
  /** 1 inform, 2 test, 3 isolate (§9 "Levels"). */
  level: number;
  createdAt: number;
  expiresAt: number;
  used: number;
  realmId: number | null;
  personId: number | null;
}
export const VenueWarningCode = new EntitySchema<VenueWarningCodeRow>({
  name: 'VenueWarningCode',
  tableName: 'venue_warning_code',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    codeHash: { type: String, length: 64 },
    level: { type: 'integer' },
    createdAt: { type: 'bigint', transformer: asNumber },
    expiresAt: { type: 'bigint', transformer: asNumber },
    used: { type: 'integer', default: 0 },
    realmId: { type: 'integer', nullable: true },
    personId: { type: 'integer', nullable: true },
  },
  uniques: [{ name: 'UQ_venue_warning_code_hash', columns: ['codeHash'] }],
});
