/**
 * The built cloud functions (dist/cloud-functions/<name>/index.js, as deployed) invoked directly,
 * on SQLite and MariaDB, side by side with the Koa server on the same database and signing key:
 * every answer, errors included, must be what the HTTP API answers for the same request.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DB_KINDS } from '../helpers/db';
import { call, newToken, startTestServer, type TestServer } from '../helpers/server';
import { dayInterval, enin, ROLLING_PERIOD } from '../../shared/protocol/time';

const BUILT = join(__dirname, '../../dist/cloud-functions');
const NAMES = ['issueCode', 'uploadKeys', 'listBatches', 'getBatch', 'publicKey', 'getConfig', 'publish', 'retention'];
type Main = (event: unknown, context?: unknown) => Promise<any>;

test('build:cloud made one self-contained folder per function, with its triggers', () => {
  for (const name of NAMES) {
    const dir = join(BUILT, name);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'index.js', 'package.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('index.js');
    expect(Object.keys(pkg.dependencies)).toEqual([]);
    const src = readFileSync(join(dir, 'index.js'), 'utf8');
    // nothing from the repository is required at run time: only Node built-ins and the optional native SQLite driver
    const requires = [...src.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((r) => r.startsWith('.') || r.startsWith('/'));
    expect(requires).toEqual([]);
  }
  expect(JSON.parse(readFileSync(join(BUILT, 'publish/config.json'), 'utf8')).triggers).toEqual([
    { name: 'every10min', type: 'timer', config: '0 */10 * * * * *' },
  ]);
  expect(JSON.parse(readFileSync(join(BUILT, 'retention/config.json'), 'utf8')).triggers[0].type).toBe('timer');
});

describe.each(DB_KINDS)('cloud functions on %s', (kind) => {
  let server: TestServer;
  const fn: Record<string, Main & { close?: () => Promise<void> }> = {};
  const mods: Record<string, { main: Main; close: () => Promise<void> }> = {};
  const saved = { ...process.env };

  beforeAll(async () => {
    if (!existsSync(join(BUILT, 'publicKey/index.js'))) throw new Error('dist/cloud-functions is missing: run `npm run build:cloud` first');
    server = await startTestServer(kind, { minBatchKeys: 0 }, { now: () => Math.floor(Date.now() / 1000) } as never);
    Object.assign(process.env, { DATA_DIR: server.db.dataDir, DATABASE_URL: server.db.url, MIN_BATCH_KEYS: '0' });
    jest.isolateModules(() => {
      for (const name of NAMES) mods[name] = require(join(BUILT, name, 'index.js'));
    });
    for (const name of NAMES) fn[name] = mods[name].main;
  });
  afterAll(async () => {
    for (const name of NAMES) await mods[name]?.close();
    process.env = saved;
    await server.stop();
  });

  const yesterday = () => dayInterval(enin(Date.now() / 1000)) - ROLLING_PERIOD;
  const key = () => randomBytes(32).toString('base64url');

  test('publicKey, getConfig and listBatches answer exactly what the HTTP API answers', async () => {
    expect(await fn.publicKey({})).toEqual((await call(server.url, 'GET', '/v1/public-key')).body);
    expect(await fn.getConfig({})).toEqual((await call(server.url, 'GET', '/v1/config')).body);
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

    expect(await fn.publish({ Type: 'Timer', TriggerName: 'every10min', Time: new Date().toISOString() })).toEqual({ published: [1] });
    // each function is its own instance (as deployed); others see a new head within the 1 s head cache
    await new Promise((r) => setTimeout(r, 1100));
    const list = await fn.listBatches({ after: '0' });
    expect(list.batches.map((b: { n: number; keys: number }) => [b.n, b.keys])).toEqual([[1, 2]]);
    expect(list).toEqual((await call(server.url, 'GET', '/v1/batches?after=0')).body);
    const http = await call(server.url, 'GET', '/v1/batches/1');
    const got = await fn.getBatch({ n: 1 });
    expect(Buffer.from(got.body, 'base64url')).toEqual(http.raw);
    expect(got.etag).toBe(http.headers.get('etag'));
    expect(await fn.retention({})).toEqual({ deleted: expect.any(Object) });

    // the WeChat account id that came with the events is stored nowhere
    if (kind === 'sqlite') {
      for (const f of readdirSync(server.db.dataDir))
        expect(readFileSync(join(server.db.dataDir, f)).includes('o-SECRET-OPENID')).toBe(false);
    }
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
