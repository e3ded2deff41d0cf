/**
 * The server API as the phone sees it, over the host: HTTP to the Koa server, or WeChat cloud
 * functions (same request and answer shapes), chosen at build time.
 */
import { statusOf } from '../../shared/api/status';
import { padUpload } from '../../shared/api/upload';
import type {
  BatchListResponse,
  PublicKeyResponse,
  RegionBatchListResponse,
  SignedConfigResponse,
  UploadRequest,
  UploadResponse,
  VenueWarningRequest,
  VenueWarningResponse,
} from '../../shared/api/types';
import { fromBase64url } from '../../shared/protocol/codec';
import { isErrorCode, type ErrorCode } from '../../shared/errors';
import { HostError } from '../host/errors';
import type { Host } from '../host/types';

/** The server refused or failed a request: its error code (§10) and the HTTP status it came with. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** Server-side faults and throttling are worth retrying; bad input is not. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}

/** The error code of an error body; a code this build does not know (a newer server) counts as internal_error. */
function codeOf(body: unknown): { code: ErrorCode; message: string } | null {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!e || typeof e !== 'object') return null;
  return { code: isErrorCode(e.code) ? e.code : 'internal_error', message: typeof e.message === 'string' ? e.message : '' };
}

export interface BackendSettings {
  backend: 'http' | 'cloud';
  serverUrl: string;
}

export class ApiClient {
  constructor(
    private host: Host,
    private settings: BackendSettings,
  ) {}

  private async http<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const r = await this.host.request({
      method,
      url: this.settings.serverUrl.replace(/\/$/, '') + path,
      body,
      headers,
      responseType: 'json',
    });
    if (r.status >= 200 && r.status < 300) return r.json as T;
    const e = codeOf(r.json);
    throw new ApiError(
      e?.code ?? (r.status === 404 ? 'not_found' : 'internal_error'),
      e?.message || `the server answered ${r.status}`,
      r.status,
    );
  }

  private async cloud<T>(name: string, data: Record<string, unknown>): Promise<T> {
    if (!this.host.callFunction) throw new HostError('unsupported', 'cloud functions');
    const r = await this.host.callFunction(name, data);
    const e = codeOf(r);
    // a cloud function answers with the HTTP API's error body, without a status: the code says it
    if (e) throw new ApiError(e.code, e.message, statusOf(e.code));
    return r as T;
  }

  listBatches(after: number): Promise<BatchListResponse> {
    return this.settings.backend === 'cloud' ? this.cloud('listBatches', { after }) : this.http('GET', `/v1/batches?after=${after}`);
  }

  async batchBody(n: number): Promise<Uint8Array> {
    if (this.settings.backend === 'cloud') {
      const r = await this.cloud<{ body: string }>('getBatch', { n });
      return fromBase64url(r.body);
    }
    const r = await this.host.request({
      method: 'GET',
      url: `${this.settings.serverUrl.replace(/\/$/, '')}/v1/batches/${n}`,
      responseType: 'arraybuffer',
    });
    if (r.status !== 200 || !r.bytes)
      throw new ApiError(r.status === 404 ? 'not_found' : 'internal_error', `batch ${n}: the server answered ${r.status}`, r.status);
    return r.bytes;
  }

  /** §15: chain `region`'s heads after `after`, with the signed root and the head's path to it. */
  listRegionBatches(region: number, after: number): Promise<RegionBatchListResponse> {
    return this.settings.backend === 'cloud'
      ? this.cloud('listRegionBatches', { region, after })
      : this.http('GET', `/v1/regions/${region}/batches?after=${after}`);
  }

  /** §15: one body of chain `region`. */
  async regionBatchBody(region: number, n: number): Promise<Uint8Array> {
    if (this.settings.backend === 'cloud') {
      const r = await this.cloud<{ body: string }>('getRegionBatch', { region, n });
      return fromBase64url(r.body);
    }
    const r = await this.host.request({
      method: 'GET',
      url: `${this.settings.serverUrl.replace(/\/$/, '')}/v1/regions/${region}/batches/${n}`,
      responseType: 'arraybuffer',
    });
    if (r.status !== 200 || !r.bytes)
      throw new ApiError(
        r.status === 404 ? 'not_found' : 'internal_error',
        `batch ${n} of region ${region}: the server answered ${r.status}`,
        r.status,
      );
    return r.bytes;
  }

  publicKey(): Promise<PublicKeyResponse> {
    return this.settings.backend === 'cloud' ? this.cloud('publicKey', {}) : this.http('GET', '/v1/public-key');
  }

  /** The signed configuration, version 2 (§6; `GET /v1/config` alone is version 1, for earlier releases). */
  config(): Promise<SignedConfigResponse> {
    return this.settings.backend === 'cloud' ? this.cloud('getConfig', { v: 2 }) : this.http('GET', '/v1/config?v=2');
  }

  /**
   * Uploads diagnosis keys; `fake` marks a cover upload (§10). The marker is sent either way (0 or 1),
   * and the body is padded to one size, so real and fake requests look alike on the wire.
   */
  upload(body: UploadRequest, fake = false): Promise<UploadResponse> {
    const padded = padUpload(body);
    if (this.settings.backend === 'cloud') return this.cloud('uploadKeys', { ...padded, fake });
    return this.http('POST', '/v1/diagnosis-keys', padded, { 'X-Fake': fake ? '1' : '0' });
  }

  /**
   * Issue 31: a venue owner's warning, with the health authority's one-time venue warning code
   * (`POST /v1/venue-warnings`; the cloud function `warnVenue`).
   */
  venueWarning(body: VenueWarningRequest): Promise<VenueWarningResponse> {
    if (this.settings.backend === 'cloud') return this.cloud('warnVenue', { ...body });
    return this.http('POST', '/v1/venue-warnings', body);
  }
}
