/**
 * The mini-program's other back end: the same device services talking to the built WeChat cloud
 * functions (dist/cloud-functions, invoked as wx.cloud.callFunction would) instead of HTTP. The
 * exposure story must come out the same.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SimWorld } from '../../miniprogram/host/simulated/world';
import { freshDb, type TestDb } from '../helpers/db';
import { makePhone, passMinutes, startPhones } from '../helpers/phones';
import { openBackend, type Backend } from '../../server/runtime';
import { loadConfig } from '../../server/config';

const BUILT = join(__dirname, '../../dist/cloud-functions');
type Main = (event: unknown, context?: unknown) => Promise<any>;
const fns: Record<string, { main: Main; close(): Promise<void> }> = {};
let db: TestDb;
let admin: Backend;
const saved = { ...process.env };

beforeAll(async () => {
  if (!existsSync(join(BUILT, 'uploadKeys/index.js'))) throw new Error('dist/cloud-functions is missing: run `npm run build:cloud` first');
  db = await freshDb('sqlite');
  Object.assign(process.env, { DATA_DIR: db.dataDir, DATABASE_URL: db.url, MIN_BATCH_KEYS: '0' });
  jest.isolateModules(() => {
    for (const n of ['issueCode', 'uploadKeys', 'listBatches', 'getBatch', 'publicKey', 'getConfig', 'publish'])
      fns[n] = require(join(BUILT, n, 'index.js'));
  });
  admin = await openBackend(loadConfig(process.env)); // the operator's side: creates the clinic's token
});
afterAll(async () => {
  for (const f of Object.values(fns)) await f.close();
  await admin.database.close();
  process.env = saved;
  await db.drop();
});

test('phones on the cloud back end: upload through uploadKeys, publish by timer, sync through listBatches/getBatch → red', async () => {
  const calls: string[] = [];
  const cloud = async (name: string, data: Record<string, unknown>) => {
    calls.push(name);
    // what wx.cloud.callFunction adds: the caller's WeChat identity, which the functions must drop
    return fns[name].main({ ...data, userInfo: { appId: 'wxdemo', openId: 'o-caller' } }, {});
  };
  const world = new SimWorld(Date.now() - 30 * 3600_000);
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
  expect(await fns.publish.main({ Type: 'Timer', TriggerName: 'every10min' })).toEqual({ published: [1] });

  expect(await b.device.runSync()).toBe(true);
  expect(b.device.view.status).toBe('red');
  expect(b.device.view.reasons[0]).toMatchObject({ kind: 'bluetooth' });
  expect(b.device.view.reasons[0].nearMinutes).toBeGreaterThanOrEqual(28);
  expect(new Set(calls)).toEqual(new Set(['uploadKeys', 'publicKey', 'getConfig', 'listBatches', 'getBatch']));
});
