/**
 * The history a phone keeps for its user: every exposure found — also one too far to count — every
 * sync and every upload; 14 days, deleted with everything else.
 */
import { SimWorld } from '../../testkit/world';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { makePhone, passMinutes, startPhones } from '../helpers/phones';

let server: TestServer;
let world: SimWorld;

beforeEach(async () => {
  world = new SimWorld(Date.UTC(2026, 10, 20, 9, 0, 0));
  server = await startTestServer('sqlite', { minBatchKeys: 0 }, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

test('a far exposure that does not count is still in the history; syncs and uploads too; 14 days; gone with "delete all"', async () => {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const far = makePhone(world, 'far', server.url, { position: { x: 25, y: 0 } }); // -78 dBm: the far band, weight 0
  await startPhones([a, far]);
  await passMinutes(world, [a, far], 20);
  for (const p of [a, far]) await p.device.stopTracing();
  world.advance(26 * 3600_000);
  const code = await issueCode(server, await newToken(server));
  expect((await a.device.upload(code, [], false)).ok).toBe(true);
  await server.services.publishing.publish();
  expect((await far.device.runSync()).ok).toBe(true);

  expect(far.device.view.status).toBe('green'); // nothing counts …
  const h = far.device.history();
  expect(h.exposures).toHaveLength(1); // … but the exposure is shown
  // as coarse as a reason: the day, the part of the day (09:00–09:20 UTC, this test's zone), a band, how far
  expect(h.exposures[0]).toEqual({
    kind: 'bluetooth',
    on: { y: 2026, m: 11, d: 20, weekday: 5 },
    parts: ['morning'],
    band: '10to30', // 18–20 minutes
    closeness: 'far',
    counts: false,
  });
  // the check: one list, the keys it published (A's key of 20 Nov; 21 Nov's waits for the day to end), one matched here
  expect(h.syncs[0]).toEqual({ at: far.device.nowS(), ok: true, batches: 1, keys: 1, matchedKeys: 1, matchedVenues: 0 });
  expect(h.uploads).toEqual([]);
  const ah = a.device.history();
  expect(ah.uploads).toHaveLength(1);
  expect(ah.uploads[0]).toMatchObject({ keys: 2, checkins: 0 });

  // a failed sync is recorded with why
  far.sim.networkUp = false;
  expect((await far.device.runSync()).ok).toBe(false);
  expect(far.device.history().syncs[0]).toMatchObject({ ok: false, why: 'network' });
  far.sim.networkUp = true;

  // 15 days later the sync entries of the first day are gone (the tick runs daily retention)
  world.advance(15 * 86400_000);
  await far.device.tick();
  expect(far.device.history().syncs).toEqual([]);
  expect(far.device.history().exposures).toEqual([]);

  // "delete all" takes the history with it
  await a.device.reset();
  expect(a.device.history()).toEqual({ exposures: [], syncs: [], uploads: [] });
});
