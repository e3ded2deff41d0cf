/**
 * Report: a diagnosed user enters the authority's code, sees which days will be uploaded, leaves
 * some out, and uploads. Only after the server accepted the upload is the tek replaced and the
 * status set to red (self-reported); a wrong or used code changes nothing.
 */
import { codeFromRandom, normalizeCode } from '../../shared/api/code';
import { UPLOAD_ID_BYTES } from '../../shared/api/upload';
import { MAX_UPLOAD_REGIONS } from '../../shared/regions';
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
  /**
   * One uploadId per attempt — the same code, days and check-in choice — until it succeeds: sent
   * again (the answer to the first send was lost), it lets the server recognise the retry.
   */
  private uploadIds = new Map<string, string>();

  constructor(
    private host: Host,
    private keys: KeyStore,
    private api: ApiClient,
    private status: StatusEngine,
    /** Check-ins offered alongside the keys. */
    private checkins: CheckinService,
    /** §15: the regions an upload names unless the user changes them (home, then visited). */
    private defaultRegions: () => number[] = () => [],
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
    regions: number[] = this.defaultRegions(),
  ): Promise<{ request: UploadRequest; checkinIds: string[] }> {
    const normalized = normalizeCode(code);
    const skip = new Set(leaveOut);
    const keys = this.keys
      .uploadableDays(this.nowS())
      .filter((i) => !skip.has(i))
      .map((i) => ({ aemk: toBase64url(this.keys.aemk(i)), i }));
    if (keys.length === 0) throw new PrtcError('no_keys', 'choose at least one day to upload');
    if (regions.length > MAX_UPLOAD_REGIONS || new Set(regions).size !== regions.length)
      throw new PrtcError('too_many_regions', `an upload names at most ${MAX_UPLOAD_REGIONS} different regions`);
    const attempt = `${normalized}|${keys.map((k) => k.i).join(',')}|${includeCheckins}|${regions.join(',')}`;
    let uploadId = this.uploadIds.get(attempt);
    if (!uploadId) {
      uploadId = toBase64url(await this.host.randomBytes(UPLOAD_ID_BYTES));
      this.uploadIds.set(attempt, uploadId);
    }
    const request: UploadRequest = { code: normalized, keys, uploadId, ...(regions.length ? { regions } : {}) };
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
  async upload(
    code: string,
    leaveOut: number[],
    includeCheckins: boolean,
    regions?: number[],
  ): Promise<{ accepted: number; checkins: number }> {
    const { request, checkinIds } = await this.buildRequest(code, leaveOut, includeCheckins, regions);
    const r = await this.api.upload(request);
    this.uploadIds.clear(); // done: another upload with this code is not a retry of this one
    // the server has the keys: first what a kill must not lose (the user is red; its own check-ins
    // never warn it), then a fresh tek for the days to come
    this.status.markSelfReported(this.nowS());
    this.checkins.markReported(checkinIds);
    await this.keys.replace();
    return { accepted: r.accepted, checkins: checkinIds.length };
  }

  /**
   * A cover upload (§10, `X-Fake: 1`): the shape and size of a real one from this phone — a random
   * code, as many random keys for the same days as a real upload would carry, an uploadId, padding —
   * so that nobody watching the network can tell when someone here really reports. The server
   * checks it like a real one, takes as long, and stores nothing.
   */
  async fakeUpload(): Promise<void> {
    const days = this.keys.uploadableDays(this.nowS());
    const random = await this.host.randomBytes(7 + UPLOAD_ID_BYTES + 32 * days.length);
    const keys = days.map((i, k) => ({
      aemk: toBase64url(random.subarray(7 + UPLOAD_ID_BYTES + 32 * k, 7 + UPLOAD_ID_BYTES + 32 * (k + 1))),
      i,
    }));
    // the regions a real upload from this phone would name (§15), so the fake has its shape
    const regions = this.defaultRegions();
    await this.api.upload(
      {
        code: codeFromRandom(random.subarray(0, 7)),
        keys,
        uploadId: toBase64url(random.subarray(7, 7 + UPLOAD_ID_BYTES)),
        ...(regions.length ? { regions } : {}),
      },
      true,
    );
  }
}
