/**
 * The record of heads published (DATA_DIR/head.json) holds every region's chain (§15), not only the
 * national one: a database restored from an older copy that lacks a region's newest batch must not
 * publish that region's next batch again — a second batch with the same number, a fork every phone
 * following the region refuses. With NATIONAL_CHAIN=0 the national chain never moves, so only the
 * regions' record can notice.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLLING_PERIOD } from '../../shared/protocol/time';
import { ChainBroken, HeadRecordFile } from '../../server/domains/publishing/head-record';
import { DB_KINDS } from '../helpers/db';
import { call, issueCode, newToken, randomKey, startTestServer, type TestServer } from '../helpers/server';

const SH = 310000; // 上海市
const SLOT = 6 * 3600; // REGION_RELEASE_S's default

describe.each(DB_KINDS)('head.json and the regions’ chains on %s', (kind) => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  const headOf = async (region: number) =>
    ((await call(s!.url, 'GET', `/v1/regions/${region}/batches`)).body as { head: { n: number; hash: string } | null }).head;
  /** What the database holds of a chain: its batch numbers (the list answer follows the signed root). */
  const stored = async (region: number) =>
    ((await s!.database.ds.query(`SELECT n FROM region_batch WHERE region = ${region} ORDER BY n`)) as { n: number | string }[]).map((r) =>
      Number(r.n),
    );

  test('a database that lost a region’s newest batch: publishing refused, nothing published, until the batch is restored', async () => {
    s = await startTestServer(kind, { nationalChain: false });
    const code = await issueCode(s, await newToken(s));
    const up = await call(s.url, 'POST', '/v1/diagnosis-keys', {
      code,
      keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }],
      regions: [SH],
    });
    expect(up.status).toBe(201);
    await s.services.publishing.publishAll(); // a release slot: every region's batch 1, the key in 上海市's
    s.clock.advance(SLOT);
    await s.services.publishing.publishAll(); // the next slot: batch 2 everywhere
    expect((await headOf(SH))?.n).toBe(2);
    expect((await call(s.url, 'GET', '/v1/batches')).body.head).toBeNull(); // the national chain never moved

    // what the record says, read as a file
    const record = JSON.parse(readFileSync(join(s.db.dataDir, 'head.json'), 'utf8')) as {
      n?: number;
      regions: Record<string, { n: number }>;
    };
    expect([record.n, record.regions[String(SH)].n, record.regions['1'].n]).toEqual([undefined, 2, 2]);

    const backup: { region: number; head: { n: number; hash: string; signedAt: number; signature: string }; body: Uint8Array }[] = [];
    for await (const b of s.services.publishing.exportRegionBatches()) if (b.region === SH) backup.push(b);
    expect(backup.map((b) => b.head.n)).toEqual([1, 2]);

    // the database as an older copy has it: 上海市's chain ends at batch 1
    await s.database.ds.query(`DELETE FROM region_batch WHERE region = ${SH} AND n = 2`);
    await expect(s.services.publishing.checkChain()).rejects.toThrow(
      new RegExp(`lost published batches of region ${SH}: its chain ends at batch 1, but batch 2 was published`),
    );
    s.clock.advance(SLOT);
    await expect(s.services.publishing.publishAll()).rejects.toBeInstanceOf(ChainBroken);
    expect(await stored(SH)).toEqual([1]); // no second batch 2
    expect(await stored(1)).toEqual([1, 2]); // nor anything else: the run stopped before publishing

    // restored from the copy: the chain is whole again and publishing goes on from it
    const restored = await s.services.publishing.importBatches([], backup);
    expect(restored.regional).toMatchObject({ chains: 1, verified: 2, added: 1, present: 1 });
    await s.services.publishing.checkChain();
    await s.services.publishing.publishAll();
    expect(await stored(SH)).toEqual([1, 2, 3]);
    expect((await headOf(SH))?.n).toBe(3);
  });
});

describe('the file', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'prtc-head-'));

  test('a record written before regions existed is read; regions are added beside it and move only forward', () => {
    const d = dir();
    writeFileSync(join(d, 'head.json'), '{"n":3,"hash":"ab","signedAt":5}\n');
    const f = new HeadRecordFile(d);
    expect(f.read()).toEqual({ n: 3, hash: 'ab', signedAt: 5 });
    f.advanceRegions([
      { region: SH, n: 4, hash: 'cd' },
      { region: 1, n: 2, hash: 'ef' },
    ]);
    f.advanceRegions([{ region: SH, n: 3, hash: 'xx' }]); // never back
    expect(JSON.parse(readFileSync(join(d, 'head.json'), 'utf8'))).toEqual({
      n: 3,
      hash: 'ab',
      signedAt: 5,
      regions: { '1': { n: 2, hash: 'ef' }, [String(SH)]: { n: 4, hash: 'cd' } },
    });
    f.advance({ n: 4, hash: 'gh', signedAt: 6 }); // the national head keeps the regions
    expect(JSON.parse(readFileSync(join(d, 'head.json'), 'utf8')).regions[String(SH)]).toEqual({ n: 4, hash: 'cd' });
  });

  test.each([
    ['not JSON', '{"n":3,'],
    ['a region that is not a code', '{"regions":{"abc":{"n":1,"hash":"x"}}}'],
    ['a region without its number', '{"regions":{"310000":{"hash":"x"}}}'],
    ['a list for regions', '{"regions":[1]}'],
  ])('a damaged file (%s) stops the server, as a damaged national record does', (_what, text) => {
    const d = dir();
    writeFileSync(join(d, 'head.json'), text);
    expect(() => new HeadRecordFile(d).read()).toThrow(ChainBroken);
  });
});
