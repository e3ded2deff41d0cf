/**
 * A quiet season: no upload for longer than the 14-day retention. Batches older than that are
 * deleted, but a chain's newest batch is what every phone's checkpoint (§8) and the server's own
 * record of its head (DATA_DIR/head.json) hold on to: deleting it would make the next batch number 1
 * again with a zero prevHash — a fork every phone refuses — and the record would stop the server
 * from publishing at all. The chain is read back over HTTP and checked with Node's SHA-256.
 */
import { createHash } from 'node:crypto';
import { ROLLING_PERIOD } from '../../shared/protocol/time';
import { DB_KINDS } from '../helpers/db';
import { call, issueCode, newToken, randomKey, startTestServer, type TestServer } from '../helpers/server';

const DAY = 86400;
/**
 * Each request on a connection of its own: the runs of publishing and retention below keep this
 * process busy for many seconds, and a kept-alive connection left idle over them can be closed by
 * the server's idle timer just as fetch sends on it again (ECONNRESET; seen on CI).
 */
const CLOSE = { connection: 'close' };

/** Body layout (§9): magic 8 bytes, then (region 4 for B002/B003), n uint32 LE, prevHash 32 bytes. */
function nAndPrev(body: Buffer): { n: number; prev: string } {
  const magic = body.subarray(0, 8).toString('latin1');
  const at = magic === 'PrTCB001' ? 8 : 12;
  return { n: body.readUInt32LE(at), prev: body.subarray(at + 4, at + 36).toString('hex') };
}

describe.each(DB_KINDS)('a chain through a quiet fortnight on %s', (kind) => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  async function uploadOne(server: TestServer) {
    const code = await issueCode(server, await newToken(server));
    const up = await call(
      server.url,
      'POST',
      '/v1/diagnosis-keys',
      { code, keys: [{ aemk: randomKey(), i: server.clock.today - ROLLING_PERIOD }] },
      CLOSE,
    );
    expect(up.status).toBe(201);
  }

  /** A chain as a phone reads it: the national one (`/v1/batches`) or a region's (§15). */
  async function chain(server: TestServer, base = '/v1/batches') {
    const list = (await call(server.url, 'GET', base, undefined, CLOSE)).body as { batches: { n: number; hash: string }[] };
    const out: { n: number; hash: string; sha: string; prev: string; bodyN: number }[] = [];
    for (const b of list.batches) {
      const raw = (await call(server.url, 'GET', `${base}/${b.n}`, undefined, CLOSE)).raw;
      const { n, prev } = nAndPrev(raw);
      out.push({
        n: b.n,
        hash: Buffer.from(b.hash, 'base64url').toString('hex'),
        sha: createHash('sha256').update(raw).digest('hex'),
        prev,
        bodyN: n,
      });
    }
    return out;
  }

  test('published by hand, then 16 days without a publish: retention keeps the newest batch, the next one follows it', async () => {
    s = await startTestServer(kind);
    await uploadOne(s);
    expect(await s.services.publishing.publish()).toEqual([1]);
    const [first] = await chain(s);
    // the first run released a slot: every region's chain has its batch 1 too (padding, or the key)
    const regional = ['/v1/regions/1/batches', '/v1/regions/310000/batches'];
    const regionFirst = await Promise.all(regional.map((b) => chain(s!, b)));
    expect(regionFirst.map((c) => c.map((b) => b.n))).toEqual([[1], [1]]);
    s.clock.advance(16 * DAY);
    await s.services.maintenance.retention();
    const kept = await chain(s);
    expect(kept.map((b) => b.n)).toEqual([1]); // the head stays, though its keys are past retention
    for (const b of regional) expect((await chain(s, b)).map((x) => x.n)).toEqual([1]);

    await uploadOne(s);
    s.clock.advance(DAY); // out of embargo
    expect(await s.services.publishing.publish()).toEqual([2]);
    await s.services.publishing.checkChain(); // what a restart checks: the record and the database agree
    const after = await chain(s);
    expect(after.map((b) => [b.n, b.bodyN, b.prev])).toEqual([
      [1, 1, '0'.repeat(64)],
      [2, 2, first.sha],
    ]);
    // the regions' chains go on from their kept heads at the next release slot, never from zero
    for (const [k, b] of regional.entries()) {
      const c = await chain(s, b);
      expect(c.map((x) => [x.n, x.bodyN, x.prev])).toEqual([
        [1, 1, '0'.repeat(64)],
        [2, 2, regionFirst[k][0].sha],
      ]);
    }
  });

  test('with the publisher running: a batch of padding only before the newest is 14 days old, then the old one goes', async () => {
    s = await startTestServer(kind, { minBatchKeys: 20 });
    await uploadOne(s);
    expect(await s.services.publishing.publish()).toEqual([1]);
    const [first] = await chain(s);
    for (let day = 1; day <= 16; day++) {
      s.clock.advance(DAY);
      await s.services.publishing.publishAll();
      await s.services.maintenance.retention();
    }
    const now = await chain(s);
    // batch 1 (16 days old) is gone; batch 2 was made on day 13, from batch 1, never from zero
    expect(now.map((b) => [b.n, b.prev, b.sha])).toEqual([[2, first.sha, now[0].hash]]);
    const body2 = (await call(s.url, 'GET', '/v1/batches/2', undefined, CLOSE)).raw;
    // §9 layout: createdAt at 44, dayCount at 48, then per day i, keyCount, keys; warnings after
    expect(body2.readUInt32LE(44)).toBe(s.clock.now() - 3 * DAY);
    let at = 52 - 4;
    let keys = 0;
    const days = body2.readUInt32LE(at);
    at += 4;
    for (let d = 0; d < days; d++) {
      const count = body2.readUInt32LE(at + 4);
      keys += count;
      at += 8 + 32 * count;
    }
    expect([keys, body2.readUInt32LE(at), at + 4]).toEqual([20, 0, body2.length]); // MIN_BATCH_KEYS of padding, no warning
    await uploadOne(s);
    s.clock.advance(DAY);
    expect(await s.services.publishing.publish()).toEqual([3]);
    await s.services.publishing.checkChain();
  });
});
