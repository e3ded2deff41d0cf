/**
 * How long a fake upload (`X-Fake: 1`, §10) waits so that it takes about as long as a real one: a
 * moving average of real upload durations, and a draw around it for each fake.
 */
export class FakeDelay {
  private averageMs: number;

  constructor(
    initialMs = 20,
    private weight = 0.1,
  ) {
    this.averageMs = initialMs;
  }

  /** Records how long a real upload took. */
  observe(ms: number): void {
    this.averageMs = (1 - this.weight) * this.averageMs + this.weight * ms;
  }

  /** How long a fake that has already spent `spentMs` should still wait. */
  remaining(spentMs: number, random = Math.random): number {
    return Math.max(0, this.averageMs * (0.8 + 0.4 * random()) - spentMs);
  }
}
