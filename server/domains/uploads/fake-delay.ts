/**
 * How long a fake upload (`X-Fake: 1`, §10) takes, so that timing does not tell it from a real one:
 * each fake draws the duration of one of the last real uploads and waits until it has taken that
 * long. Drawing from what real uploads took (rather than waiting around their mean) gives fakes the
 * same distribution, tail included. The durations are shared by every instance through the
 * database (`upload_timing`, uploads/service.ts), so a fake sent to an instance that has seen no
 * real upload yet is not told apart by taking a default time.
 *
 * A real upload on SQLite takes about a millisecond, the granularity of Node's timers (a timer asked
 * for 0.4 ms fires after 1 ms or more): a timer alone would make every short fake too long. So the
 * timer covers all but the last 2 ms, and the rest is waited in `setImmediate` turns, which let
 * other requests run in between and end within a few microseconds of the target.
 */
const TIMER_SLACK_MS = 2;

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

  /** How many durations fakes draw from. */
  get size(): number {
    return this.samples.length;
  }

  /** Starts over from durations shared by every instance (ms); keeps its own when there are none. */
  replace(samplesMs: number[]): void {
    if (!samplesMs.length) return;
    this.samples = samplesMs.slice(0, this.capacity);
    this.next = this.samples.length % this.capacity;
  }

  /** How much longer a fake that has already spent `spentMs` should take. */
  remaining(spentMs: number, random = Math.random): number {
    const target = this.samples.length ? this.samples[Math.floor(random() * this.samples.length)] : this.initialMs * (0.5 + random());
    return Math.max(0, target - spentMs);
  }

  /** Waits as long as `remaining` says, to within microseconds. */
  async wait(spentMs: number): Promise<void> {
    const ms = this.remaining(spentMs);
    const until = performance.now() + ms;
    if (ms > TIMER_SLACK_MS) await new Promise((r) => setTimeout(r, ms - TIMER_SLACK_MS));
    while (performance.now() < until) await new Promise((r) => setImmediate(r));
  }
}
