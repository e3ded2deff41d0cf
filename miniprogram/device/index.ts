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
import type { WarningLevel } from '../../shared/protocol/batch';
import type { ExplainedExposure } from '../../shared/risk/explain';
import type { Features } from '../host/features';
import type { Host } from '../host/types';
import type { Checkin, ScannedVenue } from '../services/checkins';
import type { EncounterLog } from '../services/encounters';
import type { SyncEntry, UploadEntry } from '../services/history';
import type { SyncService } from '../services/sync';
import type { OwnVenue } from '../services/venue-codes';
import type { Member, MemberColour } from '../services/members';
import { CheckinActions } from './checkins';
import { DeviceCore, type DeviceSettings } from './core';
import { DataActions } from './data';
import { DiaryActions, type DiaryDay, type DiaryPlace } from './diary';
import type { DiaryEntry } from '../services/diary';
import { HealthCodeActions } from './health-code';
import { Lifecycle } from './lifecycle';
import { MemberActions } from './members';
import { Navigation } from './navigation';
import type { Outcome } from './outcome';
import { ReportActions } from './report';
import { RegionActions, type RegionChoice } from './regions';
import { SyncActions } from './sync';
import { TracingActions } from './tracing';
import { VenueActions } from './venues';
import { MoveActions, type MoveInProgress, type MoveOut } from './transfer';
import type { DeviceView, Page } from './view';

export type {
  Checkin,
  ScannedVenue,
  OwnVenue,
  VenueDraft,
  DeviceSettings,
  DeviceView,
  Page,
  Outcome,
  RegionChoice,
  MoveOut,
  MoveInProgress,
};
export type { DiaryDay, DiaryEntry, DiaryPlace };
export type { Notice, Problem, MemberView } from './view';
export type { Member, MemberColour };
export { MAX_MEMBERS, MEMBER_COLOURS } from '../services/members';
export { linkHostOf } from './core';

export class Device {
  // rebuilt over the same host when the phone's data is replaced (a move from an old phone, transfer.ts)
  private core!: DeviceCore;
  private lifecycle!: Lifecycle;
  private tracingActions!: TracingActions;
  private syncActions!: SyncActions;
  private reportActions!: ReportActions;
  private checkinActions!: CheckinActions;
  private healthCodeActions!: HealthCodeActions;
  private venueActions!: VenueActions;
  private navigation!: Navigation;
  private data!: DataActions;
  private regionActions!: RegionActions;
  private diaryActions!: DiaryActions;
  private memberActions!: MemberActions;
  private move!: MoveActions;

  constructor(
    readonly host: Host,
    readonly settings: DeviceSettings,
  ) {
    this.assemble(new DeviceCore(host, settings));
  }

  private assemble(core: DeviceCore): void {
    this.core = core;
    this.tracingActions = new TracingActions(core);
    this.syncActions = new SyncActions(core);
    this.reportActions = new ReportActions(core);
    this.checkinActions = new CheckinActions(core);
    this.healthCodeActions = new HealthCodeActions(core);
    this.venueActions = new VenueActions(core);
    this.navigation = new Navigation(core);
    this.data = new DataActions(core);
    this.regionActions = new RegionActions(core);
    this.diaryActions = new DiaryActions(core);
    this.memberActions = new MemberActions(core);
    this.move = new MoveActions(core);
    this.lifecycle = new Lifecycle(core, this.tracingActions, this.syncActions, this.reportActions);
  }

  /**
   * Before the storage is replaced underneath the services (an import): the running device stops —
   * a sync in flight ends, timers stop, tracing stops and writes what it holds — so that nothing it
   * kept in memory is written over the imported entries afterwards.
   */
  private async quiesce(): Promise<void> {
    await this.syncActions.whenIdle();
    this.lifecycle.stop();
    await this.core.tracing.stop();
    this.core.encounters.flush();
  }

  /** After that: a new device over the same host reads every entry afresh, the pages' listeners move to it, and it starts as at launch. */
  private async restart(): Promise<void> {
    const old = this.core.store;
    this.assemble(new DeviceCore(this.host, this.settings));
    old.handOver(this.core.store);
    await this.lifecycle.start();
  }

  get encounters(): EncounterLog {
    return this.core.encounters;
  }
  get sync(): SyncService {
    return this.core.sync;
  }
  get features(): Features {
    return this.core.features;
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
  setBackground(on: boolean): Promise<Outcome> {
    return this.tracingActions.setBackground(on);
  }
  fixBackground(): Promise<void> {
    return this.tracingActions.fixBackground();
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
  /** `regions`: the regions the upload names (§15); by default home and the regions visited. */
  upload(code: string, leaveOut: number[], includeCheckins: boolean, regions?: number[]): Promise<Outcome<number>> {
    return this.reportActions.upload(code, leaveOut, includeCheckins, regions);
  }
  codeFromLink(link: string): string | null {
    return this.reportActions.codeFromLink(link);
  }

  // ---- regions (regions.ts, §15)
  regionProvinces(): RegionChoice[] {
    return this.regionActions.provinces();
  }
  regionsOf(province: number): RegionChoice[] {
    return this.regionActions.regionsOf(province);
  }
  /** Chooses the home region and checks at once: a newly followed region's last 14 days are fetched. */
  async setHomeRegion(code: number | null): Promise<Outcome> {
    const r = this.regionActions.setHome(code);
    if (r.ok && this.core.view.ready) await this.syncActions.run();
    return r;
  }
  uploadRegions(): RegionChoice[] {
    return this.regionActions.forUpload();
  }
  regionName(code: number): string {
    return this.regionActions.name(code);
  }

  // ---- the user's data (data.ts)
  history(): { exposures: ExplainedExposure[]; syncs: SyncEntry[]; uploads: UploadEntry[] } {
    return this.data.history();
  }
  reset(): Promise<void> {
    return this.data.reset();
  }

  // ---- moving to a new phone (transfer.ts, §17)
  /** Old phone: the code and the frames; its data stays until the new phone confirms. */
  startMoveOut(): Promise<Outcome<MoveOut>> {
    return this.move.startOut();
  }
  /** Old phone: the same frames as one file sent to a chat (WeChat: wx.shareFileMessage). */
  shareMoveOut(frames: readonly string[]): Promise<Outcome> {
    return this.move.shareOut(frames);
  }
  /** Old phone: scans the new phone's confirmation; only a valid one deletes everything. */
  confirmMoveOut(): Promise<Outcome> {
    return this.move.confirmOut(() => this.data.reset());
  }
  cancelMoveOut(): Outcome {
    return this.move.cancelOut();
  }
  /** New phone: the code typed from the old phone's screen. */
  moveInCode(typed: string): Outcome {
    return this.move.codeIn(typed);
  }
  scanMoveFrame(): Promise<Outcome<MoveInProgress>> {
    return this.move.scanIn();
  }
  moveInFrame(text: string): Promise<Outcome<MoveInProgress>> {
    return this.move.frameIn(text);
  }
  /** New phone: a code the open camera saw (null: passed over — held already, refused just before, or another is being checked). */
  moveFrameSeen(text: string): Promise<Outcome<MoveInProgress> | null> {
    return this.move.seenIn(text);
  }
  /** New phone: the frames from a file picked from a chat (WeChat: wx.chooseMessageFile). */
  pickMoveFile(): Promise<Outcome<MoveInProgress>> {
    return this.move.pickIn();
  }
  moveInProgress(): MoveInProgress {
    return this.move.progressIn();
  }
  /** New phone: imports all or nothing (`replace`: the user confirmed replacing this phone's data), then runs on the imported data. */
  async importMove(replace: boolean): Promise<Outcome<{ confirmation: string }>> {
    let stopped = false;
    const r = await this.move.importIn(replace, async () => {
      stopped = true;
      await this.quiesce();
    });
    if (stopped) await this.restart(); // on the imported data, or (a write failed) on the data as it was
    if (r.ok) this.core.emit({ message: { kind: 'info', text: r.text ?? '' } });
    return r;
  }

  // ---- the health code and the gate (health-code.ts)
  /** The user's own health code, or with `memberId` that family member's (issue 32). */
  healthCode(memberId?: string): string | null {
    return this.healthCodeActions.code(memberId);
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
  /**
   * A rescan of the open stay's venue extends it; the outcome's text then says so. `companions`: ids
   * of family members checked in together with the user (issue 32).
   */
  checkIn(v: ScannedVenue, minutes: number, companions: string[] = []): Outcome<Checkin> {
    return this.checkinActions.checkIn(v, minutes, companions);
  }
  /** Corrects a check-in's times (Unix s) within the day its stay began (issue 32). */
  editCheckin(id: string, checkInAt: number, checkOutAt: number): Outcome<Checkin> {
    return this.checkinActions.edit(id, checkInAt, checkOutAt);
  }
  /** A check-in by hand from a venue link, back-dated up to 14 days, never in the future (issue 32). */
  addManualCheckin(link: string, checkInAt: number, checkOutAt: number): Outcome<Checkin> {
    return this.checkinActions.addManual(link, checkInAt, checkOutAt);
  }
  checkOut(id: string): void {
    this.checkinActions.checkOut(id);
  }

  // ---- the private diary (diary.ts, issue 32): on this phone only
  /** Today and the 14 days before, newest first: places the phone knows, what the user wrote, days with a risk. */
  diaryDays(): DiaryDay[] {
    return this.diaryActions.days();
  }
  diaryAddPerson(date: string, name: string): Outcome<DiaryEntry> {
    return this.diaryActions.addPerson(date, name);
  }
  diaryRemovePerson(date: string, index: number): Outcome<DiaryEntry> {
    return this.diaryActions.removePerson(date, index);
  }
  diarySetNotes(date: string, text: string): Outcome<DiaryEntry> {
    return this.diaryActions.setNotes(date, text);
  }
  /** The diary of one day (or null: every day with something in it) as the text a copy puts on the clipboard. */
  diaryText(date: string | null): string {
    return this.diaryActions.exportText(date);
  }
  /** Copies the diary to the clipboard, the user's own act; nothing is uploaded. */
  diaryCopy(date: string | null): Promise<Outcome<string>> {
    return this.diaryActions.copy(date);
  }

  // ---- family members on this phone (members.ts, issue 32)
  addMember(nickname: string, colour: MemberColour): Promise<Outcome<Member>> {
    return this.memberActions.add(nickname, colour);
  }
  removeMember(id: string): void {
    this.memberActions.remove(id);
  }
  /** The member was not with this phone from `from` to `to` (Unix s; `to` null: still away). */
  markMemberAway(id: string, from: number, to: number | null): Outcome {
    return this.memberActions.markAway(id, from, to);
  }
  memberBack(id: string): void {
    this.memberActions.back(id);
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
  /** Issue 31: the window a venue owner's warning offers first. */
  venueWarnWindow(id: string): { start: number; end: number } | null {
    return this.venueActions.warnWindow(id);
  }
  /** Issue 31: the owner warns the visitors of a venue made on this phone, with the authority's venue warning code. */
  warnVenue(id: string, code: string, start: number, end: number): Promise<Outcome<{ level: WarningLevel }>> {
    return this.venueActions.warn(id, code, start, end);
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
