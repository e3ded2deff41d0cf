/**
 * Sync is atomic and idempotent (issue 12): for every storage write a sync makes, the phone is
 * "killed" right after it (every later write is lost, as when the process dies), restarted on what
 * was stored, and synced again. Its status — colour, reasons, minutes — must equal the status of an
 * uninterrupted run. Losing or restoring any one stored item, and matching every batch twice, must
 * not change it either.
 */
import { SimPhone } from '../../testkit/handset';
import { SimWorld } from '../../testkit/world';
import { createDevice } from '../../miniprogram/device';
import { fetchTransport, makePhone, passMinutes, startPhones, type Phone } from '../helpers/phones';
import { issueCode, newToken, startTestServer, uploadOneKeyAndPublish, type TestServer } from '../helpers/server';

let server: TestServer;
let world: SimWorld;
let victim: Phone;
let reference: { status: string; reasons: unknown[] };
let stored: Map<string, string>;

beforeAll(async () => {
  world = new SimWorld(Date.UTC(2026, 10, 20, 9, 0, 0));
  server = await startTestServer('sqlite', { minBatchKeys: 5 }, { now: () => Math.floor(world.timeMs / 1000) } as never);
  // A sits next to V for 12 minutes (near: yellow) and C 9 m away for 30 (medium); both test positive
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const c = makePhone(world, 'C', server.url, { position: { x: 9, y: 0 } });
  victim = makePhone(world, 'V', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, c, victim]);
  await passMinutes(world, [a, c, victim], 12);
  a.sim.position = { x: 500, y: 500 };
  await passMinutes(world, [a, c, victim], 18);
  for (const p of [a, c, victim]) await p.device.stopTracing();
  world.advance(26 * 3600_000);
  // several batches: an unrelated one, A's, another unrelated one, C's
  expect((await uploadOneKeyAndPublish(server, world.timeMs / 1000)).published).toEqual([1]);
  expect((await a.device.upload(await issueCode(server, await newToken(server)), [], false)).ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([2]);
  expect((await uploadOneKeyAndPublish(server, world.timeMs / 1000)).published).toEqual([3]);
  expect((await c.device.upload(await issueCode(server, await newToken(server)), [], false)).ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([4]);
  stored = new Map(victim.sim.store); // V before its first sync
  expect((await victim.device.runSync()).ok).toBe(true);
  reference = { status: victim.device.view.status, reasons: victim.device.view.reasons };
});
afterAll(async () => {
  await server.stop();
});

/** A phone V restarted on `store` (its storage as the killed process left it). */
async function restart(store: Map<string, string>, killAfterWrites = Infinity) {
  const phone = new SimPhone(world, { name: `V-${Math.random()}`, transport: fetchTransport(), position: { x: 9999, y: 9999 } });
  for (const [k, v] of store) phone.store.set(k, v);
  let writes = 0;
  const set = phone.wx.setStorageSync;
  // the process dies after `killAfterWrites` writes: nothing it writes later reaches the storage
  phone.wx.setStorageSync = (k: string, v: unknown) => {
    if (++writes > killAfterWrites) throw Object.assign(new Error('killed'), { errMsg: 'setStorageSync:fail killed' });
    set(k, v);
  };
  const device = createDevice(phone.host, { backend: 'http', serverUrl: server.url, publicKey: '' });
  await device.start();
  return { phone, device, writes: () => writes };
}

test('the reference: two diagnosed contacts make V red, each reason counted once', () => {
  expect(reference.status).toBe('red');
  expect(reference.reasons.length).toBe(2);
});

test('a kill after any write of a sync, then a restart and a sync, gives the status of an uninterrupted run', async () => {
  const clean = await restart(stored);
  const before = clean.writes();
  expect((await clean.device.runSync()).ok).toBe(true);
  const total = clean.writes() - before;
  expect(total).toBeGreaterThanOrEqual(5); // config, encounter days, one record per batch, lastSyncAt
  for (let k = 0; k < total; k++) {
    const killed = await restart(stored, before + k);
    await killed.device.runSync(); // dies after the sync's k-th write
    const store = new Map(killed.phone.store);
    const again = await restart(store);
    expect((await again.device.runSync()).ok).toBe(true);
    expect({ k, status: again.device.view.status, reasons: again.device.view.reasons }).toEqual({ k, ...reference });
  }
});

test('losing or restoring any one stored item, or syncing twice, does not change the status', async () => {
  const synced = new Map(victim.sim.store);
  for (const key of [...synced.keys()].filter((k) => k !== 'prtc.tek')) {
    // lost: the item is gone after the sync, the phone restarts and syncs again
    const lost = new Map(synced);
    lost.delete(key);
    const a = await restart(lost);
    expect((await a.device.runSync()).ok).toBe(true);
    expect({ key, status: a.device.view.status, reasons: a.device.view.reasons }).toEqual({ key, ...reference });
    // restored: an old copy (from before the sync) of the item comes back
    const restored = new Map(synced);
    if (stored.has(key)) restored.set(key, stored.get(key)!);
    else restored.delete(key);
    const b = await restart(restored);
    expect((await b.device.runSync()).ok).toBe(true);
    expect({ key, status: b.device.view.status, reasons: b.device.view.reasons }).toEqual({ key, ...reference });
  }
  const twice = await restart(synced);
  expect((await twice.device.runSync()).ok).toBe(true);
  expect((await twice.device.runSync()).ok).toBe(true);
  expect({ status: twice.device.view.status, reasons: twice.device.view.reasons }).toEqual(reference);
});
