/**
 * Publishing (§9): pending keys whose day has ended, and pending venue warnings, become the next
 * signed, hash-chained batch, padded with random fake keys up to the configured minimum. The chain
 * never forks: before publishing, the database must still hold the newest head this server signed
 * or saw (head-record.ts). Published batches can be exported and imported (they verify themselves).
 */
import { randomBytes } from 'node:crypto';
import { batchHash, encodeBatch, ZERO_HASH, type BatchDay } from '../../../shared/protocol/batch';
import { fromBase64url, fromHex, toBase64url, toHex } from '../../../shared/protocol/codec';
import { headMessage } from '../../../shared/protocol/signing';
import { dayInterval, enin, retentionStart, RETENTION_DAYS, ROLLING_PERIOD } from '../../../shared/protocol/time';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import { verifyBatch, type Checkpoint } from '../../../shared/protocol/batch';
import { PrtcError } from '../../../shared/errors';
import type { HeadRecordFile } from './head-record';
import type { BatchHeadRow, PublishingRepository, PublishInput, PublishOutput } from './repository';

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

/** A published batch as export-batches writes it and import-batches reads it. */
export interface ExportedBatch {
  head: StoredHead;
  body: Uint8Array;
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
    const oldest = retentionStart(enin(now));
    for (let f = input.keys.length; f < deps.minBatchKeys; f++) {
      const i = oldest + ROLLING_PERIOD * Math.floor(Math.random() * RETENTION_DAYS);
      const list = byDay.get(i) ?? [];
      list.push(new Uint8Array(randomBytes(32)));
      byDay.set(i, list);
    }
    const days: BatchDay[] = [...byDay].map(([i, keys]) => ({ i, keys }));
    const warnings = input.warnings.map((w) => ({ locationIdHash: fromHex(w.locationIdHash), startEnin: w.startEnin, endEnin: w.endEnin }));
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

  async function publishNextBatch(): Promise<BatchHeadRow | null> {
    const now = clock.now();
    const limits = { firstOpenDay: dayInterval(enin(now)), maxKeys: deps.maxBatchKeys, maxWarnings: 10 * deps.maxBatchKeys };
    const head = await repo.publishNext(limits, (input) => buildBatch(input, now));
    if (head) remember(head);
    return head;
  }

  const service = {
    /**
     * Publishes everything pending and out of embargo as new batches (several when there are more
     * than maxBatchKeys). Returns the new batch numbers; empty when nothing was pending.
     */
    async publish(): Promise<number[]> {
      const made =
        (await exclusive(async () => {
          await service.checkChain();
          const out: number[] = [];
          // another batch only when this one was full: uploads that keep arriving wait for the next
          // run instead of keeping this one (and the lock) busy for ever
          for (;;) {
            const head = await publishNextBatch();
            if (!head) break;
            out.push(head.n);
            if (head.keyCount < deps.maxBatchKeys && head.warningCount < 10 * deps.maxBatchKeys) break;
          }
          return out;
        })) ?? []; // another instance is publishing: it will publish what is pending
      if (made.length) deps.onPublished?.(made);
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
      await record.check({ last, hashOf: (n) => repo.hashOf(n) });
      if (last) remember(last);
    },
    /** Every published batch still stored, oldest first, body by body (for `admin export-batches`). */
    async *exportBatches(): AsyncGenerator<ExportedBatch> {
      for (const h of await repo.heads()) {
        const body = await repo.bodyOf(h.n);
        if (body) yield { head: { n: h.n, hash: h.hash, signedAt: h.signedAt, signature: h.signature }, body: new Uint8Array(body) };
      }
    },
    /**
     * Stores exported batches again (`admin import-batches`) after verifying every one — the
     * signature with this server's key, the hash of the body, its number and the prevHash link to the
     * batch before — so nothing that was not published by this key, in this order, gets in.
     */
    async importBatches(batches: ExportedBatch[]): Promise<{ added: number; present: number }> {
      const sorted = [...batches].sort((a, b) => a.head.n - b.head.n);
      let prev: Checkpoint | null = null;
      const rows = sorted.map((b) => {
        const head = checkpointOf(b.head);
        if (prev && head.n !== prev.n + 1) throw new PrtcError('bad_chain', `the export skips from batch ${prev.n} to ${head.n}`);
        const decoded = verifyBatch(b.body, head, prev, secrets.publicKey);
        prev = head;
        return {
          n: head.n,
          hash: b.head.hash,
          prevHash: toHex(decoded.prevHash),
          createdAt: decoded.createdAt,
          signedAt: head.signedAt,
          signature: b.head.signature,
          keyCount: decoded.keyCount,
          warningCount: decoded.warnings.length,
          body: Buffer.from(b.body),
        };
      });
      const result = await repo.restore(rows);
      deps.onPublished?.([]);
      return result;
    },
    /**
     * §9: signs the current head again when its signature is HEAD_RESIGN_S old, so phones that
     * synced recently carry a fresh checkpoint (§8) on days nobody uploads. Returns the new signedAt.
     */
    async resignHead(): Promise<number | null> {
      const now = clock.now();
      const signedAt = await exclusive(() =>
        repo.resignHead(now - deps.headResignS, (head) => ({
          signedAt: now,
          signature: toBase64url(secrets.sign(headMessage(head.n, fromHex(head.hash), now))),
        })),
      );
      if (signedAt !== null) {
        deps.onPublished?.([]);
        const last = await repo.lastBatch();
        if (last) remember(last);
      }
      return signedAt;
    },
    /** Deletes batches whose every key is past retention (15 days after they were made), and old statistics. */
    prune() {
      const now = clock.now();
      return repo.prune(now - (RETENTION_DAYS + 1) * 86400, retentionStart(enin(now)));
    },
  };
  return service;
}

export type PublishingService = ReturnType<typeof createPublishingService>;
