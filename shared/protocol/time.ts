/** §1 Time: ENIN, day intervals and the retention window. */

export const ENIN_SECONDS = 600;
export const ROLLING_PERIOD = 144;
export const RETENTION_DAYS = 14;

/** ENIN(t) = floor(t / 600) for Unix time t in seconds. */
export function enin(unixSeconds: number): number {
  return Math.floor(unixSeconds / ENIN_SECONDS);
}

/** The ENIN at which the UTC day containing `eninValue` starts. */
export function dayInterval(eninValue: number): number {
  return Math.floor(eninValue / ROLLING_PERIOD) * ROLLING_PERIOD;
}

export function isDayAligned(i: number): boolean {
  return Number.isInteger(i) && i >= 0 && i % ROLLING_PERIOD === 0;
}

/**
 * The oldest day interval still inside the retention window on the day of `nowEnin`:
 * `i_today - 14 * 144`. Anything with `i` below this is deleted (device) or not served (server).
 */
export function retentionStart(nowEnin: number): number {
  return dayInterval(nowEnin) - RETENTION_DAYS * ROLLING_PERIOD;
}

export function eninToUnix(eninValue: number): number {
  return eninValue * ENIN_SECONDS;
}

/** "2026-11-23" for the UTC day that starts at day interval `i`. */
export function dayLabel(i: number): string {
  return new Date(eninToUnix(i) * 1000).toISOString().slice(0, 10);
}
