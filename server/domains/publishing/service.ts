/**
 * Publishing (§9): pending keys whose day has ended, and pending venue warnings, become the next
 * signed, hash-chained batch, padded with random fake keys up to the configured minimum.
 */
import { randomBytes } from 'node:crypto';
import { batchHash, encodeBatch, ZERO_HASH, type BatchDay } from '../../../shared/protocol/batch';
import { fromBase64url, fromHex, toBase64url, toHex } from '../../../shared/protocol/codec';
import { headMessage } from '../../../shared/protocol/signing';
import { dayInterval, enin, retentionStart, RETENTION_DAYS, ROLLING_PERIOD } from '../../../shared/protocol/time';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import type { PublishingRepository, PublishInput, PublishOutput } from './repository';

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
}) {
  const { repo, secrets, clock } = deps;

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

  const service = {
    /**
     * Publishes everything pending and out of embargo as new batches (several when there are more
     * than maxBatchKeys). Returns the new batch numbers; empty when nothing was pending.
     */
    async publish(): Promise<number[]> {
      const made: number[] = [];
      for (;;) {
        const n = await service.publishOne();
        if (n === null) break;
        made.push(n);
      }
      if (made.length) deps.onPublished?.(made);
      return made;
    },
    publishOne(): Promise<number | null> {
      const now = clock.now();
      const limits = { firstOpenDay: dayInterval(enin(now)), maxKeys: deps.maxBatchKeys, maxWarnings: 10 * deps.maxBatchKeys };
      return repo.publishNext(limits, (input) => buildBatch(input, now));
    },
    /**
     * §9: signs the current head again when its signature is HEAD_RESIGN_S old, so phones that
     * synced recently carry a fresh checkpoint (§8) on days nobody uploads. Returns the new signedAt.
     */
    async resignHead(): Promise<number | null> {
      const now = clock.now();
      const signedAt = await repo.resignHead(now - deps.headResignS, (head) => ({
        signedAt: now,
        signature: toBase64url(secrets.sign(headMessage(head.n, fromHex(head.hash), now))),
      }));
      if (signedAt !== null) deps.onPublished?.([]);
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
