/**
 * `admin export-batches` / `import-batches` cover every chain (§9 and §15): a server publishes the
 * national chain and every region's, the operator exports, the database is lost, and the copy is
 * imported into an EMPTY database with the admin CLI as an operator runs it. The restarted server
 * then serves the same lists, heads and bodies byte for byte, and a root (verified here with the
 * public key and recomputed from the leaves) over the same heads. A tampered regional body, or a
 * region's heads filed under another region, is refused and stores nothing at all.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootFromJson } from '../../shared/api/heads';
import { fromBase64url, toBase64url } from '../../shared/protocol/codec';
import { merkleRoot, verifyRoot } from '../../shared/protocol/root';
import { ROLLING_PERIOD } from '../../shared/protocol/time';
import { BUILD_REGIONS, UNKNOWN_REGION } from '../../shared/regions';
import { openBackend } from '../../server/backend';
import { loadConfig } from '../../server/config';
import { startServer, type RunningServer } from '../../server/runtime';
import { DB_KINDS, freshDb, type TestDb } from '../helpers/db';
import { call, issueCode, newToken, randomKey, TestClock } from '../helpers/server';
import { adminAsync } from '../helpers/server-process';

const SH = 310000;
const SZ = 320500;

interface Snapshot {
  nationalList: Buffer;
  nationalBodies: Map<number, Buffer>;
  /** Per chain: its list without the root (re-signed at import), and every body. */
  regions: Map<number, { list: string; bodies: Map<number, Buffer> }>;
  leaves: { region: number; n: number; hash: string }[];
  rootHash: string;
}

async function snapshot(url: string): Promise<Snapshot> {
  const national = await call(url, 'GET', '/v1/batches?after=0');
  expect(national.status).toBe(200);
  const nationalBodies = new Map<number, Buffer>();
  for (const b of national.body.batches as { n: number }[]) nationalBodies.set(b.n, (await call(url, 'GET', `/v1/batches/${b.n}`)).raw);
  const overview = (await call(url, 'GET', '/v1/regions')).body;
  const pub = fromBase64url((await call(url, 'GET', '/v1/public-key')).body.key, 32);
  // the root verifies with the key and commits to exactly these leaves
  expect(verifyRoot(rootFromJson(overview.root), pub)).toBe(true);
  const recomputed = merkleRoot(
    overview.leaves.map((l: { region: number; n: number; hash: string }) => ({ ...l, hash: fromBase64url(l.hash, 32) })),
  );
  expect(toBase64url(recomputed)).toBe(overview.root.hash);
  const regions = new Map<number, { list: string; bodies: Map<number, Buffer> }>();
  for (const leaf of overview.leaves as { region: number }[]) {
    if (leaf.region === 0) continue;
    const l = await call(url, 'GET', `/v1/regions/${leaf.region}/batches?after=0`);
    expect(l.status).toBe(200);
    const bodies = new Map<number, Buffer>();
    for (const b of l.body.batches as { n: number }[])
      bodies.set(b.n, (await call(url, 'GET', `/v1/regions/${leaf.region}/batches/${b.n}`)).raw);
    const { root: _root, bytesPerDay: _bytes, ...rest } = l.body;
    regions.set(leaf.region, { list: JSON.stringify(rest), bodies });
  }
  return { nationalList: national.raw, nationalBodies, regions, leaves: overview.leaves, rootHash: overview.root.hash };
}

describe.each(DB_KINDS)('export and import of every chain (%s)', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'prtc-backup-'));
  const backup = join(dataDir, 'backup');
  const clock = new TestClock();
  const dbs: TestDb[] = [];
  let server: RunningServer | null = null;
  const start = async (db: TestDb) =>
    (server = await startServer(
      { port: 0, host: '127.0.0.1', dataDir, databaseUrl: db.url, batchIntervalS: 0, minBatchKeys: 0 },
      { clock, log: () => undefined, env: {}, drainMs: 50 },
    ));
  const fresh = async () => {
    const db = await freshDb(kind);
    dbs.push(db);
    return db;
  };
  const env = (db: TestDb) => ({ DATA_DIR: dataDir, DATABASE_URL: db.url });
  /** What a database holds, read back through the admin CLI's own export (works on both kinds). */
  const exportedCount = async (db: TestDb) => {
    const dir = mkdtempSync(join(tmpdir(), 'prtc-backup-check-'));
    const r = await adminAsync(env(db), 'export-batches', dir);
    rmSync(dir, { recursive: true, force: true });
    return r.stdout;
  };
  let before: Snapshot;

  afterAll(async () => {
    if (server) await server.close();
    for (const db of dbs) await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a server publishes the national chain and every region, two batches each, and exports them', async () => {
    const s = await start(await fresh());
    const upload = async (n: number, regions?: number[]) => {
      const code = await issueCode(s, await newToken(s));
      const keys = Array.from({ length: n }, (_, k) => ({ aemk: randomKey(), i: clock.today - ROLLING_PERIOD * (k + 1) }));
      const r = await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys, ...(regions ? { regions } : {}) });
      expect(r.status).toBe(201);
    };
    await upload(3, [SH, SZ]);
    await upload(2);
    const first = await s.services.publishing.publishAll();
    expect(first.national).toEqual([1]);
    expect(first.regional).toHaveLength(BUILD_REGIONS.length + 1);
    clock.advance(86400); // the next day's slot: every region's second batch
    await upload(4, [SZ]);
    const second = await s.services.publishing.publishAll();
    expect(second.national).toEqual([2]);
    expect(second.regional).toHaveLength(BUILD_REGIONS.length + 1);
    s.services.regionDistribution.changed();
    before = await snapshot(s.url);
    // every chain (the national one, region 1 and each region of the list) has two batches
    expect(before.leaves.map((l) => [l.region, l.n])).toEqual(
      [0, UNKNOWN_REGION, ...BUILD_REGIONS.map((r) => r.code)].sort((a, b) => a - b).map((r) => [r, 2]),
    );
    expect(before.regions.get(SH)!.bodies.size).toBe(2);
    await s.close();
    server = null;

    const r = await adminAsync(env(dbs[0]), 'export-batches', backup);
    expect(r.stderr).toBe('');
    // the documented layout: the national chain at the top, each region in regions/<code>/
    expect(readdirSync(backup).sort()).toEqual(['1.bin', '2.bin', 'heads.json', 'regions']);
    expect(readdirSync(join(backup, 'regions', String(SH))).sort()).toEqual(['1.bin', '2.bin', 'heads.json']);
    expect(readFileSync(join(backup, 'regions', String(SH), '2.bin'))).toEqual(before.regions.get(SH)!.bodies.get(2));
    expect(r.stdout).toMatch(
      `exported 2 batch(es) and ${2 * (BUILD_REGIONS.length + 1)} regional batch(es) of ${BUILD_REGIONS.length + 1} region(s)`,
    );
  }, 120000);

  test('a tampered regional body, or one region filed under another, is refused and nothing is stored', async () => {
    const db = await fresh();
    const tampered = join(dataDir, 'tampered');
    cpSync(backup, tampered, { recursive: true });
    const body = join(tampered, 'regions', String(SH), '2.bin');
    const bytes = readFileSync(body);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(body, bytes);
    const bad = await adminAsync(env(db), 'import-batches', tampered);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(new RegExp(`region ${SH}: batch 2: the body does not match its signed hash`));
    expect(await exportedCount(db)).toMatch(/^exported 0 batch\(es\) and 0 regional batch\(es\) of 0 region\(s\)/);

    const swapped = join(dataDir, 'swapped');
    cpSync(backup, swapped, { recursive: true });
    rmSync(join(swapped, 'regions', String(SH)), { recursive: true });
    cpSync(join(backup, 'regions', String(SZ)), join(swapped, 'regions', String(SH)), { recursive: true });
    const other = await adminAsync(env(db), 'import-batches', swapped);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(new RegExp(`region ${SH}: batch 1: the signature does not verify`));
    expect(await exportedCount(db)).toMatch(/^exported 0 batch\(es\) and 0 regional batch\(es\)/);
  }, 120000);

  test('imported into an empty database, every chain is served again byte for byte, under a root over the same heads', async () => {
    const db = dbs[1];
    const r = await adminAsync(env(db), 'import-batches', backup);
    expect(r.stderr).toBe('');
    const again = await adminAsync(env(db), 'import-batches', backup); // a second import finds everything there
    const s = await start(db);
    const after = await snapshot(s.url);
    expect(after.nationalList.equals(before.nationalList)).toBe(true);
    expect(after.nationalBodies).toEqual(before.nationalBodies);
    expect(after.leaves).toEqual(before.leaves);
    expect(after.rootHash).toBe(before.rootHash);
    expect([...after.regions.keys()]).toEqual([...before.regions.keys()]);
    for (const [region, chain] of before.regions) {
      expect(after.regions.get(region)!.list).toBe(chain.list);
      for (const [n, b] of chain.bodies) expect(after.regions.get(region)!.bodies.get(n)!.equals(b)).toBe(true);
    }
    const regional = 2 * (BUILD_REGIONS.length + 1);
    expect(r.stdout).toMatch(
      `verified 2 batch(es): 2 stored, 0 already there; ${BUILD_REGIONS.length + 1} region(s), ${regional} regional batch(es): ${regional} stored, 0 already there`,
    );
    expect(again.stdout).toMatch(`${regional} regional batch(es): 0 stored, ${regional} already there`);
  }, 120000);

  test('the database refusing one region’s rows part-way through an import stores no chain at all; without the fault, all of it', async () => {
    const db = await fresh();
    /** Runs SQL on the database, migrated by the back end the admin CLI opens (without its chain check: the database is empty). */
    const sql = async (text: string) => {
      const b = await openBackend({ ...loadConfig({}), dataDir, databaseUrl: db.url }, { clock, checkChain: false });
      try {
        await b.database.ds.query(text);
      } finally {
        await b.database.close();
      }
    };
    // a real refusal by the database, for 苏州市's rows only: by then the national chain and the
    // regions before it were written in the same import
    await sql(
      kind === 'sqlite'
        ? `CREATE TRIGGER region_refused BEFORE INSERT ON region_batch WHEN NEW.region = ${SZ} BEGIN SELECT RAISE(ABORT, 'region refused'); END`
        : `CREATE TRIGGER region_refused BEFORE INSERT ON region_batch FOR EACH ROW BEGIN IF NEW.region = ${SZ} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'region refused'; END IF; END`,
    );
    const refused = await adminAsync(env(db), 'import-batches', backup);
    expect(refused.code).not.toBe(0);
    expect(await exportedCount(db)).toMatch(/^exported 0 batch\(es\) and 0 regional batch\(es\) of 0 region\(s\)/);
    await sql('DROP TRIGGER region_refused');
    const r = await adminAsync(env(db), 'import-batches', backup);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const regional = 2 * (BUILD_REGIONS.length + 1);
    expect(await exportedCount(db)).toMatch(`exported 2 batch(es) and ${regional} regional batch(es)`);
  }, 120000);
});
