/**
 * Sync: pages through /v1/batches after the newest verified checkpoint, downloads each body once,
 * verifies every signature, hash and prevHash link, matches it on the phone, and only then moves
 * the checkpoint — so a failure resumes where it stopped and a verified batch is never fetched
 * again. Network faults are retried with backoff; a batch that fails verification stops the sync
 * and nothing from it is used.
 */
import { headFromJson } from '../../shared/api/heads';
import { verifyBatch, verifyHead, type Checkpoint, type VenueWarning } from '../../shared/protocol/batch';
import { fromBase64url, toBase64url } from '../../shared/protocol/codec';
import { PrtcError } from '../../shared/errors';
import { configMessage, verify } from '../../shared/protocol/signing';
import { RETENTION_DAYS } from '../../shared/protocol/time';
import { HostError } from '../host/errors';
import type { Host } from '../host/types';
import { ApiClient, ApiError } from './api';
import { EncounterLog } from './encounters';
import { MatchIndex, matchBatch, type MatchStats } from './matcher';
import { StatusEngine } from './status';
import { DeviceStorage, isNum, isObj } from './storage';
import type { VenueExposure } from '../../shared/risk/status';

export interface SyncProgress {
  phase: 'list' | 'download' | 'match';
  done: number;
  total: number;
}
export type SyncOutcome =
  | { ok: true; batches: number; stats: MatchStats }
  | { ok: false; kind: 'network' | 'verification' | 'server'; message: string; batches: number };

interface SyncState {
  checkpoint: { n: number; hash: string; signedAt: number; signature: string } | null;
  lastSyncAt: number | null;
}

export const RETRIES = 4;

export class SyncService {
  private state: SyncState;

  constructor(
    private host: Host,
    private storage: DeviceStorage,
    private api: ApiClient,
    private encounters: EncounterLog,
    private status: StatusEngine,
    private publicKey: () => Promise<Uint8Array>,
    private venueMatcher: (warnings: VenueWarning[]) => VenueExposure[] = () => [],
  ) {
    this.state = storage.getJson<SyncState>('sync', (v) =>
      isObj(v) && (v.lastSyncAt === null || isNum(v.lastSyncAt)) ? (v as unknown as SyncState) : null,
    ) ?? { checkpoint: null, lastSyncAt: null };
  }

  get checkpoint(): Checkpoint | null {
    const c = this.state.checkpoint;
    return c ? { n: c.n, hash: fromBase64url(c.hash, 32), signedAt: c.signedAt, signature: fromBase64url(c.signature, 64) } : null;
  }

  get lastSyncAt(): number | null {
    return this.state.lastSyncAt;
  }

  private save(): void {
    this.storage.setJson('sync', this.state);
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

  async sync(onProgress: (p: SyncProgress) => void = () => undefined): Promise<SyncOutcome> {
    let done = 0;
    const stats: MatchStats = { keys: 0, rpisDerived: 0, daysSkipped: 0, hits: 0 };
    try {
      const key = await this.publicKey();
      await this.syncConfig(key);
      this.encounters.flush();
      let index: MatchIndex | null = null;
      for (;;) {
        onProgress({ phase: 'list', done, total: done });
        const after = this.state.checkpoint?.n ?? 0;
        const list = await this.retry(() => this.api.listBatches(after));
        if (!list || !Array.isArray(list.batches)) throw new PrtcError('bad_list', 'the server sent a malformed batch list');
        if (list.batches.length === 0) break;
        const total = done + (list.head ? Math.max(0, list.head.n - after) : list.batches.length);
        for (const entry of list.batches) {
          const head = headFromJson(entry);
          if (!verifyHead(head, key)) throw new PrtcError('bad_signature', `batch ${head.n}: the signature does not verify`);
          const prev = this.checkpoint;
          let link: Checkpoint | null = prev;
          if (prev && head.n !== prev.n + 1) {
            // Only a phone that was away longer than retention may find its next batch deleted.
            const now = Math.floor(this.host.nowMs() / 1000);
            if (head.n > prev.n + 1 && prev.signedAt < now - RETENTION_DAYS * 86400) link = null;
            else
              throw new PrtcError('bad_chain', `batch ${head.n} does not follow batch ${prev.n}: the server skipped or reordered batches`);
          }
          onProgress({ phase: 'download', done, total });
          const body = await this.retry(() => this.api.batchBody(head.n));
          const batch = verifyBatch(body, head, link, key);
          onProgress({ phase: 'match', done, total });
          index ??= new MatchIndex(this.encounters);
          const exposures = matchBatch(batch, index, this.status.riskConfig.defaultTxPower, stats);
          const venues = this.venueMatcher(batch.warnings);
          this.status.addMatches(head.n, exposures, venues);
          this.state.checkpoint = {
            n: head.n,
            hash: toBase64url(head.hash),
            signedAt: head.signedAt,
            signature: toBase64url(head.signature),
          };
          this.save();
          done++;
        }
      }
      this.state.lastSyncAt = Math.floor(this.host.nowMs() / 1000);
      this.save();
      this.status.recompute(this.state.lastSyncAt);
      onProgress({ phase: 'match', done, total: done });
      return { ok: true, batches: done, stats };
    } catch (e) {
      if (e instanceof PrtcError) return { ok: false, kind: 'verification', message: e.message, batches: done };
      if (e instanceof HostError) return { ok: false, kind: 'network', message: e.message, batches: done };
      if (e instanceof ApiError) return { ok: false, kind: e.retryable ? 'network' : 'server', message: e.message, batches: done };
      return { ok: false, kind: 'server', message: (e as Error)?.message ?? String(e), batches: done };
    }
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
        this.status.setRiskConfig(c.configJson);
      }
    } catch (e) {
      if (e instanceof PrtcError) return; // a malformed configuration: keep the last verified one
      throw e;
    }
  }

  reset(): void {
    this.state = { checkpoint: null, lastSyncAt: null };
  }
}
