/**
 * Check-ins people finish (issue 32): a rescan of the venue of the open stay extends it instead of
 * a second check-in; times corrected afterwards within the stay's day; a visit entered by hand from
 * a shared or photographed venue link, back-dated up to 14 days, never in the future; automatic
 * check-out stays. Every refusal says why and leaves the stored check-ins byte for byte as they were.
 * Times are the phone's local time (hand-written as `local(h, m)`).
 */
import { createDevice } from '../../miniprogram/device';
import { SimPhone } from '../../testkit/handset';
import { SimWorld } from '../../testkit/world';
import { venueLinkFor } from '../helpers/venue-link';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { checkInAt, fetchTransport, makePhone, startPhones, type Phone } from '../helpers/phones';

let server: TestServer;
let world: SimWorld;
/** 20 Nov 2026 at h:m, the phone's local time, in Unix seconds. */
const local = (h: number, m: number, day = 20) => new Date(2026, 10, day, h, m).getTime() / 1000;
const at = (h: number, m: number) => world.advance(local(h, m) * 1000 - world.timeMs);

/** A venue link as the operator's tool makes it (§7): a fresh seed, a restaurant, 45-minute visits. */
const venueLink = (description: string) => venueLinkFor(description, { venueType: 1, defaultMinutes: 45 });
const cafe = venueLink('Café Lumière');
const library = venueLink('City Library');
const stored = (p: Phone) => p.sim.store.get('prtc.checkins');

beforeEach(async () => {
  world = new SimWorld(local(12, 0) * 1000);
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

test('scanning the venue of the open stay again extends it and says so; another venue ends it; auto check-out stays', async () => {
  const p = makePhone(world, 'A', server.url);
  await startPhones([p], false);
  const first = await checkInAt(p, cafe, 60); // 12:00–13:00
  at(12, 30);
  p.sim.cameraQueue.push(cafe);
  const again = await p.device.scanVenue();
  expect(again.ok).toBe(true);
  const r = p.device.checkIn(again.ok ? again.value : (null as never), 120);
  expect(r).toMatchObject({ ok: true, text: 'Still checked in at Café Lumière, extended to 14:30' });
  expect(p.device.view.checkins).toHaveLength(1);
  expect(p.device.view.checkins[0]).toMatchObject({ id: first.id, checkInAt: local(12, 0), checkOutAt: local(14, 30), checkedOut: false });

  // a rescan for a shorter stay never shortens it
  at(12, 40);
  p.sim.cameraQueue.push(cafe);
  const third = await p.device.scanVenue();
  expect(p.device.checkIn(third.ok ? third.value : (null as never), 30).text).toBe('Still checked in at Café Lumière, extended to 14:30');
  expect(p.device.view.checkins).toHaveLength(1);

  // auto check-out at the stay's end, as before
  at(14, 31);
  await p.device.tick();
  expect(p.device.view.currentCheckin).toBeNull();
  expect(p.device.view.checkins[0]).toMatchObject({ checkOutAt: local(14, 30), checkedOut: true });

  // after the stay ended, a scan of the same venue is a new visit; another venue's scan ends it
  at(15, 0);
  await checkInAt(p, cafe, 60);
  expect(p.device.view.checkins).toHaveLength(2);
  at(15, 20);
  await checkInAt(p, library, 60);
  expect(p.device.view.checkins.map((c) => [c.description, c.checkInAt, c.checkOutAt, c.checkedOut])).toEqual([
    ['City Library', local(15, 20), local(16, 20), false],
    ['Café Lumière', local(15, 0), local(15, 20), true],
    ['Café Lumière', local(12, 0), local(14, 30), true],
  ]);
});

test('times are corrected within the stay’s day; wrong times are refused with a reason and nothing changes; unknown fields are kept', async () => {
  // a check-in written by a newer version of the app (issue 32's companions), kept as it is
  const sim = new SimPhone(world, { transport: fetchTransport(), name: 'A' });
  const p: Phone = { name: 'A', sim, device: createDevice(sim.host, { backend: 'http', serverUrl: server.url, publicKey: '' }) };
  await startPhones([p], false);
  const c = await checkInAt(p, cafe, 60);
  const raw = JSON.parse(stored(p)!.replace(/^1:[0-9a-f]{8}:/, ''));
  raw[0].companions = ['m1', 'm2'];
  const text = JSON.stringify(raw);
  const { fnv1a } = await import('../../miniprogram/services/storage');
  sim.store.set('prtc.checkins', `1:${fnv1a(text)}:${text}`);
  const q: Phone = { name: 'A', sim, device: createDevice(sim.host, { backend: 'http', serverUrl: server.url, publicKey: '' }) };
  await startPhones([q], false);

  at(15, 0);
  const before = stored(q);
  for (const [from, to, code, why] of [
    [local(13, 10), local(12, 0), 'checkout_before_checkin', 'The time you left must be after the time you arrived.'],
    [local(12, 0), local(12, 0), 'checkout_before_checkin', 'The time you left must be after the time you arrived.'],
    [local(12, 0), local(15, 30), 'time_in_future', 'A time cannot be in the future.'],
    [local(23, 0, 19), local(13, 0), 'outside_day', 'Both times must be on the same day as the visit.'],
    [local(12, 0, 19), local(13, 0, 19), 'outside_day', 'Both times must be on the same day as the visit.'],
  ] as const) {
    expect(q.device.editCheckin(c.id, from, to)).toEqual({ ok: false, code, text: why });
    expect(stored(q)).toBe(before);
  }
  expect(q.device.editCheckin('nope', local(12, 0), local(13, 0))).toMatchObject({ ok: false, code: 'checkin_unknown' });

  // the open stay, corrected: it is over at the time given
  const ok = q.device.editCheckin(c.id, local(11, 50), local(13, 10));
  expect(ok).toMatchObject({ ok: true, text: 'Times corrected for Café Lumière.' });
  expect(q.device.view.currentCheckin).toBeNull();
  expect(q.device.view.checkins[0]).toMatchObject({ id: c.id, checkInAt: local(11, 50), checkOutAt: local(13, 10), checkedOut: true });
  const after = JSON.parse(stored(q)!.replace(/^1:[0-9a-f]{8}:/, ''));
  expect(after[0].companions).toEqual(['m1', 'm2']);
  // the whole day is allowed: from its midnight to the next
  expect(q.device.editCheckin(c.id, local(0, 0), local(0, 0, 21) - 1).ok).toBe(false); // 23:59:59 is in the future at 15:00
  expect(q.device.editCheckin(c.id, local(0, 0), local(14, 0)).ok).toBe(true);
});

test('a visit entered by hand from a shared link: back-dated up to 14 days, never in the future, no duplicate', async () => {
  const p = makePhone(world, 'A', server.url);
  await startPhones([p], false);
  const r = p.device.addManualCheckin(`  ${cafe} `, local(18, 0, 17), local(19, 30, 17));
  expect(r).toMatchObject({ ok: true, text: 'Visit to Café Lumière added.' });
  expect(p.device.view.checkins).toEqual([
    expect.objectContaining({
      description: 'Café Lumière',
      checkInAt: local(18, 0, 17),
      checkOutAt: local(19, 30, 17),
      checkedOut: true,
      manual: true,
    }),
  ]);
  expect(p.device.view.currentCheckin).toBeNull();

  const before = stored(p);
  for (const [link, from, to, code, why] of [
    [cafe, local(18, 30, 17), local(20, 0, 17), 'checkin_overlaps', 'You already have a check-in at this venue at that time.'],
    [cafe, local(11, 0), local(12, 10), 'time_in_future', 'A time cannot be in the future.'],
    [cafe, local(19, 0, 17), local(18, 0, 17), 'checkout_before_checkin', 'The time you left must be after the time you arrived.'],
    // the retention window: today and the 14 UTC days before it (§1); 15 days back is outside
    [cafe, local(10, 0, 5), local(11, 0, 5), 'too_old', 'Visits older than 14 days cannot be added.'],
    [cafe, local(23, 0, 17), local(1, 0, 18), 'outside_day', 'Both times must be on the same day as the visit.'],
    ['https://example.com/menu', local(9, 0), local(10, 0), 'not_a_venue', 'This code cannot be used: this QR code is not a venue code.'],
  ] as const) {
    expect(p.device.addManualCheckin(link, from, to)).toEqual({ ok: false, code, text: why });
    expect(stored(p)).toBe(before);
  }
  // the same venue at another time, and 14 days back, are fine
  expect(p.device.addManualCheckin(cafe, local(9, 0), local(10, 0)).ok).toBe(true);
  expect(p.device.addManualCheckin(library, local(10, 0, 6), local(11, 0, 6)).ok).toBe(true);
  expect(p.device.view.checkins).toHaveLength(3);
});

test('a check-in uploaded in a report cannot be edited, and the phone says why', async () => {
  const p = makePhone(world, 'A', server.url);
  await startPhones([p], false);
  const c = await checkInAt(p, cafe, 60);
  at(14, 0);
  const code = await issueCode(server, await newToken(server));
  expect((await p.device.upload(code, [], true)).ok).toBe(true);
  const before = stored(p);
  expect(p.device.editCheckin(c.id, local(12, 0), local(12, 30))).toEqual({
    ok: false,
    code: 'checkin_reported',
    text: 'This check-in was uploaded in a report and cannot be changed.',
  });
  expect(stored(p)).toBe(before);
});

test('a visit entered by hand afterwards is warned like a scanned one', async () => {
  const a = makePhone(world, 'A', server.url);
  const b = makePhone(world, 'B', server.url);
  await startPhones([a, b], false);
  await checkInAt(a, cafe, 60); // A scans: 12:00–13:00, warned 12:00–13:30 after CWA's extension (§7)
  at(15, 0);
  // B was there 12:30–13:20 without scanning; a friend sent the café's link
  expect(b.device.addManualCheckin(cafe, local(12, 30), local(13, 20)).ok).toBe(true);
  world.advance(24 * 3600_000);
  expect((await a.device.upload(await issueCode(server, await newToken(server)), [], true)).ok).toBe(true);
  expect(await server.services.publishing.publish()).toEqual([1]);
  expect((await b.device.runSync()).ok).toBe(true);
  expect(b.device.sync.matched().venues).toEqual([expect.objectContaining({ minutes: 50, from: local(12, 30), to: local(13, 20) })]);
  expect(b.device.view.reasons).toEqual([expect.objectContaining({ kind: 'venue', venue: 'Café Lumière' })]);
});
