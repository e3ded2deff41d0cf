/**
 * The device: composes the services over one host and exposes one observable view for the pages.
 * Data flows one way — host → services → this view → pages; pages call these methods and render.
 */
import { fromBase64url } from '../../shared/codec';
import { PrtcError } from '../../shared/errors';
import { encodeHealthCode, verifyHealthCode, type GateResult } from '../../shared/healthcode';
import type { Reason, Status } from '../../shared/risk';
import type { CheckinJson } from '../../shared/api';
import type { VenueWarning } from '../../shared/batch';
import type { VenueExposure } from '../../shared/risk';
import { HostError } from '../host/errors';
import type { Host, Language } from '../host/types';
import { t } from '../i18n';
import { ApiClient, ApiError, type BackendSettings } from './api';
import { EncounterLog } from './encounters';
import { KeyStore } from './keystore';
import { ReportService } from './report';
import { StatusEngine } from './status';
import { DeviceStorage, isObj } from './storage';
import { SyncService, type SyncProgress } from './sync';
import { Tracing } from './tracing';

export interface DeviceSettings extends BackendSettings {
  /** base64url Ed25519 key pinned at build time; empty: pin the server's key on first use (development). */
  publicKey: string;
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
  message: { kind: 'error' | 'info'; text: string } | null;
  bluetoothError: string | null;
  keySource: 'build' | 'server' | null;
  encounters: number;
}

/** Optional extensions (venue check-ins) plug in here without the core knowing them. */
export interface DeviceExtensions {
  checkinsForUpload?: (nowS: number) => Promise<CheckinJson[]>;
  checkinCount?: () => number;
  onCheckinsUploaded?: () => void;
  venueMatcher?: (warnings: VenueWarning[]) => VenueExposure[];
  onReset?: () => void;
  onRetention?: (nowS: number) => void;
}

export class Device {
  readonly storage: DeviceStorage;
  readonly keys: KeyStore;
  readonly encounters: EncounterLog;
  readonly status: StatusEngine;
  readonly api: ApiClient;
  readonly sync: SyncService;
  readonly tracing: Tracing;
  readonly report: ReportService;
  view: DeviceView;
  private listeners = new Set<(v: DeviceView) => void>();
  private lastRetentionDay = -1;

  constructor(readonly host: Host, readonly settings: DeviceSettings, readonly ext: DeviceExtensions = {}) {
    this.storage = new DeviceStorage(host);
    this.keys = new KeyStore(host, this.storage);
    this.encounters = new EncounterLog(this.storage);
    this.status = new StatusEngine(this.storage);
    this.api = new ApiClient(host, settings);
    this.sync = new SyncService(host, this.storage, this.api, this.encounters, this.status, () => this.publicKey(),
      (w) => this.ext.venueMatcher?.(w) ?? []);
    this.tracing = new Tracing(host, this.keys, this.encounters);
    this.report = new ReportService(host, this.keys, this.api, this.status, {
      forUpload: (now) => this.ext.checkinsForUpload?.(now) ?? Promise.resolve([]),
      count: () => this.ext.checkinCount?.() ?? 0,
    });
    this.view = {
      ready: false, lang: host.language(), consent: false, tracing: false, status: this.status.state.status,
      reasons: this.status.state.reasons, statusComputedAt: this.status.state.computedAt, lastSyncAt: this.sync.lastSyncAt,
      syncing: false, progress: null, message: null, bluetoothError: null, keySource: null, encounters: 0,
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
    this.view = {
      ...this.view,
      status: s.status, reasons: s.reasons, statusComputedAt: s.computedAt, lastSyncAt: this.sync.lastSyncAt,
      tracing: this.tracing.isRunning, keySource: this.keySource(), ...patch,
    };
    for (const l of this.listeners) l(this.view);
  }

  text(key: Parameters<typeof t>[1], params?: Record<string, string | number>): string {
    return t(this.view.lang, key, params);
  }

  /** First launch creates the tek; later launches load it. Corrupted storage is reported and recovered. */
  async start(): Promise<void> {
    if (this.view.ready) return;
    await this.keys.init();
    const consent = this.storage.getJson('consent', (v) => (isObj(v) ? v : null)) !== null;
    this.retention();
    this.status.recompute(this.nowS());
    const corrupted = this.storage.takeCorrupted();
    this.emit({
      ready: true, consent, encounters: this.encounters.count(),
      message: corrupted.length ? { kind: 'error', text: this.text('storageRecovered') } : null,
    });
  }

  private keySource(): 'build' | 'server' | null {
    if (this.settings.publicKey) return 'build';
    return this.storage.getText('pinnedKey') ? 'server' : null;
  }

  /** The server's public key: pinned in the build, or (development builds) pinned on first use. */
  async publicKey(): Promise<Uint8Array> {
    if (this.settings.publicKey) return fromBase64url(this.settings.publicKey, 32, 'publicKey');
    const pinned = this.storage.getText('pinnedKey');
    if (pinned) return fromBase64url(pinned, 32, 'pinnedKey');
    const r = await this.api.publicKey();
    if (!r || r.alg !== 'Ed25519' || typeof r.key !== 'string') throw new PrtcError('bad_key', 'the server did not send an Ed25519 public key');
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
      const err = e instanceof HostError ? e : new HostError('unknown');
      this.emit({ bluetoothError: err.text(this.view.lang) });
      return false;
    }
  }

  async stopTracing(): Promise<void> {
    await this.tracing.stop();
    this.emit();
  }

  /** Periodic work: re-advertise, persist sightings, daily retention, and notice Bluetooth going off. */
  async tick(): Promise<void> {
    if (this.tracing.isRunning) await this.tracing.tick().catch((e) => {
      this.emit({ bluetoothError: (e instanceof HostError ? e : new HostError('unknown')).text(this.view.lang) });
    });
    this.retention();
    const btError = this.tracing.lastError ? this.tracing.lastError.text(this.view.lang) : this.view.bluetoothError;
    this.emit({ encounters: this.encounters.count(), bluetoothError: this.tracing.isRunning ? null : btError });
  }

  private retention(): void {
    const now = this.nowS();
    const day = Math.floor(now / 86400);
    if (day === this.lastRetentionDay) return;
    this.lastRetentionDay = day;
    this.encounters.retain(now);
    this.ext.onRetention?.(now);
  }

  async runSync(): Promise<boolean> {
    if (this.view.syncing) return false;
    this.emit({ syncing: true, progress: null, message: null });
    const r = await this.sync.sync((p) => this.emit({ progress: p }));
    if (r.ok) {
      this.emit({ syncing: false, progress: null, message: null });
      return true;
    }
    const text = r.kind === 'verification' ? this.text('syncRejected', { reason: r.message })
      : r.kind === 'network' ? this.text('syncOffline') : this.text('syncFailed', { reason: r.message });
    this.emit({ syncing: false, progress: null, message: { kind: 'error', text } });
    return false;
  }

  /** Upload after a diagnosis; returns the message to show. Keys rotate only on success. */
  async upload(code: string, leaveOut: number[], includeCheckins: boolean): Promise<{ ok: boolean; text: string }> {
    try {
      const r = await this.report.upload(code, leaveOut, includeCheckins);
      if (includeCheckins) this.ext.onCheckinsUploaded?.();
      this.emit();
      return { ok: true, text: this.text('uploadDone', { n: r.accepted }) };
    } catch (e) {
      let text: string;
      if (e instanceof ApiError) {
        const known: Record<string, Parameters<typeof t>[1]> = {
          code_unknown: 'codeUnknown', code_used: 'codeUsed', code_expired: 'codeExpired', rate_limited: 'codeRateLimited', invalid_code_format: 'codeFormat',
        };
        text = known[e.code] ? this.text(known[e.code]) : this.text('uploadFailed', { reason: e.message });
      } else if (e instanceof PrtcError) {
        text = e.code === 'invalid_code_format' ? this.text('codeFormat') : e.message;
      } else if (e instanceof HostError) {
        text = e.text(this.view.lang);
      } else {
        text = this.text('uploadFailed', { reason: String((e as Error)?.message ?? e) });
      }
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
    this.ext.onReset?.();
    await this.keys.replace();
    this.status.recompute(this.nowS());
    this.emit({ consent: false, encounters: 0, message: { kind: 'info', text: this.text('resetDone') }, bluetoothError: null });
  }

  navigate(page: 'home' | 'report' | 'exposure' | 'settings' | 'checkin' | 'gate'): Promise<void> {
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

  /**
   * Gate mode: scan a visitor's health code and verify it offline with the pinned key. Throws
   * PrtcError('no_key') when no key is pinned yet, HostError when the scan fails or is cancelled.
   */
  async gateScan(): Promise<GateResult> {
    let key: Uint8Array;
    try {
      key = await this.publicKey();
    } catch {
      throw new PrtcError('no_key', this.text('gateNoKey'));
    }
    const text = await this.host.scanCode();
    return verifyHealthCode(text, key, this.nowS());
  }

  dismissMessage(): void {
    this.emit({ message: null });
  }
}
