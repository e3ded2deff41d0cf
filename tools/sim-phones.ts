/**
 * Simulated phones for device tests and the demo: each is the real Device (all services) over its
 * own SimulatedHost, sharing one SimWorld (clock + radio), talking HTTP to a real server.
 */
import { SimWorld, SimulatedHost, type Transport } from '../miniprogram/host/simulated';
import { Device, type DeviceExtensions } from '../miniprogram/services/device';
import { createVenueExtension, type Venues } from '../miniprogram/services/venues';
import type { Platform } from '../miniprogram/host/types';

/** HTTP over Node's fetch, for the simulated hosts. */
export function fetchTransport(): Transport {
  return async (req) => {
    const r = await fetch(req.url, {
      method: req.method,
      headers: { ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    });
    const headers: Record<string, string> = {};
    r.headers.forEach((v, k) => { headers[k] = v; });
    const buf = new Uint8Array(await r.arrayBuffer());
    if (req.responseType === 'arraybuffer') return { status: r.status, headers, bytes: buf };
    let json: unknown;
    try { json = JSON.parse(new TextDecoder().decode(buf)); } catch { json = undefined; }
    return { status: r.status, headers, json };
  };
}

export interface Phone { name: string; host: SimulatedHost; device: Device; venues: Venues }

/** A phone as the mini-program builds it: the device with the venue check-in extension plugged in. */
export function makePhone(world: SimWorld, name: string, serverUrl: string, opts: {
  platform?: Platform; position?: { x: number; y: number }; transport?: Transport; random?: (n: number) => Uint8Array; ext?: DeviceExtensions;
  /** Use WeChat cloud functions instead of HTTP: the host's callFunction. */
  cloud?: (name: string, data: Record<string, unknown>) => Promise<unknown>;
} = {}): Phone {
  const host = new SimulatedHost(world, { name, platform: opts.platform ?? 'android', position: opts.position, transport: opts.transport ?? fetchTransport(), random: opts.random, cloud: opts.cloud });
  const { venues, extension } = createVenueExtension(host);
  const device = new Device(host, { backend: opts.cloud ? 'cloud' : 'http', serverUrl, publicKey: '' }, opts.ext ?? extension);
  venues.attach(device);
  return { name, host, device, venues };
}

/** Lets simulated time pass minute by minute: every phone ticks, the radio delivers once a minute. */
export async function passMinutes(world: SimWorld, phones: Phone[], minutes: number): Promise<void> {
  for (let m = 0; m < minutes; m++) {
    world.advance(60_000);
    for (const p of phones) await p.device.tick();
    world.deliver();
  }
}

export async function startPhones(phones: Phone[], tracing = true): Promise<void> {
  for (const p of phones) {
    await p.device.start();
    if (tracing) {
      await p.device.setConsent(true);
      const ok = await p.device.startTracing();
      if (!ok) throw new Error(`${p.name}: tracing did not start: ${p.device.view.bluetoothError}`);
    }
  }
}
