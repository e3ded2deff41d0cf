/**
 * §15 publishing per region, and the root. Each region's pending keys become that region's next
 * batch (`PrTCB002`, signed with the regional head message) — but a small region's keys are held
 * back (`releaseRule` below) so a lone traveller is never alone in a batch; after every run that
 * published anything, and whenever the root is HEAD_RESIGN_S old, a new root over every chain's
 * newest head is signed.
 */
import { batchHash, encodeBatch, ZERO_HASH, type BatchDay } from '../../../shared/protocol/batch';
import { concatBytes, fromBase64url, fromHex, toBase64url, toHex, uint32LE } from '../../../shared/protocol/codec';
import { merkleRoot, rootMessage } from '../../../shared/protocol/root';
import { headMessage } from '../../../shared/protocol/signing';
import { dayInterval, enin } from '../../../shared/protocol/time';
import { UNKNOWN_REGION, type RegionList } from '../../../shared/regions';
import type { Clock } from '../../clock';
import type { RegionBatchRow, RootHeadRow } from '../../db/schema';
import type { Secrets } from '../../secrets';
import { addFakeKeys } from './padding';
import { warningOfRow } from './warnings';
import type { ChainHead, RegionHeadRow, RegionPublishingRepository, RegionPublishInput, RegionPublishOutput } from './region-repository';

/**
 * The hold-back rule of §15, as one named behaviour: between release slots a region publishes only
 * with at least `minKeys` real keys (an upload carries at most 15, so 45 means three uploads or
 * more); at the first run of each slot (every `releaseS` seconds) every region publishes what it
 * holds, padded with fakes to `minKeys` — also when it holds nothing — so a quiet region looks the
 * same whether nobody, one traveller or two named it.
 */
export class ReleaseRule {
  constructor(
    readonly minKeys: number,
    readonly releaseS: number,
  ) {}

  /** The slot `now` falls in. */
  slotOf(now: number): number {
    return Math.floor(now / this.releaseS);
  }

  /** Whether a run at `now` must release every region (its slot has not been released yet). */
  slotDue(now: number, releasedSlot: number | null): boolean {
    return releasedSlot === null || this.slotOf(now) > releasedSlot;
  }

  /** How many fake keys a batch of `real` keys gets: up to `minKeys` at a slot, none otherwise. */
  padding(real: number, atSlot: boolean): number {
    return atSlot ? Math.max(0, this.minKeys - real) : 0;
  }
}

/** The stored form of a root's leaves: LE32(region) || LE32(n) || hash, 40 bytes each. */
export function encodeLeaves(heads: readonly ChainHead[]): Buffer {
  return Buffer.from(concatBytes(...heads.map((h) => concatBytes(uint32LE(h.region), uint32LE(h.n), fromHex(h.hash, 32)))));
}

export function createRegionPublisher(deps: {
  repo: RegionPublishingRepository;
  secrets: Secrets;
  clock: Clock;
  regions: RegionList;
  rule: ReleaseRule;
  maxBatchKeys: number;
  headResignS: number;
}) {
  const { repo, secrets, rule } = deps;

  function build(input: RegionPublishInput, now: number, atSlot: boolean): RegionPublishOutput {
    const { region } = input;
    const n = (input.last?.n ?? 0) + 1;
    const prevHash = input.last ? fromHex(input.last.hash) : ZERO_HASH;
    const byDay = new Map<number, Uint8Array[]>();
    for (const k of input.keys) {
      const list = byDay.get(k.i) ?? [];
      list.push(fromBase64url(k.aemk, 32));
      byDay.set(k.i, list);
    }
    addFakeKeys(byDay, rule.padding(input.keys.length, atSlot), now);
    const days: BatchDay[] = [...byDay].map(([i, keys]) => ({ i, keys }));
    const warnings = input.warnings.map(warningOfRow);
    const body = encodeBatch({ region, n, prevHash, createdAt: now, days, warnings });
    const hash = batchHash(body);
    return {
      batch: {
        region,
        n,
        hash: toHex(hash),
        prevHash: toHex(prevHash),
        createdAt: now,
        signature: toBase64url(secrets.sign(headMessage(n, hash, now, region))),
        keyCount: days.reduce((s, d) => s + d.keys.length, 0),
        warningCount: warnings.length,
        size: body.length,
        body: Buffer.from(body),
      },
    };
  }

  const publisher = {
    /**
     * One publishing run (the caller holds the publish lock): the slot's release when it is due,
     * then every region holding at least `minKeys` real keys, batch after batch while one is full.
     */
    async publish(): Promise<RegionHeadRow[]> {
      const now = deps.clock.now();
      const limits = { firstOpenDay: dayInterval(enin(now)), maxKeys: deps.maxBatchKeys, maxWarnings: 10 * deps.maxBatchKeys };
      const out: RegionHeadRow[] = [];
      if (rule.slotDue(now, await repo.releasedSlot())) {
        const chains = [UNKNOWN_REGION, ...deps.regions.map((r) => r.code)];
        out.push(...((await repo.releaseSlot(rule.slotOf(now), chains, rule.minKeys, limits, (input) => build(input, now, true))) ?? []));
      }
      // another round only when a batch came out full (like the national chain): that region holds more
      for (let round = 0; round < 1000; round++) {
        let full = false;
        for (const region of await repo.readyRegions(limits.firstOpenDay, rule.minKeys)) {
          const head = await repo.publishRegion(region, limits, rule.minKeys, (input) => build(input, now, false));
          if (head) out.push(head);
          if (head && head.keyCount >= deps.maxBatchKeys) full = true;
        }
        if (!full) break;
      }
      return out;
    },
    /** Signs a new root over every chain's newest head (§15). Returns its signedAt, or null when there is no chain yet. */
    async makeRoot(): Promise<number | null> {
      const now = deps.clock.now();
      const row = await repo.replaceRoot((heads, previous): RootHeadRow => {
        const leaves = encodeLeaves(heads);
        // the same heads as the stored root (an hourly re-sign on a quiet day): the same tree, signed anew
        const hash =
          previous && previous.count === heads.length && Buffer.compare(previous.leaves, leaves) === 0
            ? fromHex(previous.hash, 32)
            : merkleRoot(heads.map((h) => ({ region: h.region, n: h.n, hash: fromHex(h.hash, 32) })));
        return {
          id: 1,
          count: heads.length,
          hash: toHex(hash),
          signedAt: now,
          signature: toBase64url(secrets.sign(rootMessage(heads.length, hash, now))),
          leaves,
        };
      });
      return row?.signedAt ?? null;
    },
    /** Whether the root is missing or HEAD_RESIGN_S old (§15: signed again, also when nothing changed). */
    async rootStale(): Promise<boolean> {
      const at = await repo.rootSignedAt();
      return at === null || at <= deps.clock.now() - deps.headResignS;
    },
    prune: (createdBefore: number) => repo.prune(createdBefore),
    /** The regions holding batches, a chain's heads and bodies, and restoring verified batches (`admin export-batches`, `import-batches`). */
    chains: () => repo.chains(),
    newestHeads: () => repo.newestHeads(),
    hashOf: (region: number, n: number) => repo.hashOf(region, n),
    heads: (region: number) => repo.heads(region),
    bodyOf: (region: number, n: number) => repo.bodyOf(region, n),
    restorePart: (rows: RegionBatchRow[], counts: { added: number; present: number }) => repo.restorePart(rows, counts),
  };
  return publisher;
}

export type RegionPublisher = ReturnType<typeof createRegionPublisher>;
