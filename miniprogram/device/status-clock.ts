/**
 * The status ages by itself (§6: an exposure stops counting `exposureDays` after its day): once the
 * lifecycle started, a timer on the host's timers wakes the phone at the next moment the status or
 * its countdown changes — a reason that stops counting, or the next local midnight (the countdown
 * in days) — and the 15-s tick asks too, because a host may suspend timers in the background and
 * fire them late. Either recomputes from the stored matches; a status that did not change keeps the
 * time it was computed.
 */
import { nextLocalMidnight } from '../services/tracing-time';
import type { DeviceCore } from './core';

/** Host timers are not meant for days (setTimeout's limit is 2^31 − 1 ms): at most a day ahead, then again. */
const MAX_WAIT_S = 86400;

export class StatusClock {
  private cancel: (() => void) | null = null;
  private running = false;

  constructor(private readonly core: DeviceCore) {}

  start(): void {
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.cancel?.();
    this.cancel = null;
  }

  /** The tick's and the timer's check: recomputes, says so when the status changed, and sets the next timer. */
  check(): boolean {
    const core = this.core;
    const changed = core.status.refresh(core.nowS(), core.sync.matched());
    this.arm();
    return changed;
  }

  /** Sets the timer for the next moment the status or its countdown changes by itself. */
  arm(): void {
    this.cancel?.();
    this.cancel = null;
    if (!this.running) return;
    const now = this.core.nowS();
    const s = this.core.status.state;
    const next = Math.min(nextLocalMidnight(now), s.levelUntil ?? Infinity, s.greenAt ?? Infinity, now + MAX_WAIT_S);
    this.cancel = this.core.host.timers.after(Math.max(1, next - now) * 1000, () => {
      this.cancel = null;
      this.check();
      this.core.emit();
    });
  }
}
