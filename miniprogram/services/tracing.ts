/**
 * Bluetooth tracing while the mini-program is in the foreground: the beacon advertises the current
 * rpi (frame M on hosts that allow manufacturer data, frame U on iOS) and re-advertises whenever
 * the ENIN changes; the scanner decodes what it hears and merges it into the encounter log.
 */
import { decodeScanResult, encodeFrame, type FrameKind } from '../../shared/protocol/ble';
import { enin } from '../../shared/protocol/time';
import { HostError } from '../host/errors';
import type { Host, HostScanResult } from '../host/types';
import { EncounterLog } from './encounters';
import { KeyStore } from './keystore';

export function frameFor(host: Host): FrameKind {
  return host.platform === 'ios' ? 'U' : 'M';
}

export class Tracing {
  private advertisedEnin = -1;
  private running = false;
  private unsubscribe: (() => void) | null = null;
  /** Sightings decoded / ignored since start (for the settings page and tests). */
  counters = { heard: 0, ignored: 0, dropped: 0 };
  lastError: HostError | null = null;

  constructor(
    private host: Host,
    private keys: KeyStore,
    private log: EncounterLog,
    private marker = 'FFF7',
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  private nowS(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  /** Opens the adapter, starts advertising and scanning. Throws HostError with a user sentence. */
  async start(): Promise<void> {
    this.lastError = null;
    try {
      await this.host.bluetooth.open('peripheral');
      await this.host.bluetooth.open('central');
      this.running = true;
      this.advertisedEnin = -1;
      await this.tick();
      await this.host.bluetooth.startScan((results) => this.onFound(results));
      this.unsubscribe ??= this.host.bluetooth.onStateChange((available) => {
        if (!available && this.running) {
          this.lastError = new HostError('bluetooth_off', 'onBluetoothAdapterStateChange: available false');
          this.running = false;
        }
      });
      await this.host.screen.keepOn(true).catch(() => undefined);
    } catch (e) {
      this.running = false;
      this.lastError = e instanceof HostError ? e : new HostError('unknown', String(e));
      throw this.lastError;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.log.flush();
    await this.host.bluetooth.stopScan().catch(() => undefined);
    await this.host.bluetooth.stopAdvertising().catch(() => undefined);
    await this.host.screen.keepOn(false).catch(() => undefined);
  }

  /**
   * Called every few seconds while tracing: re-advertise on a new ENIN, and persist the log.
   * Ticks from the timer and from the app coming to the foreground can overlap; they are chained so
   * that one stop/start of advertising never interleaves with another.
   */
  tick(): Promise<void> {
    const next = this.pending.then(() => this.tickOnce());
    this.pending = next.catch(() => undefined);
    return next;
  }

  private pending: Promise<void> = Promise.resolve();

  private async tickOnce(): Promise<void> {
    if (!this.running) return;
    const now = this.nowS();
    const j = enin(now);
    if (j !== this.advertisedEnin) {
      const c = this.keys.current(now);
      const kind = frameFor(this.host);
      await this.host.bluetooth.advertise(encodeFrame(kind, c.rpi, kind === 'M' ? c.aem : null, this.marker), 'medium');
      this.advertisedEnin = j;
    }
    this.log.flush();
  }

  onFound(results: HostScanResult[]): void {
    if (!this.running) return;
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
