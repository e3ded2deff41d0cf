/**
 * The mini-program's other back end: the same device services talking to the built WeChat cloud
 * functions (dist/cloud-functions, invoked as wx.cloud.callFunction would) instead of HTTP. The
 * exposure story must come out the same.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SimWorld } from '../../testkit/world';
import { freshDb, MYSQL_AVAILABLE, type TestDb } from '../helpers/db';
import { platformEnv, sharedDeployment } from '../helpers/cloud-deploy';
import { makePhone, passMinutes, startPhones } from '../helpers/phones';
import { engineReasons } from '../helpers/status';
import { openBackend, type Backend } from '../../server/runtime';
import { loadConfig } from '../../server/config';

type Main = (event: unknown, context?: unknown) => Promise<any>;
const fns: Record<string, { main: Main; close(): Promise<void> }> = {};
let db: TestDb;
let admin: Backend;
const saved = { ...process.env };

/** A call as the platform makes it: its context variables set for the call (timer, or a mini-program user). */
async function asCaller<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

beforeAll(async () => {
  if (!MYSQL_AVAILABLE) return;
  const deployment = await sharedDeployment();
  db = await freshDb('mysql');
  Object.assign(process.env, {
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.url,
    SIGNING_KEY: randomBytes(32).toString('base64url'),
    CODE_PEPPER: randomBytes(32).toString('base64url'),
    MIN_BATCH_KEYS: '0',
  });
  jest.isolateModules(() => {
    // the phone reads its chains (§15: region 0 without a home region) through listRegionBatches/getRegionBatch
    for (const n of [
      'issueCode',
      'uploadKeys',
      'listBatches',
      'getBatch',
      'listRegionBatches',
      'getRegionBatch',
      'publicKey',
      'getConfig',
      'publish',
    ])
      fns[n] = require(join(deployment, n, 'index.js'));
  });
  admin = await openBackend(loadConfig(process.env)); // the operator's side: creates the clinic's token
}, 300000);
afterAll(async () => {
  for (const f of Object.values(fns)) await f.close();
  await admin?.database.close();
  process.env = saved;
  await db?.drop();
});

if (!MYSQL_AVAILABLE) process.stderr.write('cloud-backend.test: SKIPPED — cloud functions run on MySQL and none is reachable\n');

(MYSQL_AVAILABLE ? test : test.skip)(
  'phones on the cloud back end: upload through uploadKeys, publish by timer, sync through listRegionBatches/getRegionBatch → red',
  async () => {
    const calls: string[] = [];
    const cloud = async (name: string, data: Record<string, unknown>) => {
      calls.push(name);
      // what wx.cloud.callFunction adds: the caller's WeChat identity, which the functions must drop
      return asCaller(platformEnv({ kind: 'miniprogram', openId: 'o-caller' }), () =>
        fns[name].main({ ...data, userInfo: { appId: 'wxdemo', openId: 'o-caller' } }, {}),
      );
    };
    // the phones meet from 10:00 UTC on a day 20–44 h ago: their 30 minutes never straddle midnight
    // UTC (straddling splits the contact over two day keys, and reasons[0] holds only one part —
    // the test failed whenever it ran between 05:30 and 06:00 UTC)
    const DAY_MS = 86_400_000;
    const world = new SimWorld(Math.floor((Date.now() - 30 * 3600_000) / DAY_MS) * DAY_MS + 10 * 3600_000);
    const a = makePhone(world, 'A', '', { position: { x: 0, y: 0 }, cloud });
    const b = makePhone(world, 'B', '', { position: { x: 1, y: 0 }, cloud });
    await startPhones([a, b]);
    await passMinutes(world, [a, b], 30);
    for (const p of [a, b]) await p.device.stopTracing();
    world.advance(Date.now() - world.timeMs);

    const token = await admin.services.authority.createToken('clinic');
    const { code } = await fns.issueCode.main({ token });
    const up = await a.device.upload(code, [], false);
    expect(up.text).toMatch(/^Thank you/);
    expect((await a.device.upload(code, [], false)).text).toMatch(/already used/);
    expect((await fns.publish.main({ Type: 'timer', TriggerName: 'every10min' })).error.code).toBe('forbidden'); // not from the timer
    expect(await asCaller(platformEnv({ kind: 'timer' }), () => fns.publish.main({ Type: 'timer', TriggerName: 'every10min' }))).toEqual({
      published: [1],
    });

    expect((await b.device.runSync()).ok).toBe(true);
    expect(b.device.view.status).toBe('red');
    expect(b.device.view.reasons[0]).toMatchObject({ kind: 'bluetooth' });
    expect(engineReasons(b)[0].nearMinutes).toBeGreaterThanOrEqual(28);
    expect(new Set(calls)).toEqual(new Set(['uploadKeys', 'publicKey', 'getConfig', 'listRegionBatches', 'getRegionBatch']));
  },
);
