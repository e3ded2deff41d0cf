/**
 * §15 serving the regions' chains: per chain, its heads after `after` up to the head the signed root
 * commits to, with that head's Merkle path to the root, so a CDN in front can neither alter nor hold
 * back a chain; the bodies; and an overview (the root with every leaf, every chain's bytes a day).
 *
 * Like the national list, pages are cached until the root changes (checked once a second).
 */
import type { RegionBatchListResponse, RegionsResponse, RootJson } from '../../../shared/api/types';
import { fromHex, readUint32LE, toBase64url, toHex } from '../../../shared/protocol/codec';
import { merkleProof, type RootLeaf } from '../../../shared/protocol/root';
import { isChainCode, findRegion, NATIONAL_REGION, UNKNOWN_REGION, type RegionList } from '../../../shared/regions';
import { PrtcError } from '../../../shared/errors';
import type { Clock } from '../../clock';
import type { RootHeadRow } from '../../db/schema';
import type { ChainHeadRow, DistributionRepository } from './repository';

const PAGE_SIZE = 100;
const ROOT_TTL_MS = 1000;
/** bytesPerDay: the bodies of the last 24 hours, recomputed at most this often. */
const STATS_TTL_S = 600;

interface ServedRoot {
  key: string;
  json: RootJson;
  leaves: RootLeaf[];
}

function decodeRoot(row: RootHeadRow): ServedRoot {
  const bytes = new Uint8Array(row.leaves);
  const leaves: RootLeaf[] = [];
  for (let o = 0; o + 40 <= bytes.length; o += 40) {
    leaves.push({ region: readUint32LE(bytes, o), n: readUint32LE(bytes, o + 4), hash: bytes.slice(o + 8, o + 40) });
  }
  return {
    key: `${row.hash}/${row.signedAt}`,
    json: { count: row.count, hash: toBase64url(fromHex(row.hash, 32)), signedAt: row.signedAt, signature: row.signature },
    leaves,
  };
}

const entry = (r: ChainHeadRow) => ({
  n: r.n,
  hash: toBase64url(fromHex(r.hash, 32)),
  signedAt: r.signedAt,
  signature: r.signature,
  keys: r.keyCount,
  warnings: r.warningCount,
  bytes: r.size,
});

export function createRegionDistribution(deps: {
  repo: DistributionRepository;
  clock: Clock;
  regions: RegionList;
  /** The national chain's bodies (region 0), from the §9 distribution and its cache. */
  nationalBody: (n: number) => Promise<{ body: Buffer; etag: string }>;
}) {
  const { repo } = deps;
  let rootAt = 0;
  let root: ServedRoot | null = null;
  let pages: { key: string; map: Map<string, string> } = { key: '', map: new Map() };
  let stats: { at: number; bytes: Map<number, number> } | null = null;

  async function currentRoot(): Promise<ServedRoot | null> {
    if (Date.now() - rootAt >= ROOT_TTL_MS) {
      const row = await repo.root();
      root = row ? decodeRoot(row) : null;
      rootAt = Date.now();
    }
    return root;
  }

  function chainOf(region: number): number {
    if (!isChainCode(region) || (region !== NATIONAL_REGION && region !== UNKNOWN_REGION && !findRegion(deps.regions, region)))
      throw new PrtcError('not_found', `there is no chain of region ${region}`);
    return region;
  }

  /** Body bytes every chain published in the last 24 hours: what following it costs a phone a day. */
  async function bytesPerDay(): Promise<Map<number, number>> {
    const now = deps.clock.now();
    if (!stats || now - stats.at >= STATS_TTL_S || now < stats.at)
      stats = { at: now, bytes: await repo.bytesByChain(now - 86400, now + 1) };
    return stats.bytes;
  }

  const service = {
    /** GET /v1/regions/<r>/batches?after=n as JSON text. */
    async listJson(region: number, after: number): Promise<string> {
      chainOf(region);
      const r = await currentRoot();
      const key = r?.key ?? 'none';
      if (pages.key !== key || pages.map.size > 10_000) pages = { key, map: new Map() };
      const cacheKey = `${region}/${after}`;
      const hit = pages.map.get(cacheKey);
      if (hit !== undefined) return hit;
      const index = r ? r.leaves.findIndex((l) => l.region === region) : -1;
      const leaf = index >= 0 ? r!.leaves[index] : null;
      let res: RegionBatchListResponse = { root: r?.json ?? null, proof: null, head: null, batches: [], bytesPerDay: 0 };
      if (r && leaf) {
        const rows = await repo.chainHeads(region, after, leaf.n, PAGE_SIZE);
        // the page usually ends at the head (phones ask near it): read it again only when it does not
        const last = rows.at(-1);
        const head = last?.n === leaf.n ? last : (await repo.chainHeads(region, leaf.n - 1, leaf.n, 1))[0];
        if (!head || head.hash !== toHex(leaf.hash))
          throw new PrtcError('internal_error', `chain ${region}: the stored head is not the root's`);
        const { keys: _k, warnings: _w, bytes: _b, ...headJson } = entry(head);
        res = {
          root: r.json,
          proof: { index, path: merkleProof(r.leaves, index).path.map(toBase64url) },
          head: headJson,
          batches: rows.map(entry),
          bytesPerDay: (await bytesPerDay()).get(region) ?? 0,
        };
      }
      const text = JSON.stringify(res);
      pages.map.set(cacheKey, text);
      return text;
    },
    async list(region: number, after: number): Promise<RegionBatchListResponse> {
      return JSON.parse(await service.listJson(region, after)) as RegionBatchListResponse;
    },
    /** GET /v1/regions/<r>/batches/<n>: the body (region 0: the national chain's). */
    async body(region: number, n: number): Promise<{ body: Buffer; etag: string }> {
      chainOf(region);
      if (region === NATIONAL_REGION) return deps.nationalBody(n);
      const b = await repo.regionBody(region, n);
      if (!b) throw new PrtcError('not_found', `batch ${n} of region ${region} does not exist (or is past retention)`);
      return { body: b.body, etag: `"${b.hash}"` };
    },
    /** GET /v1/regions: the root with every leaf, and every chain's bytes a day. */
    async overview(): Promise<RegionsResponse> {
      const r = await currentRoot();
      const bytes = await bytesPerDay();
      const chains = [NATIONAL_REGION, UNKNOWN_REGION, ...deps.regions.map((x) => x.code)];
      return {
        root: r?.json ?? null,
        leaves: (r?.leaves ?? []).map((l) => ({ region: l.region, n: l.n, hash: toBase64url(l.hash) })),
        regions: chains.map((region) => ({ region, bytesPerDay: bytes.get(region) ?? 0 })),
      };
    },
    /** Something was published or signed here: the next request reads the new root (and the costs). */
    changed(): void {
      rootAt = 0;
      stats = null;
    },
    invalidate(): void {
      rootAt = 0;
      pages = { key: '', map: new Map() };
      stats = null;
    },
  };
  return service;
}

export type RegionDistribution = ReturnType<typeof createRegionDistribution>;
