/**
 * Bad input gets a clear JSON error with a stable code, never a stack trace, and changes nothing:
 * after every rejected request nothing is pending and the code is still unused.
 */
import { toBase64url } from '../../shared/protocol/codec';
import { ROLLING_PERIOD } from '../../shared/protocol/time';
import { randomBytes } from 'node:crypto';
import { codeFromRandom } from '../../shared/api/code';
import { DB_KINDS, MYSQL_AVAILABLE } from '../helpers/db';
import { call, issueCode, newToken, randomKey, startTestServer, type TestServer } from '../helpers/server';

describe.each(DB_KINDS)('bad input on %s', (kind) => {
  let s: TestServer;
  let token: string;
  let code: string;
  beforeAll(async () => {
    s = await startTestServer(kind);
    token = await newToken(s);
    code = await issueCode(s, token);
  });
  afterAll(async () => {
    await s?.stop();
  });

  const key = (d = 1) => ({ aemk: randomKey(), i: s.clock.today - d * ROLLING_PERIOD });
  const lid = toBase64url(new Uint8Array(32).fill(1));

  type Case = [string, () => { body?: unknown; headers?: Record<string, string> }, number, string];
  const cases: Case[] = [
    ['malformed JSON', () => ({ body: '{"code": "ABCDE-', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json'],
    ['no body', () => ({ headers: { 'content-type': 'application/json' } }), 400, 'malformed_json'],
    ['wrong content type', () => ({ body: 'code=1', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
    ['array body', () => ({ body: [] }), 400, 'invalid_type'],
    ['unknown top-level field', () => ({ body: { code, keys: [key()], phone: '138' } }), 400, 'unknown_field'],
    ['unknown key field', () => ({ body: { code, keys: [{ ...key(), rssi: 1 }] } }), 400, 'unknown_field'],
    ['keys not an array', () => ({ body: { code, keys: 'x' } }), 400, 'invalid_type'],
    ['keys missing', () => ({ body: { code } }), 400, 'missing_field'],
    ['no keys', () => ({ body: { code, keys: [] } }), 400, 'no_keys'],
    ['16 keys', () => ({ body: { code, keys: Array.from({ length: 16 }, (_, d) => key(d)) } }), 400, 'too_many_keys'],
    ['duplicate day', () => ({ body: { code, keys: [key(1), key(1)] } }), 400, 'duplicate_day'],
    [
      '31-byte key',
      () => ({ body: { code, keys: [{ aemk: toBase64url(new Uint8Array(31)), i: s.clock.today }] } }),
      400,
      'invalid_key_length',
    ],
    ['key not base64url', () => ({ body: { code, keys: [{ aemk: 'not base64!', i: s.clock.today }] } }), 400, 'invalid_base64url'],
    ['i not aligned', () => ({ body: { code, keys: [{ aemk: randomKey(), i: s.clock.today + 1 }] } }), 400, 'invalid_interval'],
    ['i as a string', () => ({ body: { code, keys: [{ aemk: randomKey(), i: String(s.clock.today) }] } }), 400, 'invalid_type'],
    ['i negative', () => ({ body: { code, keys: [{ aemk: randomKey(), i: -144 }] } }), 400, 'invalid_type'],
    ['key older than retention', () => ({ body: { code, keys: [key(15)] } }), 400, 'key_too_old'],
    ['key in the future', () => ({ body: { code, keys: [key(-1)] } }), 400, 'key_in_future'],
    ['period not 144', () => ({ body: { code, keys: [{ ...key(), period: 100 }] } }), 400, 'invalid_value'],
    [
      '21 check-ins in a day',
      () => ({
        body: {
          code,
          keys: [key()],
          checkins: Array.from({ length: 21 }, (_, k) => ({
            locationIdHash: lid,
            startEnin: s.clock.today - 144 + k,
            endEnin: s.clock.today - 143 + k,
          })),
        },
      }),
      400,
      'too_many_checkins',
    ],
    [
      'check-in across midnight',
      () => ({
        body: { code, keys: [key()], checkins: [{ locationIdHash: lid, startEnin: s.clock.today - 2, endEnin: s.clock.today + 2 }] },
      }),
      400,
      'invalid_checkin',
    ],
    [
      'check-in ends before it starts',
      () => ({
        body: { code, keys: [key()], checkins: [{ locationIdHash: lid, startEnin: s.clock.today - 2, endEnin: s.clock.today - 3 }] },
      }),
      400,
      'invalid_checkin',
    ],
    [
      'check-in hash of 16 bytes',
      () => ({
        body: {
          code,
          keys: [key()],
          checkins: [{ locationIdHash: toBase64url(new Uint8Array(16)), startEnin: s.clock.today - 3, endEnin: s.clock.today - 2 }],
        },
      }),
      400,
      'invalid_length',
    ],
    ['code of the wrong shape', () => ({ body: { code: 'hello', keys: [key()] } }), 400, 'invalid_code_format'],
    ['code missing', () => ({ body: { keys: [key()] } }), 400, 'missing_field'],
    ['code a number', () => ({ body: { code: 1234567890, keys: [key()] } }), 400, 'invalid_type'],
    ['padding not a string', () => ({ body: { code, keys: [key()], padding: 5 } }), 400, 'invalid_type'],
    ['oversize body', () => ({ body: { code, keys: [key()], padding: 'x'.repeat(70000) } }), 413, 'payload_too_large'],
    ['unknown code', () => ({ body: { code: 'ZZZZZ-ZZZZZ', keys: [key()] } }), 403, 'code_unknown'],
  ];

  test.each(cases)('%s → %i %s, nothing stored', async (_name, make, status, errCode) => {
    const { body, headers } = make();
    const r = await call(s.url, 'POST', '/v1/diagnosis-keys', body, headers);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(errCode);
    expect(typeof r.body.error.message).toBe('string');
    expect(Object.keys(r.body)).toEqual(['error']);
    expect(r.raw.toString()).not.toMatch(/\s+at\s.+:\d+:\d+|node_modules|\.ts\b/);
    expect(await s.services.uploads.countPending()).toEqual({ keys: 0, warnings: 0 });
  });

  test('after all that, the code was never used up', async () => {
    const r = await call(s.url, 'POST', '/v1/diagnosis-keys', { code: code.toLowerCase().replace('-', ' '), keys: [key()] });
    expect(r.status).toBe(201);
    const again = await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys: [key()] });
    expect(again.body.error.code).toBe('code_used');
  });

  test('expired code', async () => {
    const c = await issueCode(s, token);
    s.clock.advance(3601);
    const r = await call(s.url, 'POST', '/v1/diagnosis-keys', { code: c, keys: [key()] });
    s.clock.advance(-3601);
    expect([r.status, r.body.error.code]).toEqual([403, 'code_expired']);
  });

  test('authority tokens: missing, wrong, revoked; unknown fields', async () => {
    const post = (h: Record<string, string>, body?: unknown) => call(s.url, 'POST', '/v1/authority/codes', body, h);
    expect((await post({})).body.error.code).toBe('missing_token');
    expect((await post({ authorization: 'Bearer prtc_nope' })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${token}` }, { count: 5 })).body.error.code).toBe('unknown_field');
    const t2 = await newToken(s, 'to-revoke');
    expect((await post({ authorization: `Bearer ${t2}` })).status).toBe(201);
    expect(await s.services.authority.revokeToken('to-revoke')).toEqual({ voided: 1 });
    const r = await post({ authorization: `Bearer ${t2}` });
    expect([r.status, r.body.error.code]).toEqual([401, 'invalid_token']);
  });

  test('queries and routes', async () => {
    for (const q of ['?after=-1', '?after=abc', '?after=1.5', '?limit=3', '?after=1&after=2']) {
      const r = await call(s.url, 'GET', `/v1/batches${q}`);
      expect([q, r.status, r.body.error.code]).toEqual([q, 400, 'invalid_query']);
    }
    expect((await call(s.url, 'PUT', '/v1/diagnosis-keys', {})).status).toBe(405);
    expect((await call(s.url, 'GET', '/v1/nothing')).status).toBe(404);
  });

  test('access log lines carry no IP address or user agent', async () => {
    await call(s.url, 'GET', '/healthz', undefined, { 'user-agent': 'SecretPhone/1.0', 'x-forwarded-for': '203.0.113.7' });
    const text = s.logs.join('\n');
    expect(text).toMatch(/GET \/healthz 200/);
    expect(text).not.toMatch(/127\.0\.0\.1|::1|203\.0\.113\.7|SecretPhone|ffff:/);
  });
});

describe.each(DB_KINDS)('fake uploads and brute force on %s', (kind) => {
  let s: TestServer;
  afterEach(async () => {
    await s?.stop();
  });

  test('X-Fake: 1 validates like a real upload, answers alike, stores nothing and leaves the code unused', async () => {
    s = await startTestServer(kind);
    const code = await issueCode(s, await newToken(s));
    const body = { code, keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }] };
    const fake = await call(s.url, 'POST', '/v1/diagnosis-keys', body, { 'x-fake': '1' });
    expect([fake.status, fake.body]).toEqual([201, { accepted: 1 }]);
    expect(await s.services.uploads.countPending()).toEqual({ keys: 0, warnings: 0 });
    const badFake = await call(s.url, 'POST', '/v1/diagnosis-keys', { ...body, keys: [] }, { 'x-fake': '1' });
    expect(badFake.body.error.code).toBe('no_keys');
    const real = await call(s.url, 'POST', '/v1/diagnosis-keys', body);
    expect([real.status, real.body]).toEqual([201, { accepted: 1 }]);
    expect(await s.services.uploads.countPending()).toEqual({ keys: 1, warnings: 0 });
  });

  test('nobody can lock out the holder of a valid code: thousands of wrong codes, then the right one succeeds', async () => {
    s = await startTestServer(kind);
    const good = await issueCode(s, await newToken(s));
    const body = (code: string) => ({ code, keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }] });
    const wrong = () => codeFromRandom(new Uint8Array(randomBytes(7))); // 2^50 values: never the good one
    let refused = 0;
    for (let k = 0; k < 2000; k += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => call(s.url, 'POST', '/v1/diagnosis-keys', body(wrong()))));
      refused += batch.filter((r) => r.status === 403 && r.body.error.code === 'code_unknown').length;
    }
    expect(refused).toBe(2000);
    expect(await s.services.uploads.wrongCodes(60)).toBe(2000); // counted for the alarm (in the database)
    const mine = await call(s.url, 'POST', '/v1/diagnosis-keys', body(good));
    expect([mine.status, mine.body]).toEqual([201, { accepted: 1 }]);
  }, 120000); // 2,000 requests, each held as long as a real upload (§10 fake uploads): 30 s was too short under load
});

(MYSQL_AVAILABLE ? test : test.skip)(
  'a new instance draws fake-upload durations from what other instances measured (shared in the database)',
  async () => {
    const a = await startTestServer('mysql');
    const { startServer } = await import('../../server/runtime');
    try {
      const token = await newToken(a);
      for (let k = 0; k < 12; k++) {
        const code = await issueCode(a, token);
        const r = await call(a.url, 'POST', '/v1/diagnosis-keys', {
          code,
          keys: [{ aemk: randomKey(), i: a.clock.today - ROLLING_PERIOD }],
        });
        expect(r.status).toBe(201);
      }
      await a.services.uploads.shareTimings();
      // a second instance on the same database, with its own process state: nothing measured yet
      const b = await startServer(
        { port: 0, host: '127.0.0.1', dataDir: a.db.dataDir, databaseUrl: a.db.url, batchIntervalS: 0 },
        { clock: a.clock, log: null, env: {}, drainMs: 50 },
      );
      try {
        expect(b.services.uploads.fakeTimingSamples()).toBe(0);
        const fake = await call(
          b.url,
          'POST',
          '/v1/diagnosis-keys',
          { code: 'ZZZZZ-ZZZZZ', keys: [{ aemk: randomKey(), i: a.clock.today - ROLLING_PERIOD }] },
          { 'x-fake': '1' },
        );
        expect(fake.status).toBe(201);
        // 12 durations in random slots of 256 (two may share one): every stored one, none made up
        const rows = (await a.database.read((m) => m.query('SELECT COUNT(*) AS n FROM upload_timing'))) as { n: number | string }[];
        expect(Number(rows[0].n)).toBeGreaterThan(0);
        expect(b.services.uploads.fakeTimingSamples()).toBe(Number(rows[0].n));
      } finally {
        await b.close();
      }
    } finally {
      await a.stop();
    }
  },
);
