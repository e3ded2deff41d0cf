/**
 * Bluetooth tracing (§4): the beacon advertises the current rpi — frame S where the host advertises
 * manufacturer data (Android), frame U where it advertises service UUIDs only (iOS) — and is
 * restarted with the next rpi at every ENIN boundary; the scanner decodes what it hears (frames S, M
 * and U) and merges it into the encounter log. On a host that cannot advertise (Alipay) or without a
 * tek, tracing only listens: nothing of this phone goes on air.
 *
 * In the background (an opt-in, §4): where the host can keep the JavaScript running (WeChat:
 * background location, Host.background) and the user wants it, tracing goes on while the
 * mini-program is hidden — rotation, the scan and the log's writes keep running — and the scan
 * filters for the marker UUID, which iOS background scans and Android 8.1+ screen-off scans need.
 *
 * It never leaks a linkable identifier:
 * - scanning starts before advertising, and any failure of either stops both;
 * - the rpi on air is replaced at the ENIN boundary (a timer) and checked on every tick;
 * - when the mini-program goes to the background without background running, both stop before the
 *   host suspends the JavaScript that would rotate the rpi (WeChat: about 5 s), and start again when
 *   it comes back;
 * - in the background, each sign of life of the host's background capability renews a lease of
 *   ALIVE_LEASE_MS; when it lapses, or the host reports the capability lost, both radios stop —
 *   advertising first — before the host can suspend the JavaScript (5 s after what kept it running ends);
 * - the adapter going away stops both; coming back restarts them if the user wants tracing.
 */
import { decodeScanResult, encodeFrame, markerFilterUuid, type FrameKind } from '../../shared/protocol/ble';
import { ENIN_SECONDS, enin } from '../../shared/protocol/time';
import { asHostError, HostError } from '../host/errors';
import type { Host, HostScanResult } from '../host/types';
import { EncounterLog } from './encounters';
import { KeyStore } from './keystore';

/** The frame this host can put on air, or null when it cannot advertise at all. */
export function frameFor(host: Host): FrameKind | null {
  const a = host.capabilities.advertise;
  return a === 'manufacturerData' ? 'S' : a === 'serviceUuids' ? 'U' : null;
}

/**
 * How long one sign of life of the background capability vouches for it. Below the 5 s after which
 * WeChat suspends a background mini-program that nothing keeps running (运行机制, 挂起), so the
 * radios stop before a suspension that follows the capability's end; above the (undocumented, here
 * assumed) interval of about a second between location updates.
 */
export const ALIVE_LEASE_MS = 3000;

/**
 * After the mini-program is hidden, advertising waits this long before it goes on in the background:
 * twice the 5 s after which WeChat suspends a hidden mini-program that nothing keeps running. If the
 * host suspends the JavaScript despite background location (developers report it happening), the
 * beacon is already off; if the JavaScript still runs after this, the host keeps it running.
 */
export const BACKGROUND_PROBATION_MS = 10_000;

/** off: not wanted; on: on air and scanning; paused: wanted, app in the background; blocked: wanted, could not start (lastError says why). */
export type TracingState = 'off' | 'on' | 'paused' | 'blocked';

export class Tracing {
  private advertisedEnin = -1;
  private state: TracingState = 'off';
  /** The mini-program is hidden. */
  private background = false;
  /** The user wants tracing to go on in the background (the setting). */
  private backgroundWanted = false;
  /** The host keeps the JavaScript running in the background: started, and its lease not lapsed. */
  private backgroundRunning = false;
  /** Why the background capability could not start (the user's answer, the build), if it could not. */
  backgroundError: HostError | null = null;
  private cancelLease: (() => void) | null = null;
  /** When the background capability last showed a sign of life (host ms). */
  private lastAliveMs = 0;
  /** Hidden, background running, advertising held back until the probation shows the JavaScript keeps running. */
  private onProbation = false;
  /** When the probation ends (host ms): the first tick after it ends it. */
  private probationEndsMs = 0;
  private backgroundListeners: (() => void)[] = [];
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

  /** Tracing goes on while the mini-program is hidden: on, and the host keeps the JavaScript running. */
  get inBackgroundMode(): boolean {
    return this.state === 'on' && this.backgroundRunning;
  }

  /** The background capability is running now (its lease not lapsed). */
  get backgroundActive(): boolean {
    return this.backgroundRunning;
  }

  get wantsBackground(): boolean {
    return this.backgroundWanted;
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
    if (this.background && !this.backgroundRunning) {
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
      await this.host.bluetooth.startScan((results) => this.onFound(results), this.scanFilter());
      this.state = 'on';
      this.advertisedEnin = -1;
      if (this.background) await this.holdBeacon();
      if (this.frame && !this.onProbation) {
        await this.rotate();
        if (this.state !== 'on') throw this.lastError ?? new HostError('unknown', 'advertising did not start');
      }
      await this.host.screen.keepOn(true).catch(() => undefined);
    } catch (e) {
      await this.halt(e, 'blocked');
      throw this.lastError;
    }
    if (this.backgroundWanted && !this.backgroundRunning) await this.startBackground();
  }

  /** Stops both radios, advertising first; the error (if any) is kept for the user. */
  private async halt(e: unknown | null, next: TracingState = 'off'): Promise<void> {
    this.state = next;
    this.cancelRotation?.();
    this.cancelRotation = null;
    this.endProbation();
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
    await this.stopBackground();
    await this.host.screen.keepOn(false).catch(() => undefined);
  }

  /**
   * The mini-program goes to the background. Without background running nothing may stay on air with
   * an rpi that will not change: both radios stop. With it, tracing goes on and the scan filters for
   * the marker, as background scanners must.
   */
  async pause(): Promise<void> {
    this.background = true;
    // the lease is only watched in the background: one that lapsed on screen counts now
    if (this.backgroundRunning && this.host.nowMs() - this.lastAliveMs > ALIVE_LEASE_MS) this.backgroundRunning = false;
    if (this.state !== 'on') return;
    if (!this.backgroundRunning) return this.halt(null, 'paused');
    // the scan goes on with the marker filter; the beacon waits out the probation
    await this.holdBeacon();
    await this.rescan();
  }

  /**
   * Advertising off until BACKGROUND_PROBATION_MS shows the JavaScript still runs in the background:
   * the first tick after it (the device ticks every 15 s while its JavaScript runs) puts the beacon
   * back on air. A tick, not a timer of its own: on every runtime the ticks are what keeps running.
   */
  private async holdBeacon(): Promise<void> {
    this.onProbation = true;
    this.probationEndsMs = this.host.nowMs() + BACKGROUND_PROBATION_MS;
    await this.host.bluetooth.stopAdvertising().catch(() => undefined);
    this.advertisedEnin = -1;
  }

  private endProbation(): void {
    this.onProbation = false;
  }

  /** Back in the foreground: start again if the user wants tracing (also after fixing what blocked it). */
  async resume(): Promise<void> {
    this.background = false;
    this.endProbation();
    if (this.backgroundWanted && !this.backgroundRunning && this.state !== 'off') await this.startBackground();
    if (this.state === 'on') await this.rescan();
    else if (this.state === 'paused' || this.state === 'blocked') {
      await this.start().catch(() => undefined);
      this.onChange();
    }
  }

  /** The user's background setting. On: the host's capability starts now if tracing is wanted (else when it starts). */
  async setBackground(wanted: boolean): Promise<void> {
    this.backgroundWanted = wanted;
    if (!wanted) await this.stopBackground();
    else if (this.state !== 'off') await this.startBackground();
  }

  /** The scan's filter: the marker in the background (what background scanners need), none in the foreground (old frames M too). */
  private scanFilter(): { services: string[] } | undefined {
    return this.background ? { services: [markerFilterUuid(this.marker)] } : undefined;
  }

  /** The scan again, with the filter for where the mini-program is now. */
  private async rescan(): Promise<void> {
    try {
      await this.host.bluetooth.startScan((results) => this.onFound(results), this.scanFilter());
    } catch (e) {
      await this.halt(e, 'blocked');
      this.onChange();
    }
  }

  private async startBackground(): Promise<void> {
    const bg = this.host.background;
    if (!bg) return; // this host cannot: capabilities.background says why
    if (!this.backgroundListeners.length)
      this.backgroundListeners.push(
        bg.onAlive(() => this.alive()),
        bg.onLost(() => void this.backgroundEnded()),
      );
    this.backgroundError = null;
    try {
      await bg.start();
      this.alive();
    } catch (e) {
      this.backgroundRunning = false;
      this.backgroundError = asHostError(e);
    }
    this.onChange();
  }

  private async stopBackground(): Promise<void> {
    this.cancelLease?.();
    this.cancelLease = null;
    this.backgroundError = null;
    const was = this.backgroundRunning;
    this.backgroundRunning = false;
    for (const off of this.backgroundListeners.splice(0)) off();
    await this.host.background?.stop().catch(() => undefined);
    if (was && this.background && this.state === 'on') await this.halt(null, 'paused');
  }

  /** A sign of life of the background capability (its content, a location, never reaches here): renews the lease. */
  private alive(): void {
    if (!this.backgroundWanted) return;
    const was = this.backgroundRunning;
    this.backgroundRunning = true;
    this.lastAliveMs = this.host.nowMs();
    this.cancelLease?.();
    this.cancelLease = this.host.timers.after(ALIVE_LEASE_MS, () => {
      this.cancelLease = null;
      // on screen the JavaScript runs anyway: the lease matters in the background (pause() looks at it then)
      if (this.background) void this.backgroundEnded();
    });
    if (!was && this.background && this.state === 'paused') {
      // running again while hidden (the lease had lapsed): tracing goes on
      void this.start()
        .catch(() => undefined)
        .then(() => this.onChange());
    }
  }

  /** The lease lapsed or the host reported the capability lost: in the background, advertising stops first, then the scan. */
  private async backgroundEnded(): Promise<void> {
    this.cancelLease?.();
    this.cancelLease = null;
    if (!this.backgroundRunning) return;
    this.backgroundRunning = false;
    if (this.background && this.state === 'on') await this.halt(null, 'paused');
    this.onChange();
  }

  private async adapterChanged(available: boolean): Promise<void> {
    if (!available && this.state === 'on') {
      await this.halt(new HostError('bluetooth_off', 'onBluetoothAdapterStateChange: available false'), 'blocked');
      this.onChange();
    } else if (available && this.state === 'blocked' && (!this.background || this.backgroundRunning)) {
      await this.start().catch(() => undefined);
      this.onChange();
    }
  }

  /** Advertises the rpi of the current ENIN and sets a timer for the next boundary. */
  private async rotate(): Promise<void> {
    const kind = this.frame;
    if (this.state !== 'on' || kind === null || this.onProbation) return;
    const now = this.nowS();
    const j = enin(now);
    if (j !== this.advertisedEnin) {
      const c = this.keys.current(now);
      try {
        await this.host.bluetooth.advertise(encodeFrame(kind, c.rpi, kind === 'U' ? null : c.aem, this.marker), 'medium');
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
      if (this.onProbation && this.host.nowMs() >= this.probationEndsMs) this.onProbation = false;
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
