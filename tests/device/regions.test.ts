/**
 * §15 on simulated phones against a real server: a phone follows its home region and the region of
 * a venue it checked in at (a version-2 venue code), matches exactly the keys published in those
 * chains (and region 1's), counts a key published in both once, names the region in its reasons,
 * and its health code (version 2) carries the root a gate — and `prtc gate` — verifies.
 */
import { engineReasons } from '../helpers/status';
import { SimWorld } from '../../testkit/world';
import { decodeHealthCode, verifyHealthCode } from '../../shared/protocol/healthcode';
import { fromBase64url, toBase64url, toHex } from '../../shared/protocol/codec';
import { decodeBatch } from '../../shared/protocol/batch';
import { encodeVenuePayload, venueUrl } from '../../shared/protocol/venue';
import { NATIONAL_REGION, UNKNOWN_REGION } from '../../shared/regions';
import { call, issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { checkInAt, makePhone, passMinutes, startPhones, type Phone } from '../helpers/phones';
import { runToolAsync } from '../helpers/run-tool';

const SH = 310000; // 上海市: V's home
const SZ = 320500; // 苏州市: the venue V checked in at
const BJ = 110000; // 北京市: a region V never was in

let server: TestServer;
let world: SimWorld;

beforeEach(async () => {
  world = new SimWorld(Date.UTC(2026, 10, 20, 9, 0, 0));
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(() => server.stop());

/** The keys chain `region` published, read from its bodies. */
async function publishedIn(region: number): Promise<Set<string>> {
  const list = (await call(server.url, 'GET', `/v1/regions/${region}/batches?after=0`)).body as { batches: { n: number }[] };
  const keys = new Set<string>();
  for (const b of list.batches) {
    const body = new Uint8Array((await call(server.url, 'GET', `/v1/regions/${region}/batches/${b.n}`)).raw);
    // as matching names a key: the hex of its first 8 bytes
    for (const d of decodeBatch(body).days) for (const k of d.keys) keys.add(toHex(k.subarray(0, 8)));
  }
  return keys;
}

test('a phone following two regions matches exactly the keys published in them, each once; its gate code verifies against the root', async () => {
  // V sits for 30 minutes next to five phones, each of which later tests positive and names other regions
  const v = makePhone(world, 'V', server.url, { position: { x: 0, y: 0 } });
  const names: [string, number[] | undefined][] = [
    ['home', [SH]],
    ['venue', [SZ]],
    ['both', [SH, SZ]],
    ['elsewhere', [BJ]],
    ['unnamed', undefined],
  ];
  const others: Phone[] = names.map(([name], k) => makePhone(world, name, server.url, { position: { x: 1, y: k * 0.2 } }));
  await startPhones([v, ...others]);
  // V chooses its home region and checks in at a café in 苏州 whose code carries its region
  expect((await v.device.setHomeRegion(SH)).ok).toBe(true);
  const payload = encodeVenuePayload({
    venueType: 2,
    staff: false,
    event: false,
    validFrom: 0,
    validUntil: 0,
    defaultMinutes: 60,
    description: '苏州 茶馆',
    seed: new Uint8Array(16).fill(5),
    region: SZ,
  });
  await checkInAt(v, venueUrl('prtc.example.org', payload), 60);
  expect(v.device.view.followedRegions.map((r) => r.code)).toEqual([SH, SZ, UNKNOWN_REGION]);
  expect(v.device.view.homeRegion).toEqual({ code: SH, name: '上海市' });
  await passMinutes(world, [v, ...others], 30);
  for (const p of [v, ...others]) await p.device.stopTracing();

  world.advance(26 * 3600_000);
  const token = await newToken(server);
  for (const [k, [, regions]] of names.entries()) {
    const r = await others[k].device.upload(await issueCode(server, token), [], false, regions ?? []);
    expect([k, r.ok]).toEqual([k, true]);
  }
  await server.services.publishing.publishAll();

  const sh = await publishedIn(SH);
  const sz = await publishedIn(SZ);
  const unknown = await publishedIn(UNKNOWN_REGION);
  const bj = await publishedIn(BJ);
  const followedKeys = new Set([...sh, ...sz, ...unknown]);

  expect((await v.device.runSync()).ok).toBe(true);
  const matchedKeys = new Set(v.device.sync.matched().bluetooth.map((e) => e.keyId));
  // exactly the keys of the chains V follows that V met: all but the one published for 北京 alone
  expect([...matchedKeys].every((k) => followedKeys.has(k))).toBe(true);
  expect([...matchedKeys].some((k) => bj.has(k))).toBe(false);
  expect(matchedKeys.size).toBe(4);
  // the key named for both regions is matched in both chains and counts once: five reasons would
  // mean a double; each of the four is a 30-minute contact, not 60
  const reasons = v.device.view.reasons.filter((r) => r.kind === 'bluetooth');
  expect(reasons).toHaveLength(4);
  // the view's reasons are coarse (bands): the minutes come from the status engine's own reasons
  const minutes = engineReasons(v)
    .filter((r) => r.kind === 'bluetooth')
    .map((r) => r.minutes);
  expect(minutes).toHaveLength(4);
  for (const m of minutes) expect(m).toBeLessThanOrEqual(31);
  expect(reasons.map((r) => r.regionName).sort()).toEqual(['上海市', '上海市', '苏州市', 'region not given'].sort());
  // the phone downloaded its three chains and nothing else
  expect(v.device.view.followedRegions.every((r) => r.bytesPerDay !== null)).toBe(true);
  expect(v.device.sync.chainCheckpoint(BJ)).toBeNull();
  expect(v.device.sync.chainCheckpoint(NATIONAL_REGION)).toBeNull();

  // the health code carries the signed root the server serves, and a gate accepts it with one signature
  const pk = (await call(server.url, 'GET', '/v1/public-key')).body.key as string;
  const code = v.device.healthCode()!;
  const h = decodeHealthCode(code);
  const served = (await call(server.url, 'GET', '/v1/regions')).body;
  expect([h.root && toBase64url(h.root.hash), h.root?.count, h.status]).toEqual([served.root.hash, served.leaves.length, 'red']);
  expect(verifyHealthCode(code, fromBase64url(pk, 32), v.device.nowS()).valid).toBe(true);
  const gate = await runToolAsync('tools/prtc.ts', ['gate', '-', '--public-key', pk, '--now', String(v.device.nowS()), '--json'], {
    input: code,
  });
  expect([gate.code, JSON.parse(gate.stdout)]).toEqual([
    0,
    expect.objectContaining({ valid: true, status: 'red', syncedAt: served.root.signedAt }),
  ]);
  // a code with one bit of its root changed does not pass
  const forged = Buffer.from(code.slice('PRTC-HC1:'.length), 'base64url');
  forged[20] ^= 1;
  const bad = await runToolAsync('tools/prtc.ts', [
    'gate',
    `PRTC-HC1:${forged.toString('base64url')}`,
    '--public-key',
    pk,
    '--now',
    String(v.device.nowS()),
  ]);
  expect([bad.code, bad.stdout]).toEqual([1, expect.stringMatching(/not signed/)]);
});

test('a phone without a home region follows the national chain; choosing one fetches that region’s last 14 days', async () => {
  const a = makePhone(world, 'A', server.url, { position: { x: 0, y: 0 } });
  const b = makePhone(world, 'B', server.url, { position: { x: 1, y: 0 } });
  await startPhones([a, b]);
  await passMinutes(world, [a, b], 20);
  for (const p of [a, b]) await p.device.stopTracing();
  world.advance(26 * 3600_000);
  expect((await a.device.upload(await issueCode(server, await newToken(server)), [], false, [SZ])).ok).toBe(true);
  await server.services.publishing.publishAll();
  // no home region: the national chain (which carries every key while NATIONAL_CHAIN is on)
  expect(b.device.view.followedRegions.map((r) => r.code)).toEqual([NATIONAL_REGION]);
  expect((await b.device.runSync()).ok).toBe(true);
  expect(b.device.view.status).toBe('red'); // 20 minutes at 1 m
  expect(b.device.view.reasons[0].regionName).toBe('all of China');
  // B chooses 苏州 as home: its chain is read from the start (the last 14 days), the national one dropped,
  // and the contact is still counted once
  expect((await b.device.setHomeRegion(SZ)).ok).toBe(true);
  expect(b.device.sync.chainCheckpoint(SZ)?.n).toBeGreaterThanOrEqual(1);
  expect(b.device.sync.chainCheckpoint(NATIONAL_REGION)).toBeNull();
  expect(b.device.view.reasons.filter((r) => r.kind === 'bluetooth')).toHaveLength(1);
  // the report page's default list: home first
  expect(b.device.uploadRegions()).toEqual([{ code: SZ, name: '苏州市' }]);
  expect(b.device.setHomeRegion(320000)).resolves.toMatchObject({ ok: false, code: 'invalid_region' });
});
