/**
 * Report: a diagnosed user enters the authority's code, sees which days will be uploaded, leaves
 * some out, and uploads. Only after the server accepted the upload is the tek replaced and the
 * status set to red (self-reported); a wrong or used code changes nothing.
 */
import { normalizeCode } from '../../shared/api/code';
import type { UploadRequest } from '../../shared/api/types';
import { toBase64url } from '../../shared/protocol/codec';
import { PrtcError } from '../../shared/errors';
import { dayLabel } from '../../shared/protocol/time';
import type { Host } from '../host/types';
import { ApiClient } from './api';
import type { CheckinService } from './checkins';
import { KeyStore } from './keystore';
import { StatusEngine } from './status';

export interface ReportPlanDay {
  i: number;
  date: string;
}

export class ReportService {
  constructor(
    private host: Host,
    private keys: KeyStore,
    private api: ApiClient,
    private status: StatusEngine,
    /** Check-ins offered alongside the keys. */
    private checkins: CheckinService,
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

  /** The upload request, and the check-ins it carries (to be marked reported once it succeeded). */
  async buildRequest(
    code: string,
    leaveOut: number[],
    includeCheckins: boolean,
  ): Promise<{ request: UploadRequest; checkinIds: string[] }> {
    const normalized = normalizeCode(code);
    const skip = new Set(leaveOut);
    const keys = this.keys
      .uploadableDays(this.nowS())
      .filter((i) => !skip.has(i))
      .map((i) => ({ aemk: toBase64url(this.keys.aemk(i)), i }));
    if (keys.length === 0) throw new PrtcError('no_keys', 'choose at least one day to upload');
    const request: UploadRequest = { code: normalized, keys };
    if (!includeCheckins) return { request, checkinIds: [] };
    const c = await this.checkins.forUpload(this.nowS());
    if (c.entries.length) request.checkins = c.entries;
    return { request, checkinIds: c.ids };
  }

  /**
   * Uploads; on success records the self-report (the status turns red), marks the uploaded
   * check-ins as reported (so this phone's own warning never warns it) and rotates the tek. Throws ApiError/PrtcError/HostError and
   * then changes nothing.
   */
  async upload(code: string, leaveOut: number[], includeCheckins: boolean): Promise<{ accepted: number }> {
    const { request, checkinIds } = await this.buildRequest(code, leaveOut, includeCheckins);
    const r = await this.api.upload(request);
    // the server has the keys: first what a kill must not lose (the user is red; its own check-ins
    // never warn it), then a fresh tek for the days to come
    this.status.markSelfReported(this.nowS());
    this.checkins.markReported(checkinIds);
    await this.keys.replace();
    return r;
  }
}
