/**
 * §7/§15: a venue code the owner makes on the phone carries the region the owner chose (version
 * 0x02, the region a u32 little-endian at bytes 29–32, before descLen), and a visitor's phone that
 * checks in there follows that region; without a region the code stays version 0x01 as before.
 */
import { SimWorld } from '../../testkit/world';
import { parseVenueUrl } from '../../shared/protocol/venue';
import { UNKNOWN_REGION } from '../../shared/regions';
import { startTestServer, type TestServer } from '../helpers/server';
import { checkInAt, makePhone, startPhones } from '../helpers/phones';

const SH = 310000; // 上海市: the visitor's home
const SZ = 320500; // 苏州市: the owner's home
const BJ = 110000; // 北京市: where the owner's venue is

let server: TestServer;
let world: SimWorld;

beforeEach(async () => {
  world = new SimWorld(Date.UTC(2026, 10, 20, 9, 0, 0));
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(() => server.stop());

const draft = (name: string, region?: number | null) => ({
  name,
  venueType: 2,
  minutes: 45,
  staff: false,
  event: false,
  fromMin: null,
  untilMin: null,
  ...(region === undefined ? {} : { region }),
});
/** The payload bytes of a §7 link, read by hand: everything after `#`, base64url. */
const bytesOf = (link: string) => Buffer.from(link.slice(link.indexOf('#') + 1), 'base64url');

test('a venue made with a region is a version 0x02 code naming it, and its visitors follow that region', async () => {
  const owner = makePhone(world, 'Owner', server.url);
  const visitor = makePhone(world, 'Visitor', server.url);
  await startPhones([owner, visitor], false);
  expect((await owner.device.setHomeRegion(SZ)).ok).toBe(true);
  expect((await visitor.device.setHomeRegion(SH)).ok).toBe(true);
  expect(visitor.device.view.followedRegions.map((r) => r.code)).toEqual([SH, UNKNOWN_REGION]);

  const made = await owner.device.createVenue(draft('Noodle Bar', BJ));
  if (!made.ok) throw new Error(made.text ?? made.code);
  // the bytes by hand: version 2; 110000 = 0x0001ADB0 little-endian at 29..32; descLen at 33; then "Noodle Bar"
  const b = bytesOf(made.value.link);
  expect(b[0]).toBe(0x02);
  expect([...b.subarray(29, 33)]).toEqual([0xb0, 0xad, 0x01, 0x00]);
  expect(b[33]).toBe(10);
  expect(b.length).toBe(34 + 10);
  expect(b.subarray(34).toString('utf8')).toBe('Noodle Bar');
  // and with the shared decoder
  expect(parseVenueUrl(made.value.link)).toMatchObject({ format: 'prtc', region: BJ, description: 'Noodle Bar', defaultMinutes: 45 });
  // the kept venue keeps its region (the list and the poster draw from it)
  expect(owner.device.view.ownVenues[0].draft.region).toBe(BJ);
  expect(owner.device.view.ownVenues[0].link).toBe(made.value.link);

  await checkInAt(visitor, made.value.link, 45);
  expect(visitor.device.view.followedRegions.map((r) => r.code)).toEqual([SH, BJ, UNKNOWN_REGION]);
  expect(visitor.device.uploadRegions().map((r) => r.code)).toEqual([SH, BJ]);
});

test('without a region the code stays version 0x01 and its visitors follow nothing new; a bad region is refused', async () => {
  const owner = makePhone(world, 'Owner', server.url);
  const visitor = makePhone(world, 'Visitor', server.url);
  await startPhones([owner, visitor], false);
  expect((await visitor.device.setHomeRegion(SH)).ok).toBe(true);

  for (const region of [undefined, null]) {
    const made = await owner.device.createVenue(draft('Tea', region));
    if (!made.ok) throw new Error(made.text ?? made.code);
    const b = bytesOf(made.value.link);
    expect(b[0]).toBe(0x01);
    expect(b[29]).toBe(3); // descLen right after the seed
    expect(b.length).toBe(30 + 3);
    expect(parseVenueUrl(made.value.link)).toMatchObject({ region: null, description: 'Tea' });
    expect(owner.device.view.ownVenues[0].draft.region).toBeUndefined();
    await checkInAt(visitor, made.value.link, 30);
    expect(visitor.device.view.followedRegions.map((r) => r.code)).toEqual([SH, UNKNOWN_REGION]);
  }

  // not of the §15 shape (123456 does not end in 00), or of the shape but not in the list (a province's code):
  // refused with the field's sentence, nothing kept
  const before = owner.device.view.ownVenues.length;
  for (const region of [123456, 320000]) {
    const r = await owner.device.createVenue(draft('Bad', region));
    expect(r).toMatchObject({ ok: false, code: 'invalid_value' });
    expect(!r.ok && r.text).toMatch(/region/);
  }
  expect(owner.device.view.ownVenues.length).toBe(before);
});
