/** The user's data as a whole: what the history page lists, and deleting everything. */
import { enin } from '../../shared/protocol/time';
import { explainExposure, type ExplainedExposure } from '../../shared/risk/explain';
import { exposureHistory } from '../../shared/risk/status';
import type { SyncEntry, UploadEntry } from '../services/history';
import type { DeviceCore } from './core';

export class DataActions {
  constructor(private readonly core: DeviceCore) {}

  /** What the history page shows: exposures (all, also those that do not count; as coarse as reasons), syncs and uploads, newest first. */
  history(): { exposures: ExplainedExposure[]; syncs: SyncEntry[]; uploads: UploadEntry[] } {
    const core = this.core;
    const exposures = exposureHistory(core.sync.matched(), core.status.riskConfig, enin(core.nowS()), core.status.venueRules).map((e) =>
      explainExposure(e),
    );
    return { exposures, ...core.history.entries() };
  }

  /** Deletes everything and starts over with a fresh tek. */
  async reset(): Promise<void> {
    const core = this.core;
    await core.tracing.stop();
    await core.tracing.setBackground(false);
    core.storage.clearAll();
    core.tracingTime.clear();
    core.encounters.clear();
    core.status.reset();
    core.sync.reset();
    core.checkins.clear();
    core.diary.clear();
    core.members.clear();
    core.regions.clear();
    if (core.features.keys) await core.keys.replace();
    core.recomputeStatus();
    core.emit({ consent: false, encounters: 0, message: { kind: 'info', text: core.text('resetDone') }, bluetoothError: null, damage: [] });
  }
}
