/**
 * The simulated world several simulated phones share: one clock, the phones' JavaScript timers on
 * that clock, and a Bluetooth radio that delivers each advertising phone's frame to every scanning
 * phone within range, with an RSSI that falls with distance — as each platform lets the scanner see
 * it (handset/air.ts: iOS in the background, Android with the screen off, scan filters).
 * Platform-free: nothing here imports Node.
 */
import type { WxBluetoothDevice } from '../miniprogram/host/wechat/wx';
import { perceive, type Listening, type OnAir } from './handset/air';

/** What the world needs of a phone to carry its radio traffic and run its timers. */
export interface RadioPhone {
  readonly name: string;
  position: { x: number; y: number };
  /** The advertisement on air and what decides how others see it; null when not advertising or Bluetooth is off. */
  air(): OnAir | null;
  /** The scan in progress and what decides what it finds; null when not scanning. */
  listening(): Listening | null;
  /** One batch of scan results. */
  hear(devices: WxBluetoothDevice[]): void;
  /** Whether its JavaScript is suspended (its timers do not fire). */
  suspended(): boolean;
}

interface Timer {
  id: number;
  owner: RadioPhone | null;
  due: number;
  every: number | null;
  fn: () => void;
  cancelled: boolean;
}

/** Earlier due first, then the older timer: the order timers fire in. */
const before = (a: Timer, b: Timer) => a.due < b.due || (a.due === b.due && a.id < b.id);

/** A binary heap of timers (the bench runs hundreds of phones: a sorted scan per firing would not do). */
class TimerHeap {
  readonly items: Timer[] = [];
  push(t: Timer): void {
    const h = this.items;
    h.push(t);
    for (let k = h.length - 1; k > 0;) {
      const p = (k - 1) >> 1;
      if (!before(h[k], h[p])) break;
      [h[k], h[p]] = [h[p], h[k]];
      k = p;
    }
  }
  peek(): Timer | undefined {
    return this.items[0];
  }
  pop(): Timer | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      for (let k = 0; ;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === k) break;
        [h[k], h[m]] = [h[m], h[k]];
        k = m;
      }
    }
    return top;
  }
}

export class SimWorld {
  /** Unix ms. */
  timeMs: number;
  readonly phones: RadioPhone[] = [];
  /** Radio range in metres. */
  range = 30;
  /** Told of every change of the clock (the simulator stories keep the built app's Date on it). */
  onTime: ((ms: number) => void) | null = null;
  /** Lets the work a timer started finish before the next timer fires (by default, a few microtask turns). */
  settle: () => Promise<void> = async () => {
    for (let k = 0; k < 50; k++) await Promise.resolve();
  };
  private heap = new TimerHeap();
  /** Timers of suspended phones that came due: they wait here until their phone runs again. */
  private parked: Timer[] = [];
  /** A phone's JavaScript resumed since the parked timers were last looked at. */
  private resumed = false;
  private nextId = 1;

  constructor(startMs = Date.UTC(2026, 10, 23, 8, 0, 0)) {
    this.timeMs = startMs;
  }

  /** RSSI (dBm) at distance d metres: -50 at 1 m, falling 20 dB per decade, never above -30. */
  static rssiAt(d: number): number {
    return Math.round(Math.min(-30, -50 - 20 * Math.log10(Math.max(d, 0.25))));
  }

  distance(a: RadioPhone, b: RadioPhone): number {
    return Math.hypot(a.position.x - b.position.x, a.position.y - b.position.y);
  }

  /** One radio round: every scanning phone hears every advertising phone in range it can perceive. Returns how many results. */
  deliver(): number {
    let n = 0;
    const advertisers: { phone: RadioPhone; air: OnAir }[] = [];
    for (const p of this.phones) {
      const air = p.air();
      if (air) advertisers.push({ phone: p, air });
    }
    for (const rx of this.phones) {
      const listening = rx.listening();
      if (!listening) continue;
      const results: WxBluetoothDevice[] = [];
      for (const a of advertisers) {
        if (a.phone === rx) continue;
        const d = this.distance(a.phone, rx);
        if (d > this.range) continue;
        const seen = perceive(a.air, listening);
        if (seen) results.push({ deviceId: a.phone.name, RSSI: SimWorld.rssiAt(d), ...seen });
      }
      if (results.length) {
        rx.hear(results);
        n += results.length;
      }
    }
    return n;
  }

  /** A timer of `owner`'s JavaScript (null: of the world itself, never suspended). Returns a cancel. */
  addTimer(owner: RadioPhone | null, ms: number, fn: () => void, repeat: boolean): () => void {
    const t: Timer = {
      id: this.nextId++,
      owner,
      due: this.timeMs + Math.max(0, ms),
      every: repeat ? Math.max(1, ms) : null,
      fn,
      cancelled: false,
    };
    this.heap.push(t);
    return () => {
      t.cancelled = true;
    };
  }

  /** Whether some JavaScript registered an interval of `ms` (a test waits for a page's effect to have run). */
  hasInterval(ms: number): boolean {
    return [...this.heap.items, ...this.parked].some((t) => !t.cancelled && t.every === ms);
  }

  /** Jumps the clock without running any timer: time passes while no mini-program runs. */
  advance(ms: number): void {
    this.timeMs += ms;
    this.onTime?.(this.timeMs);
  }

  /**
   * Time passes with the phones' JavaScript running: each timer fires at its due time, in order, and
   * what it started settles before the next. A suspended phone's timers wait; once it resumes, each
   * overdue timer fires once.
   */
  async run(ms: number): Promise<void> {
    const end = this.timeMs + ms;
    this.unpark();
    for (;;) {
      const t = this.heap.peek();
      if (!t || t.due > end) break;
      this.heap.pop();
      if (t.cancelled) continue;
      if (t.owner?.suspended()) {
        this.parked.push(t);
        continue;
      }
      if (t.due > this.timeMs) {
        this.timeMs = t.due;
        this.onTime?.(this.timeMs);
      }
      if (t.every !== null) {
        t.due = t.due + t.every > this.timeMs ? t.due + t.every : this.timeMs + t.every; // an overdue interval fires once
        this.heap.push(t);
      }
      t.fn();
      await this.settle();
      this.unpark();
    }
    if (end > this.timeMs) {
      this.timeMs = end;
      this.onTime?.(this.timeMs);
    }
    await this.settle(); // what the last timer or a callback before the run started, finishes
  }

  /**
   * Coarse time for long simulations (the bench): the clock jumps `ms` at once, then every timer that
   * came due fires once, in the order of its due time — as timers do on a phone whose JavaScript
   * was too busy to run them on time. Each interval is rescheduled from the new time.
   */
  async step(ms: number): Promise<void> {
    this.advance(ms);
    await this.run(0);
  }

  /** A phone's JavaScript runs again (its lifecycle tells): its waiting timers may fire. */
  notifyResumed(): void {
    this.resumed = true;
  }

  /** Timers of phones that run again go back to the queue (a resumed phone's overdue timers fire once). */
  private unpark(): void {
    if (!this.resumed || !this.parked.length) return;
    this.resumed = false;
    const still: Timer[] = [];
    for (const t of this.parked) {
      if (t.cancelled) continue;
      if (t.owner?.suspended()) still.push(t);
      else this.heap.push(t);
    }
    this.parked = still;
  }
}
