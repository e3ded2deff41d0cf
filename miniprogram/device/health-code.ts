/**
 * The health code a gate scans (§8) and the gate that scans one: the code is made afresh from the
 * status and the newest verified checkpoint; the gate verifies a visitor's code offline with the
 * pinned key and keeps no log.
 */
import { encodeHealthCode, verifyHealthCode, type GateResult } from '../../shared/protocol/healthcode';
import { hostErrorCode } from '../host/errors';
import { gateReasonText } from '../i18n/messages';
import type { DeviceCore } from './core';
import { MemberActions } from './members';
import { done, refused, type Outcome } from './outcome';

export class HealthCodeActions {
  constructor(private readonly core: DeviceCore) {}

  /**
   * The health code (§8; version 2, carrying the newest verified root, §15) to show now, or null
   * before the first verified sync. With `memberId`: that family member's code (version 3, issue 32),
   * its status by the user's rules over what happened while it was with the phone, and its place;
   * null for a member no longer on the phone.
   */
  code(memberId?: string): string | null {
    const core = this.core;
    const root = core.sync.root;
    if (!root) return null;
    const s = core.status.state;
    const claim = { issuedAt: core.nowS(), statusComputedAt: s.computedAt ?? core.nowS(), root };
    if (memberId === undefined) return encodeHealthCode({ status: s.status, ...claim });
    const m = MemberActions.derive(core).find((x) => x.id === memberId);
    if (!m) return null;
    return encodeHealthCode({ status: m.status, ...claim, member: { index: m.position, count: m.count } });
  }

  /** While the health code is on screen: full brightness, screen on, hidden from screenshots. */
  async showing(on: boolean): Promise<void> {
    const { screen } = this.core.host;
    await Promise.all([
      screen.setBrightness(on ? 1 : -1).catch(() => undefined),
      screen.hideFromCapture(on).catch(() => undefined),
      // tracing keeps the screen on by itself: leaving the code page must not turn that off
      on || !this.core.tracing.isRunning ? screen.keepOn(on).catch(() => undefined) : Promise.resolve(),
    ]);
  }

  /** Gate mode: scans a visitor's health code and verifies it offline with the pinned key. Keeps no log. */
  async gateScan(): Promise<Outcome<GateResult & { reasonTexts: string[] }>> {
    const core = this.core;
    let key: Uint8Array;
    try {
      key = await core.publicKey();
    } catch {
      return refused('no_key', core.text('gateNoKey'));
    }
    let text: string;
    try {
      text = await core.host.scanCode();
    } catch (e) {
      const code = hostErrorCode(e);
      return refused(code, code === 'cancelled' ? null : core.hostText(e));
    }
    const r = verifyHealthCode(text, key, core.nowS());
    return done({ ...r, reasonTexts: r.reasons.map((x) => gateReasonText(core.view.lang, x.code)) });
  }
}
