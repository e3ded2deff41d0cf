/**
 * What the phone did, for the history page: every sync (when, how many key lists, how it ended)
 * and every upload the user made (when, how many keys and check-ins). Kept 14 days in one storage
 * entry, deleted with everything else. Exposures are not stored here: they are the sync's own
 * matches (shared/risk/status.ts `exposureHistory`).
 */
import { RETENTION_DAYS } from '../../shared/protocol/time';
import { DeviceStorage, isNum, isObj } from './storage';

export interface SyncEntry {
  at: number;
  ok: boolean;
  batches: number;
  /** Why it failed: 'network' | 'verification' | 'server' | 'storage'. */
  why?: string;
  /**
   * A check that ended well: how many keys the new lists published (all compared with what this
   * phone recorded), and how many of them matched an encounter recorded here (and venue warnings a
   * check-in). Missing in entries of earlier releases.
   */
  keys?: number;
  matchedKeys?: number;
  matchedVenues?: number;
}
export interface UploadEntry {
  at: number;
  keys: number;
  checkins: number;
}
interface HistoryRecord {
  syncs: SyncEntry[];
  uploads: UploadEntry[];
}

/** At most this many syncs are kept (the schedule syncs every 3 h: about 112 in 14 days). */
const MAX_SYNCS = 200;

export class HistoryService {
  constructor(private storage: DeviceStorage) {}

  private read(): HistoryRecord {
    const r = this.storage.getJson('history', (v) =>
      isObj(v) && Array.isArray(v.syncs) && Array.isArray(v.uploads) ? (v as unknown as HistoryRecord) : null,
    );
    return {
      syncs: (r?.syncs ?? []).filter((s) => isObj(s) && isNum(s.at) && typeof s.ok === 'boolean' && isNum(s.batches)),
      uploads: (r?.uploads ?? []).filter((u) => isObj(u) && isNum(u.at) && isNum(u.keys) && isNum(u.checkins)),
    };
  }

  private write(r: HistoryRecord): void {
    this.storage.setJson('history', r);
  }

  sync(entry: SyncEntry): void {
    const r = this.read();
    r.syncs.push(entry);
    if (r.syncs.length > MAX_SYNCS) r.syncs.splice(0, r.syncs.length - MAX_SYNCS);
    this.write(r);
  }

  upload(entry: UploadEntry): void {
    const r = this.read();
    r.uploads.push(entry);
    this.write(r);
  }

  /** Newest first. */
  entries(): HistoryRecord {
    const r = this.read();
    return { syncs: [...r.syncs].reverse(), uploads: [...r.uploads].reverse() };
  }

  /** Drops what is older than 14 days. */
  retain(nowS: number): void {
    const oldest = nowS - RETENTION_DAYS * 86400;
    const r = this.read();
    const kept = { syncs: r.syncs.filter((s) => s.at >= oldest), uploads: r.uploads.filter((u) => u.at >= oldest) };
    if (kept.syncs.length !== r.syncs.length || kept.uploads.length !== r.uploads.length) this.write(kept);
  }
}
