/**
 * The exposure story across simulated phones sharing one radio, against a real server on loopback:
 * meeting, diagnosis, upload with a real code, publish, sync with verification, and the status
 * computed on each phone.
 */
import { SimWorld } from '../../testkit/world';
import { decodeHealthCode, verifyHealthCode } from '../../shared/protocol/healthcode';
import { fromBase64url } from '../../shared/protocol/codec';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { makePhone, passMinutes, startPhones, type Phone } from '../helpers/phones';
import { engineReasons } from '../helpers/status';

let server: TestServer;
let world: SimWorld;
const clockFromWorld = () => ({ t: 0, now: () => Math.floor(world.timeMs / 1000), advance() {}, today: 0 });

beforeEach(async () => {
  world = new SimWorld(Date.UTC(2026, 10, 20, 9, 0, 0));
  server = await startTestServer('sqlite', { minBatchKeys: 20 }, clockFromWorld() as never);
});
afterEach(async () => {
  await server.stop();
});

async function diagnose(p: Phone, leaveOut: number[] = []) {
  const code = await issueCode(server, await newToken(server));
  return p.device.upload(code, leaveOut, false);
}

test('near for 30 min → red, medium distance for 20 min → yellow, far or never → green; the diagnosed phone is red', async () => {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const near = makePhone(world, 'near', server.url, { position: { x: 1, y: 0 }, platform: 'ios' });
  const medium = makePhone(world, 'medium', server.url, { position: { x: 0, y: 8 } });
  const far = makePhone(world, 'far', server.url, { position: { x: 25, y: 0 } });
  const never = makePhone(world, 'never', server.url, { position: { x: 500, y: 500 } });
  const all = [a, near, medium, far, never];
  await startPhones(all);
  await passMinutes(world, all, 20);
  medium.sim.position = { x: 400, y: 0 }; // leaves after 20 minutes
  await passMinutes(world, all, 10);
  for (const p of all) await p.device.stopTracing();
  expect(near.device.encounters.count()).toBeGreaterThanOrEqual(3); // A's rpis plus the others in range

  // the next day, A tests positive and uploads; the server publishes (yesterday's key is out of embargo)
  world.advance(26 * 3600_000);
  const r = await diagnose(a);
  expect(r.ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([1]);
  expect(a.device.view.status).toBe('red');
  expect(a.device.view.reasons[0].kind).toBe('self');

  for (const p of [near, medium, far, never]) expect((await p.device.runSync()).ok).toBe(true);
  expect(near.device.view.status).toBe('red');
  const reason = engineReasons(near).find((x) => x.kind === 'bluetooth')!;
  expect(reason.date).toBe('2026-11-20');
  expect(reason.nearMinutes).toBeGreaterThanOrEqual(28);
  // what the user reads: the day and its weekday, the part of the day (09:00–09:30 UTC, the zone
  // this test runs in), a band instead of minutes, and how close
  expect(near.device.view.reasons.find((x) => x.kind === 'bluetooth')).toEqual({
    kind: 'bluetooth',
    level: 'red',
    on: { y: 2026, m: 11, d: 20, weekday: 5 },
    parts: ['morning'],
    band: reason.nearMinutes! + reason.mediumMinutes! < 30 ? '10to30' : '30to60',
    closeness: 'near',
    // a phone without a home region follows the national chain (§15), which the reason names
    region: 0,
    regionName: 'all of China',
    until: Date.UTC(2026, 11, 5) / 1000, // counts through 20 Nov + 14 days
  });
  expect(medium.device.view.status).toBe('yellow');
  const mr = engineReasons(medium)[0];
  expect(mr.mediumMinutes).toBeGreaterThanOrEqual(18);
  expect(mr.weightedMinutes).toBeLessThan(15);
  expect(medium.device.view.reasons[0]).toMatchObject({ level: 'yellow', band: '10to30', closeness: 'medium', parts: ['morning'] });
  expect(far.device.view.status).toBe('green');
  expect(never.device.view.status).toBe('green');
  expect(never.device.encounters.count()).toBe(0);

  // the health code carries the verified checkpoint, and a gate accepts it
  const pk = fromBase64url((await (await fetch(server.url + '/v1/public-key')).json()).key, 32);
  const hc = near.device.healthCode()!;
  expect(decodeHealthCode(hc).status).toBe('red');
  expect(verifyHealthCode(hc, pk, near.device.nowS()).valid).toBe(true);

  // exposures age out after 14 days
  world.advance(15 * 86400_000);
  await near.device.runSync();
  expect(near.device.view.status).toBe('green');
});

test('a wrong or used code changes nothing; keys rotate only after a successful upload', async () => {
  const a = makePhone(world, 'A', server.url);
  await startPhones([a], false);
  const tekBefore = a.sim.store.get('prtc.tek');
  const bad = await a.device.upload('ZZZZZ-ZZZZZ', [], false);
  expect(bad).toEqual({ ok: false, code: 'code_unknown', text: 'This code is not known. Check it and try again.' });
  expect((await a.device.upload('hello', [], false)).text).toMatch(/10 letters and digits/);
  a.sim.networkUp = false; // no promise of a retry that never comes: the user uploads again
  expect(await a.device.upload('ZZZZZ-ZZZZZ', [], false)).toEqual({
    ok: false,
    code: 'network',
    text: 'The server cannot be reached, so nothing was uploaded. Check the network and upload again.',
  });
  a.sim.networkUp = true;
  expect(a.sim.store.get('prtc.tek')).toBe(tekBefore);
  expect(a.device.view.status).toBe('green');
  const code = await issueCode(server, await newToken(server));
  const plan = a.device.reportPlan();
  expect(plan).toHaveLength(1); // the tek was created today
  expect((await a.device.upload(code, [], false)).ok).toBe(true);
  expect(a.sim.store.get('prtc.tek')).not.toBe(tekBefore);
  const again = await a.device.upload(code, [], false);
  expect(again.text).toMatch(/already used/);
});

test('leaving days out: the left-out day is not uploaded, so its contacts are not warned', async () => {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const b = makePhone(world, 'B', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, b]);
  await passMinutes(world, [a, b], 30); // day 1 (Nov 20)
  world.advance(86400_000);
  await passMinutes(world, [a, b], 1);
  world.advance(86400_000); // Nov 22
  const day1 = a.device.reportPlan().find((d) => d.date === '20 Nov')!;
  expect(a.device.reportPlan().map((d) => d.date)).toEqual(['22 Nov', '21 Nov', '20 Nov']);
  const code = await issueCode(server, await newToken(server));
  expect((await a.device.upload(code, [day1.i], false)).text).toMatch(/2 daily keys/);
  await server.services.publishing.publish();
  await b.device.runSync();
  expect(b.device.view.reasons.filter((r) => r.on.d === 20)).toEqual([]);
});

test('a sender whose clock is an hour ahead is still matched (±2 h tolerance of §5); three hours is too far', async () => {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const b = makePhone(world, 'B', server.url, { position: { x: 1, y: 0 } });
  const c = makePhone(world, 'C', server.url, { position: { x: 5000, y: 0 } });
  const d = makePhone(world, 'D', server.url, { position: { x: 5000, y: 1 } });
  a.sim.clockSkewMs = 3600_000;
  c.sim.clockSkewMs = 3 * 3600_000;
  await startPhones([a, b, c, d]);
  await passMinutes(world, [a, b, c, d], 30);
  for (const p of [a, b, c, d]) await p.device.stopTracing();
  world.advance(26 * 3600_000);
  expect((await diagnose(a)).ok).toBe(true);
  expect((await diagnose(c)).ok).toBe(true);
  await server.services.publishing.publish();
  for (const p of [b, d]) expect((await p.device.runSync()).ok).toBe(true);
  expect(b.device.view.status).toBe('red');
  expect(engineReasons(b)[0].nearMinutes).toBeGreaterThanOrEqual(28);
  expect(d.device.view.status).toBe('green');
});
