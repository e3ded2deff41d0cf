/**
 * Publishing (§9): pending keys whose day has ended, and pending venue warnings, become the next
 * signed, hash-chained batch, padded with random fake keys up to the configured minimum. The chain
 * never forks: before publishing, the database must still hold the newest head this server signed
 * or saw (head-record.ts). Published batches can be exported and imported (they verify themselves).
 */
import { batchHash, encodeBatch, ZERO_HASH, type BatchDay } from '../../../shared/protocol/batch';
import { fromBase64url, fromHex, toBase64url, toHex } from '../../../shared/protocol/codec';
import { headMessage } from '../../../shared/protocol/signing';
import { dayInterval, enin, retentionStart, RETENTION_DAYS } from '../../../shared/protocol/time';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import { verifyBatch, type Checkpoint } from '../../../shared/protocol/batch';
import { PrtcError } from '../../../shared/errors';
import type { HeadRecordFile } from './head-record';
import type { BatchHeadRow, PublishingRepository, PublishInput, PublishOutput } from './repository';
import { addFakeKeys } from './padding';
import { warningOfRow } from './warnings';
import type { RegionPublisher } from './regions';
import type { RegionHeadRow } from './region-repository';

/** A batch head as this server stores and exports it: the hash in hex, the signature base64url. */
export interface StoredHead {
  n: number;
  hash: string;
  signedAt: number;
  signature: string;
}

/** The checkpoint (§9) a stored head names; a signature that is not 64 bytes throws invalid_length. */
export function checkpointOf(h: StoredHead): Checkpoint {
  return { n: h.n, hash: fromHex(h.hash), signedAt: h.signedAt, signature: fromBase64url(h.signature, 64) };
}

/**
 * A chain whose newest batch is this many days old gets a batch of padding only at the next publish
 * (§9, "Quiet days"): one day before retention (RETENTION_DAYS + 1 after creation) would delete it,
 * so a chain always has a head younger than its retention and keeps no key longer than that.
 */
export const KEEP_ALIVE_DAYS = RETENTION_DAYS - 1;

/** A published batch as export-batches writes it and import-batches reads it. */
export interface ExportedBatch {
  head: StoredHead;
  body: Uint8Array;
}

/** A region's batch (§15) as export-batches writes it: the head's signedAt is the batch's createdAt. */
export interface ExportedRegionBatch extends ExportedBatch {
  region: number;
}

/** What import-batches stored: the national chain's batches, then the regions' (all chains together). */
export interface ImportResult {
  added: number;
  present: number;
  regional: { chains: number; verified: number; added: number; present: number };
}

export function createPublishingService(deps: {
  repo: PublishingRepository;
  secrets: Secrets;
  clock: Clock;
  minBatchKeys: number;
  maxBatchKeys: number;
  /** Sign the head again when its signature is this old (seconds). */
  headResignS: number;
  /** Told the new batch numbers after every publish that made any (distribution refreshes its caches). */
  onPublished?: (batches: number[]) => void;
  /** The record of the newest head, beside the signing key (null: no durable place for it). */
  record: HeadRecordFile | null;
  /**
   * Runs `fn` only if no other instance on the database is publishing (or re-signing) right now,
   * else returns null: one publisher at a time, whatever the timers of a cluster do.
   */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T | null>;
  /** §15: the regions' chains and the root, published in the same runs (absent: the national chain only). */
  regions?: RegionPublisher;
}) {
  const exclusive = deps.exclusive ?? (<T>(fn: () => Promise<T>) => fn());
  const { repo, secrets, clock, record } = deps;
  const remember = (h: BatchHeadRow) => record?.advance({ n: h.n, hash: h.hash, signedAt: h.signedAt });

  /** The batch for `input` at `now`: real keys by day, fakes up to the minimum, encoded, hashed and signed. */
  function buildBatch(input: PublishInput, now: number): PublishOutput {
    const n = (input.last?.n ?? 0) + 1;
    const prevHash = input.last ? fromHex(input.last.hash) : ZERO_HASH;
    const byDay = new Map<number, Uint8Array[]>();
    const realKeysPerDay = new Map<number, number>();
    for (const k of input.keys) {
      const list = byDay.get(k.i) ?? [];
      list.push(fromBase64url(k.aemk, 32));
      byDay.set(k.i, list);
      realKeysPerDay.set(k.i, (realKeysPerDay.get(k.i) ?? 0) + 1);
    }
    // Pad with random fake keys, spread over the retention window, up to the minimum batch size.
    addFakeKeys(byDay, deps.minBatchKeys - input.keys.length, now);
    const days: BatchDay[] = [...byDay].map(([i, keys]) => ({ i, keys }));
    const warnings = input.warnings.map(warningOfRow);
    const body = encodeBatch({ n, prevHash, createdAt: now, days, warnings });
    const hash = batchHash(body);
    const signature = secrets.sign(headMessage(n, hash, now));
    return {
      batch: {
        n,
        hash: toHex(hash),
        prevHash: toHex(prevHash),
        createdAt: now,
        signedAt: now,
        signature: toBase64url(signature),
        keyCount: days.reduce((s, d) => s + d.keys.length, 0),
        warningCount: warnings.length,
        body: Buffer.from(body),
      },
      realKeysPerDay,
    };
  }

  /**
   * The next batch of what is pending; with nothing pending, `keepAlive` asks for a batch of padding
   * only when the newest is KEEP_ALIVE_DAYS old, so retention never has to delete a chain's head (§9).
   */
  async function publishNextBatch(keepAlive = false): Promise<BatchHeadRow | null> {
    const now = clock.now();
    const limits = { firstOpenDay: dayInterval(enin(now)), maxKeys: deps.maxBatchKeys, maxWarnings: 10 * deps.maxBatchKeys };
    const head = await repo.publishNext(limits, (input) => buildBatch(input, now), keepAlive ? now - KEEP_ALIVE_DAYS * 86400 : undefined);
    if (head) remember(head);
    return head;
  }

  /**
   * Verifies one chain's exported batches in order as a phone would (§9, §15: region 0 is the
   * national chain): each head's signature with this server's key, the body's hash, number and
   * region, the prevHash link and consecutive numbers. Throws a PrtcError naming the chain and batch.
   */
  function verifyChain<B extends ExportedBatch>(batches: B[], region: number) {
    const chain = region === 0 ? '' : `region ${region}: `;
    const sorted = [...batches].sort((a, b) => a.head.n - b.head.n);
    let prev: Checkpoint | null = null;
    return sorted.map((b) => {
      try {
        const head = checkpointOf(b.head);
        if (prev && head.n !== prev.n + 1) throw new PrtcError('bad_chain', `the export skips from batch ${prev.n} to ${head.n}`);
        const decoded = verifyBatch(b.body, head, prev, secrets.publicKey, region);
        prev = head;
        return { b, head, decoded };
      } catch (e) {
        if (e instanceof PrtcError && chain) throw new PrtcError(e.code, chain + e.message, e.field);
        throw e;
      }
    });
  }

  const service = {
    /**
     * Publishes everything pending and out of embargo as new batches (several when there are more
     * than maxBatchKeys). Returns the new batch numbers; empty when nothing was pending.
     */
    async publish(): Promise<number[]> {
      return (await service.publishAll()).national;
    },
    /**
     * The national chain's batches, then the regions' (§15) and, when anything moved or the root is
     * HEAD_RESIGN_S old, a new root: one run under the publish lock.
     */
    async publishAll(): Promise<{ national: number[]; regional: RegionHeadRow[]; rootSignedAt: number | null }> {
      const made = (await exclusive(async () => {
        await service.checkChain();
        const national: number[] = [];
        // another batch only when this one was full: uploads that keep arriving wait for the next
        // run instead of keeping this one (and the lock) busy for ever
        for (;;) {
          const head = await publishNextBatch(national.length === 0);
          if (!head) break;
          national.push(head.n);
          if (head.keyCount < deps.maxBatchKeys && head.warningCount < 10 * deps.maxBatchKeys) break;
        }
        const r = deps.regions;
        const regional = r ? await r.publish() : [];
        if (regional.length) record?.advanceRegions(regional);
        const rootSignedAt = r && (national.length || regional.length || (await r.rootStale())) ? await r.makeRoot() : null;
        return { national, regional, rootSignedAt };
      })) ?? { national: [], regional: [], rootSignedAt: null }; // another instance is publishing: it will publish what is pending
      if (made.national.length || made.regional.length || made.rootSignedAt !== null) deps.onPublished?.(made.national);
      return made;
    },
    /** The newest batch's head, or null before the first. */
    lastBatch: () => repo.lastBatch(),
    async publishOne(): Promise<number | null> {
      return (await publishNextBatch())?.n ?? null;
    },
    /**
     * Throws ChainBroken when the database lost batches this server published or saw; otherwise
     * records the database's newest head as seen.
     */
    async checkChain(): Promise<void> {
      if (!record) return;
      const last = await repo.lastBatch();
      const r = deps.regions;
      const newest = r ? await r.newestHeads() : [];
      await record.check({ last, hashOf: (n) => repo.hashOf(n) }, r ? { newest, hashOf: (region, n) => r.hashOf(region, n) } : undefined);
      if (last) remember(last);
      if (newest.length) record.advanceRegions(newest);
    },
    /** Every published batch still stored, oldest first, body by body (for `admin export-batches`). */
    async *exportBatches(): AsyncGenerator<ExportedBatch> {
      for (const h of await repo.heads()) {
        const body = await repo.bodyOf(h.n);
        if (body) yield { head: { n: h.n, hash: h.hash, signedAt: h.signedAt, signature: h.signature }, body: new Uint8Array(body) };
      }
    },
    /** Every regional batch still stored (§15), chain by chain, oldest first (for `admin export-batches`). */
    async *exportRegionBatches(): AsyncGenerator<ExportedRegionBatch> {
      const r = deps.regions;
      if (!r) return;
      for (const region of await r.chains())
        for (const h of await r.heads(region)) {
          const body = await r.bodyOf(region, h.n);
          if (body)
            yield {
              region,
              head: { n: h.n, hash: h.hash, signedAt: h.createdAt, signature: h.signature },
              body: new Uint8Array(body),
            };
        }
    },
    /**
     * Stores exported batches again (`admin import-batches`) after verifying every one — the
     * signature with this server's key, the hash of the body, its number and the prevHash link to the
     * batch before — so nothing that was not published by this key, in this order, gets in. Regional
     * chains (§15) are verified the same way as a phone following the region does (the regional head
     * message, the region in the body). Every chain is verified before anything is stored: one bad
     * batch in any chain refuses the whole import. Then every chain is stored in one transaction
     * (all or nothing), and the root is signed again over the heads now present.
     */
    async importBatches(batches: ExportedBatch[], regionBatches: ExportedRegionBatch[] = []): Promise<ImportResult> {
      const rows = verifyChain(batches, 0).map(({ b, head, decoded }) => ({
        n: head.n,
        hash: b.head.hash,
        prevHash: toHex(decoded.prevHash),
        createdAt: decoded.createdAt,
        signedAt: head.signedAt,
        signature: b.head.signature,
        keyCount: decoded.keyCount,
        warningCount: decoded.warnings.length,
        body: Buffer.from(b.body),
      }));
      const byRegion = new Map<number, ExportedRegionBatch[]>();
      for (const b of regionBatches) {
        if (!Number.isInteger(b.region) || b.region < 1 || b.region > 0xffffffff)
          throw new PrtcError('bad_region', `${b.region} is not a region's chain (a positive 32-bit number)`);
        byRegion.set(b.region, [...(byRegion.get(b.region) ?? []), b]);
      }
      if (byRegion.size && !deps.regions) throw new PrtcError('bad_region', 'this server publishes no regional chains');
      const regionRows = [...byRegion].flatMap(([region, chain]) =>
        verifyChain(chain, region).map(({ b, head, decoded }) => {
          // a regional head is served with the batch's createdAt as its signedAt (nothing else is stored)
          if (decoded.createdAt !== head.signedAt)
            throw new PrtcError(
              'bad_signature',
              `region ${region}: batch ${head.n}: signed at ${head.signedAt}, made at ${decoded.createdAt}`,
            );
          return {
            region,
            n: head.n,
            hash: b.head.hash,
            prevHash: toHex(decoded.prevHash),
            createdAt: decoded.createdAt,
            signature: b.head.signature,
            keyCount: decoded.keyCount,
            warningCount: decoded.warnings.length,
            size: b.body.length,
            body: Buffer.from(b.body),
          };
        }),
      );
      const regional = { chains: byRegion.size, verified: regionRows.length, added: 0, present: 0 };
      // every chain in one transaction: a restore that fails part-way stores nothing
      const result = await repo.restore(
        rows,
        deps.regions && regionRows.length ? deps.regions.restorePart(regionRows, regional) : undefined,
      );
      if (deps.regions) {
        // the root over every chain's head now stored (null when there is none)
        await exclusive(() => deps.regions!.makeRoot());
      }
      deps.onPublished?.([]);
      return { ...result, regional };
    },
    /**
     * §9: signs the current head again when its signature is HEAD_RESIGN_S old, so phones that
     * synced recently carry a fresh checkpoint (§8) on days nobody uploads. Returns the new signedAt.
     */
    async resignHead(): Promise<number | null> {
      const now = clock.now();
      let rootSignedAt: number | null = null;
      const signedAt = await exclusive(async () => {
        const resigned = await repo.resignHead(now - deps.headResignS, (head) => ({
          signedAt: now,
          signature: toBase64url(secrets.sign(headMessage(head.n, fromHex(head.hash), now))),
        }));
        // §15: the root too, when it is as old (it carries the phones' checkpoints on quiet days)
        if (deps.regions && (await deps.regions.rootStale())) rootSignedAt = await deps.regions.makeRoot();
        return resigned;
      });
      if (rootSignedAt !== null && signedAt === null) deps.onPublished?.([]);
      if (signedAt !== null) {
        deps.onPublished?.([]);
        const last = await repo.lastBatch();
        if (last) remember(last);
      }
      return signedAt;
    },
    /** Deletes batches whose every key is past retention (15 days after they were made), and old statistics. */
    async prune() {
      const now = clock.now();
      const pruned = await repo.prune(now - (RETENTION_DAYS + 1) * 86400, retentionStart(enin(now)));
      const regionBatches = deps.regions ? await deps.regions.prune(now - (RETENTION_DAYS + 1) * 86400) : 0;
      return { ...pruned, regionBatches };
    },
  };
  return service;
}

export type PublishingService = ReturnType<typeof createPublishingService>;
