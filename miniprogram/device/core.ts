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
import { DiaryService } from '../services/diary';
import { MemberService } from '../services/members';
import { EncounterLog } from '../services/encounters';
import { HistoryService } from '../services/history';
import { KeyStore } from '../services/keystore';
import { ReportService } from '../services/report';
import { overdue, SyncSchedule, WARN_BEFORE_EXPIRY_S } from '../services/schedule';
import { StatusEngine } from '../services/status';
import { DeviceStorage } from '../services/storage';
import { SyncService } from '../services/sync';
import { PhoneData, type InterruptedImport } from '../services/transfer';
import { Tracing } from '../services/tracing';
import { localMidnight, TracingTime } from '../services/tracing-time';
import { VenueCodes } from '../services/venue-codes';
import { ENIN_SECONDS } from '../../shared/protocol/time';
import { RegionsService } from '../services/regions';
import { BUILD_REGIONS, NATIONAL_REGION, UNKNOWN_REGION } from '../../shared/regions';
import { ViewStore, type BackgroundView, type DeviceView, type Problem, type ShownReason } from './view';
import type { ExplainedReason } from '../../shared/risk/explain';
import type { Language } from '../host/types';
import type { Checkin } from '../services/checkins';
import { StatusClock } from './status-clock';
import { MemberActions } from './members';

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
  /** The private diary (issue 32): people and notes the user writes in, per day; never uploaded. */
  readonly diary: DiaryService;
  /** Issue 32: family members on this phone. */
  readonly members: MemberService;
  readonly history: HistoryService;
  readonly venueCodes: VenueCodes;
  readonly api: ApiClient;
  readonly sync: SyncService;
  readonly tracing: Tracing;
  readonly tracingTime: TracingTime;
  readonly report: ReportService;
  /** §15: home and visited regions: the chains the sync follows, what an upload names. */
  readonly regions: RegionsService;
  readonly schedule = new SyncSchedule();
  readonly features: Features;
  readonly store: ViewStore;
  /** The explained status (issue 29): recomputes by itself when a reason stops counting and at local midnight. */
  readonly statusClock: StatusClock;
  /** A move from an old phone that was killed halfway and undone at this launch (§17); the home page says so. */
  readonly interruptedMove: InterruptedImport | null;

  constructor(
    readonly host: Host,
    readonly settings: DeviceSettings,
  ) {
    this.storage = new DeviceStorage(host);
    // before any service reads its entries: an import killed halfway is undone (§17)
    this.interruptedMove = recoverMove(host);
    this.keys = new KeyStore(host, this.storage);
    this.encounters = new EncounterLog(this.storage);
    this.status = new StatusEngine(this.storage);
    this.checkins = new CheckinService(host, this.storage);
    this.diary = new DiaryService(this.storage);
    this.members = new MemberService(host, this.storage);
    this.history = new HistoryService(this.storage);
    this.venueCodes = new VenueCodes(host, this.storage, linkHostOf(settings.serverUrl));
    this.api = new ApiClient(host, settings);
    // the build's list; at merge with the signed configuration v2, its verified `regions` section
    // the verified configuration's region list where it carries one (§15), else the build's
    this.regions = new RegionsService(this.storage, () => this.status.regions ?? BUILD_REGIONS);
    this.sync = new SyncService(
      host,
      this.storage,
      this.api,
      this.encounters,
      () => this.publicKey(),
      (w) => this.checkins.match(w),
      (json) => this.status.offerConfig(json),
      () => this.status.riskConfig.defaultTxPower,
      host.capabilities.worker && host.worker ? workerMatching(host) : inlineMatching(),
      () => this.regions.followed(this.checkins.checkins(), this.nowS()),
    );
    this.features = featuresOf(host.capabilities);
    this.tracing = new Tracing(host, this.keys, this.encounters, undefined, this.features.beacon);
    this.tracingTime = new TracingTime(this.storage);
    this.report = new ReportService(host, this.keys, this.api, this.status, this.checkins, () =>
      this.regions.forUpload(this.checkins.checkins(), this.nowS()),
    );
    this.store = new ViewStore(this.initialView(), () => this.derive());
    this.statusClock = new StatusClock(this);
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
    this.statusClock.arm(); // the explained status (issue 29): the next moment it changes by itself
  }

  /** Until when gates accept this phone's health code (§8): its root's signedAt + 24 h (§15). */
  acceptedUntil(): number | null {
    const root = this.sync.root;
    return root ? root.signedAt + MAX_SYNC_AGE_S : null;
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

  /** A region's name as the user reads it: the list's, or the words for the two pseudo-regions. */
  regionName(code: number): string {
    if (code === NATIONAL_REGION) return this.text('regionNational');
    if (code === UNKNOWN_REGION) return this.text('regionUnknown');
    return this.regions.name(code) ?? String(code);
  }

  /** §15: the regions followed, each with what it costs a day (the server's figure), home first. */
  private followedRegions(checkins: Checkin[]): DeviceView['followedRegions'] {
    const costs = new Map(this.sync.chainCosts().map((c) => [c.region, c.bytesPerDay]));
    return this.regions
      .followed(checkins, this.nowS())
      .map((code) => ({ code, name: this.regionName(code), bytesPerDay: costs.get(code) ?? null }));
  }

  /** A reason in the phone's language: its region's name (§15), a venue warning's level advice and the authority's sentence (issue 31). */
  private shownReason(r: ExplainedReason): ShownReason {
    const lang = this.view.lang;
    const out: ShownReason = r.region === undefined ? { ...r } : { ...r, regionName: this.regionName(r.region) };
    if (r.warningLevel) out.levelAdvice = this.status.venueRules.levels[r.warningLevel].advice[lang];
    const text = r.text && authorityTextIn(r.text, lang);
    if (text) out.authorityText = text;
    return out;
  }

  private derive() {
    const s = this.status.state;
    const checkins = this.checkins.checkins();
    const acceptedUntil = this.acceptedUntil();
    const home = this.regions.home;
    return {
      status: s.status,
      // regions (issue 30): each reason names the region whose chain carried it
      reasons: s.reasons.map((r) => this.shownReason(r)),
      homeRegion: home === null ? null : { code: home, name: this.regionName(home) },
      followedRegions: this.followedRegions(checkins),
      statusComputedAt: s.computedAt,
      lastSyncAt: this.sync.lastSyncAt,
      hasCheckpoint: this.sync.root !== null,
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
      // the explained status (issue 29)
      levelUntil: s.levelUntil,
      greenAt: s.greenAt,
      advice: this.status.advice[s.status][this.view.lang],
      configSerial: this.status.configSerial,
      exposureDays: Math.floor(this.status.riskConfig.exposureDays),
      members: MemberActions.derive(this),
      ...this.deriveWorking(),
    };
  }

  // ---- background tracing and the "is it working" panel (issue 28)
  private deriveWorking() {
    const now = this.nowS();
    const tracing = this.tracing;
    const why = this.host.capabilities.background;
    const background: BackgroundView = {
      unavailable: why.via === null ? why.why : null,
      wanted: tracing.wantsBackground,
      running: tracing.backgroundActive,
      problem: this.problem(tracing.backgroundError),
      stopped: tracing.wantsBackground && tracing.isRunning && !tracing.backgroundActive && tracing.backgroundError === null,
      beaconReadable: this.host.capabilities.backgroundBeaconReadable,
    };
    const midnight = localMidnight(now);
    return {
      tracingMode: !tracing.isRunning ? ('off' as const) : tracing.inBackgroundMode ? ('background' as const) : ('foreground' as const),
      background,
      tracingSecondsToday: this.tracingTime.secondsToday(now),
      nearbyToday: this.encounters.mostAtOnce(Math.floor(midnight / ENIN_SECONDS), Math.floor(now / ENIN_SECONDS)),
      checkOverdue: overdue(now, this.sync.lastSyncAt),
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
      hasCheckpoint: this.sync.root !== null,
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
      ...this.deriveWorking(),
      homeRegion: null,
      followedRegions: [],
      // the explained status (issue 29)
      levelUntil: null,
      greenAt: null,
      advice: this.status.advice.green[this.host.language()],
      configSerial: this.status.configSerial,
      exposureDays: Math.floor(this.status.riskConfig.exposureDays),
      configRefused: null,
      members: [],
    };
  }
}

/** Undoes an interrupted import; a storage that refuses even that leaves the journal for the next launch. */
function recoverMove(host: Host): InterruptedImport | null {
  try {
    return new PhoneData(host).recoverImport();
  } catch {
    return null;
  }
}

/** The host part of venue links: the key server's domain (operators register `https://<it>/v` to open the mini-program from WeChat's scanner). */
export function linkHostOf(serverUrl: string): string {
  return serverUrl.replace(/^[a-z]+:\/\//i, '').replace(/[/?#].*$/, '');
}

/**
 * The authority's sentence in the phone's language; where it wrote none in that language, the
 * nearest it did (the other Traditional, then Simplified, then English; from English: Simplified).
 */
export function authorityTextIn(text: NonNullable<ExplainedReason['text']>, lang: Language): string | undefined {
  const order: Record<Language, Language[]> = {
    en: ['en', 'zh_CN', 'zh_HK', 'zh_TW'],
    zh_CN: ['zh_CN', 'zh_TW', 'zh_HK', 'en'],
    zh_HK: ['zh_HK', 'zh_TW', 'zh_CN', 'en'],
    zh_TW: ['zh_TW', 'zh_HK', 'zh_CN', 'en'],
  };
  for (const l of order[lang]) if (text[l]) return text[l];
  return undefined;
}
