/** §10 HTTP API v1: the JSON shapes of requests and answers, shared by server, cloud functions and phone. */
import type { ErrorCode } from '../errors';
import type { HeadJson } from './heads';

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

export interface DiagnosisKeyJson {
  aemk: string;
  i: number;
  period?: number;
}
export interface CheckinJson {
  locationIdHash: string;
  startEnin: number;
  endEnin: number;
}
export interface UploadRequest {
  /** base64url of 16 random bytes, the same for a retry of the same upload (§10). */
  uploadId?: string;
  code: string;
  keys: DiagnosisKeyJson[];
  checkins?: CheckinJson[];
  /** §15: the regions the user was in during the 14 days (at most 8). */
  regions?: number[];
  padding?: string;
}
export interface UploadResponse {
  accepted: number;
}
export interface IssueCodeResponse {
  code: string;
  expiresAt: number;
  /** Six symbols that name the code in its realm's look-up (portal), never usable to upload. */
  shortId: string;
}
export interface PublicKeyResponse {
  alg: 'Ed25519';
  key: string;
}
export interface SignedConfigResponse {
  configJson: string;
  signature: string;
}
export interface StatsResponse {
  days: { i: number; date: string; keys: number }[];
}

export interface BatchListEntry extends HeadJson {
  keys: number;
  warnings: number;
}
export interface BatchListResponse {
  head: HeadJson | null;
  batches: BatchListEntry[];
}

// ---- §15 regions, their chains and the root

export interface RootJson {
  count: number;
  hash: string;
  signedAt: number;
  signature: string;
}
export interface RegionBatchListEntry extends BatchListEntry {
  /** The body's size in bytes. */
  bytes: number;
}
/** GET /v1/regions/<r>/batches?after=n */
export interface RegionBatchListResponse {
  root: RootJson | null;
  proof: { index: number; path: string[] } | null;
  head: HeadJson | null;
  batches: RegionBatchListEntry[];
  /** The body bytes the chain published in the last 24 hours: what following it costs a phone a day. */
  bytesPerDay: number;
}
/** GET /v1/regions */
export interface RegionsResponse {
  root: RootJson | null;
  leaves: { region: number; n: number; hash: string }[];
  regions: { region: number; bytesPerDay: number }[];
}

/**
 * Issue 31, warn on behalf: POST /v1/venue-warnings. A venue owner redeems a one-time venue warning
 * code issued by the authority; the code fixes the level. The server learns only what §7 lets it
 * learn: the location hash and the window.
 */
export interface VenueWarningRequest {
  code: string;
  /** base64url of SHA-256(locationId), 32 bytes. */
  locationIdHash: string;
  /** Unix seconds, start of the window (inclusive) and its end (exclusive); at most 14 days back. */
  start: number;
  end: number;
  /** §15: the region a version-0x02 venue code names; the warning goes to that region's chain (absent: as an upload naming none). */
  region?: number;
}
export interface VenueWarningResponse {
  /** The warning is durable and goes out with the next published batch. */
  accepted: true;
  level: 'inform' | 'test' | 'isolate';
}
