/**
 * Venue codes the owner makes on this phone (§7): checked as typed, drawn as a poster, saved to the
 * album, shared to a chat. Nothing of them leaves the phone but the poster and the link the owner
 * hands out.
 */
import { nameBytesLeft, type VenueDraft } from '../../shared/poster/venue-draft';
import { hostErrorCode } from '../host/errors';
import type { StringKey } from '../i18n';
import { defaultWarnWindow, locationIdHashOf, type OwnVenue } from '../services/venue-codes';
import { venueWarningWindowProblem, VENUE_WARNING_MAX_LENGTH_S } from '../../shared/api/venue-warning';
import { ApiError } from '../services/api';
import { venueWarningErrorText } from '../i18n/messages';
import type { WarningLevel } from '../../shared/protocol/batch';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';

export class VenueActions {
  constructor(private readonly core: DeviceCore) {}

  /** What is wrong with a venue as typed, one sentence per field (empty when it can be made). */
  problems(d: VenueDraft): string[] {
    const found = this.core.venueCodes.problems(d);
    // §15: a region the phone's list does not know is refused too (the list may come from the signed configuration)
    if (d.region !== undefined && d.region !== null && !found.includes('region_invalid') && this.core.regions.name(d.region) === null)
      found.push('region_invalid');
    return found.map((p) => this.core.text(`venueErr_${p}` as StringKey));
  }

  /** UTF-8 bytes still free for the name (§7: 100), negative when over. */
  nameBytesLeft(name: string): number {
    return nameBytesLeft(name);
  }

  /** Makes a venue's code and keeps it on this phone. */
  async create(d: VenueDraft): Promise<Outcome<OwnVenue>> {
    const core = this.core;
    if (!core.features.venues) return refused('unsupported', core.text('featureOff_venues'));
    const problems = this.problems(d);
    if (problems.length) return refused('invalid_value', problems.join(' '));
    try {
      const v = await core.venueCodes.create(d);
      core.emit();
      return done(v);
    } catch (e) {
      return refused(hostErrorCode(e), core.hostText(e));
    }
  }

  remove(id: string): void {
    this.core.venueCodes.remove(id);
    this.core.emit();
  }

  /** Draws a venue's poster: the path of the image to preview and save. */
  async poster(id: string): Promise<Outcome<string>> {
    const core = this.core;
    const v = core.venueCodes.list().find((x) => x.id === id);
    if (!v) return refused('not_found', core.text('venueNone'));
    try {
      return done(await core.venueCodes.poster(v));
    } catch (e) {
      const code = hostErrorCode(e);
      return refused(code, code === 'unsupported' ? core.text('venueCannotDraw') : core.hostText(e));
    }
  }

  /** Saves a drawn poster to the photo album; after a refusal of album access, says how to allow it. */
  async savePoster(path: string): Promise<Outcome> {
    const core = this.core;
    try {
      await core.venueCodes.save(path);
      return done(null);
    } catch (e) {
      const code = hostErrorCode(e);
      if (code === 'privacy_not_agreed') core.emit({ privacyPrompt: false });
      return refused(code, code === 'permission_denied' ? core.text('venueAlbumDenied') : core.hostText(e));
    }
  }

  /** Issue 31: the window a warning of this venue offers first (Unix s), or null for a venue not made here. */
  warnWindow(id: string): { start: number; end: number } | null {
    const v = this.core.venueCodes.list().find((x) => x.id === id);
    return v ? defaultWarnWindow(v, this.core.nowS()) : null;
  }

  /**
   * Issue 31: warns everyone who checked in at one of this phone's venues during [start, end) (Unix s),
   * with the health authority's one-time venue warning code. What leaves the phone: the code, the
   * venue's SHA-256(locationId) and the window — never its name. A bad window or an empty code is
   * refused before anything is sent.
   */
  async warn(id: string, code: string, start: number, end: number): Promise<Outcome<{ level: WarningLevel }>> {
    const core = this.core;
    const v = core.venueCodes.list().find((x) => x.id === id);
    if (!v) return refused('not_found', core.text('venueNone'));
    const typed = code.trim().toUpperCase();
    if (!typed) return refused('invalid_code_format', core.text('warnCodeEmpty'));
    // the server's rules (shared/api/venue-warning.ts), with a minute's slack: the phone checks its own clock
    const why = venueWarningWindowProblem(start, end, core.nowS(), VENUE_WARNING_MAX_LENGTH_S, 60);
    if (why) return refused('invalid_interval', core.text(`warnWindow_${why}` as StringKey));
    try {
      const r = await core.api.venueWarning({ code: typed, locationIdHash: locationIdHashOf(v), start, end });
      return done({ level: r.level }, core.text('warnSent', { level: core.text(`warnLevel_${r.level}` as StringKey) }));
    } catch (e) {
      if (e instanceof ApiError) return refused(e.code, venueWarningErrorText(core.view.lang, e.code));
      return refused(hostErrorCode(e), core.hostText(e));
    }
  }

  /**
   * What sharing a venue to a chat sends: its name as the title and the check-in page with the link
   * as `q` — the same way in as WeChat's own scanner (pages/checkin reads `q`).
   */
  share(id: string): { title: string; path: string } | null {
    const v = this.core.venueCodes.list().find((x) => x.id === id);
    return v ? { title: v.draft.name, path: `/pages/checkin/index?q=${encodeURIComponent(v.link)}` } : null;
  }
}
