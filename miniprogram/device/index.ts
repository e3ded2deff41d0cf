/**
 * The device: the one composition root of the phone. `createDevice(host, settings)` builds every
 * service over one host and one storage (core.ts) and the features over them, one file each:
 * lifecycle (start, the 15-s tick, background and foreground), tracing and consent, sync, report,
 * check-ins, the health code and the gate, the owner's venue codes, navigation, the user's data.
 * The Device is the view model pages read — one observable `view` (view.ts) — and the actions
 * they call; every action that can fail answers an Outcome (outcome.ts).
 * Data flows one way: host → services → this view → pages.
 *
 * Used alike by the mini-program (ui/store.ts), the simulated phones of the tests and the demo.
 */
import type { GateResult } from '../../shared/protocol/healthcode';
import type { VenueDraft } from '../../shared/poster/venue-draft';
import type { ExposureRecord } from '../../shared/risk/status';
import type { Features } from '../host/features';
import type { Host } from '../host/types';
import type { Checkin, ScannedVenue } from '../services/checkins';
import type { EncounterLog } from '../services/encounters';
import type { SyncEntry, UploadEntry } from '../services/history';
import type { SyncService } from '../services/sync';
import type { OwnVenue } from '../services/venue-codes';
import { CheckinActions } from './checkins';
import { DeviceCore, type DeviceSettings } from './core';
import { DataActions } from './data';
import { HealthCodeActions } from './health-code';
import { Lifecycle } from './lifecycle';
import { Navigation } from './navigation';
import type { Outcome } from './outcome';
import { ReportActions } from './report';
import { SyncActions } from './sync';
import { TracingActions } from './tracing';
import { VenueActions } from './venues';
import type { DeviceView, Page } from './view';

export type { Checkin, ScannedVenue, OwnVenue, VenueDraft, DeviceSettings, DeviceView, Page, Outcome };
export type { Notice, Problem } from './view';
export { linkHostOf } from './core';

export class Device {
  private readonly core: DeviceCore;
  private readonly lifecycle: Lifecycle;
  private readonly tracingActions: TracingActions;
  private readonly syncActions: SyncActions;
  private readonly reportActions: ReportActions;
  private readonly checkinActions: CheckinActions;
  private readonly healthCodeActions: HealthCodeActions;
  private readonly venueActions: VenueActions;
  private readonly navigation: Navigation;
  private readonly data: DataActions;
  readonly encounters: EncounterLog;
  readonly sync: SyncService;
  readonly features: Features;

  constructor(
    readonly host: Host,
    readonly settings: DeviceSettings,
  ) {
    const core = new DeviceCore(host, settings);
    this.core = core;
    this.encounters = core.encounters;
    this.sync = core.sync;
    this.features = core.features;
    this.tracingActions = new TracingActions(core);
    this.syncActions = new SyncActions(core);
    this.reportActions = new ReportActions(core);
    this.checkinActions = new CheckinActions(core);
    this.healthCodeActions = new HealthCodeActions(core);
    this.venueActions = new VenueActions(core);
    this.navigation = new Navigation(core);
    this.data = new DataActions(core);
    this.lifecycle = new Lifecycle(core, this.tracingActions, this.syncActions, this.reportActions);
  }

  get view(): DeviceView {
    return this.core.view;
  }

  subscribe(fn: (v: DeviceView) => void): () => void {
    return this.core.store.subscribe(fn);
  }

  nowS(): number {
    return this.core.nowS();
  }

  dismissMessage(): void {
    this.core.emit({ message: null, damage: [] });
  }

  // ---- lifecycle (lifecycle.ts)
  start(): Promise<void> {
    return this.lifecycle.start();
  }
  stop(): void {
    this.lifecycle.stop();
  }
  tick(): Promise<void> {
    return this.lifecycle.tick();
  }

  // ---- consent and tracing (tracing.ts)
  setConsent(on: boolean): Promise<void> {
    return this.tracingActions.setConsent(on);
  }
  startTracing(): Promise<Outcome> {
    return this.tracingActions.start();
  }
  stopTracing(): Promise<void> {
    return this.tracingActions.stop();
  }
  fix(): Promise<void> {
    return this.tracingActions.fix();
  }
  answerPrivacy(agreed: boolean, buttonId?: string): void {
    this.tracingActions.answerPrivacy(agreed, buttonId);
  }
  openPrivacyContract(): Promise<void> {
    return this.tracingActions.openPrivacyContract();
  }

  // ---- sync (sync.ts)
  runSync(): Promise<Outcome<number>> {
    return this.syncActions.run();
  }
  whenIdle(): Promise<void> {
    return this.syncActions.whenIdle();
  }

  // ---- report (report.ts)
  reportPlan(): { i: number; date: string }[] {
    return this.reportActions.plan();
  }
  reportCheckinCount(): number {
    return this.reportActions.checkinCount();
  }
  upload(code: string, leaveOut: number[], includeCheckins: boolean): Promise<Outcome<number>> {
    return this.reportActions.upload(code, leaveOut, includeCheckins);
  }
  codeFromLink(link: string): string | null {
    return this.reportActions.codeFromLink(link);
  }

  // ---- the user's data (data.ts)
  history(): { exposures: ExposureRecord[]; syncs: SyncEntry[]; uploads: UploadEntry[] } {
    return this.data.history();
  }
  reset(): Promise<void> {
    return this.data.reset();
  }

  // ---- the health code and the gate (health-code.ts)
  healthCode(): string | null {
    return this.healthCodeActions.code();
  }
  showingHealthCode(on: boolean): Promise<void> {
    return this.healthCodeActions.showing(on);
  }
  gateScan(): Promise<Outcome<GateResult & { reasonTexts: string[] }>> {
    return this.healthCodeActions.gateScan();
  }

  // ---- check-ins (checkins.ts)
  scanVenue(): Promise<Outcome<ScannedVenue>> {
    return this.checkinActions.scan();
  }
  venueFromLink(text: string): Outcome<ScannedVenue> {
    return this.checkinActions.fromLink(text);
  }
  checkIn(v: ScannedVenue, minutes: number): void {
    this.checkinActions.checkIn(v, minutes);
  }
  checkOut(id: string): void {
    this.checkinActions.checkOut(id);
  }

  // ---- the owner's venue codes (venues.ts)
  venueProblems(d: VenueDraft): string[] {
    return this.venueActions.problems(d);
  }
  venueNameBytesLeft(name: string): number {
    return this.venueActions.nameBytesLeft(name);
  }
  createVenue(d: VenueDraft): Promise<Outcome<OwnVenue>> {
    return this.venueActions.create(d);
  }
  deleteVenue(id: string): void {
    this.venueActions.remove(id);
  }
  venuePoster(id: string): Promise<Outcome<string>> {
    return this.venueActions.poster(id);
  }
  saveVenuePoster(path: string): Promise<Outcome> {
    return this.venueActions.savePoster(path);
  }
  venueShare(id: string): { title: string; path: string } | null {
    return this.venueActions.share(id);
  }

  // ---- navigation (navigation.ts)
  setTitle(page: Page): Promise<void> {
    return this.navigation.setTitle(page);
  }
  navigate(page: Page): Promise<void> {
    return this.navigation.navigate(page);
  }
  back(): Promise<void> {
    return this.navigation.back();
  }
  openPermissions(): Promise<void> {
    return this.navigation.openPermissions();
  }
}

export function createDevice(host: Host, settings: DeviceSettings): Device {
  return new Device(host, settings);
}
