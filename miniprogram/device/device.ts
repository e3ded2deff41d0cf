/**
 * The device: the one composition root of the phone. `createDevice(host, settings)` builds every
 * service over one host and one storage; the Device is the view model the pages read — one
 * observable `view`, presentation-ready in the user's language — and the actions they call.
 * Data flows one way: host → services → this view → pages.
 *
 * Used alike by the mini-program (ui/store.ts), the simulated phones of the tests and the demo
 * (tools/testkit/phones.ts).
 */
import type { CheckinJson } from '../../shared/api/types';
import { fromBase64url } from '../../shared/protocol/codec';
import { encodeHealthCode, verifyHealthCode, type GateResult } from '../../shared/protocol/healthcode';
import type { Reason, Status } from '../../shared/risk/status';
import { dayLabel } from '../../shared/protocol/time';
import { PrtcError, type ErrorCode } from '../../shared/errors';
import { HostError, type HostErrorCode } from '../host/errors';
import type { Host, Language } from '../host/types';
import { t, type StringKey } from '../i18n';
import { gateReasonText, hostErrorText, uploadErrorText } from '../i18n/messages';
import { ApiClient, ApiError, type BackendSettings } from '../services/api';
import { CheckinService, type Checkin, type ScannedVenue } from '../services/checkins';
import { EncounterLog } from '../services/encounters';
import { KeyStore } from '../services/keystore';
import { ReportService } from '../services/report';
import { StatusEngine } from '../services/status';
import { DeviceStorage, isObj } from '../services/storage';
import { SyncService, type SyncProgress } from '../services/sync';
import { Tracing } from '../services/tracing';

export type { Checkin, ScannedVenue, CheckinJson };

export interface DeviceSettings extends BackendSettings {
  /** base64url Ed25519 key pinned at build time; empty: pin the server's key on first use (development). */
  publicKey: string;
}

export type Page = 'home' | 'report' | 'exposure' | 'settings' | 'checkin' | 'gate';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface DeviceView {
  ready: boolean;
  lang: Language;
  consent: boolean;
  tracing: boolean;
  status: Status;
  reasons: Reason[];
  statusComputedAt: number | null;
  lastSyncAt: number | null;
  syncing: boolean;
  progress: SyncProgress | null;
  message: Notice | null;
  bluetoothError: string | null;
  keySource: 'build' | 'server' | null;
  encounters: number;
  /** Check-ins of the last 14 days, newest first. */
  checkins: Checkin[];
  /** The check-in in progress, if any. */
  currentCheckin: Checkin | null;
}

/**
 * What an action that can fail tells its page: the result, or why not — the code, and the sentence
 * to show (null when the user just cancelled).
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode | HostErrorCode; text: string | null };

export class Device {
  private readonly storage: DeviceStorage;
  private readonly keys: KeyStore;
  readonly encounters: EncounterLog;
  readonly status: StatusEngine;
  readonly sync: SyncService;
  private readonly tracing: Tracing;
  private readonly report: ReportService;
  private readonly checkinService: CheckinService;
  private readonly api: ApiClient;
  view: DeviceView;
  private listeners = new Set<(v: DeviceView) => void>();
  private lastRetentionDay = -1;

  constructor(
    readonly host: Host,
    readonly settings: DeviceSettings,
  ) {
    // one storage for every service, so every damaged entry is reported through takeCorrupted()
    this.storage = new DeviceStorage(host);
    this.keys = new KeyStore(host, this.storage);
    this.encounters = new EncounterLog(this.storage);
    this.status = new StatusEngine(this.storage);
    this.checkinService = new CheckinService(host, this.storage);
    const api = (this.api = new ApiClient(host, settings));
    this.sync = new SyncService(
      host,
      this.storage,
      api,
      this.encounters,
      this.status,
      () => this.publicKey(),
      (w) => this.checkinService.match(w),
    );
    this.tracing = new Tracing(host, this.keys, this.encounters);
    this.report = new ReportService(host, this.keys, api, this.status, this.checkinService);
    this.view = {
      ready: false,
      lang: host.language(),
      consent: false,
      tracing: false,
      status: this.status.state.status,
      reasons: this.status.state.reasons,
      statusComputedAt: this.status.state.computedAt,
      lastSyncAt: this.sync.lastSyncAt,
      syncing: false,
      progress: null,
      message: null,
      bluetoothError: null,
      keySource: null,
      encounters: 0,
      checkins: [],
      currentCheckin: null,
    };
  }

  nowS(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  subscribe(fn: (v: DeviceView) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(patch: Partial<DeviceView> = {}): void {
    const s = this.status.state;
    const checkins = this.checkinService.checkins();
    this.view = {
      ...this.view,
      status: s.status,
      reasons: s.reasons,
      statusComputedAt: s.computedAt,
      lastSyncAt: this.sync.lastSyncAt,
      tracing: this.tracing.isRunning,
      keySource: this.keySource(),
      checkins,
      currentCheckin: checkins.find((c) => !c.checkedOut) ?? null,
      ...patch,
    };
    for (const l of this.listeners) l(this.view);
  }

  private text(key: StringKey, params?: Record<string, string | number>): string {
    return t(this.view.lang, key, params);
  }

  private hostText(e: unknown): string {
    return hostErrorText(this.view.lang, e instanceof HostError ? e.code : 'unknown');
  }

  /** First launch creates the tek; later launches load it. Corrupted storage is reported and recovered. */
  async start(): Promise<void> {
    if (this.view.ready) return;
    await this.keys.init();
    const consent = this.storage.getJson('consent', (v) => (isObj(v) ? v : null)) !== null;
    this.retention();
    this.status.recompute(this.nowS());
    this.checkinService.checkins();
    const corrupted = this.storage.takeCorrupted();
    this.emit({
      ready: true,
      consent,
      encounters: this.encounters.count(),
      message: corrupted.length ? { kind: 'error', text: this.text('storageRecovered') } : null,
    });
  }

  private keySource(): 'build' | 'server' | null {
    if (this.settings.publicKey) return 'build';
    return this.storage.getText('pinnedKey') ? 'server' : null;
  }

  /** The server's public key: pinned in the build, or (development builds) pinned on first use. */
  private async publicKey(): Promise<Uint8Array> {
    if (this.settings.publicKey) return fromBase64url(this.settings.publicKey, 32, 'publicKey');
    const pinned = this.storage.getText('pinnedKey');
    if (pinned) return fromBase64url(pinned, 32, 'pinnedKey');
    const r = await this.api.publicKey();
    if (!r || r.alg !== 'Ed25519' || typeof r.key !== 'string')
      throw new PrtcError('bad_key', 'the server did not send an Ed25519 public key');
    const key = fromBase64url(r.key, 32, 'key');
    this.storage.setText('pinnedKey', r.key);
    return key;
  }

  async setConsent(on: boolean): Promise<void> {
    if (on) this.storage.setJson('consent', { at: this.nowS() });
    else {
      this.storage.remove('consent');
      await this.stopTracing();
    }
    this.emit({ consent: on });
  }

  async startTracing(): Promise<boolean> {
    if (!this.view.consent) {
      this.emit({ message: { kind: 'info', text: this.text('needConsent') } });
      return false;
    }
    try {
      await this.tracing.start();
      this.emit({ bluetoothError: null, message: null });
      return true;
    } catch (e) {
      this.emit({ bluetoothError: this.hostText(e) });
      return false;
    }
  }

  async stopTracing(): Promise<void> {
    await this.tracing.stop();
    this.emit();
  }

  /** Periodic work: re-advertise, persist sightings, daily retention, and notice Bluetooth going off. */
  async tick(): Promise<void> {
    if (this.tracing.isRunning) await this.tracing.tick().catch((e) => this.emit({ bluetoothError: this.hostText(e) }));
    this.retention();
    const btError = this.tracing.lastError ? this.hostText(this.tracing.lastError) : this.view.bluetoothError;
    this.emit({ encounters: this.encounters.count(), bluetoothError: this.tracing.isRunning ? null : btError });
  }

  private retention(): void {
    const now = this.nowS();
    const day = Math.floor(now / 86400);
    if (day === this.lastRetentionDay) return;
    this.lastRetentionDay = day;
    this.encounters.retain(now);
    this.checkinService.retain(now);
  }

  async runSync(): Promise<boolean> {
    if (this.view.syncing) return false;
    this.emit({ syncing: true, progress: null, message: null });
    const r = await this.sync.sync((p) => this.emit({ progress: p }));
    if (r.ok) {
      this.emit({ syncing: false, progress: null, message: null });
      return true;
    }
    const text =
      r.kind === 'verification'
        ? this.text('syncRejected', { reason: r.message })
        : r.kind === 'network'
          ? this.text('syncOffline')
          : this.text('syncFailed', { reason: r.message });
    this.emit({ syncing: false, progress: null, message: { kind: 'error', text } });
    return false;
  }

  /** The days a report would upload now, newest first. */
  reportPlan(): { i: number; date: string }[] {
    return this.keys.uploadableDays(this.nowS()).map((i) => ({ i, date: dayLabel(i) }));
  }

  /** How many check-ins a report would offer. */
  reportCheckinCount(): number {
    return this.checkinService.count();
  }

  /** Upload after a diagnosis; returns the message to show. Keys rotate only on success. */
  async upload(code: string, leaveOut: number[], includeCheckins: boolean): Promise<{ ok: boolean; text: string }> {
    try {
      const r = await this.report.upload(code, leaveOut, includeCheckins);
      this.emit();
      return { ok: true, text: this.text('uploadDone', { n: r.accepted }) };
    } catch (e) {
      let text: string;
      if (e instanceof ApiError) text = uploadErrorText(this.view.lang, e.code, e.message);
      else if (e instanceof PrtcError) text = e.code === 'invalid_code_format' ? this.text('codeFormat') : e.message;
      else if (e instanceof HostError) text = this.hostText(e);
      else text = this.text('uploadFailed', { reason: String((e as Error)?.message ?? e) });
      return { ok: false, text };
    }
  }

  /** The health code (§8) to show now, or null before the first verified sync. */
  healthCode(): string | null {
    const cp = this.sync.checkpoint;
    if (!cp) return null;
    const s = this.status.state;
    return encodeHealthCode({ status: s.status, issuedAt: this.nowS(), statusComputedAt: s.computedAt ?? this.nowS(), checkpoint: cp });
  }

  /** Deletes everything and starts over with a fresh tek. */
  async reset(): Promise<void> {
    await this.tracing.stop();
    this.storage.clearAll();
    this.encounters.clear();
    this.status.reset();
    this.sync.reset();
    this.checkinService.clear();
    await this.keys.replace();
    this.status.recompute(this.nowS());
    this.emit({ consent: false, encounters: 0, message: { kind: 'info', text: this.text('resetDone') }, bluetoothError: null });
  }

  navigate(page: Page): Promise<void> {
    return this.host.navigate(`/pages/${page}/index`);
  }

  /** While the health code is on screen: full brightness, screen on, hidden from screenshots. */
  async showingHealthCode(on: boolean): Promise<void> {
    await Promise.all([
      this.host.screen.setBrightness(on ? 1 : -1).catch(() => undefined),
      this.host.screen.hideFromCapture(on).catch(() => undefined),
      on || !this.tracing.isRunning ? this.host.screen.keepOn(on).catch(() => undefined) : Promise.resolve(),
    ]);
  }

  // ---- venues (§7)

  /** Opens the scanner for a venue code: the venue and stay choices, or why it cannot be used (nothing stored). */
  async scanVenue(): Promise<Outcome<ScannedVenue>> {
    try {
      return { ok: true, value: this.checkinService.inspect(await this.host.scanCode()) };
    } catch (e) {
      if (e instanceof HostError && e.code === 'cancelled') return { ok: false, code: 'cancelled', text: null };
      if (e instanceof PrtcError) return { ok: false, code: e.code, text: this.text('venueRefused', { reason: e.message }) };
      return {
        ok: false,
        code: e instanceof HostError ? e.code : 'unknown',
        text: this.text('venueRefused', { reason: this.hostText(e) }),
      };
    }
  }

  checkIn(v: ScannedVenue, minutes: number): void {
    this.checkinService.checkIn(v, minutes);
    this.emit();
  }

  checkOut(id: string): void {
    this.checkinService.checkOut(id);
    this.emit();
  }

  // ---- gate (§8)

  /** Gate mode: scans a visitor's health code and verifies it offline with the pinned key. Keeps no log. */
  async gateScan(): Promise<Outcome<GateResult & { reasonTexts: string[] }>> {
    let key: Uint8Array;
    try {
      key = await this.publicKey();
    } catch {
      return { ok: false, code: 'no_key', text: this.text('gateNoKey') };
    }
    let text: string;
    try {
      text = await this.host.scanCode();
    } catch (e) {
      const code = e instanceof HostError ? e.code : 'unknown';
      return { ok: false, code, text: code === 'cancelled' ? null : this.hostText(e) };
    }
    const r = verifyHealthCode(text, key, this.nowS());
    return { ok: true, value: { ...r, reasonTexts: r.reasons.map((x) => gateReasonText(this.view.lang, x.code)) } };
  }

  dismissMessage(): void {
    this.emit({ message: null });
  }
}

export function createDevice(host: Host, settings: DeviceSettings): Device {
  return new Device(host, settings);
}
