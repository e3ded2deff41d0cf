/**
 * Brute-force protection for upload codes, without IP addresses (which the server never sees in
 * its logic, and never stores): failures are counted per code value (hashed) and overall per
 * minute. Past either limit, code checks answer 429 until the window passes.
 */
export class FailureLimiter {
  private perCode = new Map<string, { n: number; until: number }>();
  private windowStart = 0;
  private windowCount = 0;

  constructor(
    private maxPerCode: number,
    private maxPerMinute: number,
    private codeWindowS = 3600,
  ) {}

  /** Whether a check of this code may proceed now. */
  allowed(codeHash: string, now: number): boolean {
    if (now - this.windowStart >= 60) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    if (this.windowCount >= this.maxPerMinute) return false;
    const e = this.perCode.get(codeHash);
    return !e || e.until <= now || e.n < this.maxPerCode;
  }

  fail(codeHash: string, now: number): void {
    if (now - this.windowStart >= 60) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount++;
    const e = this.perCode.get(codeHash);
    if (!e || e.until <= now) this.perCode.set(codeHash, { n: 1, until: now + this.codeWindowS });
    else e.n++;
    if (this.perCode.size > 100_000) {
      for (const [k, v] of this.perCode) if (v.until <= now) this.perCode.delete(k);
    }
  }
}
