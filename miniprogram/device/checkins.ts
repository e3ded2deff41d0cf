/**
 * Checking in at a venue (§7): a venue code from the scanner or from a link WeChat's own scanner
 * opened, checked the same way; the stay, and the check-out by hand (or by itself after the
 * venue's usual visit, services/checkins.ts).
 */
import { PrtcError } from '../../shared/errors';
import { hostErrorCode } from '../host/errors';
import { venueRefusedText } from '../i18n/messages';
import type { ScannedVenue } from '../services/checkins';
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

  checkIn(v: ScannedVenue, minutes: number): void {
    this.core.checkins.checkIn(v, minutes);
    this.core.emit();
  }

  checkOut(id: string): void {
    this.core.checkins.checkOut(id);
    this.core.emit();
  }
}
