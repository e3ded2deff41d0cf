/**
 * Issue 31, warn on behalf, end to end on the real key server: the health authority issues a venue
 * warning code (`POST /v1/authority/venue-warning-codes`, level `test`); the owner enters it on the
 * phone that made the venue; the warning goes out in the next batch; a phone that was there turns
 * yellow with the owner's warning as its reason, one that was not stays green; the same code a second
 * time is refused and publishes nothing.
 */
import { SimWorld } from '../../testkit/world';
import { call, newToken, startTestServer, type TestServer } from '../helpers/server';
import { checkInAt, makePhone, startPhones, venueMadeOn } from '../helpers/phones';

const utc = (h: number, m: number) => Date.UTC(2026, 10, 20, h, m) / 1000;
let world: SimWorld;
let server: TestServer;

beforeEach(async () => {
  world = new SimWorld(utc(10, 0) * 1000);
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

test('the authority’s code, entered by the owner, warns the visitors once: yellow where the phone was there, green elsewhere, never twice', async () => {
  const owner = makePhone(world, 'Owner', server.url);
  const visitor = makePhone(world, 'Visitor', server.url);
  const elsewhere = makePhone(world, 'Elsewhere', server.url);
  await startPhones([owner, visitor, elsewhere], false);
  // a restaurant: one warning is enough (the default rules)
  const made = await venueMadeOn(owner, { name: 'Noodle Bar', venueType: 2, minutes: 45 });
  await checkInAt(visitor, made.link, 45); // 10:00–10:45

  world.advance(2 * 3600_000); // 12:00: the authority learns of a case and calls the owner
  const issued = await call(
    server.url,
    'POST',
    '/v1/authority/venue-warning-codes',
    { level: 'test' },
    {
      authorization: `Bearer ${await newToken(server)}`,
    },
  );
  expect([issued.status, issued.body.level]).toEqual([201, 'test']);
  const r = await owner.device.warnVenue(made.id, issued.body.code, utc(9, 30), utc(11, 0));
  expect(r).toMatchObject({ ok: true, value: { level: 'test' } });

  const again = await owner.device.warnVenue(made.id, issued.body.code, utc(9, 30), utc(11, 0));
  expect(again).toMatchObject({ ok: false, code: 'code_used' });

  expect(await server.services.publishing.publish()).toEqual([1]);
  expect(await server.services.publishing.publish()).toEqual([]); // the refused second use left nothing to publish

  for (const p of [visitor, elsewhere]) expect((await p.device.runSync()).ok).toBe(true);
  expect(visitor.device.view.status).toBe('yellow');
  expect(visitor.device.view.reasons).toEqual([
    expect.objectContaining({ kind: 'venue', venue: 'Noodle Bar', warningLevel: 'test', source: 'owner' }),
  ]);
  expect(elsewhere.device.view.status).toBe('green');
});
