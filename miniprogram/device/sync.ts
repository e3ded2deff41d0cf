/**
 * Checking the published keys (§9): on the phone's own schedule (services/schedule.ts: at launch,
 * on show, every few hours, before the health code expires, with backoff after a failure) and
 * whenever the user asks. One sync at a time; its progress and its failure are in the view.
 */
import { isErrorCode } from '../../shared/errors';
import { configRefusedText, syncFailureText } from '../i18n/messages';
import type { SyncReason } from '../services/schedule';
import type { ConfigResult, SyncOutcome } from '../services/sync';
import type { ConfigRefusal } from './view';
import type { DeviceCore } from './core';
import { done, refused, type Outcome, type RefusalCode } from './outcome';

export class SyncActions {
  private running: Promise<Outcome<number>> | null = null;

  constructor(private readonly core: DeviceCore) {}

  /** Resolves when no sync is running (tests and the demo wait for the phone's own syncs). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** A sync if the schedule says one is due (and none is running). */
  async auto(reason: SyncReason): Promise<void> {
    const core = this.core;
    if (this.running || !core.view.ready) return;
    if (!core.schedule.due(reason, core.nowS(), core.sync.lastSyncAt, core.acceptedUntil())) return;
    await this.once();
  }

  /** The user asks for a check now: it runs at once (after one in progress, if any), whatever the schedule says. The value: batches checked. */
  async run(): Promise<Outcome<number>> {
    if (this.running) await this.running;
    this.core.schedule.succeeded(); // the user asked: start the backoff over
    return this.once();
  }

  private once(): Promise<Outcome<number>> {
    const run = this.sync().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async sync(): Promise<Outcome<number>> {
    const core = this.core;
    // a sync replaces its own notice, never one about something else (the consent a tap asked for)
    const others = core.view.message?.fromSync ? null : core.view.message;
    core.emit({ syncing: true, progress: null, message: others });
    const r = await core.sync.sync((p) => core.emit({ progress: p }));
    core.recomputeStatus();
    const at = core.nowS();
    try {
      core.history.sync(
        r.ok
          ? { at, ok: true, batches: r.batches, keys: r.matched.published, matchedKeys: r.matched.keys, matchedVenues: r.matched.venues }
          : { at, ok: false, batches: r.batches, why: r.kind },
      );
    } catch {
      // a full storage: the history misses one line; the sync itself is kept
    }
    // the signed configuration (§6): a refused one is said, whatever became of the key lists
    const refusal = configRefusal(r.config);
    if (r.config !== null) core.emit({ configRefused: refusal });
    if (r.ok) {
      core.schedule.succeeded();
      const notice = refusal
        ? { kind: 'error' as const, text: configRefusedText(core.view.lang, refusal, core.status.configSerial), fromSync: true }
        : core.view.message?.fromSync
          ? null
          : core.view.message;
      core.emit({ syncing: false, progress: null, message: notice });
      return done(r.batches);
    }
    core.schedule.failed(at);
    const text = syncFailureText(core.view.lang, r.kind, r.code);
    core.emit({ syncing: false, progress: null, message: { kind: 'error', text, fromSync: true } });
    return refused(failureCode(r), text);
  }
}

/** A configuration the phone refused, or null when it kept or already held the one served. */
function configRefusal(r: ConfigResult | null): ConfigRefusal | null {
  return r === 'bad_signature' || r === 'invalid' || r === 'rollback' ? r : null;
}

/** A failed sync's code as one of the device's refusal codes. */
function failureCode(r: Extract<SyncOutcome, { ok: false }>): RefusalCode {
  if (r.kind === 'network') return 'network';
  if (r.kind === 'storage') return 'storage_full';
  if (isErrorCode(r.code)) return r.code;
  return r.kind === 'verification' ? 'bad_list' : 'internal_error';
}
