/**
 * How long tracing ran today, in the phone's local day ("on for 6 h 10 min today"). The device's
 * periodic work reports, at each of its ticks, whether tracing runs; time between two ticks counts
 * when tracing ran at both. A gap longer than MAX_GAP_S means the JavaScript did not run in between
 * (suspended, or the mini-program closed): it counts nothing, so the figure never claims time the
 * phone could not have traced.
 */
import { isNum, isObj, type DeviceStorage } from './storage';

/** Longer than any gap between two ticks of running JavaScript (the device ticks every 15 s). */
export const MAX_GAP_S = 60;

/** The local calendar day of a moment, as "2026-11-23" (what "today" means to the user). */
export function localDay(unixS: number): string {
  const d = new Date(unixS * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Unix seconds of the local midnight that starts the day of `unixS`. */
export function localMidnight(unixS: number): number {
  const d = new Date(unixS * 1000);
  return Math.floor(new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() / 1000);
}

/** Unix seconds of the local midnight that ends the day of `unixS`. */
export function nextLocalMidnight(unixS: number): number {
  const d = new Date(unixS * 1000);
  return Math.floor(new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime() / 1000);
}

interface Stored {
  day: string;
  seconds: number;
}

const KEY = 'tracingTime';

export class TracingTime {
  private last: { at: number; running: boolean } | null = null;
  private today: Stored;

  constructor(private readonly storage: DeviceStorage) {
    this.today = storage.getJson<Stored>(KEY, (v) =>
      isObj(v) && typeof v.day === 'string' && isNum(v.seconds) ? { day: v.day, seconds: v.seconds } : null,
    ) ?? {
      day: '',
      seconds: 0,
    };
  }

  /** Whether tracing runs at `nowS` (called at each tick, and when tracing changes). */
  note(nowS: number, running: boolean): void {
    const prev = this.last;
    this.last = { at: nowS, running };
    if (!prev || !prev.running || !running) return;
    const gap = nowS - prev.at;
    if (gap <= 0 || gap > MAX_GAP_S) return;
    const day = localDay(nowS);
    // across midnight only the part after it belongs to the new day
    const counted = day === localDay(prev.at) ? gap : nowS - localMidnight(nowS);
    if (this.today.day !== day) this.today = { day, seconds: 0 };
    this.today.seconds += counted;
  }

  /** Seconds tracing ran on the local day of `nowS`. */
  secondsToday(nowS: number): number {
    return this.today.day === localDay(nowS) ? this.today.seconds : 0;
  }

  /** Keeps the figure (with the log's writes; a full storage keeps it in memory until the next one). */
  save(): void {
    this.storage.setJson(KEY, this.today);
  }

  clear(): void {
    this.today = { day: '', seconds: 0 };
    this.last = null;
    this.storage.remove(KEY);
  }
}
