/**
 * §9: the server signs its current head again at least every HEAD_RESIGN_S seconds, also when
 * nothing is published — same n and hash, a newer signedAt, the same signed message — so a phone
 * that synced an hour ago carries a checkpoint a gate accepts (§8) on a day nobody uploads.
 * Signatures are checked with Node's own Ed25519, not the project's.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { DB_KINDS } from '../helpers/db';
import { call, startTestServer, uploadOneKeyAndPublish, type TestServer } from '../helpers/server';

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

/** UTF8("PrTC-HEAD") || LE32(n) || hash || LE32(signedAt), built here from the spec, not from the code. */
function headMessage(n: number, hash: Buffer, signedAt: number): Buffer {
  const le = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return b;
  };
  return Buffer.concat([Buffer.from('PrTC-HEAD', 'utf8'), le(n), hash, le(signedAt)]);
}

describe.each(DB_KINDS)('re-signing the head on %s', (kind) => {
  let s: TestServer;
  afterEach(async () => {
    await s?.stop();
  });

  test('an hour without uploads: same n and hash, newer signedAt, a valid signature; not before the hour', async () => {
    s = await startTestServer(kind, { headResignS: 3600 });
    const t0 = s.clock.now();
    expect((await uploadOneKeyAndPublish(s, t0)).published).toEqual([1]);
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519, Buffer.from((await call(s.url, 'GET', '/v1/public-key')).body.key, 'base64url')]),
      format: 'der',
      type: 'spki',
    });
    const first = (await call(s.url, 'GET', '/v1/batches?after=0')).body;
    expect(first.head).toMatchObject({ n: 1, signedAt: t0 });

    s.clock.advance(3599);
    expect(await s.services.publishing.resignHead()).toBeNull(); // not yet stale
    s.clock.advance(1);
    expect(await s.services.publishing.resignHead()).toBe(t0 + 3600);

    for (const after of [0, 1]) {
      const list = (await call(s.url, 'GET', `/v1/batches?after=${after}`)).body;
      expect(list.head.n).toBe(1);
      expect(list.head.hash).toBe(first.head.hash);
      expect(list.head.signedAt).toBe(t0 + 3600);
      const ok = nodeVerify(
        null,
        headMessage(1, Buffer.from(list.head.hash, 'base64url'), t0 + 3600),
        key,
        Buffer.from(list.head.signature, 'base64url'),
      );
      expect(ok).toBe(true);
    }
    // the batch entry carries the newest signature too; the body did not change
    const list = (await call(s.url, 'GET', '/v1/batches?after=0')).body;
    expect(list.batches[0]).toMatchObject({ n: 1, hash: first.head.hash, signedAt: t0 + 3600 });
    expect((await call(s.url, 'GET', '/v1/batches/1')).headers.get('etag')).toBe(
      `"${Buffer.from(first.head.hash, 'base64url').toString('hex')}"`,
    );
  });

  test('three days without an upload: the timer keeps the head signed within the hour', async () => {
    s = await startTestServer(kind, { headResignS: 3600 });
    expect((await uploadOneKeyAndPublish(s, s.clock.now())).published).toEqual([1]);
    for (let h = 0; h < 72; h++) {
      s.clock.advance(3600);
      await s.services.publishing.resignHead();
    }
    // 72 re-signs (head and root, §15) block the event loop in SQLite's synchronous commits for longer
    // than the 5-s keep-alive: let the loop see the server close the idle connection before reusing it
    await new Promise((resolve) => setTimeout(resolve, 100));
    const head = (await call(s.url, 'GET', '/v1/batches?after=1')).body.head;
    expect(s.clock.now() - head.signedAt).toBeLessThanOrEqual(3600);
  });
});
