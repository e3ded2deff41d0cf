/**
 * Sync: pages through /v1/batches after the newest verified checkpoint, downloads each body once,
 * verifies every signature, hash and prevHash link, and matches it on the phone.
 *
 * Atomic and idempotent: what a batch contributes (its Bluetooth exposures and venue overlaps) is
 * stored under its batch number together with the checkpoint that batch moves to, in ONE storage
 * write (the `sync` record). Matching a batch again replaces its entry instead of adding to it; a
 * kill before that write leaves the previous checkpoint and entries as they were; a lost record is
 * rebuilt by matching the served batches again. The status is derived from these entries
 * (status.ts), never stored on its own.
 *
 * The server signs its current head again every hour (§9): a list whose head is the checkpoint's
 * batch with a newer signature moves only the checkpoint's signedAt and signature (§8: the health
 * code carries the newest verified one). Network faults are retried with backoff; a batch that
 * fails verification stops the sync and nothing from it is used.
 */
import { headFromJson, headToJson, type HeadJson } from '../../shared/api/heads';
import { verifyHead, type Checkpoint, type VenueWarning } from '../../shared/protocol/batch';
import { equalBytes, fromBase64url } from '../../shared/protocol/codec';
import { configMessage, verify } from '../../shared/protocol/signing';
import { RETENTION_DAYS } from '../../shared/protocol/time';
import type { BluetoothExposure, VenueExposure } from '../../shared/risk/status';
import { PrtcError } from '../../shared/errors';
import { HostError } from '../host/errors';
import type { Host } from '../host/types';
import { ApiClient, ApiError } from './api';
import { EncounterLog } from './encounters';
import type { BatchMatching } from '../matching/batch-matching';
import type { EngineName } from '../matching/engines';
import type { MatchStats } from '../matching/matcher';
import { DeviceStorage, isNum, isObj } from './storage';

export interface SyncProgress {
  phase: 'list' | 'download' | 'match';
  done: number;
  total: number;
}
export type SyncOutcome =
  | { ok: true; batches: number; stats: MatchStats }
  | { ok: false; kind: 'network' | 'verification' | 'server' | 'storage'; code: string; message: string; batches: number };

/** What one batch contributed. */
export interface BatchMatches {
  bluetooth: BluetoothExposure[];
  venues: VenueExposure[];
}

/** The `sync` record: checkpoint, last successful sync, and the matches of every batch that had any. */
interface SyncRecord {
  v: 2;
  checkpoint: HeadJson | null;
  lastSyncAt: number | null;
  matches: Record<string, BatchMatches>;
}

export const RETRIES = 4;

const emptyRecord = (): SyncRecord => ({ v: 2, checkpoint: null, lastSyncAt: null, matches: {} });

function validRecord(v: unknown): SyncRecord | null {
  if (!isObj(v) || v.v !== 2 || !isObj(v.matches) || !(v.lastSyncAt === null || isNum(v.lastSyncAt))) return null;
  const c = v.checkpoint;
  if (c !== null && !(isObj(c) && isNum(c.n) && typeof c.hash === 'string' && isNum(c.signedAt) && typeof c.signature === 'string'))
    return null;
  // a checkpoint that does not decode (a hash not 32 bytes, a signature not 64) is a damaged record,
  // like any other: dropped and reported, never a throw each time the checkpoint is read
  if (c !== null && !decodes(c as unknown as HeadJson)) return null;
  for (const m of Object.values(v.matches)) if (!isObj(m) || !Array.isArray(m.bluetooth) || !Array.isArray(m.venues)) return null;
  return v as unknown as SyncRecord;
}

function decodes(c: HeadJson): boolean {
  try {
    headFromJson(c);
    return true;
  } catch (e) {
    if (e instanceof PrtcError) return false;
    throw e;
  }
}

export class SyncService {
  private record: SyncRecord;

  constructor(
    private host: Host,
    private storage: DeviceStorage,
    private api: ApiClient,
    private encounters: EncounterLog,
    private publicKey: () => Promise<Uint8Array>,
    private venueMatcher: (warnings: VenueWarning[]) => VenueExposure[],
    private onConfig: (configJson: string) => void,
    private defaultTxPower: () => number,
    private matching: BatchMatching,
  ) {
    this.record = storage.getJson('sync', validRecord) ?? emptyRecord();
  }

  get checkpoint(): Checkpoint | null {
    const c = this.record.checkpoint;
    return c ? headFromJson(c) : null;
  }

  /** Where the last sync matched (a worker or this thread) and with which engine; null before one ran. */
  get matchedBy(): { where: 'worker' | 'page'; engine: EngineName } | null {
    const e = this.matching.engine;
    return e ? { where: this.matching.where, engine: e } : null;
  }

  get lastSyncAt(): number | null {
    return this.record.lastSyncAt;
  }

  /** Everything every matched batch contributed. */
  matched(): BatchMatches {
    const all: BatchMatches = { bluetooth: [], venues: [] };
    for (const m of Object.values(this.record.matches)) {
      all.bluetooth.push(...m.bluetooth);
      all.venues.push(...m.venues);
    }
    return all;
  }

  /** The one write of a sync step: the record with `change` applied. */
  private commit(change: (r: SyncRecord) => void): void {
    const next: SyncRecord = { ...this.record, matches: { ...this.record.matches } };
    change(next);
    this.storage.setJson('sync', next);
    this.record = next;
  }

  /** Retries network faults and 5xx/429 with exponential backoff (1 s, 2 s, 4 s …). */
  private async retry<T>(what: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await what();
      } catch (e) {
        const transient =
          (e instanceof HostError && (e.code === 'network' || e.code === 'timeout')) || (e instanceof ApiError && e.retryable);
        if (!transient || attempt + 1 >= RETRIES) throw e;
        await this.host.sleep(1000 * 2 ** attempt);
      }
    }
  }

  private nowS(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  async sync(onProgress: (p: SyncProgress) => void = () => undefined): Promise<SyncOutcome> {
    let done = 0;
    const stats: MatchStats = { keys: 0, rpisDerived: 0, daysSkipped: 0, hits: 0 };
    try {
      const key = await this.publicKey();
      await this.syncConfig(key);
      this.encounters.flush();
      let begun = false;
      for (;;) {
        const after = this.record.checkpoint?.n ?? 0;
        onProgress({ phase: 'list', done, total: done });
        const list = await this.retry(() => this.api.listBatches(after));
        if (!list || !Array.isArray(list.batches)) throw new PrtcError('bad_list', 'the server sent a malformed batch list');
        if (list.batches.length === 0) {
          if (list.head) this.adoptNewerSignature(headFromJson(list.head), key);
          break;
        }
        const total = done + (list.head ? Math.max(0, list.head.n - after) : list.batches.length);
        for (const entry of list.batches) {
          const head = headFromJson(entry);
          if (!verifyHead(head, key)) throw new PrtcError('bad_signature', `batch ${head.n}: the signature does not verify`);
          const prev = this.checkpoint;
          let link: Checkpoint | null = prev;
          if (prev && head.n !== prev.n + 1) {
            // Only a phone that was away longer than retention may find its next batch deleted.
            if (head.n > prev.n + 1 && prev.signedAt < this.nowS() - RETENTION_DAYS * 86400) link = null;
            else
              throw new PrtcError('bad_chain', `batch ${head.n} does not follow batch ${prev.n}: the server skipped or reordered batches`);
          }
          onProgress({ phase: 'download', done, total });
          const body = await this.retry(() => this.api.batchBody(head.n));
          onProgress({ phase: 'match', done, total });
          if (!begun) {
            await this.matching.begin(this.encounters);
            begun = true;
          }
          // the body checked against the head verified above, and matched, where the host does heavy
          // work (a worker, or this thread)
          const found = await this.matching.match(body, head, link, this.defaultTxPower(), stats);
          const matches: BatchMatches = { bluetooth: found.bluetooth, venues: this.venueMatcher(found.warnings) };
          // ONE write: this batch's matches and the checkpoint it moves to, or neither
          this.commit((r) => {
            if (matches.bluetooth.length || matches.venues.length) r.matches[String(head.n)] = matches;
            else delete r.matches[String(head.n)];
            r.checkpoint = headToJson(head);
          });
          done++;
        }
      }
      const now = this.nowS();
      this.commit((r) => {
        r.lastSyncAt = now;
      });
      onProgress({ phase: 'match', done, total: done });
      return { ok: true, batches: done, stats };
    } catch (e) {
      if (e instanceof PrtcError) return { ok: false, kind: 'verification', code: e.code, message: e.message, batches: done };
      if (e instanceof HostError)
        return { ok: false, kind: e.code === 'storage_full' ? 'storage' : 'network', code: e.code, message: e.message, batches: done };
      if (e instanceof ApiError)
        return { ok: false, kind: e.retryable ? 'network' : 'server', code: e.code, message: e.message, batches: done };
      return { ok: false, kind: 'server', code: 'internal_error', message: (e as Error)?.message ?? String(e), batches: done };
    }
  }

  /** The server signed the checkpoint's batch again (§9): keep the newest signature that verifies. */
  private adoptNewerSignature(head: Checkpoint, key: Uint8Array): void {
    const cp = this.checkpoint;
    if (!cp || head.n !== cp.n || head.signedAt <= cp.signedAt) return;
    if (!equalBytes(head.hash, cp.hash))
      throw new PrtcError('bad_chain', `batch ${head.n} changed its hash: the server rewrote a published batch`);
    if (!verifyHead(head, key)) throw new PrtcError('bad_signature', `batch ${head.n}: the new signature does not verify`);
    this.commit((r) => {
      r.checkpoint = headToJson(head);
    });
  }

  /** Fetches the signed risk configuration; a bad signature is ignored (the last good one stays). */
  private async syncConfig(key: Uint8Array): Promise<void> {
    try {
      const c = await this.retry(() => this.api.config());
      if (
        c &&
        typeof c.configJson === 'string' &&
        typeof c.signature === 'string' &&
        verify(fromBase64url(c.signature, 64), configMessage(c.configJson), key)
      ) {
        this.onConfig(c.configJson);
      }
    } catch (e) {
      if (e instanceof PrtcError) return; // a malformed configuration: keep the last verified one
      throw e;
    }
  }

  /** Drops what has aged out of the retention window (entries whose every exposure is older). */
  retain(oldestDay: number): void {
    const stale = Object.entries(this.record.matches).filter(
      ([, m]) => m.bluetooth.every((e) => e.day < oldestDay) && m.venues.every((v) => v.day < oldestDay),
    );
    if (stale.length === 0) return;
    this.commit((r) => {
      for (const [n] of stale) delete r.matches[n];
    });
  }

  reset(): void {
    this.record = emptyRecord();
  }
}
