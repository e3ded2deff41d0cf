/**
 * The device: the one composition root of the phone. `createDevice(host, settings)` builds every
 * service over one host and one storage; the Device is the view model the pages read — one
 * observable `view`, presentation-ready in the user's language — and the actions they call.
 * Data flows one way: host → services → this view → pages.
 *
 * It also runs the phone's own schedule on the host's timers and lifecycle: a tick every 15 s
 * (rpi rotation, the encounter log, retention, a sync when one is due), tracing paused in the
 * background and resumed in the foreground, a sync at launch and on show when the last is stale.
 *
 * Used alike by the mini-program (ui/store.ts), the simulated phones of the tests and the demo
 * (tools/testkit/phones.ts).
 */
import { fromBase64url } from '../../shared/protocol/codec';
import { encodeHealthCode, MAX_SYNC_AGE_S, verifyHealthCode, type GateResult } from '../../shared/protocol/healthcode';
import { dayInterval, enin, retentionStart } from '../../shared/protocol/time';
import { exposureHistory, type ExposureRecord, type Reason, type Status } from '../../shared/risk/status';
import { PrtcError, type ErrorCode } from '../../shared/errors';
import { HostError, REMEDY, type HostErrorCode, type Remedy } from '../host/errors';
import { featuresOf, type Features } from '../host/features';
import type { Host, Language, PrivacyAnswer } from '../host/types';
import { t, type StringKey } from '../i18n';
import { dayText } from '../i18n/dates';
import {
  damageText,
  gateReasonText,
  hostErrorText,
  remedyLabel,
  syncFailureText,
  uploadErrorText,
  venueRefusedText,
} from '../i18n/messages';
import { ApiClient, ApiError, type BackendSettings } from '../services/api';
import { inlineMatching, workerMatching } from '../matching/batch-matching';
import { VenueCodes, type OwnVenue } from '../services/venue-codes';
import { nameBytesLeft, type VenueDraft } from '../../shared/poster/venue-draft';
import { CheckinService, type Checkin, type ScannedVenue } from '../services/checkins';
import { EncounterLog } from '../services/encounters';
import { HistoryService, type SyncEntry, type UploadEntry } from '../services/history';
import { KeyStore } from '../services/keystore';
import { ReportService } from '../services/report';
import { SyncSchedule, WARN_BEFORE_EXPIRY_S, type SyncReason } from '../services/schedule';
import { StatusEngine } from '../services/status';
import { DeviceStorage, isObj } from '../services/storage';
import { SyncService, type SyncProgress } from '../services/sync';
import { Tracing } from '../services/tracing';
import type { EngineName } from '../matching/engines';

export type { Checkin, ScannedVenue, OwnVenue, VenueDraft };

export interface DeviceSettings extends BackendSettings {
  /** base64url Ed25519 key pinned at build time; empty: pin the server's key on first use (development). */
  publicKey: string;
}

export type Page = 'home' | 'report' | 'exposure' | 'settings' | 'checkin' | 'gate' | 'history' | 'venues';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** A sync's own notice, which the next sync replaces; other notices stay until their cause goes. */
  fromSync?: boolean;
}

/** A host problem as the user sees it: what is wrong, and the one thing to do about it. */
export interface Problem {
  code: HostErrorCode;
  text: string;
  remedy: Remedy;
  /** The label of the button that applies the remedy; null when there is nothing to tap. */
  action: string | null;
}

/** The periodic work: often enough to rotate the rpi on time and keep the log safe. */
export const TICK_MS = 15_000;
/** Cover uploads (§10): one at a random moment within every two days the mini-program is open (one a day on average). */
export const FAKE_UPLOAD_WINDOW_S = 2 * 86400;

export interface DeviceView {
  ready: boolean;
  lang: Language;
  consent: boolean;
  tracing: boolean;
  /** The user wants tracing (it may be paused in the background or blocked by `bluetoothError`). */
  tracingWanted: boolean;
  status: Status;
  reasons: Reason[];
  statusComputedAt: number | null;
  lastSyncAt: number | null;
  /** A verified key list is held (the health code can be shown); false after a sync that found none published yet. */
  hasCheckpoint: boolean;
  syncing: boolean;
  progress: SyncProgress | null;
  /** After a failed sync: when the phone tries again by itself (Unix s). */
  nextRetryAt: number | null;
  /** Until when gates accept this phone's health code (Unix s): its checkpoint's signedAt + 24 h (§8). */
  acceptedUntil: number | null;
  /** Fewer than four hours left: the home page asks for a sync. */
  expiresSoon: boolean;
  message: Notice | null;
  /** What was found damaged in storage, one sentence per item, with what it means for the user. */
  damage: string[];
  bluetoothError: Problem | null;
  /** A privacy-scoped API waits for the user's agreement to the privacy guide. */
  privacyPrompt: boolean;
  keySource: 'build' | 'server' | null;
  encounters: number;
  /** Check-ins of the last 14 days, newest first. */
  checkins: Checkin[];
  /** The check-in in progress, if any. */
  currentCheckin: Checkin | null;
  /** Venue codes this phone's owner made (pages/venues), newest first. */
  ownVenues: OwnVenue[];
  /** What this host lets the mini-program do (host/features.ts); pages say what is off and why. */
  features: Features;
  /** Tracing is on and this phone's beacon is on air (false while it only listens). */
  broadcasting: boolean;
  /** Where the last sync matched the keys, and with which engine (settings says it). */
  matchedBy: { where: 'worker' | 'page'; engine: EngineName } | null;
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
  private readonly historyLog: HistoryService;
  private readonly venueCodes: VenueCodes;
  private readonly api: ApiClient;
  private readonly schedule = new SyncSchedule();
  view: DeviceView;
  readonly features: Features;
  private listeners = new Set<(v: DeviceView) => void>();
  private lastRetentionDay = -1;
  private privacyAnswer: ((a: PrivacyAnswer) => void) | null = null;
  private running: Promise<boolean> | null = null;
  private stopSchedule: (() => void)[] = [];

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
    this.historyLog = new HistoryService(this.storage);
    this.venueCodes = new VenueCodes(host, this.storage, linkHostOf(settings.serverUrl));
    this.api = new ApiClient(host, settings);
    this.sync = new SyncService(
      host,
      this.storage,
      this.api,
      this.encounters,
      () => this.publicKey(),
      (w) => this.checkinService.match(w),
      (json) => this.status.setRiskConfig(json),
      () => this.status.riskConfig.defaultTxPower,
      host.capabilities.worker && host.worker ? workerMatching(host) : inlineMatching(),
    );
    this.features = featuresOf(host.capabilities);
    this.tracing = new Tracing(host, this.keys, this.encounters, undefined, this.features.beacon);
    this.tracing.onChange = () => this.emit({ bluetoothError: this.problem(this.tracing.lastError) });
    this.report = new ReportService(host, this.keys, this.api, this.status, this.checkinService);
    host.privacy.onNeedAuthorization((answer) => {
      this.privacyAnswer = answer;
      this.emit({ privacyPrompt: true });
    });
    this.view = {
      ready: false,
      lang: host.language(),
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

  nowS(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  subscribe(fn: (v: DeviceView) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private acceptedUntil(): number | null {
    const cp = this.sync.checkpoint;
    return cp ? cp.signedAt + MAX_SYNC_AGE_S : null;
  }

  private emit(patch: Partial<DeviceView> = {}): void {
    const s = this.status.state;
    const checkins = this.checkinService.checkins();
    const acceptedUntil = this.acceptedUntil();
    this.view = {
      ...this.view,
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

  private problem(e: HostError | null): Problem | null {
    if (!e) return null;
    const remedy = REMEDY[e.code];
    return {
      code: e.code,
      text: hostErrorText(this.view.lang, e.code),
      remedy,
      action: remedy ? remedyLabel(this.view.lang, remedy) : null,
    };
  }

  private recomputeStatus(): void {
    this.status.recompute(this.nowS(), this.sync.matched());
  }

  /**
   * First launch creates the tek; later launches load it. Damaged storage is reported item by item.
   * Then the phone's own schedule starts: ticks, lifecycle, tracing resumed if the user had it on,
   * and a sync if the last one is stale.
   */
  async start(): Promise<void> {
    if (this.view.ready) return;
    const hadData = this.storage.keys().length > 0;
    // a host without a secure random source keeps no tek (features.keys): no beacon, no key upload
    const { created } = this.features.keys ? await this.keys.init() : { created: false };
    const consent = this.storage.getJson('consent', (v) => (isObj(v) ? v : null)) !== null;
    const wantTracing = this.storage.getJson('tracing', (v) => (isObj(v) && v.on === true ? true : null)) === true;
    this.retention();
    this.checkinService.checkins();
    const encounters = this.encounters.count(); // reads every stored day, so damage shows now
    const corrupted = this.storage.takeCorrupted();
    // a tek that vanished while other data stayed is a lost key too, not a first launch
    if (created && hadData && !corrupted.includes('tek')) corrupted.push('tek');
    this.recomputeStatus();
    this.emit({ ready: true, consent, encounters, damage: damageText(this.view.lang, corrupted) });
    this.stopSchedule.push(
      this.host.timers.every(TICK_MS, () => void this.tick().then(() => Promise.all([this.autoSync('tick'), this.maybeFakeUpload()]))),
      this.host.lifecycle.onHide(() => void this.hidden()),
      this.host.lifecycle.onShow(() => void this.shown()),
    );
    if (consent && wantTracing) void this.startTracing();
    this.stopSchedule.push(this.host.timers.after(0, () => void this.autoSync('launch')));
  }

  /** Stops the schedule (the app is closing; tests end a phone's life). */
  stop(): void {
    for (const s of this.stopSchedule.splice(0)) s();
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
    this.emit({ consent: on, message: null });
  }

  async startTracing(): Promise<boolean> {
    if (!this.view.consent) {
      this.emit({ message: { kind: 'info', text: this.text('needConsent') } });
      return false;
    }
    this.storage.setJson('tracing', { on: true });
    try {
      await this.tracing.start();
      this.emit({ bluetoothError: null, message: null });
      return true;
    } catch (e) {
      this.emit({ bluetoothError: this.problem(e instanceof HostError ? e : new HostError('unknown', String(e))) });
      return false;
    }
  }

  async stopTracing(): Promise<void> {
    this.storage.remove('tracing');
    await this.tracing.stop();
    this.emit({ bluetoothError: null });
  }

  /** The user taps the action of a Bluetooth problem: opens the settings page, or asks for the privacy agreement. */
  async fix(): Promise<void> {
    const remedy = this.view.bluetoothError?.remedy;
    if (!remedy) return;
    try {
      if (remedy.kind === 'settings') await this.host.openSettings(remedy.page);
      else {
        await this.host.privacy.require();
        await this.startTracing();
      }
    } catch (e) {
      this.emit({ bluetoothError: this.problem(e instanceof HostError ? e : new HostError('unknown', String(e))) });
    }
  }

  /** The user answered the privacy prompt (the agree button is `<Button openType='agreePrivacyAuthorization' id={buttonId}>`). */
  answerPrivacy(agreed: boolean, buttonId = 'agree-btn'): void {
    const answer = this.privacyAnswer;
    this.privacyAnswer = null;
    this.emit({ privacyPrompt: false });
    answer?.(agreed ? { agreed: true, buttonId } : { agreed: false });
  }

  openPrivacyContract(): Promise<void> {
    return this.host.privacy.openContract().catch(() => undefined);
  }

  private async hidden(): Promise<void> {
    await this.tracing.pause();
    this.encounters.flush();
    this.emit();
  }

  private async shown(): Promise<void> {
    await this.tracing.resume();
    this.emit({ bluetoothError: this.problem(this.tracing.lastError) });
    await this.autoSync('show');
  }

  /** Periodic work (the schedule runs it every 15 s, then a sync if one is due): re-advertise, persist sightings, daily retention. */
  async tick(): Promise<void> {
    let failed: string | null = null;
    try {
      if (this.tracing.isRunning) await this.tracing.tick();
      this.retention();
    } catch (e) {
      // the storage is full (WeChat: 10 MB in all): sightings stay in memory and are written at the next tick
      failed = this.hostText(e);
    }
    this.emit({
      encounters: this.encounters.count(),
      bluetoothError: this.problem(this.tracing.lastError),
      ...(failed ? { message: { kind: 'error' as const, text: failed } } : {}),
    });
  }

  /** Resolves when no sync is running (tests and the demo wait for the phone's own syncs). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private retention(): void {
    const now = this.nowS();
    const day = dayInterval(enin(now));
    if (day === this.lastRetentionDay) return;
    this.lastRetentionDay = day;
    this.encounters.retain(now);
    this.checkinService.retain(now);
    this.historyLog.retain(now);
    this.sync.retain(retentionStart(enin(now)));
    this.recomputeStatus();
  }

  private async autoSync(reason: SyncReason): Promise<void> {
    if (this.running || !this.view.ready) return;
    if (!this.schedule.due(reason, this.nowS(), this.sync.lastSyncAt, this.acceptedUntil())) return;
    await this.syncOnce();
  }

  /**
   * Sends a cover upload when its random moment has come (plausible deniability: a real report is
   * one upload among many that look the same), and draws the next moment.
   */
  private async maybeFakeUpload(): Promise<void> {
    const now = this.nowS();
    const nextAt = this.storage.getJson('fakeUpload', (v) => (isObj(v) && typeof v.nextAt === 'number' ? v.nextAt : null));
    if ((nextAt !== null && now < nextAt) || !this.features.keys) return;
    const r = await this.host.randomBytes(4);
    const draw = ((r[0] | (r[1] << 8) | (r[2] << 16)) >>> 0) / 0x1000000; // uniform in [0, 1)
    this.storage.setJson('fakeUpload', { nextAt: now + Math.floor(draw * FAKE_UPLOAD_WINDOW_S) });
    if (nextAt !== null) await this.report.fakeUpload().catch(() => undefined);
  }

  /** The user asks for a check now: it runs at once (after one in progress, if any), whatever the schedule says. */
  async runSync(): Promise<boolean> {
    if (this.running) await this.running;
    this.schedule.succeeded(); // the user asked: start the backoff over
    return this.syncOnce();
  }

  private syncOnce(): Promise<boolean> {
    const run = this.doSync().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async doSync(): Promise<boolean> {
    // a sync replaces its own notice, never one about something else (the consent a tap asked for)
    const others = this.view.message?.fromSync ? null : this.view.message;
    this.emit({ syncing: true, progress: null, message: others });
    const r = await this.sync.sync((p) => this.emit({ progress: p }));
    this.recomputeStatus();
    const at = this.nowS();
    try {
      this.historyLog.sync(r.ok ? { at, ok: true, batches: r.batches } : { at, ok: false, batches: r.batches, why: r.kind });
    } catch {
      // a full storage: the history misses one line; the sync itself is kept
    }
    if (r.ok) {
      this.schedule.succeeded();
      this.emit({ syncing: false, progress: null, message: this.view.message?.fromSync ? null : this.view.message });
      return true;
    }
    this.schedule.failed(at);
    this.emit({
      syncing: false,
      progress: null,
      message: { kind: 'error', text: syncFailureText(this.view.lang, r.kind, r.code), fromSync: true },
    });
    return false;
  }

  /** The days a report would upload now, newest first. */
  reportPlan(): { i: number; date: string }[] {
    return this.keys.uploadableDays(this.nowS()).map((i) => ({ i, date: dayText(this.view.lang, i) }));
  }

  /** How many check-ins a report would offer. */
  reportCheckinCount(): number {
    return this.checkinService.count();
  }

  /** Upload after a diagnosis; returns the message to show. Keys rotate only on success. */
  async upload(code: string, leaveOut: number[], includeCheckins: boolean): Promise<{ ok: boolean; text: string }> {
    if (!this.features.keys) return { ok: false, text: this.text('featureOff_keys') };
    try {
      const r = await this.report.upload(code, leaveOut, includeCheckins);
      try {
        this.historyLog.upload({ at: this.nowS(), keys: r.accepted, checkins: r.checkins });
      } catch {
        // a full storage: the history misses one line; the upload happened
      }
      this.recomputeStatus();
      this.emit();
      return { ok: true, text: this.text('uploadDone', { n: r.accepted }) };
    } catch (e) {
      let text: string;
      if (e instanceof ApiError || e instanceof PrtcError) text = uploadErrorText(this.view.lang, e.code);
      else if (e instanceof HostError && (e.code === 'network' || e.code === 'timeout')) text = this.text('uploadOffline');
      else if (e instanceof HostError) text = this.hostText(e);
      else text = uploadErrorText(this.view.lang, 'internal_error');
      return { ok: false, text };
    }
  }

  /**
   * The upload code in a link the user scanned or opened (§10: `https://<host>/u#<code>`, or the
   * `q` WeChat passes when its own scanner opens the mini-program), or null when it is not one.
   */
  codeFromLink(link: string): string | null {
    const m = /^https:\/\/[^/?#]+\/u#([0-9A-Za-z -]{10,16})$/.exec(link.trim());
    return m ? m[1].toUpperCase() : null;
  }

  // ---- history

  /** What the history page shows: exposures (all, also those that do not count), syncs and uploads, newest first. */
  history(): { exposures: ExposureRecord[]; syncs: SyncEntry[]; uploads: UploadEntry[] } {
    const m = this.sync.matched();
    const exposures = exposureHistory(m, this.status.riskConfig, enin(this.nowS()));
    return { exposures, ...this.historyLog.entries() };
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
    if (this.features.keys) await this.keys.replace();
    this.recomputeStatus();
    this.emit({ consent: false, encounters: 0, message: { kind: 'info', text: this.text('resetDone') }, bluetoothError: null, damage: [] });
  }

  /** Puts the page's title in the navigation bar, in the user's language. */
  setTitle(page: Page): Promise<void> {
    return this.host.setTitle(this.text(`title_${page}` as StringKey)).catch(() => undefined);
  }

  navigate(page: Page): Promise<void> {
    return this.host.navigate(`/pages/${page}/index`).catch(() => undefined);
  }

  /** Back to the page that opened this one. */
  back(): Promise<void> {
    return this.host.back().catch(() => undefined);
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
    let text: string;
    try {
      text = await this.host.scanCode();
    } catch (e) {
      if (e instanceof HostError && e.code === 'cancelled') return { ok: false, code: 'cancelled', text: null };
      return {
        ok: false,
        code: e instanceof HostError ? e.code : 'unknown',
        text: this.text('venueRefused', { reason: this.hostText(e) }),
      };
    }
    return this.venueFromLink(text);
  }

  /**
   * A venue link that opened the mini-program (WeChat's own scanner passes it as `q`), checked as
   * the in-app scanner checks it.
   */
  venueFromLink(text: string): Outcome<ScannedVenue> {
    try {
      return { ok: true, value: this.checkinService.inspect(text.trim()) };
    } catch (e) {
      const code = e instanceof PrtcError ? e.code : 'internal_error';
      return { ok: false, code, text: venueRefusedText(this.view.lang, code) };
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

  // ---- venue codes the owner makes (§7): nothing of them leaves the phone

  /** What is wrong with a venue as typed, one sentence per field (empty when it can be made). */
  venueProblems(d: VenueDraft): string[] {
    return this.venueCodes.problems(d).map((p) => this.text(`venueErr_${p}` as StringKey));
  }

  /** UTF-8 bytes still free for the name (§7: 100), negative when over. */
  venueNameBytesLeft(name: string): number {
    return nameBytesLeft(name);
  }

  /** Makes a venue's code and keeps it on this phone. */
  async createVenue(d: VenueDraft): Promise<Outcome<OwnVenue>> {
    if (!this.features.venues) return { ok: false, code: 'unsupported', text: this.text('featureOff_venues') };
    const problems = this.venueProblems(d);
    if (problems.length) return { ok: false, code: 'invalid_value', text: problems.join(' ') };
    try {
      const v = await this.venueCodes.create(d);
      this.emit();
      return { ok: true, value: v };
    } catch (e) {
      return { ok: false, code: e instanceof HostError ? e.code : 'unknown', text: this.hostText(e) };
    }
  }

  deleteVenue(id: string): void {
    this.venueCodes.remove(id);
    this.emit();
  }

  /** Draws a venue's poster: the path of the image to preview and save. */
  async venuePoster(id: string): Promise<Outcome<string>> {
    const v = this.venueCodes.list().find((x) => x.id === id);
    if (!v) return { ok: false, code: 'not_found', text: this.text('venueNone') };
    try {
      return { ok: true, value: await this.venueCodes.poster(v) };
    } catch (e) {
      const code = e instanceof HostError ? e.code : 'unknown';
      return { ok: false, code, text: code === 'unsupported' ? this.text('venueCannotDraw') : this.hostText(e) };
    }
  }

  /** Saves a drawn poster to the photo album; after a refusal of album access, says how to allow it. */
  async saveVenuePoster(path: string): Promise<Outcome<null>> {
    try {
      await this.venueCodes.save(path);
      return { ok: true, value: null };
    } catch (e) {
      const code = e instanceof HostError ? e.code : 'unknown';
      if (code === 'privacy_not_agreed') this.emit({ privacyPrompt: false });
      return { ok: false, code, text: code === 'permission_denied' ? this.text('venueAlbumDenied') : this.hostText(e) };
    }
  }

  /** The mini-program's own permission page (wx.openSetting), where album access can be turned back on. */
  openPermissions(): Promise<void> {
    return this.host.openSettings('mini_program').catch(() => undefined);
  }

  /**
   * What sharing a venue to a chat sends: its name as the title and the check-in page with the link
   * as `q` — the same way in as WeChat's own scanner (pages/checkin reads `q`).
   */
  venueShare(id: string): { title: string; path: string } | null {
    const v = this.venueCodes.list().find((x) => x.id === id);
    return v ? { title: v.draft.name, path: `/pages/checkin/index?q=${encodeURIComponent(v.link)}` } : null;
  }

  dismissMessage(): void {
    this.emit({ message: null, damage: [] });
  }
}

/** The host part of venue links: the key server's domain (operators register `https://<it>/v` to open the mini-program from WeChat's scanner). */
export function linkHostOf(serverUrl: string): string {
  return serverUrl.replace(/^[a-z]+:\/\//i, '').replace(/[/?#].*$/, '');
}

export function createDevice(host: Host, settings: DeviceSettings): Device {
  return new Device(host, settings);
}
