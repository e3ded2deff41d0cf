/**
 * The venue story across simulated phones and a real server on loopback: an operator creates a
 * venue code with the prtc tool, visitors scan it with the host's scanner and check in, one of them
 * tests positive and uploads check-ins with keys, the server publishes, and the others' phones match
 * the warning locally.
 */
import { createHash } from 'node:crypto';
import type { Transport } from '../../testkit/handset';
import { SimWorld } from '../../testkit/world';
import { decodeBatch } from '../../shared/protocol/batch';
import { fromBase64url, toHex } from '../../shared/protocol/codec';
import { enin } from '../../shared/protocol/time';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { agreeWhenAsked, checkInAt, fetchTransport, makePhone, startPhones } from '../helpers/phones';
import { runTool } from '../helpers/run-tool';

let server: TestServer;
let world: SimWorld;
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

beforeEach(async () => {
  world = new SimWorld(T0);
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

const createVenue = (...args: string[]) => {
  const r = runTool('tools/prtc.ts', ['venue-create', '--host', 'prtc.example', ...args]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};
const at = (h: number, m: number) => world.advance(Date.UTC(2026, 10, 20, h, m) - world.timeMs);

test("a diagnosed visitor's check-ins warn the others who overlapped: red for 40 min, yellow for 10, green otherwise", async () => {
  const cafe = createVenue('--desc', 'Café Lumière', '--type', 'restaurant');
  const library = createVenue('--desc', 'City Library', '--type', 'public building');
  const requests: { url: string; body: unknown }[] = [];
  const inner = fetchTransport();
  const recording: Transport = (req) => {
    requests.push({ url: req.url, body: req.body ? JSON.parse(Buffer.from(req.body).toString('utf8')) : undefined });
    return inner(req);
  };
  const a = makePhone(world, 'A', server.url, { transport: recording });
  const b = makePhone(world, 'B', server.url);
  const c = makePhone(world, 'C', server.url);
  const d = makePhone(world, 'D', server.url);
  const e = makePhone(world, 'E', server.url);
  await startPhones([a, b, c, d, e], false);

  await checkInAt(a, cafe, 60); // A: 12:00–13:00 → warning 12:00–13:30 after CWA's extension
  await checkInAt(d, library, 60); // D: same time, another venue
  at(12, 20);
  const bc = await checkInAt(b, cafe, 120);
  at(13, 0);
  b.device.checkOut(bc.id); // B: 12:20–13:00 by hand → 40 minutes of overlap
  at(13, 20);
  await checkInAt(e, cafe, 30); // E: 13:20–13:50 → 10 minutes of overlap with 12:00–13:30
  at(14, 30);
  await checkInAt(c, cafe, 30); // C: after the warning ends
  expect(b.device.view.checkins[0]).toMatchObject({ description: 'Café Lumière', checkedOut: true });

  // next day A tests positive and uploads keys and check-ins
  world.advance(24 * 3600_000);
  const code = await issueCode(server, await newToken(server));
  const up = await a.device.upload(code, [], true);
  expect(up.text).toMatch(/Thank you/);
  expect(up.ok).toBe(true);

  // what left A's phone: hashes and intervals only, padded with fakes; no location id, no description
  const sent = requests.find((r) => r.url.endsWith('/v1/diagnosis-keys'))!.body as {
    checkins: { locationIdHash: string; startEnin: number; endEnin: number }[];
  };
  const cafeId = a.device.view.checkins[0].locationId;
  const cafeHash = createHash('sha256').update(Buffer.from(cafeId, 'hex')).digest();
  const text = JSON.stringify(sent);
  expect(text).not.toContain(cafeId);
  expect(text).not.toContain(Buffer.from(cafeId, 'hex').toString('base64url'));
  expect(text).not.toMatch(/Lumi/);
  expect(sent.checkins.length % 10).toBe(0);
  const real = sent.checkins.filter((x) => Buffer.from(fromBase64url(x.locationIdHash)).equals(cafeHash));
  expect(real).toEqual([
    {
      locationIdHash: cafeHash.toString('base64url'),
      startEnin: enin(Date.UTC(2026, 10, 20, 12, 0) / 1000),
      endEnin: enin(Date.UTC(2026, 10, 20, 13, 30) / 1000),
    },
  ]);

  expect(await server.services.publishing.publish()).toEqual([1]);
  const body = new Uint8Array(await (await fetch(`${server.url}/v1/batches/1`)).arrayBuffer());
  expect(decodeBatch(body).warnings.some((w) => toHex(w.locationIdHash) === cafeHash.toString('hex'))).toBe(true);

  for (const p of [b, c, d, e]) expect((await p.device.runSync()).ok).toBe(true);
  expect(b.device.view.status).toBe('red');
  // the venue and the overlap as the user reads them: 12:20–13:00 UTC (this test's zone) is the afternoon, 40 min
  expect(b.device.view.reasons).toEqual([
    expect.objectContaining({
      kind: 'venue',
      level: 'red',
      venue: 'Café Lumière',
      on: { y: 2026, m: 11, d: 20, weekday: 5 },
      parts: ['afternoon'],
      band: '30to60',
    }),
  ]);
  expect(b.device.sync.matched().venues).toEqual([
    expect.objectContaining({ minutes: 40, from: Date.UTC(2026, 10, 20, 12, 20) / 1000, to: Date.UTC(2026, 10, 20, 13, 0) / 1000 }),
  ]);
  expect(e.device.view.status).toBe('yellow');
  expect(e.device.view.reasons).toEqual([expect.objectContaining({ kind: 'venue', level: 'yellow', band: '10to30' })]);
  expect(c.device.view.status).toBe('green');
  expect(d.device.view.status).toBe('green');
  // A's own warning does not warn A: the check-ins it uploaded are marked as reported
  expect((await a.device.runSync()).ok).toBe(true);
  expect(a.device.view.reasons.map((r) => r.kind)).toEqual(['self']);
});

test('staff codes cover a shift; foreign, damaged and expired codes are refused and nothing is stored', async () => {
  const p = makePhone(world, 'P', server.url);
  await startPhones([p], false);
  agreeWhenAsked(p); // the camera's scanner waits for the privacy agreement
  const staff = createVenue('--desc', 'Ward 3', '--type', 'healthcare', '--staff');
  p.sim.cameraQueue.push(staff);
  const scanned = await p.device.scanVenue();
  if (!scanned.ok) throw new Error(scanned.text ?? 'cancelled');
  const s = scanned.value;
  expect(s.defaultMinutes).toBe(480);
  expect(s.choices).toEqual([30, 60, 90, 120, 480]);

  const stored = () => p.sim.store.get('prtc.checkins') ?? null;
  const before = stored();
  const event = createVenue(
    '--desc',
    'Concert',
    '--type',
    'event',
    '--event',
    '--from',
    '2026-11-19T18:00Z',
    '--until',
    '2026-11-19T22:00Z',
  );
  const future = createVenue('--desc', 'Fair', '--type', 'event', '--event', '--from', '2026-11-21T10:00Z', '--until', '2026-11-21T18:00Z');
  for (const [text, code, why] of [
    [event, 'venue_over', /over/],
    [future, 'venue_not_started', /not started/],
    ['WIFI:S:home;T:WPA;P:x;;', 'not_a_venue', /not a venue/],
    [staff.slice(0, -3), 'invalid_venue', /damaged/],
  ] as const) {
    p.sim.cameraQueue.push(text);
    const r = await p.device.scanVenue();
    expect(r).toMatchObject({ ok: false, code });
    expect(!r.ok && r.text).toMatch(why);
  }
  expect(stored()).toBe(before);
  expect(p.device.view.checkins).toEqual([]);

  // a cancelled scan is not an error the user needs to read
  p.sim.cameraQueue.push(null);
  expect(await p.device.scanVenue()).toEqual({ ok: false, code: 'cancelled', text: null });

  // automatic check-out at the end of the chosen stay; the list keeps 14 days
  p.device.checkIn(s, 480);
  expect(p.device.view.currentCheckin?.description).toBe('Ward 3');
  world.advance(481 * 60_000);
  await p.device.tick();
  expect(p.device.view.currentCheckin).toBeNull();
  world.advance(15 * 86400_000);
  await p.device.tick();
  expect(p.device.view.checkins).toEqual([]);
});
