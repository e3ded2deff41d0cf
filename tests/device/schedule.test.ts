/**
 * The phone syncs by itself (issue 12): at launch, on show when the last sync is an hour old, every
 * three hours while open, with backoff after failures — and, with the server signing its head again
 * every hour (§9), a phone left open on days nobody uploads carries a health code gates accept (§8).
 * Time passes with the phone's JavaScript running (`world.run`); the server's clock is the world's.
 */
import { SimWorld } from '../../testkit/world';
import { verifyHealthCode } from '../../shared/protocol/healthcode';
import { fromBase64url } from '../../shared/protocol/codec';
import { makePhone, type Phone } from '../helpers/phones';
import { startTestServer, uploadOneKeyAndPublish, type TestServer } from '../helpers/server';

let server: TestServer;
let world: SimWorld;
const HOUR = 3600_000;

beforeEach(async () => {
  world = new SimWorld(Date.UTC(2026, 10, 20, 9, 0, 0));
  server = await startTestServer('sqlite', { headResignS: 3600 }, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

/** A phone whose syncs (real HTTP on loopback) finish before the next of its timers fires. */
function phone(name = 'P'): Phone {
  const p = makePhone(world, name, server.url);
  world.settle = async () => {
    await new Promise((r) => setImmediate(r));
    await p.device.whenIdle();
  };
  return p;
}

/** Time passes with the phone open, hour by hour, the server's re-signing timer running too. */
async function hours(p: Phone, n: number, resign = true) {
  for (let h = 0; h < n; h++) {
    await world.run(HOUR);
    if (resign) await server.services.publishing.resignHead();
    await p.device.whenIdle();
  }
}

async function publicKey(): Promise<Uint8Array> {
  return fromBase64url(((await (await fetch(`${server.url}/v1/public-key`)).json()) as { key: string }).key, 32);
}

test('three days without an upload: a phone left open shows a code that a gate accepts', async () => {
  expect((await uploadOneKeyAndPublish(server, world.timeMs / 1000)).published).toEqual([1]);
  const p = phone();
  await p.device.start();
  await world.run(1000); // the launch sync
  await p.device.whenIdle();
  expect(p.device.view.lastSyncAt).not.toBeNull();
  await hours(p, 72);
  const now = p.device.nowS();
  expect(now - p.device.view.lastSyncAt!).toBeLessThanOrEqual(3 * 3600); // it synced by itself
  const verdict = verifyHealthCode(p.device.healthCode()!, await publicKey(), now);
  expect(verdict).toMatchObject({ valid: true, reasons: [] });
  expect(p.device.view.expiresSoon).toBe(false);
  expect(p.device.view.acceptedUntil! - now).toBeGreaterThan(20 * 3600);
});

test('without the server signing again, the same phone is refused after a day, and is told before that', async () => {
  expect((await uploadOneKeyAndPublish(server, world.timeMs / 1000)).published).toEqual([1]);
  const p = phone();
  await p.device.start();
  await world.run(1000);
  await p.device.whenIdle();
  await hours(p, 21, false);
  expect(p.device.view.expiresSoon).toBe(true); // fewer than 4 hours left: the home page asks for a sync
  await hours(p, 51, false);
  const verdict = verifyHealthCode(p.device.healthCode()!, await publicKey(), p.device.nowS());
  expect(verdict.reasons.map((r) => r.code)).toEqual(['sync_too_old']);
});

test('launch, show and every three hours while open; not more often', async () => {
  const p = phone();
  const requests: string[] = [];
  p.sim.wx.request = ((orig) => (o: Parameters<typeof orig>[0]) => {
    if (o.url.includes('/batches?')) requests.push(new Date(world.timeMs).toISOString().slice(11, 16));
    return orig(o);
  })(p.sim.wx.request);
  await p.device.start();
  await world.run(1000);
  await p.device.whenIdle();
  expect(requests).toEqual(['09:00']); // at launch
  await hours(p, 6, false);
  expect(requests).toEqual(['09:00', '12:00', '15:00']); // every three hours while open
  p.sim.hide();
  await world.run(30 * 60_000);
  p.sim.show();
  await world.run(1000);
  await p.device.whenIdle();
  expect(requests).toHaveLength(3); // back after 30 min: the last sync is only 30 min old
  p.sim.hide();
  await world.run(2 * HOUR);
  p.sim.show();
  await world.run(1000);
  await p.device.whenIdle();
  expect(requests).toHaveLength(4); // back after two hours: synced on show
});

test('a failed sync is tried again after 1, 2, 4 … minutes, as the message promises', async () => {
  const p = phone();
  const attempts: number[] = [];
  const t0 = world.timeMs;
  p.sim.wx.request = ((orig) => (o: Parameters<typeof orig>[0]) => {
    attempts.push(Math.round((world.timeMs - t0) / 60_000));
    return orig(o);
  })(p.sim.wx.request);
  p.sim.networkUp = false;
  await p.device.start();
  for (let m = 0; m < 8; m++) {
    await world.run(60_000);
    await p.device.whenIdle();
  }
  // each attempt retries its first request 4 times within seconds (1 + 2 + 4 s of backoff)
  expect([...new Set(attempts)]).toEqual([0, 1, 3, 7]);
  expect(p.device.view.message?.text).toMatch(/cannot be reached/);
  expect(p.device.view.nextRetryAt).not.toBeNull();
  p.sim.networkUp = true;
  await world.run(8 * 60_000);
  await p.device.whenIdle();
  expect(p.device.view.lastSyncAt).not.toBeNull();
  expect(p.device.view.message).toBeNull();
  expect(p.device.view.nextRetryAt).toBeNull();
});
