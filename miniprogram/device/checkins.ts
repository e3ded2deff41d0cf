/**
 * Checking in at a venue (§7): a venue code from the scanner or from a link WeChat's own scanner
 * opened, checked the same way; the stay, and the check-out by hand (or by itself after the
 * venue's usual visit, services/checkins.ts).
 */
import { PrtcError } from '../../shared/errors';
import { hostErrorCode } from '../host/errors';
import type { StringKey } from '../i18n';
import { clockText } from '../i18n/dates';
import { venueRefusedText } from '../i18n/messages';
import { CheckinRefusal, type Checkin, type ScannedVenue } from '../services/checkins';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';

export class CheckinActions {
  constructor(private readonly core: DeviceCore) {}

  /** Opens the scanner for a venue code: the venue and stay choices, or why it cannot be used (nothing stored). */
  async scan(): Promise<Outcome<ScannedVenue>> {
    let text: string;
    try {
      text = await this.core.host.scanCode();
    } catch (e) {
      const code = hostErrorCode(e);
      return refused(code, code === 'cancelled' ? null : this.core.text('venueRefused', { reason: this.core.hostText(e) }));
    }
    return this.fromLink(text);
  }

  /**
   * A venue link that opened the mini-program (WeChat's own scanner passes it as `q`), checked as
   * the in-app scanner checks it.
   */
  fromLink(text: string): Outcome<ScannedVenue> {
    try {
      return done(this.core.checkins.inspect(text.trim()));
    } catch (e) {
      const code = e instanceof PrtcError ? e.code : 'internal_error';
      return refused(code, venueRefusedText(this.core.view.lang, code));
    }
  }

  /**
   * Checks in; a rescan of the open stay's venue extends it, and says so ("still checked in, extended
   * to 14:30"). `companions`: family members checked in with the user (issue 32); ids no longer on the
   * phone are dropped.
   */
  checkIn(v: ScannedVenue, minutes: number, companions: string[] = []): Outcome<Checkin> {
    const known = new Set(this.core.members.members().map((m) => m.id));
    const { checkin, extended } = this.core.checkins.checkIn(
      v,
      minutes,
      companions.filter((id) => known.has(id)),
    );
    this.core.emit();
    return done(
      checkin,
      extended ? this.core.text('checkinExtended', { venue: checkin.description, until: clockText(checkin.checkOutAt) }) : null,
    );
  }

  /** Corrects a check-in's times (Unix s) within the day the stay began; why not, when not (nothing changed). */
  edit(id: string, checkInAt: number, checkOutAt: number): Outcome<Checkin> {
    return this.attempt(() => this.core.checkins.edit(id, checkInAt, checkOutAt), 'checkinEdited');
  }

  /** A check-in entered by hand from a venue's link (photographed or shared), for a stay that is over. */
  addManual(link: string, checkInAt: number, checkOutAt: number): Outcome<Checkin> {
    return this.attempt(() => this.core.checkins.addManual(link, checkInAt, checkOutAt), 'checkinAdded');
  }

  private attempt(act: () => Checkin, doneKey: StringKey): Outcome<Checkin> {
    let c: Checkin;
    try {
      c = act();
    } catch (e) {
      if (e instanceof CheckinRefusal) return refused(e.code, this.core.text(`ce_${e.code}`));
      const code = e instanceof PrtcError ? e.code : 'internal_error';
      return refused(code, code === 'invalid_value' ? this.core.text('ce_invalid_time') : venueRefusedText(this.core.view.lang, code));
    }
    this.core.emit();
    return done(c, this.core.text(doneKey, { venue: c.description }));
  }

  checkOut(id: string): void {
    this.core.checkins.checkOut(id);
    this.core.emit();
  }
}
