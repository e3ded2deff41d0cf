/**
 * The simulated world several simulated phones share: one clock, the phones' JavaScript timers on
 * that clock, and a Bluetooth radio that delivers each advertising phone's frame to every scanning
 * phone within range, with an RSSI that falls with distance. Platform-free: nothing here imports Node.
 */
import type { AdvertiseRequest } from '../shared/protocol/ble';
import { concatBytes } from '../shared/protocol/codec';
import type { WxBluetoothDevice } from '../miniprogram/host/wechat/wx';

/** What the world needs of a phone to carry its radio traffic and run its timers. */
export interface RadioPhone {
  readonly name: string;
  position: { x: number; y: number };
  /** The advertisement on air, null when not advertising or Bluetooth is off. */
  onAir(): AdvertiseRequest | null;
  /** Whether it is scanning now; `hear` delivers one batch of scan results. */
  scanning(): boolean;
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
  private timers: Timer[] = [];
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

  /** One radio round: every scanning phone hears every advertising phone in range. Returns how many results. */
  deliver(): number {
    let n = 0;
    const advertisers = this.phones.map((p) => ({ phone: p, request: p.onAir() })).filter((a) => a.request !== null);
    for (const rx of this.phones) {
      if (!rx.scanning()) continue;
      const results: WxBluetoothDevice[] = [];
      for (const a of advertisers) {
        if (a.phone === rx) continue;
        const d = this.distance(a.phone, rx);
        if (d > this.range) continue;
        const m = a.request!.manufacturerData?.[0];
        results.push({
          deviceId: a.phone.name,
          RSSI: SimWorld.rssiAt(d),
          // Android hosts report manufacturer data with the 2-byte company id in front.
          advertisData: m
            ? concatBytes(Uint8Array.of(0xff, 0xff), new Uint8Array(m.manufacturerSpecificData)).slice().buffer
            : new ArrayBuffer(0),
          advertisServiceUUIDs: a.request!.serviceUuids ?? [],
        });
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
    const t: Timer = { id: this.nextId++, owner, due: this.timeMs + Math.max(0, ms), every: repeat ? Math.max(1, ms) : null, fn };
    this.timers.push(t);
    return () => {
      this.timers = this.timers.filter((x) => x !== t);
    };
  }

  /** Whether some JavaScript registered an interval of `ms` (a test waits for a page's effect to have run). */
  hasInterval(ms: number): boolean {
    return this.timers.some((t) => t.every === ms);
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
    for (;;) {
      const ready = this.timers.filter((t) => !t.owner?.suspended()).sort((a, b) => a.due - b.due || a.id - b.id);
      const t = ready[0];
      if (!t || t.due > end) break;
      if (t.due > this.timeMs) {
        this.timeMs = t.due;
        this.onTime?.(this.timeMs);
      }
      if (t.every === null) this.timers = this.timers.filter((x) => x !== t);
      else t.due = t.due + t.every > this.timeMs ? t.due + t.every : this.timeMs + t.every; // an overdue interval fires once
      t.fn();
      await this.settle();
    }
    if (end > this.timeMs) {
      this.timeMs = end;
      this.onTime?.(this.timeMs);
    }
    await this.settle(); // what the last timer or a callback before the run started, finishes
  }
}
