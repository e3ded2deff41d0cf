/**
 * The server API as the phone sees it, over the host: HTTP to the Koa server, or WeChat cloud
 * functions (same request and answer shapes), chosen at build time.
 */
import type { SignedConfigResponse, PublicKeyResponse, UploadRequest, UploadResponse } from '../../shared/api';
import type { BatchListResponse } from '../../shared/batch';
import { fromBase64url } from '../../shared/codec';
import { HostError } from '../host/errors';
import type { Host } from '../host/types';

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
    this.name = 'ApiError';
  }
  /** Server-side faults and throttling are worth retrying; bad input is not. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}

export interface BackendSettings { backend: 'http' | 'cloud'; serverUrl: string }

export class ApiClient {
  constructor(private host: Host, private settings: BackendSettings) {}

  private async http<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const r = await this.host.request({ method, url: this.settings.serverUrl.replace(/\/$/, '') + path, body, headers, responseType: 'json' });
    const j = r.json as { error?: { code: string; message: string } } | undefined;
    if (r.status >= 200 && r.status < 300) return r.json as T;
    throw new ApiError(j?.error?.code ?? 'http_error', j?.error?.message ?? `the server answered ${r.status}`, r.status);
  }

  private async cloud<T>(name: string, data: Record<string, unknown>): Promise<T> {
    if (!this.host.callFunction) throw new HostError('unsupported', 'cloud functions');
    const r = (await this.host.callFunction(name, data)) as { error?: { code: string; message: string } } & T;
    if (r && typeof r === 'object' && r.error) {
      const status = r.error.code === 'database_unavailable' ? 503 : r.error.code === 'rate_limited' ? 429 : 400;
      throw new ApiError(r.error.code, r.error.message, status);
    }
    return r;
  }

  listBatches(after: number): Promise<BatchListResponse> {
    return this.settings.backend === 'cloud' ? this.cloud('listBatches', { after }) : this.http('GET', `/v1/batches?after=${after}`);
  }

  async batchBody(n: number): Promise<Uint8Array> {
    if (this.settings.backend === 'cloud') {
      const r = await this.cloud<{ body: string }>('getBatch', { n });
      return fromBase64url(r.body);
    }
    const r = await this.host.request({ method: 'GET', url: `${this.settings.serverUrl.replace(/\/$/, '')}/v1/batches/${n}`, responseType: 'arraybuffer' });
    if (r.status !== 200 || !r.bytes) throw new ApiError(r.status === 404 ? 'not_found' : 'http_error', `batch ${n}: the server answered ${r.status}`, r.status);
    return r.bytes;
  }

  publicKey(): Promise<PublicKeyResponse> {
    return this.settings.backend === 'cloud' ? this.cloud('publicKey', {}) : this.http('GET', '/v1/public-key');
  }

  config(): Promise<SignedConfigResponse> {
    return this.settings.backend === 'cloud' ? this.cloud('getConfig', {}) : this.http('GET', '/v1/config');
  }

  upload(body: UploadRequest, fake = false): Promise<UploadResponse> {
    if (this.settings.backend === 'cloud') return this.cloud('uploadKeys', { ...body, ...(fake ? { fake: true } : {}) });
    return this.http('POST', '/v1/diagnosis-keys', body, fake ? { 'X-Fake': '1' } : undefined);
  }
}
