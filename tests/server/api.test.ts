/**
 * The HTTP API of §10 over real HTTP on loopback, on SQLite and (when reachable) MariaDB.
 */
import { batchHash, decodeBatch, verifyBatch, type Checkpoint } from '../../shared/protocol/batch';
import { headFromJson } from '../../shared/api/heads';
import { fromBase64url, toBase64url, toHex } from '../../shared/protocol/codec';
import { configMessage, verify } from '../../shared/protocol/signing';
import { parseRiskConfig, DEFAULT_RISK_CONFIG } from '../../shared/risk/config';
import { ROLLING_PERIOD } from '../../shared/protocol/time';
import { DB_KINDS } from '../helpers/db';
import { call, issueCode, newToken, randomKey, startTestServer, type TestServer } from '../helpers/server';

describe.each(DB_KINDS)('HTTP API on %s', (kind) => {
  let s: TestServer;
  afterEach(async () => {
    await s?.stop();
  });

  async function pendingCount() {
    return s.services.uploads.countPending();
  }

  test('authority → code → upload → publish → download → verify signature and chain, with the embargo', async () => {
    s = await startTestServer(kind);
    const token = await newToken(s);
    const code = await issueCode(s, token);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const today = s.clock.today;
    const keys = [0, 1, 2, 13].map((d) => ({ aemk: randomKey(), i: today - d * ROLLING_PERIOD }));
    const lid = toBase64url(new Uint8Array(32).fill(9));
    const up = await call(s.url, 'POST', '/v1/diagnosis-keys', {
      code,
      keys,
      checkins: [{ locationIdHash: lid, startEnin: today - 100, endEnin: today - 94 }],
    });
    expect(up.status).toBe(201);
    expect(up.body).toEqual({ accepted: 4 });
    expect(await s.services.publishing.publish()).toEqual([1]);

    const pk = await call(s.url, 'GET', '/v1/public-key');
    expect(pk.body.alg).toBe('Ed25519');
    const publicKey = fromBase64url(pk.body.key, 32);
    const list = await call(s.url, 'GET', '/v1/batches?after=0');
    expect(list.body.batches).toHaveLength(1);
    expect(list.body.head.n).toBe(1);
    const head1 = headFromJson(list.body.batches[0]);
    const body1 = await call(s.url, 'GET', '/v1/batches/1');
    expect(body1.headers.get('content-type')).toBe('application/octet-stream');
    expect(body1.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const b1 = verifyBatch(new Uint8Array(body1.raw), head1, null, publicKey);
    const published = b1.days.flatMap((d) => d.keys.map((k) => `${d.i}:${toBase64url(k)}`));
    // today's key is embargoed; the others are out
    expect(published.sort()).toEqual(
      keys
        .filter((k) => k.i !== today)
        .map((k) => `${k.i}:${k.aemk}`)
        .sort(),
    );
    expect(b1.warnings).toEqual([{ locationIdHash: new Uint8Array(32).fill(9), startEnin: today - 100, endEnin: today - 94 }]);

    // the next day, today's key is published in batch 2, linked to batch 1
    s.clock.advance(86400);
    expect(await s.services.publishing.publish()).toEqual([2]);
    const list2 = await call(s.url, 'GET', '/v1/batches?after=1');
    expect(list2.body.batches.map((b: { n: number }) => b.n)).toEqual([2]);
    const head2 = headFromJson(list2.body.batches[0]);
    const body2 = await call(s.url, 'GET', '/v1/batches/2');
    const b2 = verifyBatch(new Uint8Array(body2.raw), head2, head1, publicKey);
    expect(b2.days).toHaveLength(1);
    expect(b2.days[0].i).toBe(today);
    expect(toBase64url(b2.days[0].keys[0])).toBe(keys[0].aemk);
    expect(await s.services.publishing.publish()).toEqual([]);

    // a client that skipped batch 1, or got an altered body, is told so
    expect(() => verifyBatch(new Uint8Array(body2.raw), head2, { ...head1, hash: new Uint8Array(32) }, publicKey)).toThrow(/does not link/);
    const altered = new Uint8Array(body2.raw);
    altered[altered.length - 5] ^= 1;
    expect(() => verifyBatch(altered, head2, head1, publicKey)).toThrow(/does not match its signed hash/);
    const forged: Checkpoint = { ...head2, signedAt: head2.signedAt + 1 };
    expect(() => verifyBatch(new Uint8Array(body2.raw), forged, head1, publicKey)).toThrow(/signature/);

    // statistics count real keys per day, never padding — rounded down to tens, ended days only (§10)
    const stats = await call(s.url, 'GET', '/v1/stats');
    expect(stats.body.days.map((d: { keys: number }) => d.keys)).toEqual([0, 0, 0, 0]);
    expect(stats.body.days.map((d: { i: number }) => d.i)).toEqual([
      today - 13 * ROLLING_PERIOD,
      today - 2 * ROLLING_PERIOD,
      today - ROLLING_PERIOD,
      today,
    ]);
  });

  test('a retry with the same uploadId is accepted again and stores nothing twice; any other second use is code_used', async () => {
    s = await startTestServer(kind);
    const code = await issueCode(s, await newToken(s));
    const body = {
      code,
      keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }],
      uploadId: toBase64url(new Uint8Array(16).fill(7)),
    };
    const first = await call(s.url, 'POST', '/v1/diagnosis-keys', body);
    const retry = await call(s.url, 'POST', '/v1/diagnosis-keys', body);
    expect([first.status, first.body, retry.status, retry.body]).toEqual([201, { accepted: 1 }, 201, { accepted: 1 }]);
    expect(await pendingCount()).toEqual({ keys: 1, warnings: 0 });
    const otherId = await call(s.url, 'POST', '/v1/diagnosis-keys', { ...body, uploadId: toBase64url(new Uint8Array(16).fill(8)) });
    const noId = await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys: body.keys });
    expect([otherId.body.error.code, noId.body.error.code]).toEqual(['code_used', 'code_used']);
    expect(await pendingCount()).toEqual({ keys: 1, warnings: 0 });
  });

  test('one code, 12 concurrent uploads: exactly one succeeds and only its keys are stored', async () => {
    s = await startTestServer(kind);
    const code = await issueCode(s, await newToken(s));
    const today = s.clock.today;
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        call(s.url, 'POST', '/v1/diagnosis-keys', {
          code,
          keys: [
            { aemk: randomKey(), i: today - ROLLING_PERIOD },
            { aemk: randomKey(), i: today - 2 * ROLLING_PERIOD },
          ],
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 403)).toHaveLength(11);
    for (const r of results.filter((x) => x.status === 403)) expect(r.body.error.code).toBe('code_used');
    expect(await pendingCount()).toEqual({ keys: 2, warnings: 0 });
  });

  test('a small batch is padded with fake keys that statistics do not count; body ≤ 33 bytes per key', async () => {
    s = await startTestServer(kind, { minBatchKeys: 50 });
    const code = await issueCode(s, await newToken(s));
    await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }] });
    await s.services.publishing.publish();
    const list = await call(s.url, 'GET', '/v1/batches');
    expect(list.body.batches[0].keys).toBe(50);
    const body = await call(s.url, 'GET', '/v1/batches/1');
    const b = decodeBatch(new Uint8Array(body.raw));
    expect(b.keyCount).toBe(50);
    expect(body.raw.length / 50).toBeLessThanOrEqual(33 + 60 / 50 + (8 * 15) / 50);
    const stats = await call(s.url, 'GET', '/v1/stats');
    // one real key among 50: the statistics round down to tens and say 0, as the padding intends
    expect(stats.body.days).toEqual([{ i: s.clock.today - ROLLING_PERIOD, date: '2026-11-22', keys: 0 }]);
  });

  test('statistics: real keys per ended day, rounded down to a multiple of STATS_GRANULARITY', async () => {
    s = await startTestServer(kind, { minBatchKeys: 100 });
    const token = await newToken(s);
    for (let k = 0; k < 23; k++) {
      const code = await issueCode(s, token);
      const up = await call(s.url, 'POST', '/v1/diagnosis-keys', {
        code,
        keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }],
      });
      expect(up.status).toBe(201);
    }
    await s.services.publishing.publish();
    expect((await call(s.url, 'GET', '/v1/batches')).body.batches[0].keys).toBe(100);
    expect((await call(s.url, 'GET', '/v1/stats')).body.days).toEqual([
      { i: s.clock.today - ROLLING_PERIOD, date: '2026-11-22', keys: 20 },
    ]);
  });

  test('batch bodies: ETag and 304, unknown batch 404, immutable once written', async () => {
    s = await startTestServer(kind);
    const code = await issueCode(s, await newToken(s));
    await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }] });
    await s.services.publishing.publish();
    const r = await call(s.url, 'GET', '/v1/batches/1');
    const etag = r.headers.get('etag')!;
    expect(etag).toBe(`"${toHex(batchHash(new Uint8Array(r.raw)))}"`);
    const again = await call(s.url, 'GET', '/v1/batches/1', undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    for (const p of ['/v1/batches/2', '/v1/batches/0', '/v1/batches/abc', '/v1/batches/99999999999']) {
      const nf = await call(s.url, 'GET', p);
      expect(nf.status).toBe(404);
      expect(nf.body.error.code).toBe('not_found');
    }
    const code2 = await issueCode(s, await s.services.authority.createToken('other'));
    await call(s.url, 'POST', '/v1/diagnosis-keys', { code: code2, keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }] });
    await s.services.publishing.publish();
    expect((await call(s.url, 'GET', '/v1/batches/1')).raw.equals(r.raw)).toBe(true);
  });

  test('retention deletes batches, keys, codes and statistics older than 14 days', async () => {
    s = await startTestServer(kind);
    const token = await newToken(s);
    const code = await issueCode(s, token);
    await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }] });
    await s.services.publishing.publish();
    await issueCode(s, token); // an unused code that will expire
    s.clock.advance(10 * 86400);
    // codes stay 14 days past their expiry (the portal's statistics count them), batches 14 days
    expect(await s.services.maintenance.retention()).toMatchObject({ batches: 0, codes: 0 });
    expect((await call(s.url, 'GET', '/v1/batches')).body.batches).toHaveLength(1);
    // a second batch on day 10: the chain's newest, which retention keeps whatever its age (§9)
    const later = await issueCode(s, token);
    await call(s.url, 'POST', '/v1/diagnosis-keys', { code: later, keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }] });
    await s.services.publishing.publish();
    s.clock.advance(6 * 86400);
    expect(await s.services.maintenance.retention()).toMatchObject({ batches: 1, dayStats: 1, codes: 2 }); // the used code and the unused one
    expect((await call(s.url, 'GET', '/v1/batches')).body.batches.map((b: { n: number }) => b.n)).toEqual([2]);
    expect((await call(s.url, 'GET', '/v1/stats')).body.days).toHaveLength(1); // day 9's key; day −1's count is gone
  });

  test('signed risk configuration, health and readiness', async () => {
    s = await startTestServer(kind);
    const pk = fromBase64url((await call(s.url, 'GET', '/v1/public-key')).body.key, 32);
    const c = await call(s.url, 'GET', '/v1/config');
    expect(verify(fromBase64url(c.body.signature, 64), configMessage(c.body.configJson), pk)).toBe(true);
    expect(parseRiskConfig(c.body.configJson)).toEqual(DEFAULT_RISK_CONFIG);
    expect(verify(fromBase64url(c.body.signature, 64), configMessage(c.body.configJson.replace('15', '16')), pk)).toBe(false);
    expect((await call(s.url, 'GET', '/healthz')).body).toEqual({ ok: true });
    expect((await call(s.url, 'GET', '/readyz')).status).toBe(200);
  });
});
