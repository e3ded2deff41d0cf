/**
 * The phone's own life on the host's timers and lifecycle: start (the tek made or loaded, damaged
 * storage reported item by item, tracing resumed if the user had it on — in the background too if
 * they chose that —, a sync if the last one is stale), a tick every 15 s (rpi rotation, the
 * encounter log, tracing time, retention, a sync or a cover upload when one is due) — which goes on
 * in the background while the host keeps the JavaScript running —, tracing paused in the background
 * (unless background tracing runs) and resumed in the foreground.
 */
import { dayInterval, enin, retentionStart } from '../../shared/protocol/time';
import { damageText } from '../i18n/messages';
import { isObj } from '../services/storage';
import type { DeviceCore } from './core';
import type { ReportActions } from './report';
import type { SyncActions } from './sync';
import type { TracingActions } from './tracing';

/** A move killed halfway, undone at launch (§17): nothing of it kept; scan the old phone's codes again. */
function interruptedText(core: DeviceCore, replaced: boolean): string {
  const text = core.text('moveInterrupted');
  return replaced ? `${text} ${core.text('moveInterruptedOwn')}` : text;
}

/** The periodic work: often enough to rotate the rpi on time and keep the log safe. */
export const TICK_MS = 15_000;

export class Lifecycle {
  private lastRetentionDay = -1;
  private stops: (() => void)[] = [];

  constructor(
    private readonly core: DeviceCore,
    private readonly tracing: TracingActions,
    private readonly sync: SyncActions,
    private readonly report: ReportActions,
  ) {}

  /**
   * First launch creates the tek; later launches load it. Damaged storage is reported item by item.
   * Then the phone's own schedule starts: ticks, lifecycle, tracing resumed if the user had it on,
   * and a sync if the last one is stale.
   */
  async start(): Promise<void> {
    const core = this.core;
    if (core.view.ready) return;
    const { storage, host } = core;
    const hadData = storage.keys().length > 0;
    // a host without a secure random source keeps no tek (features.keys): no beacon, no key upload
    const { created } = core.features.keys ? await core.keys.init() : { created: false };
    const consent = storage.getJson('consent', (v) => (isObj(v) ? v : null)) !== null;
    const wantTracing = storage.getJson('tracing', (v) => (isObj(v) && v.on === true ? true : null)) === true;
    const wantBackground = storage.getJson('background', (v) => (isObj(v) && v.on === true ? true : null)) === true;
    if (wantBackground && core.features.background) await core.tracing.setBackground(true);
    this.retention();
    core.checkins.checkins();
    const encounters = core.encounters.count(); // reads every stored day, so damage shows now
    const corrupted = storage.takeCorrupted();
    // a tek that vanished while other data stayed is a lost key too, not a first launch — unless an
    // interrupted move took it (the old phone's key, which the old phone still holds)
    const moved = core.interruptedMove;
    if (created && hadData && !moved && !corrupted.includes('tek')) corrupted.push('tek');
    core.recomputeStatus();
    core.emit({
      ready: true,
      consent,
      encounters,
      damage: damageText(core.view.lang, corrupted),
      ...(moved ? { message: { kind: 'error' as const, text: interruptedText(core, moved.replaced) } } : {}),
    });
    this.stops.push(
      host.timers.every(TICK_MS, () => void this.tick().then(() => Promise.all([this.sync.auto('tick'), this.report.maybeFakeUpload()]))),
      host.lifecycle.onHide(() => void this.hidden()),
      host.lifecycle.onShow(() => void this.shown()),
    );
    if (consent && wantTracing) void this.tracing.start();
    this.stops.push(host.timers.after(0, () => void this.sync.auto('launch')));
    // the explained status (issue 29): it ages by itself, on a timer and at every tick
    core.statusClock.start();
    this.stops.push(() => core.statusClock.stop());
  }

  /** Stops the schedule (the app is closing; tests end a phone's life). */
  stop(): void {
    for (const s of this.stops.splice(0)) s();
  }

  /** Periodic work (the schedule runs it every 15 s, then a sync if one is due): re-advertise, persist sightings, daily retention. */
  async tick(): Promise<void> {
    const core = this.core;
    let failed: string | null = null;
    try {
      core.tracingTime.note(core.nowS(), core.tracing.isRunning);
      if (core.tracing.isRunning) await core.tracing.tick();
      core.tracingTime.save();
      this.retention();
    } catch (e) {
      // the storage is full (WeChat: 10 MB in all): sightings stay in memory and are written at the next tick
      failed = core.hostText(e);
    }
    core.statusClock.check(); // the explained status (issue 29): a reason may have stopped counting
    core.emit({
      encounters: core.encounters.count(),
      bluetoothError: core.problem(core.tracing.lastError),
      ...(failed ? { message: { kind: 'error' as const, text: failed } } : {}),
    });
  }

  private async hidden(): Promise<void> {
    const core = this.core;
    core.tracingTime.note(core.nowS(), core.tracing.isRunning);
    await core.tracing.pause();
    core.tracingTime.note(core.nowS(), core.tracing.isRunning);
    try {
      core.encounters.flush();
      core.tracingTime.save();
    } catch {
      // storage full: kept in memory, written at the next tick (which says so)
    }
    core.emit();
  }

  private async shown(): Promise<void> {
    await this.core.tracing.resume();
    this.core.tracingTime.note(this.core.nowS(), this.core.tracing.isRunning);
    this.core.emit({ bluetoothError: this.core.problem(this.core.tracing.lastError) });
    await this.sync.auto('show');
  }

  /** Once a UTC day: everything older than the retention window goes (§1). */
  private retention(): void {
    const core = this.core;
    const now = core.nowS();
    const day = dayInterval(enin(now));
    if (day === this.lastRetentionDay) return;
    this.lastRetentionDay = day;
    core.encounters.retain(now);
    core.checkins.retain(now);
    core.diary.retain(now);
    core.members.retain(now);
    core.history.retain(now);
    core.sync.retain(retentionStart(enin(now)));
    core.recomputeStatus();
  }
}
