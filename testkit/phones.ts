/**
 * Simulated phones for device tests and the demo: each is the real device (createDevice, every
 * service) on the WeChat host over a simulated handset (SimPhone), all sharing one SimWorld (clock
 * and radio), talking HTTP to a real server.
 */
import { createDevice, type Checkin, type Device } from '../miniprogram/device';
import { SimPhone, type SimOptions, type Transport } from './handset';
import type { SimWorld } from './world';

/** HTTP over Node's fetch, for the simulated handsets. `rewrite` maps the URL the build was pinned to. */
export function fetchTransport(rewrite: (url: string) => string = (u) => u): Transport {
  return async (req) => {
    const r = await fetch(rewrite(req.url), {
      method: req.method,
      headers: req.headers,
      body: req.body ? Buffer.from(req.body) : undefined,
    });
    const headers: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { status: r.status, headers, body: new Uint8Array(await r.arrayBuffer()) };
  };
}

export interface Phone {
  name: string;
  sim: SimPhone;
  device: Device;
}

/** A phone as the mini-program builds it. */
export function makePhone(world: SimWorld, name: string, serverUrl: string, opts: Omit<SimOptions, 'name'> = {}): Phone {
  const sim = new SimPhone(world, { transport: fetchTransport(), ...opts, name });
  const device = createDevice(sim.host, { backend: opts.cloud ? 'cloud' : 'http', serverUrl, publicKey: '' });
  return { name, sim, device };
}

/** Lets simulated time pass minute by minute: every phone ticks, the radio delivers once a minute. */
export async function passMinutes(world: SimWorld, phones: Phone[], minutes: number): Promise<void> {
  for (let m = 0; m < minutes; m++) {
    world.advance(60_000);
    for (const p of phones) await p.device.tick();
    world.deliver();
  }
}

/**
 * The user of `p` agrees whenever the mini-program shows its privacy prompt: taps WeChat's agree
 * button (PrivacyPopup's), as a person who accepts the privacy guide would. Returns an unsubscribe.
 */
export function agreeWhenAsked(p: Phone): () => void {
  return p.device.subscribe((v) => {
    if (!v.privacyPrompt) return;
    p.sim.tapPrivacyAgree('agree-btn');
    p.device.answerPrivacy(true, 'agree-btn');
  });
}

export async function startPhones(phones: Phone[], tracing = true): Promise<void> {
  for (const p of phones) {
    await p.device.start();
    if (tracing) {
      await p.device.setConsent(true);
      const stop = agreeWhenAsked(p);
      const { ok } = await p.device.startTracing();
      stop();
      if (!ok) throw new Error(`${p.name}: tracing did not start: ${p.device.view.bluetoothError?.text}`);
    }
  }
}

/** The user scans `link` with the phone's camera and checks in for `minutes`, as pages/checkin does. */
export async function checkInAt(p: Phone, link: string, minutes: number): Promise<Checkin> {
  p.sim.cameraQueue.push(link);
  const stop = agreeWhenAsked(p);
  const scanned = await p.device.scanVenue();
  stop();
  if (!scanned.ok) throw new Error(`${p.name} could not check in: ${scanned.text}`);
  p.device.checkIn(scanned.value, minutes);
  return p.device.view.currentCheckin!;
}
