/**
 * Sync: for every chain the phone follows (§15: its home region, the regions it visited, region 1;
 * or the national chain, region 0, without a home region), pages through that chain's heads after
 * its newest verified checkpoint, checks the signed root and the head's path to it, downloads each
 * body once, verifies every signature, hash, region and prevHash link, and matches it on the phone.
 *
 * Atomic and idempotent: what a batch contributes (its Bluetooth exposures and venue overlaps) is
 * stored under its chain and batch number together with the checkpoint that chain moves to, in ONE
 * storage write (the `sync` record). Matching a batch again replaces its entry instead of adding to
 * it; a kill before that write leaves the previous checkpoint and entries as they were; a lost record
 * is rebuilt by matching the served batches again. The status is derived from these entries
 * (status.ts), never stored on its own; a key found in two chains (a traveller who named both
 * regions) counts once.
 *
 * The newest root the phone verified is its checkpoint for the health code (§8, §15): the server signs
 * a new one every hour, so a phone that synced recently carries a fresh one on quiet days. Network
 * faults are retried with backoff; a batch or list that fails verification stops the sync and nothing
 * from it is used.
 */
import { headFromJson, headToJson, rootFromJson, rootToJson, type HeadJson } from '../../shared/api/heads';
import type { RootJson } from '../../shared/api/types';
import { verifyHead, type Checkpoint, type VenueWarning } from '../../shared/protocol/batch';
import { equalBytes, fromBase64url, toHex } from '../../shared/protocol/codec';
import { verifyLeaf, verifyRoot, type SignedRoot } from '../../shared/protocol/root';
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
/**
 * What became of the signed configuration a sync fetched (§6): kept, the same as held, or refused —
 * its signature failed, it did not parse, or its serial is below the one held (a rollback).
 */
export type ConfigResult = 'accepted' | 'unchanged' | 'bad_signature' | 'invalid' | 'rollback';
/** What one check matched: diagnosis keys with at least one recorded encounter, and venue warnings over a check-in. */
export interface CheckMatches {
  /** Keys the new lists published (their list entries' counts, padding included): what this check compared. */
  published: number;
  keys: number;
  venues: number;
}
export type SyncOutcome =
  | { ok: true; batches: number; stats: MatchStats; matched: CheckMatches; config: ConfigResult | null }
  | {
      ok: false;
      kind: 'network' | 'verification' | 'server' | 'storage';
      code: string;
      message: string;
      batches: number;
      config: ConfigResult | null;
    };

/** A venue overlap as stored: which warning it came from, so a warning published in two chains counts once. */
export interface StoredVenueExposure extends VenueExposure {
  warning?: string;
}
/** What one batch contributed. */
export interface BatchMatches {
  bluetooth: BluetoothExposure[];
  venues: StoredVenueExposure[];
}

/**
 * The `sync` record: each followed chain's checkpoint, the newest verified root, the last successful
 * sync, each chain's cost a day as the server reported it, and the matches of every batch that had
 * any, under `<region>/<n>`.
 */
interface SyncRecord {
  v: 3;
  chains: Record<string, { checkpoint: HeadJson; bytesPerDay?: number }>;
  root: RootJson | null;
  lastSyncAt: number | null;
  matches: Record<string, BatchMatches>;
}

export const RETRIES = 4;

const emptyRecord = (): SyncRecord => ({ v: 3, chains: {}, root: null, lastSyncAt: null, matches: {} });

const isHead = (c: unknown): c is HeadJson =>
  isObj(c) && isNum(c.n) && typeof c.hash === 'string' && isNum(c.signedAt) && typeof c.signature === 'string';

/** The record of the release before regions (v2: one chain, the national one) read as region 0 (§15, "Transition"). */
function fromV2(v: Record<string, unknown>): SyncRecord | null {
  if (!isObj(v.matches) || !(v.lastSyncAt === null || isNum(v.lastSyncAt)) || !(v.checkpoint === null || isHead(v.checkpoint))) return null;
  const matches: Record<string, BatchMatches> = {};
  for (const [n, m] of Object.entries(v.matches)) matches[`0/${n}`] = m as BatchMatches;
  return {
    v: 3,
    chains: v.checkpoint ? { '0': { checkpoint: v.checkpoint as HeadJson } } : {},
    root: null,
    lastSyncAt: v.lastSyncAt as number | null,
    matches,
  };
}

function validRecord(raw: unknown): SyncRecord | null {
  if (!isObj(raw)) return null;
  const v = raw.v === 2 ? fromV2(raw) : raw.v === 3 ? (raw as unknown as SyncRecord) : null;
  if (!v || !isObj(v.chains) || !isObj(v.matches) || !(v.lastSyncAt === null || isNum(v.lastSyncAt))) return null;
  // a checkpoint or root that does not decode (a hash not 32 bytes, a signature not 64) is a damaged
  // record, like any other: dropped and reported, never a throw each time it is read
  for (const c of Object.values(v.chains))
    if (!isObj(c) || !isHead(c.checkpoint) || !decodes(() => headFromJson(c.checkpoint))) return null;
  if (v.root !== null && !(isObj(v.root) && decodes(() => rootFromJson(v.root!)))) return null;
  for (const m of Object.values(v.matches)) if (!isObj(m) || !Array.isArray(m.bluetooth) || !Array.isArray(m.venues)) return null;
  return v;
}

function decodes(read: () => unknown): boolean {
  try {
    read();
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
    private onConfig: (configJson: string) => 'accepted' | 'unchanged' | 'rollback',
    private defaultTxPower: () => number,
    private matching: BatchMatching,
    /** §15: the chains to follow now (region codes; 0 the national chain, 1 "region not given"). */
    private follow: () => number[] = () => [0],
  ) {
    this.record = storage.getJson('sync', validRecord) ?? emptyRecord();
  }

  /** The newest signed root this phone verified (§15): its health code's checkpoint; null before one. */
  get root(): SignedRoot | null {
    return this.record.root ? rootFromJson(this.record.root) : null;
  }

  /** The newest verified head of chain `region`, or null. */
  chainCheckpoint(region: number): Checkpoint | null {
    const c = this.record.chains[String(region)];
    return c ? headFromJson(c.checkpoint) : null;
  }

  /** The chains with a checkpoint, and what each costs a day as the server last reported it (bytes). */
  chainCosts(): { region: number; bytesPerDay: number | null }[] {
    return Object.entries(this.record.chains)
      .map(([r, c]) => ({ region: Number(r), bytesPerDay: c.bytesPerDay ?? null }))
      .sort((a, b) => a.region - b.region);
  }

  /** Where the last sync matched (a worker or this thread) and with which engine; null before one ran. */
  get matchedBy(): { where: 'worker' | 'page'; engine: EngineName } | null {
    const e = this.matching.engine;
    return e ? { where: this.matching.where, engine: e } : null;
  }

  get lastSyncAt(): number | null {
    return this.record.lastSyncAt;
  }

  /**
   * Everything every matched batch contributed, each key once: a key published in two chains the
   * phone follows (§15) is matched in both, against the same log, and counts from the first only; a
   * warning likewise (its hash and interval name it).
   */
  matched(): BatchMatches {
    const all: BatchMatches = { bluetooth: [], venues: [] };
    const keysFrom = new Map<string, string>();
    const warningsFrom = new Map<string, string>();
    const entries = Object.entries(this.record.matches).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [entry, m] of entries) {
      for (const e of m.bluetooth) {
        if ((keysFrom.get(e.keyId) ?? entry) !== entry) continue;
        keysFrom.set(e.keyId, entry);
        all.bluetooth.push(e);
      }
      for (const v of m.venues) {
        if (v.warning !== undefined) {
          const chain = entry.split('/')[0];
          if ((warningsFrom.get(v.warning) ?? chain) !== chain) continue;
          warningsFrom.set(v.warning, chain);
        }
        all.venues.push(v);
      }
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
    const progress = { done: 0 };
    const stats: MatchStats = { keys: 0, rpisDerived: 0, daysSkipped: 0, hits: 0 };
    // what this check compared and matched (the history page's line)
    const tally = { keys: new Set<string>(), venues: 0, published: 0 };
    let config: ConfigResult | null = null;
    try {
      const key = await this.publicKey();
      config = await this.syncConfig(key);
      this.encounters.flush();
      const chains = [...new Set(this.follow())].sort((a, b) => a - b);
      // a chain no longer followed is forgotten (what it matched stays until it ages out); one
      // followed again later is read afresh, its keys matched again and counted once
      const dropped = Object.keys(this.record.chains).filter((r) => !chains.includes(Number(r)));
      if (dropped.length)
        this.commit((r) => {
          r.chains = { ...r.chains };
          for (const d of dropped) delete r.chains[d];
        });
      const begun = { done: false };
      // each chain's root once the chain has matched every batch up to the head that root holds for it
      const caughtUp: SignedRoot[] = [];
      for (const region of chains) {
        const root = await this.syncChain(region, key, stats, progress, begun, onProgress, tally);
        if (root) caughtUp.push(root);
      }
      // The health code's checkpoint (§8, §15) says "my status accounts for what this root commits to".
      // The oldest of the chains' roots holds, for every followed chain, a head no newer than the one
      // that chain was matched up to (chains only grow), so it is the newest root that claim is true of.
      // Adopted only here, after every chain: a root taken at a list, before its batches were matched,
      // let a code show a fresh checkpoint for keys the phone had not checked (and kept it if the sync
      // then failed).
      const oldest = caughtUp.reduce<SignedRoot | null>((a, b) => (a && a.signedAt <= b.signedAt ? a : b), null);
      if (oldest) this.adoptRoot(oldest);
      const now = this.nowS();
      this.commit((r) => {
        r.lastSyncAt = now;
      });
      onProgress({ phase: 'match', done: progress.done, total: progress.done });
      return {
        ok: true,
        batches: progress.done,
        stats,
        matched: { published: tally.published, keys: tally.keys.size, venues: tally.venues },
        config,
      };
    } catch (e) {
      const failed = { ok: false as const, batches: progress.done, config };
      if (e instanceof PrtcError) return { ...failed, kind: 'verification', code: e.code, message: e.message };
      if (e instanceof HostError)
        return { ...failed, kind: e.code === 'storage_full' ? 'storage' : 'network', code: e.code, message: e.message };
      if (e instanceof ApiError) return { ...failed, kind: e.retryable ? 'network' : 'server', code: e.code, message: e.message };
      return { ...failed, kind: 'server', code: 'internal_error', message: (e as Error)?.message ?? String(e) };
    }
  }

  /**
   * One chain (§15): each list page's root must be the server's and must hold the chain's head (its
   * path); the entries must be signed for this chain, follow the checkpoint and end at that head.
   */
  private async syncChain(
    region: number,
    key: Uint8Array,
    stats: MatchStats,
    progress: { done: number },
    begun: { done: boolean },
    onProgress: (p: SyncProgress) => void,
    /** What this check compared and matched (the history page's line): a key matched in two chains counts once. */
    tally: { keys: Set<string>; venues: number; published: number },
  ): Promise<SignedRoot | null> {
    for (;;) {
      const after = this.chainCheckpoint(region)?.n ?? 0;
      onProgress({ phase: 'list', done: progress.done, total: progress.done });
      const list = await this.retry(() => this.api.listRegionBatches(region, after));
      if (!list || !Array.isArray(list.batches)) throw new PrtcError('bad_list', 'the server sent a malformed batch list');
      if (!list.root) {
        // nothing signed yet (a server before its first publication): nothing to check against
        if (list.batches.length || list.head) throw new PrtcError('bad_list', 'the batch list carries heads but no signed root');
        return null;
      }
      const root = rootFromJson(list.root);
      if (!verifyRoot(root, key)) throw new PrtcError('bad_signature', 'the root is not signed by the server');
      const head = list.head ? headFromJson(list.head) : null;
      if (head) {
        if (!list.proof || !Array.isArray(list.proof.path)) throw new PrtcError('bad_list', 'the batch list has no path to its root');
        const proof = { index: list.proof.index, path: list.proof.path.map((h) => fromBase64url(h, 32, 'proof')) };
        verifyLeaf({ region, n: head.n, hash: head.hash }, proof, root);
        if (!verifyHead(head, key, region))
          throw new PrtcError('bad_signature', `chain ${region}, batch ${head.n}: the signature does not verify`);
      }
      // a root that verified, with this chain's head in it, is genuine; it becomes the checkpoint only once
      // this chain has matched up to that head (returned to sync(), which adopts it after every chain)
      this.noteCost(region, typeof list.bytesPerDay === 'number' ? list.bytesPerDay : null);
      const cp = this.chainCheckpoint(region);
      if (!head) return root; // the chain has no batch yet (or none left within retention)
      if (cp && cp.n >= head.n) {
        if (cp.n > head.n) throw new PrtcError('bad_chain', `chain ${region} is at batch ${head.n}, but this phone verified batch ${cp.n}`);
        this.adoptNewerSignature(region, head);
        return root;
      }
      if (list.batches.length === 0) throw new PrtcError('bad_chain', `chain ${region}: the list ends before its head, batch ${head.n}`);
      const total = progress.done + head.n - after;
      for (const entry of list.batches) {
        const h = headFromJson(entry);
        if (h.n > head.n) throw new PrtcError('bad_chain', `chain ${region}: batch ${h.n} is past the head the root commits to`);
        if (!verifyHead(h, key, region)) throw new PrtcError('bad_signature', `batch ${h.n}: the signature does not verify`);
        const prev = this.chainCheckpoint(region);
        let link: Checkpoint | null = prev;
        if (prev && h.n !== prev.n + 1) {
          // Only a phone that was away longer than retention may find its next batch deleted.
          if (h.n > prev.n + 1 && prev.signedAt < this.nowS() - RETENTION_DAYS * 86400) link = null;
          else throw new PrtcError('bad_chain', `batch ${h.n} does not follow batch ${prev.n}: the server skipped or reordered batches`);
        }
        if (h.n === head.n && !equalBytes(h.hash, head.hash))
          throw new PrtcError('bad_chain', `chain ${region}: batch ${h.n} is not the root's`);
        onProgress({ phase: 'download', done: progress.done, total });
        const body = await this.retry(() => this.api.regionBatchBody(region, h.n));
        onProgress({ phase: 'match', done: progress.done, total });
        if (!begun.done) {
          await this.matching.begin(this.encounters);
          begun.done = true;
        }
        // the body checked against the head verified above (its chain, its link), and matched where
        // the host does heavy work (a worker, or this thread)
        const found = await this.matching.match(body, h, link, this.defaultTxPower(), stats, region);
        const matches: BatchMatches = {
          bluetooth: found.bluetooth.map((e) => ({ ...e, region })),
          venues: found.warnings.flatMap((w) =>
            this.venueMatcher([w]).map((v) => ({ ...v, region, warning: `${toHex(w.locationIdHash)}/${w.startEnin}/${w.endEnin}` })),
          ),
        };
        for (const e of matches.bluetooth) tally.keys.add(e.keyId);
        tally.venues += matches.venues.length;
        tally.published += typeof entry.keys === 'number' ? entry.keys : 0;
        // ONE write: this batch's matches and the checkpoint its chain moves to, or neither
        this.commit((r) => {
          const id = `${region}/${h.n}`;
          if (matches.bluetooth.length || matches.venues.length) r.matches[id] = matches;
          else delete r.matches[id];
          r.chains = { ...r.chains, [String(region)]: { ...r.chains[String(region)], checkpoint: headToJson(h) } };
        });
        progress.done++;
      }
    }
  }

  /** Keeps the newest root that verified and that the phone has matched up to (§15); one write. */
  private adoptRoot(root: SignedRoot): void {
    const have = this.record.root;
    if (have && root.signedAt <= have.signedAt) return;
    this.commit((r) => {
      r.root = rootToJson(root);
    });
  }

  /** Keeps what following a chain costs a day, as its list says; one write when it changed. */
  private noteCost(region: number, bytesPerDay: number | null): void {
    const chain = this.record.chains[String(region)];
    if (!chain || bytesPerDay === null || chain.bytesPerDay === bytesPerDay) return;
    this.commit((r) => {
      r.chains = { ...r.chains, [String(region)]: { ...chain, bytesPerDay } };
    });
  }

  /** The national chain's head signed again (§9): keep the newest signature that verifies. */
  private adoptNewerSignature(region: number, head: Checkpoint): void {
    const cp = this.chainCheckpoint(region);
    if (!cp || head.n !== cp.n) return;
    if (!equalBytes(head.hash, cp.hash))
      throw new PrtcError('bad_chain', `batch ${head.n} changed its hash: the server rewrote a published batch`);
    if (head.signedAt <= cp.signedAt) return;
    this.commit((r) => {
      r.chains = { ...r.chains, [String(region)]: { ...r.chains[String(region)], checkpoint: headToJson(head) } };
    });
  }

  /**
   * Fetches the signed configuration, version 2 (§6), and offers it to the status engine once its
   * signature verified under the pinned key. A forged or damaged one is refused and said (the
   * result); the last verified configuration stays in force. Network faults fail the sync as any
   * other download does.
   */
  private async syncConfig(key: Uint8Array): Promise<ConfigResult> {
    const c = await this.retry(() => this.api.config());
    if (!c || typeof c.configJson !== 'string' || typeof c.signature !== 'string') return 'invalid';
    let signature: Uint8Array;
    try {
      signature = fromBase64url(c.signature, 64);
    } catch {
      return 'bad_signature';
    }
    if (!verify(signature, configMessage(c.configJson), key)) return 'bad_signature';
    try {
      return this.onConfig(c.configJson);
    } catch (e) {
      if (e instanceof PrtcError) return 'invalid';
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
