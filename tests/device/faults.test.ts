/**
 * Faults on the phone: batches that fail verification, a server that is down, a sync interrupted
 * half-way, corrupted storage, Bluetooth off or not allowed, and the storage budget of a busy user.
 */
import { SimPhone, type Transport } from '../../testkit/handset';
import { SimWorld } from '../../testkit/world';
import { createDevice } from '../../miniprogram/device';
import { EncounterLog } from '../../miniprogram/services/encounters';
import { DeviceStorage } from '../../miniprogram/services/storage';
import { createHash, randomBytes } from 'node:crypto';
import { enin, dayInterval, ROLLING_PERIOD } from '../../shared/protocol/time';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';
import { agreeWhenAsked, fetchTransport, makePhone, passMinutes, startPhones } from '../helpers/phones';
import { decodeHealthCode } from '../../shared/protocol/healthcode';

let server: TestServer;
let world: SimWorld;

beforeEach(async () => {
  world = new SimWorld(Date.UTC(2026, 10, 20, 9, 0, 0));
  server = await startTestServer('sqlite', { minBatchKeys: 5 }, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

/** Publishes `n` batches, each with one real upload of an unrelated phone. */
async function publishBatches(n: number) {
  for (let k = 0; k < n; k++) {
    const code = await issueCode(server, await newToken(server));
    await fetch(server.url + '/v1/diagnosis-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code,
        keys: [{ aemk: randomBytes(32).toString('base64url'), i: dayInterval(enin(world.timeMs / 1000)) - ROLLING_PERIOD }],
      }),
    });
    await server.services.publishing.publish();
  }
}

/** A transport that counts requests and can tamper with or fail chosen ones. */
function instrumented(opts: { tamper?: (url: string) => boolean; fail?: (url: string) => boolean } = {}) {
  const inner = fetchTransport();
  const log: string[] = [];
  const t: Transport = async (req) => {
    log.push(req.url.replace(server.url, ''));
    if (opts.fail?.(req.url)) throw new Error('connect ECONNREFUSED');
    const r = await inner(req);
    if (opts.tamper?.(req.url)) {
      r.body = r.body.slice();
      r.body[r.body.length - 1] ^= 1;
    }
    return r;
  };
  return { t, log };
}

test('a batch that fails verification is rejected: sync stops with a clear message and nothing from it is used', async () => {
  await publishBatches(1);
  const { t } = instrumented({ tamper: (u) => u.endsWith('/v1/regions/0/batches/2') });
  const p = makePhone(world, 'P', server.url, { transport: t });
  await startPhones([p], false);
  expect((await p.device.runSync()).ok).toBe(true); // batch 1 matched: the root of that hour is the code's checkpoint
  const before = decodeHealthCode(p.device.healthCode()!).root!.signedAt;
  world.advance(3600_000);
  await publishBatches(2);
  expect((await p.device.runSync()).ok).toBe(false);
  expect(p.device.view.message?.text).toMatch(/failed verification.*does not match its fingerprint/);
  expect(p.device.sync.chainCheckpoint(0)?.n).toBe(1);
  expect(JSON.parse(p.sim.store.get('prtc.sync')!.replace(/^1:[0-9a-f]{8}:/, '')).chains['0'].checkpoint.n).toBe(1); // stored: batch 1, not 2
  // still the last verified checkpoint: the root that batch 1 was matched under, not the newer one over
  // batches 2 and 3, which this phone has not checked (§8)
  expect(decodeHealthCode(p.device.healthCode()!).root!.signedAt).toBe(before);
});

test('server down: retries with backoff, keeps the last status and says so; resumes later without re-downloading', async () => {
  await publishBatches(2);
  let down = false;
  const { t, log } = instrumented({ fail: () => down });
  const p = makePhone(world, 'P', server.url, { transport: t });
  await startPhones([p], false);
  expect((await p.device.runSync()).ok).toBe(true);
  expect(p.device.sync.chainCheckpoint(0)?.n).toBe(2);
  const before = world.timeMs;
  down = true;
  log.length = 0;
  expect((await p.device.runSync()).ok).toBe(false);
  expect(p.device.view.message?.text).toMatch(/cannot be reached.*last status is kept/);
  expect(log.length).toBe(4); // 4 attempts of the first request
  expect(world.timeMs - before).toBe(1000 + 2000 + 4000); // exponential backoff between them
  expect(p.device.view.status).toBe('green');
  expect(p.device.view.lastSyncAt).not.toBeNull();
  down = false;
  await publishBatches(1);
  log.length = 0;
  expect((await p.device.runSync()).ok).toBe(true);
  expect(log.filter((u) => /\/batches\/\d/.test(u))).toEqual(['/v1/regions/0/batches/3']); // 1 and 2 never again
  expect(log[0]).toBe('/v1/config?v=2'); // the signed configuration, version 2 (§6)
  expect(log).toContain('/v1/regions/0/batches?after=2');
});

test('a sync cut half-way resumes from the last verified batch', async () => {
  await publishBatches(3);
  let failBody3 = true;
  const { t, log } = instrumented({ fail: (u) => failBody3 && u.endsWith('/v1/regions/0/batches/3') });
  const p = makePhone(world, 'P', server.url, { transport: t });
  await startPhones([p], false);
  expect((await p.device.runSync()).ok).toBe(false);
  expect(p.device.sync.chainCheckpoint(0)?.n).toBe(2);
  failBody3 = false;
  log.length = 0;
  expect((await p.device.runSync()).ok).toBe(true);
  expect(log.filter((u) => /\/batches\/\d/.test(u))).toEqual(['/v1/regions/0/batches/3']);
});

test('a server that drops a batch from the chain is detected', async () => {
  await publishBatches(3);
  const inner = fetchTransport();
  const t: Transport = async (req) => {
    const r = await inner(req);
    if (req.url.includes('/v1/regions/0/batches?after=') && r.status === 200) {
      const j = JSON.parse(Buffer.from(r.body).toString('utf8')) as { batches: { n: number }[] };
      j.batches = j.batches.filter((b) => b.n !== 2);
      r.body = new Uint8Array(Buffer.from(JSON.stringify(j)));
    }
    return r;
  };
  const p = makePhone(world, 'P', server.url, { transport: t });
  await startPhones([p], false);
  expect((await p.device.runSync()).ok).toBe(false);
  expect(p.device.view.message?.text).toMatch(/failed verification.*skipped, reordered or rewrote/);
});

test('a batch head the server’s key did not sign is refused before its body is fetched, and nothing from it is used', async () => {
  // a server (or anyone between) that puts its own body behind batch 2: the hash in the list is the
  // forged body's, the signature still the one made for the real hash
  await publishBatches(3);
  const forged = new Uint8Array(randomBytes(200));
  const forgedHash = createHash('sha256').update(forged).digest('base64url');
  const inner = fetchTransport();
  const log: string[] = [];
  const t: Transport = async (req) => {
    log.push(req.url.replace(server.url, ''));
    const r = await inner(req);
    if (req.url.includes('/v1/regions/0/batches?after=') && r.status === 200) {
      const j = JSON.parse(Buffer.from(r.body).toString('utf8')) as { batches: { n: number; hash: string }[] };
      for (const b of j.batches) if (b.n === 2) b.hash = forgedHash;
      r.body = new Uint8Array(Buffer.from(JSON.stringify(j)));
    }
    if (req.url.endsWith('/v1/regions/0/batches/2')) r.body = forged;
    return r;
  };
  const p = makePhone(world, 'P', server.url, { transport: t });
  await startPhones([p], false);
  expect((await p.device.runSync()).ok).toBe(false);
  expect(p.device.view.message?.text).toMatch(/failed verification.*a signature is not the server’s/);
  expect(log.filter((u) => /\/batches\/\d/.test(u))).toEqual(['/v1/regions/0/batches/1']); // body 2 never fetched
  expect(p.device.sync.chainCheckpoint(0)?.n).toBe(1);
});

test('damaged or missing storage is reported item by item, with what it means, and recovered without crashing', async () => {
  const phone = new SimPhone(world, { name: 'C', transport: fetchTransport() });
  const host = phone;
  const settings = { backend: 'http' as const, serverUrl: server.url, publicKey: '' };
  const d1 = createDevice(phone.host, settings);
  await d1.start();
  await d1.setConsent(true);
  const tek = host.store.get('prtc.tek');
  host.store.set('prtc.sync', 'garbage');
  host.store.set('prtc.report', '1:00000000:{"selfReportedAt":1}'); // checksum mismatch
  host.store.set(`prtc.enc.${dayInterval(enin(world.timeMs / 1000))}`, '1:' + 'zz');
  const d2 = createDevice(phone.host, settings);
  await d2.start();
  expect(d2.view.damage).toEqual([
    'Your exposure check was damaged; it is being done again from the start.',
    'The record of your own positive report was damaged; your status may show green although you reported.',
    'Contacts recorded on 20 Nov were damaged and are lost.',
  ]);
  expect(d2.view.status).toBe('green');
  expect(host.store.get('prtc.tek')).toBe(tek); // intact entries are kept
  expect(host.store.has('prtc.sync')).toBe(false);
  host.store.delete('prtc.tek');
  const d3 = createDevice(phone.host, settings);
  await d3.start();
  expect(host.store.get('prtc.tek')).not.toBe(tek); // missing tek: a new one, and the user is told what that costs
  expect(d3.view.damage).toEqual([
    'Your secret key was damaged and a new one was made. If you test positive, days before today cannot be reported.',
  ]);
});

test('a sync record whose checkpoint does not decode is damage: reported and dropped, not a crash', async () => {
  const phone = new SimPhone(world, { name: 'K', transport: fetchTransport() });
  const settings = { backend: 'http' as const, serverUrl: server.url, publicKey: '' };
  await createDevice(phone.host, settings).start();
  // an intact envelope (its checksum matches) around a checkpoint whose hash is 31 bytes, not 32 (§9)
  const checkpoint = { n: 1, hash: Buffer.alloc(31).toString('base64url'), signedAt: 1, signature: Buffer.alloc(64).toString('base64url') };
  new DeviceStorage(phone.host).setJson('sync', { v: 2, checkpoint, lastSyncAt: null, matches: {} });
  const d = createDevice(phone.host, settings);
  await d.start();
  expect(d.view.damage).toEqual(['Your exposure check was damaged; it is being done again from the start.']);
  expect(phone.store.has('prtc.sync')).toBe(false);
  expect(d.view.hasCheckpoint).toBe(false);
  expect(d.healthCode()).toBeNull();
});

test('damaged check-ins are reported like every other damaged entry (one storage for all services)', async () => {
  const phone = new SimPhone(world, { name: 'V', transport: fetchTransport() });
  const settings = { backend: 'http' as const, serverUrl: server.url, publicKey: '' };
  await createDevice(phone.host, settings).start();
  phone.store.set('prtc.checkins', '1:00000000:[]'); // checksum mismatch
  const d = createDevice(phone.host, settings);
  await d.start();
  expect(d.view.damage).toEqual(['Your venue check-ins were damaged and are lost.']);
  expect(phone.store.has('prtc.checkins')).toBe(false);
  expect(d.view.checkins).toEqual([]);
});

test('Bluetooth off or not allowed: tracing does not start and the user is told what to do', async () => {
  const p = makePhone(world, 'P', server.url);
  await p.device.start();
  expect((await p.device.startTracing()).ok).toBe(false);
  expect(p.device.view.message?.text).toMatch(/privacy notice/);
  await p.device.setConsent(true);
  agreeWhenAsked(p);
  p.sim.setBluetooth(false);
  expect((await p.device.startTracing()).ok).toBe(false);
  expect(p.device.view.bluetoothError?.text).toMatch(/Bluetooth is off/);
  p.sim.setBluetooth(true);
  p.sim.scopes['scope.bluetooth'] = false; // the user refused the mini-program Bluetooth
  expect((await p.device.startTracing()).ok).toBe(false);
  expect(p.device.view.bluetoothError).toMatchObject({ code: 'permission_denied', action: 'Open the mini-program settings' });
  p.sim.scopes['scope.bluetooth'] = true;
  p.sim.appAuthorize.bluetooth = 'denied'; // the system does not let WeChat use Bluetooth
  expect((await p.device.startTracing()).ok).toBe(false);
  expect(p.device.view.bluetoothError?.text).toMatch(/Allow Bluetooth for WeChat/);
  p.sim.appAuthorize.bluetooth = 'authorized';
  expect((await p.device.startTracing()).ok).toBe(true);
  expect(p.sim.screenState.keepOn).toBe(true);
  p.sim.setBluetooth(false); // turned off while tracing
  await p.device.tick();
  expect(p.device.view.tracing).toBe(false);
  expect(p.device.view.bluetoothError?.text).toMatch(/Bluetooth is off/);
});

test('the beacon changes rpi with every ENIN and uses frame U on iOS, S elsewhere', async () => {
  const android = makePhone(world, 'and', server.url);
  const ios = makePhone(world, 'ios', server.url, { platform: 'ios' });
  await startPhones([android, ios]);
  const seen = new Set<string>();
  for (let k = 0; k < 3; k++) {
    expect(android.sim.advertising?.manufacturerData?.[0].manufacturerId).toBe('0xFFFF');
    expect(android.sim.advertising?.serviceUuids).toEqual(['FFF7']); // frame S (§4): the marker background scanners filter for
    expect(ios.sim.advertising?.serviceUuids?.[0]).toBe('FFF7');
    seen.add(ios.sim.advertising!.serviceUuids![1]);
    await passMinutes(world, [android, ios], 10);
  }
  expect(seen.size).toBe(3);
  expect(android.sim.advertising?.manufacturerData?.[0].manufacturerSpecificData.byteLength).toBe(20); // rpi || aem
});

test('a busy user: 3,000 encounters over 14 days fit in well under 1 MB; older days are deleted', async () => {
  const host = new SimPhone(world, { name: 'busy' });
  const storage = new DeviceStorage(host.host);
  const log = new EncounterLog(storage);
  const start = world.timeMs / 1000;
  for (let k = 0; k < 3000; k++) {
    const t = start + Math.floor((k / 3000) * 14 * 86400);
    const f = { frame: 'M' as const, rpi: new Uint8Array(randomBytes(16)), aem: new Uint8Array(randomBytes(4)), rssi: -60 - (k % 20) };
    for (let m = 0; m < 5; m++) log.record(f, t + 60 * m);
  }
  log.flush();
  let bytes = 0;
  for (const [k, v] of host.store) if (k.startsWith('prtc.enc.')) bytes += k.length + v.length;
  expect(log.count()).toBe(3000);
  expect(bytes).toBeLessThan(150 * 1024);
  const r = log.records(log.storedDays()[0])[0];
  expect(r.minutes).toBe(5);
  expect(r.rssiMax).toBe(-60);
  // 16 days later everything but the last retained days is gone
  world.advance(16 * 86400_000);
  log.retain(world.timeMs / 1000);
  expect(log.storedDays().every((d) => d >= dayInterval(enin(world.timeMs / 1000)) - 14 * 144)).toBe(true);
  expect(log.count()).toBeLessThan(3000);
});

test('reset deletes everything and starts with a new key', async () => {
  const a = makePhone(world, 'A', server.url);
  const b = makePhone(world, 'B', server.url, { position: { x: 1, y: 1 } });
  await startPhones([a, b]);
  await passMinutes(world, [a, b], 3);
  const tek = a.sim.store.get('prtc.tek');
  expect(a.device.encounters.count()).toBe(1);
  await a.device.reset();
  expect(a.device.encounters.count()).toBe(0);
  expect([...a.sim.store.keys()].sort()).toEqual(['prtc.tek']);
  expect(a.sim.store.get('prtc.tek')).not.toBe(tek);
  expect(a.device.view.consent).toBe(false);
});
