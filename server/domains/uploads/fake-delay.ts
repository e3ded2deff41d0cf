/**
 * How long a fake upload (`X-Fake: 1`, §10) takes, so that timing does not tell it from a real one:
 * each fake draws the duration of one of the last real uploads and waits until it has taken that
 * long. Drawing from what real uploads took (rather than waiting around their mean) gives fakes the
 * same distribution, tail included.
 */
export class FakeDelay {
  private samples: number[] = [];
  private next = 0;

  constructor(
    private capacity = 256,
    private initialMs = 20,
  ) {}

  /** Records how long a real upload took (ms). */
  observe(ms: number): void {
    if (this.samples.length < this.capacity) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
  }

  /** How much longer a fake that has already spent `spentMs` should wait. */
  remaining(spentMs: number, random = Math.random): number {
    const target = this.samples.length ? this.samples[Math.floor(random() * this.samples.length)] : this.initialMs * (0.5 + random());
    return Math.max(0, target - spentMs);
  }
}
