/**
 * Background tracing (§4, docs/wechat-host.md "The background"): the real device on the real WeChat
 * host over a handset that keeps the JavaScript running while background location is authorised and
 * active, and enforces each platform's limits. Each story with the rule on; where a rule matters, the
 * same story with it switched off.
 */
import { createPluginHost } from '../../miniprogram/host/plugin/bridge';
import { toHex } from '../../shared/protocol/codec';
import { enin } from '../../shared/protocol/time';
import { SUSPEND_AFTER_MS, type SimOptions } from '../../testkit/handset';
import { SimWorld } from '../../testkit/world';
import { agreeWhenAsked, fetchTransport, makePhone, type Phone } from '../helpers/phones';
import { onAir } from '../helpers/on-air';
import { issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let world: SimWorld;
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

beforeEach(async () => {
  world = new SimWorld(T0);
  world.settle = () => new Promise((r) => setImmediate(r));
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(world.timeMs / 1000) } as never);
});
afterEach(async () => {
  await server.stop();
});

/** A phone tracing, whose user chose "使用小程序期间和离开小程序后" and turned background tracing on. */
async function pocketPhone(name = 'P', opts: Omit<SimOptions, 'name'> = {}): Promise<Phone> {
  const p = makePhone(world, name, server.url, opts);
  p.sim.chooseLocation('always');
  await p.device.start();
  await p.device.setConsent(true);
  agreeWhenAsked(p);
  expect((await p.device.startTracing()).ok).toBe(true);
  expect(await p.device.setBackground(true)).toMatchObject({ ok: true });
  return p;
}

/** Runs `ms` in steps, noting every (ENIN, rpi on air) seen; returns them. */
async function watchAir(p: Phone, ms: number, stepMs = 20_000): Promise<Map<string, Set<number>>> {
  const seen = new Map<string, Set<number>>();
  for (let t = 0; t < ms; t += stepMs) {
    await world.run(stepMs);
    const rpi = onAir(p);
    if (rpi) seen.set(rpi, (seen.get(rpi) ?? new Set()).add(enin(world.timeMs / 1000)));
  }
  return seen;
}

describe('the JavaScript keeps running while background location is authorised and active (运行机制)', () => {
  test('40 minutes in a pocket: not suspended, the rpi rotates at every ENIN and never outlives it, the scan filters for the marker', async () => {
    const p = await pocketPhone();
    expect(p.device.view.tracingMode).toBe('background');
    p.sim.setScreen(false); // into the pocket: the screen locks, the mini-program is hidden
    await world.run(15_000); // the probation: the beacon waits until the JavaScript has outlived the 5 s
    expect(p.sim.suspended()).toBe(false);
    expect(p.sim.scanFilter()).toEqual(['0000FFF7-0000-1000-8000-00805F9B34FB']);
    const seen = await watchAir(p, 40 * 60_000);
    expect(p.sim.suspended()).toBe(false);
    expect(seen.size).toBeGreaterThanOrEqual(4); // 9:00 … 9:40
    for (const enins of seen.values()) expect(enins.size).toBe(1); // each rpi on air in one ENIN only
    p.sim.show();
    await world.run(1000);
    expect(p.sim.scanFilter()).toBeNull(); // on screen again: no filter, old frames M heard too
    expect(p.device.view.tracingSecondsToday).toBeGreaterThanOrEqual(40 * 60);
  });

  test('with the rule off (WeChat suspends despite background location, as some developers report) nothing stays on air', async () => {
    const p = await pocketPhone('P', { rules: { backgroundLocationKeepsRunning: false } });
    const before = onAir(p);
    expect(before).not.toBeNull();
    p.sim.hide();
    await world.run(0);
    expect(onAir(p)).toBeNull(); // the beacon waits out its probation…
    await world.run(SUSPEND_AFTER_MS + 1000);
    expect(p.sim.suspended()).toBe(true); // …and the JavaScript was suspended within it
    await world.run(40 * 60_000);
    expect(onAir(p)).toBeNull(); // so no rpi outlived its ENIN
  });

  test('no coordinate is ever read, kept or sent: the updates reach the host, their fields are never touched', async () => {
    const sent: string[] = [];
    const real = fetchTransport();
    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((k) =>
      jest.spyOn(console, k).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
    );
    try {
      const p = await pocketPhone('P', {
        transport: (req) => {
          sent.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${req.body ? Buffer.from(req.body).toString('utf8') : ''}`);
          return real(req);
        },
      });
      p.sim.setScreen(false);
      await world.run(4 * 3600_000); // hours in the background: syncs, rotation, the log's writes
      await p.device.whenIdle();
      expect(p.sim.locationUpdatesDelivered()).toBeGreaterThan(10_000);
      expect(p.sim.locationFieldReads()).toBe(0); // not one field of one update was read
      expect(sent.some((s) => /\/batches\b/.test(s))).toBe(true); // it did talk to the server in the background (a chain's list, §15)
      const everything = [...p.sim.store.values(), ...sent, ...logged, JSON.stringify(p.device.view)].join('\n');
      // the handset's coordinates (testkit/handset/location.ts SIM_COORDINATES), in any notation
      expect(everything).not.toMatch(/39\.908|116\.397|43\.517|latitude|longitude/i);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe('advertising stops before the JavaScript is suspended after all', () => {
  /** Runs in 250 ms steps until suspended; returns when (ms after the start) advertising stopped and when it was suspended. */
  async function untilSuspended(p: Phone): Promise<{ offAt: number; suspendedAt: number }> {
    let offAt = -1;
    for (let t = 0; t < 120_000; t += 250) {
      if (offAt < 0 && p.sim.onAir() === null) offAt = t;
      if (p.sim.suspended()) return { offAt, suspendedAt: t };
      await world.run(250);
    }
    throw new Error('never suspended');
  }

  test('the user takes background location back while the phone is in a pocket', async () => {
    const p = await pocketPhone();
    p.sim.setScreen(false);
    await world.run(15_000);
    expect(onAir(p)).not.toBeNull();
    p.sim.chooseLocation('while_using'); // in WeChat's settings, outside the mini-program
    const { offAt, suspendedAt } = await untilSuspended(p);
    expect(offAt).toBeGreaterThanOrEqual(0);
    expect(offAt).toBeLessThan(suspendedAt);
    p.sim.show();
    await world.run(1000);
    expect(p.device.view.tracingMode).toBe('foreground'); // on screen it traces; the refusal is said
    expect(p.device.view.background.problem?.code).toBe('background_while_using');
  });

  test('the reported screen-off stop (a rule off by default): a minute after the screen goes off; advertising stops first', async () => {
    const p = await pocketPhone('P', { rules: { screenOffStopsLocation: true } });
    p.sim.setScreen(false);
    await world.run(50_000);
    expect(onAir(p)).not.toBeNull();
    const { offAt, suspendedAt } = await untilSuspended(p);
    expect(offAt).toBeGreaterThanOrEqual(0);
    expect(offAt).toBeLessThan(suspendedAt);
    expect(suspendedAt).toBeLessThan(30_000);
    // the same phone without the rule stays on air for an hour in the pocket
    const q = await pocketPhone('Q');
    q.sim.setScreen(false);
    const seen = await watchAir(q, 3600_000, 60_000);
    expect(q.sim.suspended()).toBe(false);
    expect(seen.size).toBeGreaterThanOrEqual(6);
    // back on screen, the first phone asks WeChat again and runs in the background once more
    p.sim.show();
    await world.run(1000);
    expect(p.device.view.background.running).toBe(true);
  });
});

describe('asked and refused like a scope, but never with a prompt (authorize.html, 后台定位)', () => {
  test('not set: refused, the page says where to set it; "only while using": its own sentence; "also after leaving": it runs', async () => {
    const p = makePhone(world, 'P', server.url);
    await p.device.start();
    await p.device.setConsent(true);
    agreeWhenAsked(p);
    expect((await p.device.startTracing()).ok).toBe(true);
    const r = await p.device.setBackground(true);
    expect(r).toMatchObject({ ok: false, code: 'background_denied' });
    expect(p.sim.scopes['scope.userLocationBackground']).toBeUndefined(); // no prompt was shown: nothing answered
    expect(p.device.view.background.problem).toMatchObject({ action: 'Open the mini-program settings' });
    expect(p.device.view.tracingMode).toBe('foreground');
    p.sim.locationChoiceInSettings = 'while_using';
    await p.device.fixBackground();
    expect(p.sim.settingsOpened).toEqual(['openSetting']);
    expect(p.device.view.background.problem?.code).toBe('background_while_using');
    expect(p.device.view.background.problem?.text).toMatch(/only while the mini-program is open/);
    p.sim.locationChoiceInSettings = 'always';
    await p.device.fixBackground();
    expect(p.device.view.background).toMatchObject({ problem: null, running: true, wanted: true });
    expect(p.device.view.tracingMode).toBe('background');
  });

  test('with the rule off the scope would be asked like the others (and the same refusal never happens)', async () => {
    const p = makePhone(world, 'P', server.url, { rules: { backgroundScopeInSettingsOnly: false } });
    await p.device.start();
    await p.device.setConsent(true);
    agreeWhenAsked(p);
    expect((await p.device.startTracing()).ok).toBe(true);
    expect((await p.device.setBackground(true)).ok).toBe(true);
    expect(p.sim.scopes['scope.userLocationBackground']).toBe(true);
  });

  test('a build without requiredPrivateInfos (2022-07-14): refused with its own sentence, nothing the user can do; the rule off: it runs', async () => {
    const p = makePhone(world, 'P', server.url, { declarations: { requiredPrivateInfos: [] } });
    p.sim.chooseLocation('always');
    await p.device.start();
    await p.device.setConsent(true);
    agreeWhenAsked(p);
    await p.device.startTracing();
    expect(await p.device.setBackground(true)).toMatchObject({ ok: false, code: 'background_not_declared' });
    expect(p.device.view.background.problem).toMatchObject({ action: null });
    const q = makePhone(world, 'Q', server.url, { declarations: { requiredPrivateInfos: [] }, rules: { requiredPrivateInfos: false } });
    q.sim.chooseLocation('always');
    await q.device.start();
    await q.device.setConsent(true);
    agreeWhenAsked(q);
    await q.device.startTracing();
    expect((await q.device.setBackground(true)).ok).toBe(true);
  });

  test('the setting is kept: the next launch traces in the background again', async () => {
    const p = await pocketPhone();
    p.device.stop();
    const again = makePhone(world, 'P2', server.url);
    for (const [k, v] of p.sim.store) again.sim.store.set(k, v);
    again.sim.chooseLocation('always');
    again.sim.privacy.agreed = true; // WeChat remembers the user's agreement on this phone
    await again.device.start();
    await world.run(0);
    expect(again.device.view.background).toMatchObject({ wanted: true, running: true });
    expect(again.device.view.tracingMode).toBe('background');
  });
});

describe('unavailable, and said so', () => {
  test('a WeChat plug-in: no background location for plug-ins; the sentence says exactly that', async () => {
    const p = makePhone(world, 'P', server.url);
    const plugin = createPluginHost(p.sim.wx, undefined);
    expect(plugin.capabilities.background).toEqual({ via: null, why: 'plugin' });
    expect(plugin.background).toBeUndefined();
  });

  test('a base library before 2.8.0: no startLocationUpdateBackground; setBackground refuses with the reason', async () => {
    const p = makePhone(world, 'P', server.url, { baseLibrary: '2.7.3' });
    expect(p.sim.host.capabilities.background).toEqual({ via: null, why: 'base_library' });
    await p.device.start();
    const r = await p.device.setBackground(true);
    expect(r).toMatchObject({ ok: false, code: 'unsupported' });
    expect(r.text).toMatch(/too old for background tracing/);
    expect(p.device.view.background.unavailable).toBe('base_library');
    expect(p.device.view.features.background).toBe(false);
  });

  test('desktop WeChat cannot trace, so there is nothing to keep running', () => {
    const p = makePhone(world, 'P', server.url, { platform: 'windows' });
    expect(p.sim.host.capabilities.background).toEqual({ via: null, why: 'no_radio' });
  });
});

describe('what phones in the background hear of each other (air.ts; §4)', () => {
  /** Four phones 1 m apart: Android and iPhone, each on screen or in a pocket. */
  async function fourPhones(rules: SimOptions['rules'] = {}) {
    const make = async (name: string, platform: 'android' | 'ios', x: number) => {
      const p = await pocketPhone(name, { platform, position: { x, y: 0 }, rules });
      return p;
    };
    const androidPocket = await make('androidPocket', 'android', 0);
    const iosPocket = await make('iosPocket', 'ios', 1);
    const androidOpen = await make('androidOpen', 'android', 2);
    const iosOpen = await make('iosOpen', 'ios', 3);
    androidPocket.sim.setScreen(false);
    iosPocket.sim.setScreen(false);
    await world.run(15_000);
    for (let m = 0; m < 5; m++) {
      await world.run(60_000);
      world.deliver();
    }
    await world.run(1000);
    const heard = (listener: Phone, speaker: Phone) => {
      const rpis = new Set(listener.device.encounters.records(Math.floor(enin(world.timeMs / 1000) / 144) * 144).map((r) => toHex(r.rpi)));
      return [...(speakerRpis.get(speaker) ?? [])].some((r) => rpis.has(r));
    };
    const speakerRpis = new Map<Phone, Set<string>>();
    return { androidPocket, iosPocket, androidOpen, iosOpen, heard, speakerRpis };
  }

  test('every pair, as the platforms allow it: an iPhone in a pocket is heard by no one; the rest hear each other', async () => {
    // the rpis each phone put on air, noted as it goes
    const w = await (async () => {
      const all = await fourPhones();
      return all;
    })();
    const phones = [w.androidPocket, w.iosPocket, w.androidOpen, w.iosOpen];
    // (re-run a few minutes noting what is on air, then deliver)
    for (let m = 0; m < 5; m++) {
      for (const p of phones) {
        const r = onAir(p);
        if (r) w.speakerRpis.set(p, (w.speakerRpis.get(p) ?? new Set()).add(r));
      }
      world.deliver();
      await world.run(60_000);
    }
    const table = Object.fromEntries(
      phones.flatMap((rx) => phones.filter((tx) => tx !== rx).map((tx) => [`${rx.name}<-${tx.name}`, w.heard(rx, tx)])),
    );
    expect(table).toEqual({
      'androidPocket<-iosPocket': false, // iOS: the overflow area, unreadable (and invisible to Android)
      'androidPocket<-androidOpen': true,
      'androidPocket<-iosOpen': true,
      'iosPocket<-androidPocket': true, // frame S's marker: what an iOS background scan filters for
      'iosPocket<-androidOpen': true,
      'iosPocket<-iosOpen': true,
      'androidOpen<-androidPocket': true,
      'androidOpen<-iosPocket': false,
      'androidOpen<-iosOpen': true,
      'iosOpen<-androidPocket': true,
      'iosOpen<-iosPocket': false, // an iOS scanner would see the marker only if it filtered for it, and never the rpi
      'iosOpen<-androidOpen': true,
    });
  });

  test('with the iOS advertising rule off, the iPhone in a pocket would be heard: the rule is what hides it', async () => {
    const w = await fourPhones({ iosBackgroundAdvertising: false });
    const phones = [w.androidPocket, w.iosPocket];
    for (let m = 0; m < 3; m++) {
      for (const p of phones) {
        const r = onAir(p);
        if (r) w.speakerRpis.set(p, (w.speakerRpis.get(p) ?? new Set()).add(r));
      }
      world.deliver();
      await world.run(60_000);
    }
    expect(w.heard(w.androidPocket, w.iosPocket)).toBe(true);
  });

  test('the undocumented rule that WeChat on iOS keeps Bluetooth in the background: off, an iPhone in a pocket hears nothing either', async () => {
    for (const rule of [true, false]) {
      const w = await fourPhones({ iosBluetoothInBackground: rule });
      for (let m = 0; m < 3; m++) {
        const r = onAir(w.androidPocket);
        if (r) w.speakerRpis.set(w.androidPocket, (w.speakerRpis.get(w.androidPocket) ?? new Set()).add(r));
        world.deliver();
        await world.run(60_000);
      }
      expect([rule, w.heard(w.iosPocket, w.androidPocket)]).toEqual([rule, rule]);
      for (const p of [w.androidPocket, w.iosPocket, w.androidOpen, w.iosOpen]) p.device.stop();
      world.phones.length = 0;
    }
  });

  test('scans without a filter: an iPhone in the background and an Android phone with the screen off find nothing; with the rules off they would', async () => {
    const hearsUnfiltered = async (platform: 'android' | 'ios', rules: SimOptions['rules']) => {
      const rx = makePhone(world, `rx-${platform}`, server.url, { platform, position: { x: 0, y: 0 }, rules });
      const tx = makePhone(world, 'tx', server.url, { position: { x: 1, y: 0 } });
      rx.sim.setScreen(false); // hidden, screen off: in the background
      rx.sim.privacy.agreed = true;
      const found: unknown[] = [];
      const done = (f: (o: { success: () => void; fail: (e: unknown) => void }) => unknown) =>
        new Promise<void>((ok, no) => void f({ success: ok, fail: no }));
      await done((o) => rx.sim.wx.openBluetoothAdapter(o));
      rx.sim.wx.onBluetoothDeviceFound((r) => found.push(...r.devices));
      await done((o) => rx.sim.wx.startBluetoothDevicesDiscovery(o)); // no `services`
      tx.sim.advertising = { connectable: false, serviceUuids: ['FFF7'] };
      world.deliver();
      await world.run(0);
      return found.length > 0;
    };
    expect(await hearsUnfiltered('ios', {})).toBe(false);
    expect(await hearsUnfiltered('ios', { iosBackgroundScanNeedsFilter: false })).toBe(true);
    expect(await hearsUnfiltered('android', {})).toBe(false);
    expect(await hearsUnfiltered('android', { androidScreenOffScanNeedsFilter: false })).toBe(true);
  });
});

describe('status without opening the app', () => {
  test('two phones in pockets meet; the next day one reports; the other turns red by itself, never opened', async () => {
    const a = await pocketPhone('A', { position: { x: 0, y: 0 } });
    const b = await pocketPhone('B', { position: { x: 1, y: 0 } });
    world.settle = async () => {
      await new Promise((r) => setImmediate(r));
      await Promise.all([a.device.whenIdle(), b.device.whenIdle()]);
    };
    a.sim.setScreen(false);
    b.sim.setScreen(false);
    for (let m = 0; m < 40; m++) {
      await world.run(60_000);
      world.deliver();
    }
    expect(b.device.view.nearbyToday).toBe(1);
    expect(b.device.view.status).toBe('green');
    world.advance(20 * 3600_000); // (time passes with both in pockets; the radios are not needed for the story)
    a.sim.show();
    const code = await issueCode(server, await newToken(server));
    expect((await a.device.upload(code, [], false)).ok).toBe(true);
    expect(await server.services.publishing.publish()).toEqual([1]);
    const published = world.timeMs;
    for (let h = 0; h < 4 && b.device.view.status === 'green'; h++) await world.run(3600_000);
    expect(b.sim.foreground).toBe(false); // B was never opened
    expect(b.device.view.status).toBe('red');
    expect(b.device.view.lastSyncAt! * 1000).toBeGreaterThanOrEqual(published);
    expect(b.device.view.checkOverdue).toBe(false);
  });

  test('background off: a phone left closed 36 hours, opened where the server cannot be reached, warns that it has not checked', async () => {
    const p = makePhone(world, 'P', server.url);
    await p.device.start();
    await world.run(1000);
    await p.device.whenIdle();
    expect(p.device.view.lastSyncAt).not.toBeNull();
    p.sim.hide();
    await world.run(35 * 3600_000); // suspended: nothing checks
    p.sim.networkUp = false;
    p.sim.show();
    await world.run(1000);
    await p.device.whenIdle();
    expect(p.device.view.checkOverdue).toBe(false); // 35 hours: not yet
    p.sim.hide();
    await world.run(2 * 3600_000);
    p.sim.show();
    await world.run(1000);
    await p.device.whenIdle();
    expect(p.device.view.checkOverdue).toBe(true);
    p.sim.networkUp = true;
    await p.device.runSync();
    expect(p.device.view.checkOverdue).toBe(false);
  });
});
