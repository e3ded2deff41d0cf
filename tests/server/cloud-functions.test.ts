/**
 * The cloud functions as deployed (copied out and installed: tests/helpers/cloud-deploy.ts), loaded
 * side by side with the Koa server on the same MySQL database and secrets: every answer, errors
 * included, must be what the HTTP API answers for the same request. (Cloud functions run on MySQL
 * only: instances share no disk.)
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { MYSQL_AVAILABLE } from '../helpers/db';
import { NAMES, platformEnv, sharedDeployment } from '../helpers/cloud-deploy';
import { call, newToken, startTestServer, type TestServer } from '../helpers/server';
import { dayInterval, enin, ROLLING_PERIOD } from '../../shared/protocol/time';

type Main = (event: unknown, context?: unknown) => Promise<any>;

/** Runs `fn` with the platform's variables of a timer invocation set, as the cloud sets them per call. */
async function asTimer<T>(fn: () => Promise<T>): Promise<T> {
  const env = platformEnv({ kind: 'timer' });
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

(MYSQL_AVAILABLE ? describe : describe.skip)('cloud functions on mysql', () => {
  const kind = 'mysql';
  let server: TestServer;
  const fn: Record<string, Main> = {};
  const mods: Record<string, { main: Main; close: () => Promise<void> }> = {};
  const saved = { ...process.env };

  beforeAll(async () => {
    const deployment = await sharedDeployment();
    const secrets = { signingKey: randomBytes(32).toString('base64url'), codePepper: randomBytes(32).toString('base64url') };
    server = await startTestServer(kind, { minBatchKeys: 0, ...secrets }, { now: () => Math.floor(Date.now() / 1000) } as never);
    Object.assign(process.env, {
      DATABASE_URL: server.db.url,
      SIGNING_KEY: secrets.signingKey,
      CODE_PEPPER: secrets.codePepper,
      MIN_BATCH_KEYS: '0',
    });
    jest.isolateModules(() => {
      for (const name of NAMES) mods[name] = require(join(deployment, name, 'index.js'));
    });
    for (const name of NAMES) fn[name] = mods[name].main;
  }, 300000);
  afterAll(async () => {
    for (const name of NAMES) await mods[name]?.close();
    process.env = saved;
    await server?.stop();
  });

  const yesterday = () => dayInterval(enin(Date.now() / 1000)) - ROLLING_PERIOD;
  const key = () => randomBytes(32).toString('base64url');

  test('publicKey, getConfig and listBatches answer exactly what the HTTP API answers', async () => {
    expect(await fn.publicKey({})).toEqual((await call(server.url, 'GET', '/v1/public-key')).body);
    expect(await fn.getConfig({})).toEqual((await call(server.url, 'GET', '/v1/config')).body);
    // version 2 of §6 (serial, advice) as `?v=2` answers it; any other version is refused
    expect(await fn.getConfig({ v: 2 })).toEqual((await call(server.url, 'GET', '/v1/config?v=2')).body);
    expect((await fn.getConfig({ v: '2' })).error.code).toBe('invalid_value');
    expect(await fn.listBatches({ after: 0 })).toEqual((await call(server.url, 'GET', '/v1/batches?after=0')).body);
  });

  test('issue a code, upload, publish, list and fetch the batch: the same data as over HTTP', async () => {
    const token = await newToken(server);
    const issued = await fn.issueCode({ token, userInfo: { appId: 'wx123', openId: 'o-SECRET-OPENID' } });
    expect(issued.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const keys = [
      { aemk: key(), i: yesterday() },
      { aemk: key(), i: yesterday() - ROLLING_PERIOD },
    ];
    const up = await fn.uploadKeys({ code: issued.code, keys, userInfo: { appId: 'wx123', openId: 'o-SECRET-OPENID' } });
    expect(up).toEqual({ accepted: 2 });
    expect(await fn.uploadKeys({ code: issued.code, keys })).toEqual(
      (await call(server.url, 'POST', '/v1/diagnosis-keys', { code: issued.code, keys })).body,
    );
    expect((await fn.uploadKeys({ code: issued.code, keys })).error.code).toBe('code_used');

    expect(await asTimer(() => fn.publish({ Type: 'timer', TriggerName: 'every10min', Time: new Date().toISOString() }))).toEqual({
      published: [1],
    });
    // each function is its own instance (as deployed); others see a new head within the 1 s head cache
    await new Promise((r) => setTimeout(r, 1100));
    const list = await fn.listBatches({ after: '0' });
    expect(list.batches.map((b: { n: number; keys: number }) => [b.n, b.keys])).toEqual([[1, 2]]);
    expect(list).toEqual((await call(server.url, 'GET', '/v1/batches?after=0')).body);
    const http = await call(server.url, 'GET', '/v1/batches/1');
    const got = await fn.getBatch({ n: 1 });
    expect(Buffer.from(got.body, 'base64url')).toEqual(http.raw);
    expect(got.etag).toBe(http.headers.get('etag'));
    expect(await asTimer(() => fn.retention({}))).toEqual({ deleted: expect.any(Object) });
  });

  const badUploads: [string, unknown][] = [
    ['no fields', {}],
    ['keys not an array', { code: 'ABCDE-12345', keys: 'x' }],
    ['a key of the wrong length', { code: 'ABCDE-12345', keys: [{ aemk: 'AAAA', i: 2955456 }] }],
    ['an unknown field', { code: 'ABCDE-12345', keys: [], extra: 1 }],
    ['a badly formed code', { code: '!!', keys: [{ aemk: randomBytes(32).toString('base64url'), i: 2955456 }] }],
    ['an unknown code', { code: 'ABCDE-12345', keys: [{ aemk: randomBytes(32).toString('base64url'), i: 2955456 }] }],
    [
      'too many keys',
      { code: 'ABCDE-12345', keys: Array.from({ length: 40 }, () => ({ aemk: randomBytes(32).toString('base64url'), i: 2955456 })) },
    ],
  ];
  test.each(badUploads)("uploadKeys with %s: the HTTP API's error, nothing stored", async (_what, body) => {
    const before = (await call(server.url, 'GET', '/v1/stats')).body;
    const cloud = await fn.uploadKeys(body);
    const http = await call(server.url, 'POST', '/v1/diagnosis-keys', body);
    expect(http.status).toBeGreaterThanOrEqual(400);
    expect(cloud).toEqual(http.body);
    expect(Object.keys(cloud)).toEqual(['error']);
    expect((await call(server.url, 'GET', '/v1/stats')).body).toEqual(before);
  });

  test("issueCode without a token, with a wrong token or an unknown field: the HTTP API's errors", async () => {
    const http = await call(server.url, 'POST', '/v1/authority/codes');
    expect(await fn.issueCode({})).toEqual(http.body);
    const wrong = await call(server.url, 'POST', '/v1/authority/codes', undefined, { authorization: 'Bearer nope' });
    expect(await fn.issueCode({ token: 'nope' })).toEqual(wrong.body);
    expect((await fn.issueCode({ token: await newToken(server), lifetime: 5 })).error.code).toBe('unknown_field');
  });

  test('bad queries and events: clear errors, never a stack trace', async () => {
    expect(await fn.listBatches({ after: -1 })).toEqual((await call(server.url, 'GET', '/v1/batches?after=-1')).body);
    expect(await fn.listBatches({ after: { $gt: 0 } })).toEqual((await call(server.url, 'GET', '/v1/batches?after=x')).body);
    expect(await fn.listBatches({ page: 2 })).toMatchObject({ error: { code: 'unknown_field' } });
    expect(await fn.getBatch({ n: 999 })).toEqual((await call(server.url, 'GET', '/v1/batches/999')).body);
    expect(await fn.getBatch({ n: 'abc' })).toEqual((await call(server.url, 'GET', '/v1/batches/abc')).body);
    expect(await fn.getBatch({})).toMatchObject({ error: { code: 'not_found' } });
    expect(await fn.uploadKeys('not an object')).toMatchObject({ error: { code: 'invalid_type' } });
    expect(await fn.uploadKeys({ fake: 'yes', code: 'x', keys: [] })).toMatchObject({ error: { code: 'invalid_type', field: 'fake' } });
    for (const r of [await fn.uploadKeys([1, 2]), await fn.getBatch({ n: null })]) expect(JSON.stringify(r)).not.toMatch(/at .*\.js:\d+/);
  });
});
