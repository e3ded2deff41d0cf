/**
 * What every feature of the device shares: the host, the settings, the services built over one
 * host and one storage, the view store, and the few helpers each feature needs to speak to the
 * user (its language, a host problem as a sentence and a remedy). Built once, by createDevice.
 */
import { fromBase64url } from '../../shared/protocol/codec';
import { MAX_SYNC_AGE_S } from '../../shared/protocol/healthcode';
import { PrtcError } from '../../shared/errors';
import { asHostError, hostErrorCode, REMEDY } from '../host/errors';
import { featuresOf, type Features } from '../host/features';
import type { Host } from '../host/types';
import { t, type StringKey } from '../i18n';
import { hostErrorText, remedyLabel } from '../i18n/messages';
import { ApiClient, type BackendSettings } from '../services/api';
import { inlineMatching, workerMatching } from '../matching/batch-matching';
import { CheckinService } from '../services/checkins';
import { EncounterLog } from '../services/encounters';
import { HistoryService } from '../services/history';
import { KeyStore } from '../services/keystore';
import { ReportService } from '../services/report';
import { SyncSchedule, WARN_BEFORE_EXPIRY_S } from '../services/schedule';
import { StatusEngine } from '../services/status';
import { DeviceStorage } from '../services/storage';
import { SyncService } from '../services/sync';
import { Tracing } from '../services/tracing';
import { VenueCodes } from '../services/venue-codes';
import { ViewStore, type DeviceView, type Problem } from './view';

export interface DeviceSettings extends BackendSettings {
  /** base64url Ed25519 key pinned at build time; empty: pin the server's key on first use (development). */
  publicKey: string;
}

export class DeviceCore {
  /** One storage for every service, so every damaged entry is reported through takeCorrupted(). */
  readonly storage: DeviceStorage;
  readonly keys: KeyStore;
  readonly encounters: EncounterLog;
  readonly status: StatusEngine;
  readonly checkins: CheckinService;
  readonly history: HistoryService;
  readonly venueCodes: VenueCodes;
  readonly api: ApiClient;
  readonly sync: SyncService;
  readonly tracing: Tracing;
  readonly report: ReportService;
  readonly schedule = new SyncSchedule();
  readonly features: Features;
  readonly store: ViewStore;

  constructor(
    readonly host: Host,
    readonly settings: DeviceSettings,
  ) {
    this.storage = new DeviceStorage(host);
    this.keys = new KeyStore(host, this.storage);
    this.encounters = new EncounterLog(this.storage);
    this.status = new StatusEngine(this.storage);
    this.checkins = new CheckinService(host, this.storage);
    this.history = new HistoryService(this.storage);
    this.venueCodes = new VenueCodes(host, this.storage, linkHostOf(settings.serverUrl));
    this.api = new ApiClient(host, settings);
    this.sync = new SyncService(
      host,
      this.storage,
      this.api,
      this.encounters,
      () => this.publicKey(),
      (w) => this.checkins.match(w),
      (json) => this.status.setRiskConfig(json),
      () => this.status.riskConfig.defaultTxPower,
      host.capabilities.worker && host.worker ? workerMatching(host) : inlineMatching(),
    );
    this.features = featuresOf(host.capabilities);
    this.tracing = new Tracing(host, this.keys, this.encounters, undefined, this.features.beacon);
    this.report = new ReportService(host, this.keys, this.api, this.status, this.checkins);
    this.store = new ViewStore(this.initialView(), () => this.derive());
  }

  get view(): DeviceView {
    return this.store.view;
  }

  emit(patch: Partial<DeviceView> = {}): void {
    this.store.emit(patch);
  }

  nowS(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  text(key: StringKey, params?: Record<string, string | number>): string {
    return t(this.view.lang, key, params);
  }

  /** A failure of the host as the sentence the user reads. */
  hostText(e: unknown): string {
    return hostErrorText(this.view.lang, hostErrorCode(e));
  }

  /** A failure of the host as a problem the user can act on (null: no problem). */
  problem(e: unknown): Problem | null {
    if (e === null || e === undefined) return null;
    const { code } = asHostError(e);
    const remedy = REMEDY[code];
    return { code, text: hostErrorText(this.view.lang, code), remedy, action: remedy ? remedyLabel(this.view.lang, remedy) : null };
  }

  recomputeStatus(): void {
    this.status.recompute(this.nowS(), this.sync.matched());
  }

  /** Until when gates accept this phone's health code (§8): its checkpoint's signedAt + 24 h. */
  acceptedUntil(): number | null {
    const cp = this.sync.checkpoint;
    return cp ? cp.signedAt + MAX_SYNC_AGE_S : null;
  }

  keySource(): 'build' | 'server' | null {
    if (this.settings.publicKey) return 'build';
    return this.storage.getText('pinnedKey') ? 'server' : null;
  }

  /** The server's public key: pinned in the build, or (development builds) pinned on first use. */
  async publicKey(): Promise<Uint8Array> {
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

  private derive() {
    const s = this.status.state;
    const checkins = this.checkins.checkins();
    const acceptedUntil = this.acceptedUntil();
    return {
      status: s.status,
      reasons: s.reasons,
      statusComputedAt: s.computedAt,
      lastSyncAt: this.sync.lastSyncAt,
      hasCheckpoint: this.sync.checkpoint !== null,
      tracing: this.tracing.isRunning,
      broadcasting: this.tracing.broadcasting,
      matchedBy: this.sync.matchedBy,
      tracingWanted: this.tracing.wanted,
      keySource: this.keySource(),
      checkins,
      currentCheckin: checkins.find((c) => !c.checkedOut) ?? null,
      ownVenues: this.venueCodes.list(),
      nextRetryAt: this.schedule.nextRetryAt,
      acceptedUntil,
      expiresSoon: acceptedUntil !== null && acceptedUntil - this.nowS() < WARN_BEFORE_EXPIRY_S,
    };
  }

  private initialView(): DeviceView {
    return {
      ready: false,
      lang: this.host.language(),
      consent: false,
      tracing: false,
      tracingWanted: false,
      status: 'green',
      reasons: [],
      statusComputedAt: null,
      lastSyncAt: this.sync.lastSyncAt,
      hasCheckpoint: this.sync.checkpoint !== null,
      syncing: false,
      progress: null,
      nextRetryAt: null,
      acceptedUntil: null,
      expiresSoon: false,
      message: null,
      damage: [],
      bluetoothError: null,
      privacyPrompt: false,
      keySource: null,
      encounters: 0,
      checkins: [],
      currentCheckin: null,
      ownVenues: [],
      features: this.features,
      broadcasting: false,
      matchedBy: null,
    };
  }
}

/** The host part of venue links: the key server's domain (operators register `https://<it>/v` to open the mini-program from WeChat's scanner). */
export function linkHostOf(serverUrl: string): string {
  return serverUrl.replace(/^[a-z]+:\/\//i, '').replace(/[/?#].*$/, '');
}
