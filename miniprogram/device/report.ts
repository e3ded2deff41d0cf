/**
 * Reporting a positive test (§10): the days an upload would carry, the upload with a one-time code
 * (keys rotate only on success), the code in a link, and the cover uploads that make a real report
 * one upload among many that look the same.
 */
import { PrtcError } from '../../shared/errors';
import { HostError } from '../host/errors';
import { dayText } from '../i18n/dates';
import { uploadErrorText } from '../i18n/messages';
import { ApiError } from '../services/api';
import { isObj } from '../services/storage';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';

/** Cover uploads (§10): one at a random moment within every two days the mini-program is open (one a day on average). */
export const FAKE_UPLOAD_WINDOW_S = 2 * 86400;

export class ReportActions {
  constructor(private readonly core: DeviceCore) {}

  /** The days a report would upload now, newest first. */
  plan(): { i: number; date: string }[] {
    return this.core.keys.uploadableDays(this.core.nowS()).map((i) => ({ i, date: dayText(this.core.view.lang, i) }));
  }

  /** How many check-ins a report would offer. */
  checkinCount(): number {
    return this.core.checkins.count();
  }

  /** Upload after a diagnosis. The value: keys accepted. */
  async upload(code: string, leaveOut: number[], includeCheckins: boolean, regions?: number[]): Promise<Outcome<number>> {
    const core = this.core;
    if (!core.features.keys) return refused('unsupported', core.text('featureOff_keys'));
    if (regions && regions.length > 8) return refused('too_many_regions', core.text('tooManyRegions'));
    try {
      const r = await core.report.upload(code, leaveOut, includeCheckins, regions);
      try {
        core.history.upload({ at: core.nowS(), keys: r.accepted, checkins: r.checkins });
      } catch {
        // a full storage: the history misses one line; the upload happened
      }
      core.recomputeStatus();
      core.emit();
      return done(r.accepted, core.text('uploadDone', { n: r.accepted }));
    } catch (e) {
      if (e instanceof ApiError || e instanceof PrtcError) return refused(e.code, uploadErrorText(core.view.lang, e.code));
      if (e instanceof HostError && (e.code === 'network' || e.code === 'timeout')) return refused(e.code, core.text('uploadOffline'));
      if (e instanceof HostError) return refused(e.code, core.hostText(e));
      return refused('internal_error', uploadErrorText(core.view.lang, 'internal_error'));
    }
  }

  /**
   * The upload code in a link the user scanned or opened (§10: `https://<host>/u#<code>`, or the
   * `q` WeChat passes when its own scanner opens the mini-program), or null when it is not one.
   */
  codeFromLink(link: string): string | null {
    const m = /^https:\/\/[^/?#]+\/u#([0-9A-Za-z -]{10,16})$/.exec(link.trim());
    return m ? m[1].toUpperCase() : null;
  }

  /**
   * Sends a cover upload when its random moment has come (plausible deniability: a real report is
   * one upload among many that look the same), and draws the next moment.
   */
  async maybeFakeUpload(): Promise<void> {
    const core = this.core;
    const now = core.nowS();
    const nextAt = core.storage.getJson('fakeUpload', (v) => (isObj(v) && typeof v.nextAt === 'number' ? v.nextAt : null));
    if ((nextAt !== null && now < nextAt) || !core.features.keys) return;
    const r = await core.host.randomBytes(4);
    const draw = ((r[0] | (r[1] << 8) | (r[2] << 16)) >>> 0) / 0x1000000; // uniform in [0, 1)
    core.storage.setJson('fakeUpload', { nextAt: now + Math.floor(draw * FAKE_UPLOAD_WINDOW_S) });
    if (nextAt !== null) await core.report.fakeUpload().catch(() => undefined);
  }
}
