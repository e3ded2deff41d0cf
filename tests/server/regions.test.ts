/**
 * §15 on a real server: uploads name regions, each key lands in the chain of every region named
 * (and the national chain while it is on), small regions are held back, every list carries the
 * signed root and a path that verifies, and bad region lists change nothing.
 */
import { headFromJson, rootFromJson } from '../../shared/api/heads';
import type { RegionBatchListResponse } from '../../shared/api/types';
import { decodeBatch, verifyBatch, verifyHead } from '../../shared/protocol/batch';
import { fromBase64url, toBase64url } from '../../shared/protocol/codec';
import { merkleRoot, verifyLeaf, verifyRoot } from '../../shared/protocol/root';
import { ROLLING_PERIOD } from '../../shared/protocol/time';
import { BUILD_REGIONS, UNKNOWN_REGION } from '../../shared/regions';
import { call, issueCode, newToken, randomKey, startTestServer, type TestServer } from '../helpers/server';
import { DB_KINDS } from '../helpers/db';

let s: TestServer;
let pub: Uint8Array;
const SH = 310000;
const SZ = 320500;
const LHASA = 540100;

async function upload(keys: string[], regions?: unknown, checkins?: unknown[]) {
  const code = await issueCode(s, await newToken(s));
  const body: Record<string, unknown> = { code, keys: keys.map((aemk, k) => ({ aemk, i: s.clock.today - ROLLING_PERIOD * (k + 1) })) };
  if (regions !== undefined) body.regions = regions;
  if (checkins) body.checkins = checkins;
  return { code, res: await call(s.url, 'POST', '/v1/diagnosis-keys', body) };
}

const keysOf = (n: number) => Array.from({ length: n }, randomKey);

async function list(region: number, after = 0): Promise<RegionBatchListResponse> {
  const r = await call(s.url, 'GET', `/v1/regions/${region}/batches?after=${after}`);
  expect(r.status).toBe(200);
  return r.body;
}

/** Every key of chain `region` after batch `after`, each body verified against its signed head and the root. */
async function chainKeys(region: number, after = 0): Promise<{ keys: Set<string>; sizes: number[] }> {
  const l = await list(region, after);
  const root = rootFromJson(l.root!);
  expect(verifyRoot(root, pub)).toBe(true);
  const head = headFromJson(l.head!);
  verifyLeaf({ region, n: head.n, hash: head.hash }, { index: l.proof!.index, path: l.proof!.path.map((p) => fromBase64url(p, 32)) }, root);
  const keys = new Set<string>();
  const sizes: number[] = [];
  let prev = null;
  for (const e of l.batches) {
    const h = headFromJson(e);
    expect(verifyHead(h, pub, region)).toBe(true);
    const body = (await call(s.url, 'GET', `/v1/regions/${region}/batches/${e.n}`)).raw;
    const b = verifyBatch(new Uint8Array(body), h, prev, pub, region);
    for (const d of b.days) for (const k of d.keys) keys.add(toBase64url(k));
    sizes.push(b.keyCount);
    prev = h;
  }
  return { keys, sizes };
}

beforeAll(async () => {
  s = await startTestServer('sqlite', { statsGranularity: 1 });
  pub = fromBase64url((await call(s.url, 'GET', '/v1/public-key')).body.key, 32);
});
afterAll(() => s.stop());

test('keys go to every region named, region 1 when none is, and the national chain; each list proves its head in the signed root', async () => {
  const a = keysOf(3);
  const b = keysOf(2);
  expect((await upload(a, [SH, SZ])).res.status).toBe(201);
  expect((await upload(b)).res.status).toBe(201);
  const run = await s.services.publishing.publishAll();
  // the first run is a release slot: every region of the list and region 1 publish, the national chain too
  expect(run.national).toEqual([1]);
  expect(run.regional).toHaveLength(BUILD_REGIONS.length + 1);
  expect(run.rootSignedAt).toBe(s.clock.now());
  const sh = await chainKeys(SH);
  const sz = await chainKeys(SZ);
  const unknown = await chainKeys(UNKNOWN_REGION);
  const lhasa = await chainKeys(LHASA);
  for (const k of a) expect([sh.keys.has(k), sz.keys.has(k), unknown.keys.has(k), lhasa.keys.has(k)]).toEqual([true, true, false, false]);
  for (const k of b) expect([sh.keys.has(k), sz.keys.has(k), unknown.keys.has(k), lhasa.keys.has(k)]).toEqual([false, false, true, false]);
  // what a quiet region shows at a slot is the same as what a region with an upload shows: 45 keys
  expect([sh.sizes, sz.sizes, unknown.sizes, lhasa.sizes]).toEqual([[45], [45], [45], [45]]);
  const national = await chainKeys(0);
  for (const k of [...a, ...b]) expect(national.keys.has(k)).toBe(true);
  // the overview: the root recomputes from its leaves
  const o = (await call(s.url, 'GET', '/v1/regions')).body;
  expect(o.leaves).toHaveLength(BUILD_REGIONS.length + 2);
  const recomputed = merkleRoot(
    o.leaves.map((l: { region: number; n: number; hash: string }) => ({ ...l, hash: fromBase64url(l.hash, 32) })),
  );
  expect(toBase64url(recomputed)).toBe(o.root.hash);
  // the statistics count each key once, though it was published in three chains
  s.clock.advance(86400);
  const stats = (await call(s.url, 'GET', '/v1/stats')).body.days as { i: number; keys: number }[];
  const day1 = stats.find((d) => d.i === s.clock.today - 2 * ROLLING_PERIOD)!;
  expect(day1.keys).toBe(2); // a[0] and b[0] are of the same day
});

test('a lone traveller is held back until the next slot; three uploads are published at once, unpadded', async () => {
  const run0 = await s.services.publishing.publishAll(); // the slot of this new day
  expect(run0.regional.length).toBe(BUILD_REGIONS.length + 1);
  const before = (await list(LHASA)).head!.n;
  const lone = keysOf(14);
  expect((await upload(lone, [LHASA])).res.status).toBe(201);
  s.clock.advance(600);
  const run1 = await s.services.publishing.publishAll();
  expect(run1.regional.filter((h) => h.region === LHASA)).toEqual([]);
  expect((await list(LHASA)).head!.n).toBe(before);
  // more uploads (14 + 14 + 3 = 45 keys with the lone one's): the region publishes at the next run, real keys only
  for (const n of [14, 14, 3]) expect((await upload(keysOf(n), [LHASA])).res.status).toBe(201);
  s.clock.advance(600);
  const run2 = await s.services.publishing.publishAll();
  const made = run2.regional.filter((h) => h.region === LHASA);
  expect(made.map((h) => h.keyCount)).toEqual([45]);
  const now = await chainKeys(LHASA, before);
  for (const k of lone) expect(now.keys.has(k)).toBe(true);
  // one more lone key waits for the slot, where it is padded like every other region's
  expect((await upload(keysOf(1), [LHASA])).res.status).toBe(201);
  s.clock.advance(600);
  expect((await s.services.publishing.publishAll()).regional).toEqual([]);
  s.clock.advance(6 * 3600);
  const slot = await s.services.publishing.publishAll();
  expect(slot.regional).toHaveLength(BUILD_REGIONS.length + 1);
  expect([...new Set(slot.regional.map((h) => h.keyCount))]).toEqual([45]);
});

test('the root is signed again when it is HEAD_RESIGN_S old, over the same heads', async () => {
  const l1 = await list(SH);
  s.clock.advance(3600);
  expect(await s.services.publishing.resignHead()).not.toBeNull();
  s.services.regionDistribution.changed();
  const l2 = await list(SH);
  expect(l2.root!.signedAt).toBe(s.clock.now());
  expect(l2.root!.signedAt).toBeGreaterThan(l1.root!.signedAt);
  expect([l2.root!.hash, l2.head]).toEqual([l1.root!.hash, l1.head]);
  expect(verifyRoot(rootFromJson(l2.root!), pub)).toBe(true);
});

test('bad region lists are refused with the field named, and nothing is stored: the code still works', async () => {
  const token = await newToken(s);
  const code = await issueCode(s, token);
  const key = [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }];
  const cases: [unknown, number, string, string][] = [
    [SH, 400, 'invalid_type', 'regions'],
    [[SH, SZ, 110000, 120000, 130100, 130200, 130300, 130400, 130500], 400, 'too_many_regions', 'regions'],
    [[SH, 110101], 400, 'invalid_region', 'regions[1]'],
    [[SH, 320000], 400, 'invalid_region', 'regions[1]'],
    [[SH, SH], 400, 'invalid_region', 'regions[1]'],
    [[UNKNOWN_REGION], 400, 'invalid_region', 'regions[0]'],
    [['310000'], 400, 'invalid_type', 'regions[0]'],
  ];
  const pending = [await s.services.uploads.countPending(), await s.services.uploads.countPendingInRegions()];
  for (const [regions, status, errorCode, field] of cases) {
    const r = await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys: key, regions });
    expect([r.status, r.body.error.code, r.body.error.field]).toEqual([status, errorCode, field]);
  }
  expect([await s.services.uploads.countPending(), await s.services.uploads.countPendingInRegions()]).toEqual(pending);
  expect((await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys: key, regions: [SH] })).status).toBe(201);
});

test('the edges: unknown chains and batches are 404, `after` is strict, bodies are immutable, region 0 is the national chain', async () => {
  expect((await call(s.url, 'GET', '/v1/regions/320000/batches')).status).toBe(404);
  expect((await call(s.url, 'GET', '/v1/regions/abc/batches')).status).toBe(404);
  expect((await call(s.url, 'GET', '/v1/regions/0310000/batches')).status).toBe(404);
  expect((await call(s.url, 'GET', `/v1/regions/${SH}/batches?after=01`)).body.error.code).toBe('invalid_query');
  expect((await call(s.url, 'GET', `/v1/regions/${SH}/batches?since=1`)).body.error.code).toBe('invalid_query');
  expect((await call(s.url, 'GET', `/v1/regions/${SH}/batches/999`)).status).toBe(404);
  const body = await call(s.url, 'GET', `/v1/regions/${SH}/batches/1`);
  expect([body.status, body.headers.get('cache-control'), decodeBatch(new Uint8Array(body.raw)).region]).toEqual([
    200,
    'public, max-age=31536000, immutable',
    SH,
  ]);
  expect((await call(s.url, 'GET', `/v1/regions/${SH}/batches/1`, undefined, { 'if-none-match': body.headers.get('etag')! })).status).toBe(
    304,
  );
  expect((await call(s.url, 'GET', '/v1/regions/0/batches/1')).raw).toEqual((await call(s.url, 'GET', '/v1/batches/1')).raw);
  const l = await list(SH, 1);
  expect(l.batches.every((e) => e.n > 1 && e.n <= l.head!.n)).toBe(true);
  expect(l.bytesPerDay).toBeGreaterThanOrEqual(0);
});

test.each(DB_KINDS)(
  'on %s, with the national chain off, regional uploads stay out of it; uploads naming no region still reach it',
  async (kind) => {
    const off = await startTestServer(kind, { nationalChain: false });
    try {
      const token = await newToken(off);
      const yesterday = off.clock.today - ROLLING_PERIOD;
      const named = randomKey();
      const unnamed = randomKey();
      for (const [aemk, regions] of [
        [named, [SH]],
        [unnamed, undefined],
      ] as const) {
        const r = await call(off.url, 'POST', '/v1/diagnosis-keys', {
          code: await issueCode(off, token),
          keys: [{ aemk, i: yesterday }],
          regions,
        });
        expect(r.status).toBe(201);
      }
      const run = await off.services.publishing.publishAll();
      expect([run.national, run.regional.length]).toEqual([[1], BUILD_REGIONS.length + 1]);
      const l = (await call(off.url, 'GET', `/v1/regions/${SH}/batches`)).body as RegionBatchListResponse;
      expect(verifyRoot(rootFromJson(l.root!), fromBase64url((await call(off.url, 'GET', '/v1/public-key')).body.key, 32))).toBe(true);
      expect(l.batches.map((e) => e.keys)).toEqual([45]);
      const national = new Set<string>();
      const body = new Uint8Array((await call(off.url, 'GET', '/v1/batches/1')).raw);
      for (const d of decodeBatch(body).days) for (const k of d.keys) national.add(toBase64url(k));
      expect([national.has(named), national.has(unnamed)]).toEqual([false, true]);
    } finally {
      await off.stop();
    }
  },
);
