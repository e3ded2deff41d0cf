/**
 * Bluetooth tracing while the mini-program is in the foreground (§4): the beacon advertises the
 * current rpi — frame M where the host advertises manufacturer data, frame U where it advertises
 * service UUIDs only — and is restarted with the next rpi at every ENIN boundary; the scanner decodes
 * what it hears and merges it into the encounter log. On a host that cannot advertise (Alipay) or
 * without a tek, tracing only listens: nothing of this phone goes on air.
 *
 * It never leaks a linkable identifier:
 * - scanning starts before advertising, and any failure of either stops both;
 * - the rpi on air is replaced at the ENIN boundary (a timer) and checked on every tick;
 * - when the mini-program goes to the background both stop, before the host suspends the
 *   JavaScript that would rotate the rpi (WeChat: about 5 s), and start again when it comes back;
 * - the adapter going away stops both; coming back restarts them if the user wants tracing.
 */
import { decodeScanResult, encodeFrame, type FrameKind } from '../../shared/protocol/ble';
import { ENIN_SECONDS, enin } from '../../shared/protocol/time';
import { HostError } from '../host/errors';
import type { Host, HostScanResult } from '../host/types';
import { EncounterLog } from './encounters';
import { KeyStore } from './keystore';

/** The frame this host can put on air, or null when it cannot advertise at all. */
export function frameFor(host: Host): FrameKind | null {
  const a = host.capabilities.advertise;
  return a === 'manufacturerData' ? 'M' : a === 'serviceUuids' ? 'U' : null;
}

/** off: not wanted; on: on air and scanning; paused: wanted, app in the background; blocked: wanted, could not start (lastError says why). */
export type TracingState = 'off' | 'on' | 'paused' | 'blocked';

export class Tracing {
  private advertisedEnin = -1;
  private state: TracingState = 'off';
  private background = false;
  private unsubscribeAdapter: (() => void) | null = null;
  private cancelRotation: (() => void) | null = null;
  /** Told when tracing stopped by itself (adapter gone, a failed rotation) or started again. */
  onChange: () => void = () => undefined;
  /** Sightings decoded / ignored since start (for the settings page and tests). */
  counters = { heard: 0, ignored: 0, dropped: 0 };
  lastError: HostError | null = null;

  constructor(
    private host: Host,
    private keys: KeyStore,
    private log: EncounterLog,
    private marker = 'FFF7',
    /** This phone may put its rpi on air (features.beacon); without it tracing only listens. */
    private beacon = true,
  ) {}

  /** The frame this phone broadcasts, or null when it only listens (a host without advertising, or no tek). */
  private get frame(): FrameKind | null {
    return this.beacon ? frameFor(this.host) : null;
  }

  /** On air as well as listening (false: listening only, or off). */
  get broadcasting(): boolean {
    return this.state === 'on' && this.frame !== null;
  }

  get isRunning(): boolean {
    return this.state === 'on';
  }

  /** Whether the user wants tracing (it may be paused or blocked). */
  get wanted(): boolean {
    return this.state !== 'off';
  }

  private nowS(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  /**
   * Opens the adapter, starts scanning, then advertising. On any failure both are stopped, tracing
   * stays wanted but blocked, and the HostError is thrown (and kept in lastError).
   */
  async start(): Promise<void> {
    this.lastError = null;
    if (this.background) {
      this.state = 'paused';
      return;
    }
    // listen before opening: after "not available" the adapter module is open and reports the
    // switch coming on (wx.openBluetoothAdapter, 注意)
    this.unsubscribeAdapter ??= this.host.bluetooth.onStateChange((available) => void this.adapterChanged(available));
    try {
      if (!this.host.capabilities.scan) throw new HostError('bluetooth_unsupported', 'this host cannot scan');
      await this.host.bluetooth.open('central');
      if (this.frame) await this.host.bluetooth.open('peripheral');
      await this.host.bluetooth.startScan((results) => this.onFound(results));
      this.state = 'on';
      this.advertisedEnin = -1;
      if (this.frame) {
        await this.rotate();
        if (this.state !== 'on') throw this.lastError ?? new HostError('unknown', 'advertising did not start');
      }
      await this.host.screen.keepOn(true).catch(() => undefined);
    } catch (e) {
      await this.halt(e, 'blocked');
      throw this.lastError;
    }
  }

  /** Stops both radios; the error (if any) is kept for the user. */
  private async halt(e: unknown | null, next: TracingState = 'off'): Promise<void> {
    this.state = next;
    this.cancelRotation?.();
    this.cancelRotation = null;
    if (e !== null) this.lastError = e instanceof HostError ? e : new HostError('unknown', String(e));
    try {
      this.log.flush();
    } catch {
      // storage full: the sightings stay in memory; the device's next tick tries again and says so
    }
    await this.host.bluetooth.stopAdvertising().catch(() => undefined);
    await this.host.bluetooth.stopScan().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.halt(null);
    this.lastError = null;
    await this.host.screen.keepOn(false).catch(() => undefined);
  }

  /** The mini-program goes to the background: nothing may stay on air with an rpi that will not change. */
  async pause(): Promise<void> {
    this.background = true;
    if (this.state === 'on') await this.halt(null, 'paused');
  }

  /** Back in the foreground: start again if the user wants tracing (also after fixing what blocked it). */
  async resume(): Promise<void> {
    this.background = false;
    if (this.state === 'paused' || this.state === 'blocked') {
      await this.start().catch(() => undefined);
      this.onChange();
    }
  }

  private async adapterChanged(available: boolean): Promise<void> {
    if (!available && this.state === 'on') {
      await this.halt(new HostError('bluetooth_off', 'onBluetoothAdapterStateChange: available false'), 'blocked');
      this.onChange();
    } else if (available && this.state === 'blocked' && !this.background) {
      await this.start().catch(() => undefined);
      this.onChange();
    }
  }

  /** Advertises the rpi of the current ENIN and sets a timer for the next boundary. */
  private async rotate(): Promise<void> {
    const kind = this.frame;
    if (this.state !== 'on' || kind === null) return;
    const now = this.nowS();
    const j = enin(now);
    if (j !== this.advertisedEnin) {
      const c = this.keys.current(now);
      try {
        await this.host.bluetooth.advertise(encodeFrame(kind, c.rpi, kind === 'M' ? c.aem : null, this.marker), 'medium');
      } catch (e) {
        await this.halt(e, 'blocked');
        this.onChange();
        return;
      }
      this.advertisedEnin = j;
    }
    this.cancelRotation?.();
    const msToBoundary = ((j + 1) * ENIN_SECONDS - now) * 1000;
    this.cancelRotation = this.host.timers.after(msToBoundary, () => void this.tick());
  }

  /**
   * Called every few seconds while open and at each ENIN boundary: re-advertise on a new ENIN, and
   * persist the log. Ticks are chained so that one stop/start of advertising never interleaves with
   * another.
   */
  tick(): Promise<void> {
    const next = this.pending.then(async () => {
      await this.rotate();
      this.log.flush();
    });
    this.pending = next.catch(() => undefined);
    return next;
  }

  private pending: Promise<void> = Promise.resolve();

  onFound(results: HostScanResult[]): void {
    if (this.state !== 'on') return;
    const now = this.nowS();
    for (const r of results) {
      const f = decodeScanResult(r, this.marker);
      if (!f) {
        this.counters.ignored++;
        continue;
      }
      if (this.log.record(f, now)) this.counters.heard++;
      else this.counters.dropped++;
    }
  }
}
