/**
 * The phone's services on the real WeChat host over a handset that enforces WeChat's documented
 * rules (docs/wechat-host.md). Each story shows what the user sees with the rule on; where it makes
 * a difference, the same story with the rule switched off shows the rule matters.
 */
import { SimPhone, type WeChatRules } from '../../testkit/handset';
import { SimWorld } from '../../testkit/world';
import { createDevice } from '../../miniprogram/device';
import { agreeWhenAsked, fetchTransport, makePhone, type Phone } from '../helpers/phones';
import { onAir } from '../helpers/on-air';
import { startTestServer, type TestServer } from '../helpers/server';

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

async function tracer(
  opts: { platform?: SimPhone['platform']; rules?: Partial<WeChatRules>; wechatVersion?: string } = {},
): Promise<Phone> {
  const p = makePhone(world, 'P', server.url, opts);
  await p.device.start();
  await p.device.setConsent(true);
  agreeWhenAsked(p);
  return p;
}

describe('Android scans only with location (wx.startBluetoothDevicesDiscovery, 注意)', () => {
  test('location switch off: tracing stops both radios, says what to do, and nothing stays on air for 40 minutes', async () => {
    const p = await tracer();
    p.sim.locationOn = false;
    expect((await p.device.startTracing()).ok).toBe(false);
    expect(p.device.view.bluetoothError).toMatchObject({ code: 'location_off', action: null });
    expect(p.device.view.bluetoothError!.text).toMatch(/Turn on Location/);
    expect(p.device.view.tracing).toBe(false);
    expect(onAir(p)).toBeNull();
    await world.run(40 * 60_000);
    expect(onAir(p)).toBeNull();
    // the user turns Location on and comes back to the mini-program: tracing starts by itself
    p.sim.locationOn = true;
    p.sim.hide();
    p.sim.show();
    await world.run(1000);
    expect(p.device.view.tracing).toBe(true);
    expect(p.device.view.bluetoothError).toBeNull();
  });

  test("location permission denied: its own sentence, and the button opens WeChat's permissions in the system", async () => {
    const p = await tracer();
    p.sim.appAuthorize.location = 'denied';
    expect((await p.device.startTracing()).ok).toBe(false);
    expect(p.device.view.bluetoothError).toMatchObject({ code: 'location_unauthorized', action: 'Open the phone settings for WeChat' });
    await p.device.fix();
    expect(p.sim.settingsOpened).toEqual(['openAppAuthorizeSetting']);
  });

  test('WeChat before 8.0.16 "succeeds" and finds nothing: the host asks the system first and says so', async () => {
    const p = await tracer({ wechatVersion: '8.0.10' });
    p.sim.locationOn = false;
    expect((await p.device.startTracing()).ok).toBe(false);
    expect(p.device.view.bluetoothError?.code).toBe('location_off');
  });

  test('with the rule switched off (a WeChat that scans without location, and no system settings to ask) the same phone traces', async () => {
    const p = await tracer({ rules: { androidLocationForScan: false, modernSystemInfo: false } });
    p.sim.locationOn = false;
    expect((await p.device.startTracing()).ok).toBe(true);
  });
});

describe('iOS adapter state (wx.openBluetoothAdapter: state 3 unauthorised, 4 off)', () => {
  test('WeChat not allowed Bluetooth on iOS: "allow Bluetooth for WeChat" and the system settings, not "turn Bluetooth on"', async () => {
    const p = await tracer({ platform: 'ios' });
    p.sim.appAuthorize.bluetooth = 'denied';
    expect((await p.device.startTracing()).ok).toBe(false);
    expect(p.device.view.bluetoothError).toMatchObject({ code: 'bluetooth_unauthorized', action: 'Open the phone settings for WeChat' });
  });

  test('without `state` (and without getAppAuthorizeSetting) the same failure can only be told as "Bluetooth is off"', async () => {
    const p = await tracer({ platform: 'ios', rules: { iosAdapterState: false, modernSystemInfo: false } });
    p.sim.appAuthorize.bluetooth = 'denied';
    expect((await p.device.startTracing()).ok).toBe(false);
    expect(p.device.view.bluetoothError?.code).toBe('bluetooth_off');
  });
});

describe('adapter state changes (wx.onBluetoothAdapterStateChange)', () => {
  test('Bluetooth off at start, turned on later: tracing starts by itself; off again: both radios stop', async () => {
    const p = await tracer();
    p.sim.setBluetooth(false);
    expect((await p.device.startTracing()).ok).toBe(false);
    expect(p.device.view.bluetoothError).toMatchObject({ code: 'bluetooth_off', action: 'Open Bluetooth settings' });
    p.sim.setBluetooth(true);
    await world.run(1000);
    expect(p.device.view.tracing).toBe(true);
    expect(onAir(p)).not.toBeNull();
    p.sim.setBluetooth(false);
    await world.run(1000);
    expect(p.device.view.tracing).toBe(false);
    expect(p.sim.scanning()).toBe(false);
    expect(p.device.view.bluetoothError?.code).toBe('bluetooth_off');
  });
});

describe('JavaScript suspended about 5 s after onAppHide (运行机制: 挂起)', () => {
  test('in the background nothing is on air; back in the foreground the rpi of the current ENIN is', async () => {
    const p = await tracer();
    expect((await p.device.startTracing()).ok).toBe(true);
    const first = onAir(p);
    expect(first).not.toBeNull();
    p.sim.hide();
    await world.run(0);
    expect(onAir(p)).toBeNull(); // stopped before the JavaScript is suspended
    await world.run(40 * 60_000);
    expect(p.sim.suspended()).toBe(true);
    expect(onAir(p)).toBeNull();
    p.sim.show();
    await world.run(1000);
    const now = onAir(p);
    expect(now).not.toBeNull();
    expect(now).not.toBe(first); // four ENINs later: another rpi
    expect(p.device.view.tracing).toBe(true);
  });

  test("suspension is what would freeze a beacon: the suspended phone's timers do not run", async () => {
    const p = await tracer();
    let ticks = 0;
    p.sim.host.timers.every(15_000, () => ticks++);
    p.sim.hide();
    await world.run(40 * 60_000);
    expect(ticks).toBe(0); // 5 s after hiding the JavaScript stopped: no tick, no rotation (hence the pause)
    const off = await tracer({ rules: { suspendInBackground: false } });
    let ticksOff = 0;
    off.sim.host.timers.every(15_000, () => ticksOff++);
    off.sim.hide();
    await world.run(40 * 60_000);
    expect(ticksOff).toBe(160);
  });

  test('the rpi on air always belongs to the current ENIN while open (rotation at the boundary)', async () => {
    const p = await tracer();
    expect((await p.device.startTracing()).ok).toBe(true);
    const seen = new Set<string>();
    for (let m = 0; m < 35; m++) {
      await world.run(60_000);
      seen.add(onAir(p)!);
    }
    expect(seen.size).toBe(4); // 9:00, 9:10, 9:20, 9:30
  });
});

describe('tracing resumes by itself', () => {
  test('at launch, if the user had it on', async () => {
    const p = await tracer();
    expect((await p.device.startTracing()).ok).toBe(true);
    p.device.stop();
    const again = createDevice(p.sim.host, { backend: 'http', serverUrl: server.url, publicKey: '' });
    await again.start();
    await world.run(0);
    expect(again.view.tracing).toBe(true);
  });
});

describe('the privacy gate (PrivacyAuthorize.html)', () => {
  test('declined: its own sentence; the action asks again; agreed: tracing starts', async () => {
    const p = makePhone(world, 'P', server.url);
    await p.device.start();
    await p.device.setConsent(true);
    const declining = p.device.subscribe((v) => {
      if (v.privacyPrompt) p.device.answerPrivacy(false);
    });
    expect((await p.device.startTracing()).ok).toBe(false);
    declining();
    expect(p.sim.privacyPrompts).toEqual(['openBluetoothAdapter']);
    expect(p.device.view.bluetoothError).toMatchObject({ code: 'privacy_not_agreed', action: 'Read and agree to the privacy guide' });
    agreeWhenAsked(p);
    await p.device.fix();
    expect(p.sim.privacyPrompts).toEqual(['openBluetoothAdapter', 'requirePrivacyAuthorize']);
    expect(p.device.view.tracing).toBe(true);
  });

  test('an agree answer without a tap on the agree button is refused by WeChat', async () => {
    const p = makePhone(world, 'P', server.url);
    await p.device.start();
    await p.device.setConsent(true);
    p.device.subscribe((v) => {
      if (v.privacyPrompt) p.device.answerPrivacy(true, 'agree-btn'); // never tapped
    });
    expect((await p.device.startTracing()).ok).toBe(false);
    expect(p.device.view.bluetoothError?.code).toBe('privacy_not_agreed');
  });

  test('not declared in the admin console (errno 112): its own sentence, nothing the user can do', async () => {
    const p = await tracer();
    p.sim.privacy.declared = false;
    expect((await p.device.startTracing()).ok).toBe(false);
    expect(p.device.view.bluetoothError).toMatchObject({ code: 'privacy_not_declared', action: null });
  });

  test('with the gate switched off no prompt appears (older base libraries)', async () => {
    const p = makePhone(world, 'P', server.url, { rules: { privacyGate: false } });
    await p.device.start();
    await p.device.setConsent(true);
    expect((await p.device.startTracing()).ok).toBe(true);
    expect(p.sim.privacyPrompts).toEqual([]);
  });
});

describe('what a host can advertise (AdvertiseReqObj.manufacturerData: Android only)', () => {
  test('HarmonyOS advertises frame U; a desktop WeChat cannot trace and says so', async () => {
    const ohos = await tracer({ platform: 'ohos' });
    expect((await ohos.device.startTracing()).ok).toBe(true);
    expect(ohos.sim.advertising?.manufacturerData).toBeUndefined();
    expect(ohos.sim.advertising?.serviceUuids?.[0]).toBe('FFF7');
    const pc = await tracer({ platform: 'windows' });
    expect((await pc.device.startTracing()).ok).toBe(false);
    expect(pc.device.view.bluetoothError?.code).toBe('bluetooth_unsupported');
  });

  test('an old base library without getDeviceInfo: the platform still comes from getSystemInfoSync', async () => {
    const ios = await tracer({ platform: 'ios', rules: { modernSystemInfo: false } });
    expect(ios.sim.host.platform).toBe('ios');
    expect((await ios.device.startTracing()).ok).toBe(true);
    expect(ios.sim.advertising?.serviceUuids).toHaveLength(2);
  });
});

describe('storage limits (wx.setStorageSync: 1 MB a key, 10 MB in all)', () => {
  test('a full storage is said, the app keeps running, and sightings are kept for the next tick', async () => {
    const phone = new SimPhone(world, { name: 'S', transport: fetchTransport() });
    const device = createDevice(phone.host, { backend: 'http', serverUrl: server.url, publicKey: '' });
    await device.start();
    await device.setConsent(true);
    const p = { name: 'S', sim: phone, device };
    agreeWhenAsked(p);
    expect((await device.startTracing()).ok).toBe(true);
    for (let k = 0; k < 10; k++) phone.store.set(`other.${k}`, 'x'.repeat(1024 * 1024 - 1)); // another feature filled it
    phone.hear([
      { deviceId: 'x', RSSI: -50, advertisData: new Uint8Array([0xff, 0xff, 0x50, 0x54, 0x01, ...new Uint8Array(20).fill(7)]).buffer },
    ]);
    await device.tick();
    expect(device.view.message?.text).toBe('The phone storage for this mini-program is full.');
    phone.store.delete('other.0');
    await device.tick();
    expect([...phone.store.keys()].some((k) => k.startsWith('prtc.enc.'))).toBe(true);
  });
});
