/**
 * The health code a gate scans (§8) and the gate that scans one: the code is made afresh from the
 * status and the newest verified checkpoint; the gate verifies a visitor's code offline with the
 * pinned key and keeps no log.
 */
import { encodeHealthCode, verifyHealthCode, type GateResult } from '../../shared/protocol/healthcode';
import { hostErrorCode } from '../host/errors';
import { gateReasonText } from '../i18n/messages';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';

export class HealthCodeActions {
  constructor(private readonly core: DeviceCore) {}

  /** The health code (§8) to show now, or null before the first verified sync. */
  code(): string | null {
    const core = this.core;
    const cp = core.sync.checkpoint;
    if (!cp) return null;
    const s = core.status.state;
    return encodeHealthCode({ status: s.status, issuedAt: core.nowS(), statusComputedAt: s.computedAt ?? core.nowS(), checkpoint: cp });
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
