/**
 * When the phone syncs by itself (nobody has to press a button for a health code to stay valid):
 * - at launch and whenever the mini-program comes back, if the last sync is older than an hour;
 * - while its JavaScript runs — on screen, and in the background where background tracing keeps it
 *   running (§4) — every three hours, and as soon as the health code has less than four hours left
 *   before gates refuse it (§8: a checkpoint signed within 24 h);
 * - after a failure, again after 1, 2, 4, … minutes, at most an hour apart — the "we will try again"
 *   the messages promise.
 * A phone whose last successful check is 36 hours old says so on its home page (`overdue`): with
 * background tracing off, nothing checks while the mini-program is closed.
 */
export const STALE_AFTER_S = 3600;
export const PERIOD_S = 3 * 3600;
export const WARN_BEFORE_EXPIRY_S = 4 * 3600;
export const BACKOFF_S = [60, 120, 240, 480, 960, 1920, 3600];
export const OVERDUE_AFTER_S = 36 * 3600;

/** No successful check for OVERDUE_AFTER_S (a phone that never checked says "not checked yet" instead). */
export function overdue(nowS: number, lastSyncAt: number | null): boolean {
  return lastSyncAt !== null && nowS - lastSyncAt >= OVERDUE_AFTER_S;
}

export type SyncReason = 'launch' | 'show' | 'tick';

export class SyncSchedule {
  private failures = 0;
  /** When to try again after a failure (Unix s); null when the last attempt succeeded. */
  nextRetryAt: number | null = null;

  /** Whether a sync should start now. */
  due(reason: SyncReason, nowS: number, lastSyncAt: number | null, acceptedUntil: number | null): boolean {
    if (this.nextRetryAt !== null) return nowS >= this.nextRetryAt;
    if (lastSyncAt === null) return true;
    const age = nowS - lastSyncAt;
    if (reason !== 'tick') return age >= STALE_AFTER_S;
    return age >= PERIOD_S || (acceptedUntil !== null && acceptedUntil - nowS < WARN_BEFORE_EXPIRY_S && age >= STALE_AFTER_S);
  }

  succeeded(): void {
    this.failures = 0;
    this.nextRetryAt = null;
  }

  failed(nowS: number): void {
    this.nextRetryAt = nowS + BACKOFF_S[Math.min(this.failures, BACKOFF_S.length - 1)];
    this.failures++;
  }
}
