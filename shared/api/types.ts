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
