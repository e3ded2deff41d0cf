/**
 * Report: a diagnosed user enters the authority's code, sees which days will be uploaded, leaves
 * some out, and uploads. Only after the server accepted the upload is the tek replaced and the
 * status set to red (self-reported); a wrong or used code changes nothing.
 */
import { normalizeCode, type CheckinJson, type UploadRequest } from '../../shared/api';
import { toBase64url } from '../../shared/codec';
import { PrtcError } from '../../shared/errors';
import { dayLabel } from '../../shared/time';
import type { Host } from '../host/types';
import { ApiClient } from './api';
import { KeyStore } from './keystore';
import { StatusEngine } from './status';

export interface ReportPlanDay { i: number; date: string }

export class ReportService {
  constructor(
    private host: Host,
    private keys: KeyStore,
    private api: ApiClient,
    private status: StatusEngine,
    /** Check-ins offered alongside the keys (venues); none by default. */
    private checkins: { forUpload(nowS: number): Promise<CheckinJson[]>; count(): number } = { forUpload: async () => [], count: () => 0 },
  ) {}

  private nowS() {
    return Math.floor(this.host.nowMs() / 1000);
  }

  plan(): ReportPlanDay[] {
    return this.keys.uploadableDays(this.nowS()).map((i) => ({ i, date: dayLabel(i) }));
  }

  checkinCount(): number {
    return this.checkins.count();
  }

  async buildRequest(code: string, leaveOut: number[], includeCheckins: boolean): Promise<UploadRequest> {
    const normalized = normalizeCode(code);
    const skip = new Set(leaveOut);
    const keys = this.keys.uploadableDays(this.nowS()).filter((i) => !skip.has(i)).map((i) => ({ aemk: toBase64url(this.keys.aemk(i)), i }));
    if (keys.length === 0) throw new PrtcError('no_keys', 'choose at least one day to upload');
    const req: UploadRequest = { code: normalized, keys };
    if (includeCheckins) {
      const c = await this.checkins.forUpload(this.nowS());
      if (c.length) req.checkins = c;
    }
    return req;
  }

  /** Uploads; on success rotates the tek and marks the status red. Throws ApiError/PrtcError/HostError. */
  async upload(code: string, leaveOut: number[], includeCheckins: boolean): Promise<{ accepted: number }> {
    const req = await this.buildRequest(code, leaveOut, includeCheckins);
    const r = await this.api.upload(req);
    await this.keys.replace();
    this.status.markSelfReported(this.nowS());
    this.status.recompute(this.nowS());
    return r;
  }
}
