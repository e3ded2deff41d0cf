/**
 * Distribution (§9, §10): the signed batch list, the immutable bodies, the public key and the open
 * statistics — everything a phone or a gate downloads but the signed configuration (risk-config/).
 *
 * Published batches never change, so this side caches: the head for one second, the serialised
 * list pages until the head changes (or a minute passes, for retention), and the bodies in a
 * bounded in-memory LRU. That is what lets one core serve thousands of phones.
 */
import type { BatchListResponse, PublicKeyResponse, StatsResponse } from '../../../shared/api/types';
import { headToJson } from '../../../shared/api/heads';
import { toBase64url } from '../../../shared/protocol/codec';
import { dayInterval, dayLabel, enin, retentionStart } from '../../../shared/protocol/time';
import { PrtcError } from '../../../shared/errors';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import type { BatchHeadRow } from '../publishing/repository';
import { checkpointOf, type StoredHead } from '../publishing/service';
import type { DistributionRepository } from './repository';

const PAGE_SIZE = 100;
const HEAD_TTL_MS = 1000;
const LIST_TTL_MS = 60_000;
const BODY_CACHE_BYTES = 64 * 1024 * 1024;

const toHead = (r: StoredHead) => headToJson(checkpointOf(r));

export function createDistributionService(deps: {
  repo: DistributionRepository;
  secrets: Secrets;
  clock: Clock;
  statsGranularity: number;
}) {
  const { repo, secrets, clock } = deps;
  let headAt = 0;
  let head: BatchHeadRow | null = null;
  /** The list pages made for one signed head (its number and signing time: a re-signed head is a new list). */
  let listFor: { head: string; at: number; pages: Map<number, string> } = { head: '', at: 0, pages: new Map() };
  const bodies = new Map<number, { body: Buffer; etag: string }>();
  let bodyBytes = 0;

  async function currentHead(): Promise<BatchHeadRow | null> {
    const now = Date.now();
    if (now - headAt >= HEAD_TTL_MS) {
      head = await repo.lastBatch();
      headAt = now;
    }
    return head;
  }

  const service = {
    /** The list page after batch `after` as JSON text (what the HTTP route sends). */
    async listBatchesJson(after: number): Promise<string> {
      const h = await currentHead();
      const n = h?.n ?? null;
      const headKey = h ? `${h.n}/${h.signedAt}` : 'none';
      if (listFor.head !== headKey || Date.now() - listFor.at > LIST_TTL_MS || listFor.pages.size > 10_000) {
        listFor = { head: headKey, at: Date.now(), pages: new Map() };
      }
      let page = listFor.pages.get(after);
      if (page === undefined) {
        const rows = await repo.listBatches(after, PAGE_SIZE, n);
        const res: BatchListResponse = {
          head: h ? toHead(h) : null,
          batches: rows.filter((r) => n === null || r.n <= n).map((r) => ({ ...toHead(r), keys: r.keyCount, warnings: r.warningCount })),
        };
        page = JSON.stringify(res);
        listFor.pages.set(after, page);
      }
      return page;
    },
    async listBatches(after: number): Promise<BatchListResponse> {
      return JSON.parse(await service.listBatchesJson(after)) as BatchListResponse;
    },
    async batchBody(n: number): Promise<{ body: Buffer; etag: string }> {
      const hit = bodies.get(n);
      if (hit) return hit;
      const b = await repo.batchBody(n);
      if (!b) throw new PrtcError('not_found', `batch ${n} does not exist (or is past retention)`);
      const entry = { body: b.body, etag: `"${b.hash}"` };
      bodies.set(n, entry);
      bodyBytes += b.body.length;
      for (const [k, v] of bodies) {
        if (bodyBytes <= BODY_CACHE_BYTES) break;
        bodies.delete(k);
        bodyBytes -= v.body.length;
      }
      return entry;
    },
    /** A new batch was published here: the next list request reads the new head. */
    headChanged(): void {
      headAt = 0;
    },
    /** Forgets cached heads, pages and bodies (after retention deleted batches). */
    invalidate(): void {
      headAt = 0;
      listFor = { head: '', at: 0, pages: new Map() };
      bodies.clear();
      bodyBytes = 0;
    },
    publicKey(): PublicKeyResponse {
      return { alg: 'Ed25519', key: toBase64url(secrets.publicKey) };
    },
    /**
     * §10: published keys per day, rounded down to a multiple of STATS_GRANULARITY and only for days
     * that have ended, so the statistics tell nothing the padded batches hide (3 real keys padded to
     * 100 show as 0, not 3).
     */
    /** For the operator (admin stats): exact published keys per day since `fromS` (Unix s of a midnight). */
    async exactDayStats(fromS: number): Promise<{ day: number; keys: number }[]> {
      return (await repo.listDayStats(Math.floor(fromS / 600))).map((r) => ({ day: r.i * 600, keys: r.keyCount }));
    },
    async stats(): Promise<StatsResponse> {
      const today = dayInterval(enin(clock.now()));
      const g = deps.statsGranularity;
      const rows = await repo.listDayStats(retentionStart(enin(clock.now())));
      return {
        days: rows.filter((r) => r.i < today).map((r) => ({ i: r.i, date: dayLabel(r.i), keys: Math.floor(r.keyCount / g) * g })),
      };
    },
  };
  return service;
}

export type DistributionService = ReturnType<typeof createDistributionService>;
