/** The user's data as a whole: what the history page lists, and deleting everything. */
import { enin } from '../../shared/protocol/time';
import { exposureHistory, type ExposureRecord } from '../../shared/risk/status';
import type { SyncEntry, UploadEntry } from '../services/history';
import type { DeviceCore } from './core';

export class DataActions {
  constructor(private readonly core: DeviceCore) {}

  /** What the history page shows: exposures (all, also those that do not count), syncs and uploads, newest first. */
  history(): { exposures: ExposureRecord[]; syncs: SyncEntry[]; uploads: UploadEntry[] } {
    const core = this.core;
    const exposures = exposureHistory(core.sync.matched(), core.status.riskConfig, enin(core.nowS()));
    return { exposures, ...core.history.entries() };
  }

  /** Deletes everything and starts over with a fresh tek. */
  async reset(): Promise<void> {
    const core = this.core;
    await core.tracing.stop();
    core.storage.clearAll();
    core.encounters.clear();
    core.status.reset();
    core.sync.reset();
    core.checkins.clear();
    if (core.features.keys) await core.keys.replace();
    core.recomputeStatus();
    core.emit({ consent: false, encounters: 0, message: { kind: 'info', text: core.text('resetDone') }, bluetoothError: null, damage: [] });
  }
}
