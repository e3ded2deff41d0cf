/**
 * Venue codes the owner makes on this phone (§7): checked as typed, drawn as a poster, saved to the
 * album, shared to a chat. Nothing of them leaves the phone but the poster and the link the owner
 * hands out.
 */
import { nameBytesLeft, type VenueDraft } from '../../shared/poster/venue-draft';
import { hostErrorCode } from '../host/errors';
import type { StringKey } from '../i18n';
import type { OwnVenue } from '../services/venue-codes';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';

export class VenueActions {
  constructor(private readonly core: DeviceCore) {}

  /** What is wrong with a venue as typed, one sentence per field (empty when it can be made). */
  problems(d: VenueDraft): string[] {
    return this.core.venueCodes.problems(d).map((p) => this.core.text(`venueErr_${p}` as StringKey));
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

  /**
   * What sharing a venue to a chat sends: its name as the title and the check-in page with the link
   * as `q` — the same way in as WeChat's own scanner (pages/checkin reads `q`).
   */
  share(id: string): { title: string; path: string } | null {
    const v = this.core.venueCodes.list().find((x) => x.id === id);
    return v ? { title: v.draft.name, path: `/pages/checkin/index?q=${encodeURIComponent(v.link)}` } : null;
  }
}
