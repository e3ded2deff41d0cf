/**
 * A phone of the playground: testkit's simulated handset (SimPhone) on the page's one SimWorld, with
 * the browser's equivalents of what the tests give it in Node — chosen here, at bundle time, since
 * this file is bundled for the browser and testkit/node-worker.ts never is:
 * - the worker thread: a Web Worker running the built matching worker (worker-boot.ts) in place of
 *   Node's worker_threads;
 * - the canvas: the browser's OffscreenCanvas in place of @napi-rs/canvas;
 * - randomness: crypto.getRandomValues (the handset's default), or a seeded stream for pictures
 *   that must come out the same every time;
 * - the network: fetch to the playground's own origin, which hands /v1/ to the key server.
 *
 * `attach` makes a phone's frame (the H5 build in an iframe) that phone: before the app's scripts
 * run, the frame gets the handset's `wx` as WeChat gives a mini-program its global, and the
 * JavaScript engine's clock on the world's — `Date` and `setInterval` — as the simulator stories
 * install them for the weapp build (tests/helpers/weapp.ts). `setTimeout` stays the browser's.
 */
import type { Language } from '../../../miniprogram/host/types';
import type { WxOffscreenCanvas } from '../../../miniprogram/host/wechat/wx';
import { SimPhone, type SimWorkerThread, type Transport } from '../../../testkit/handset';
import { seededRandom } from '../../../testkit/random';
import { intoRealm, type Realm } from './realm';
import type { SimWorld } from '../../../testkit/world';

/** The header that tells the playground's server what time it is in the simulated world (its clock follows). */
export const SIM_TIME_HEADER = 'x-prtc-sim-time';

/** HTTP to the key server through the playground's origin: the build's pinned server URL, whatever it is, becomes this origin's /v1/. */
export function sameOriginTransport(world: SimWorld): Transport {
  return async (req) => {
    const u = new URL(req.url);
    const r = await fetch(`${location.origin}${u.pathname}${u.search}`, {
      method: req.method,
      headers: { ...req.headers, [SIM_TIME_HEADER]: String(world.timeMs) },
      body: req.body ? new Uint8Array(req.body) : undefined,
    });
    const headers: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { status: r.status, headers, body: new Uint8Array(await r.arrayBuffer()) };
  };
}

/** wx.createWorker's thread: the built worker script in a Web Worker (see worker-boot.ts). */
export function webWorkerThreads(appBase: string): (scriptPath: string) => SimWorkerThread {
  return (scriptPath) => {
    const url = new URL('worker-boot.js', location.href);
    url.searchParams.set('app', new URL(appBase, location.href).href);
    url.searchParams.set('script', scriptPath);
    const w = new Worker(url);
    return {
      postMessage: (m) => w.postMessage(m),
      onMessage: (cb) => w.addEventListener('message', (e) => cb(e.data)),
      terminate: () => w.terminate(),
    };
  };
}

/** wx.createOffscreenCanvas({ type: '2d' }) over the browser's OffscreenCanvas. */
export function offscreenCanvas(width: number, height: number): WxOffscreenCanvas {
  return new OffscreenCanvas(width, height) as unknown as WxOffscreenCanvas;
}

export interface PhoneSpec {
  name: string;
  language: Language;
  position: { x: number; y: number };
  /** A seed makes the phone's secrets the same every run (the screenshots); none: crypto.getRandomValues. */
  seed?: string;
}

export function browserPhone(world: SimWorld, spec: PhoneSpec, appBase: string): SimPhone {
  return new SimPhone(world, {
    name: spec.name,
    language: spec.language,
    position: spec.position,
    transport: sameOriginTransport(world),
    canvas: offscreenCanvas,
    worker: webWorkerThreads(appBase),
    ...(spec.seed ? { random: seededRandom(`${spec.seed}/${spec.name}`) } : {}),
  });
}

/** What the frame's window gets: the globals WeChat and its JavaScript engine would give the app. */
interface FrameGlobals {
  wx?: unknown;
  document: { documentElement: { lang: string } };
  Date: DateConstructor;
  setInterval: unknown;
  clearInterval: unknown;
  addEventListener(type: 'pagehide', cb: () => void): void;
}

/**
 * Gives the frame's window this phone's `wx` (handing values of the frame's realm), its clock (`Date` on the phone's time: the world's
 * plus its skew) and `setInterval` on the world's timers (stopped while the phone's JavaScript is
 * suspended). Intervals of a frame that goes away (reloaded) are cleared with it.
 */
export function attachFrame(phone: SimPhone, win: FrameGlobals & Realm): void {
  // the frame is another JavaScript realm: what its wx gives is made in the frame's (realm.ts)
  win.wx = intoRealm(win, phone.wx);
  // the language WeChat shows the page in (BCP 47 for the browser's own use: fonts, screen readers)
  win.document.documentElement.lang = phone.language.replace('_', '-');
  const timers = phone.intervals();
  const live = new Set<number>();
  win.setInterval = (fn: () => void, ms: number) => {
    const id = timers.setInterval(fn, ms);
    live.add(id);
    return id;
  };
  win.clearInterval = (id: number) => {
    live.delete(id);
    timers.clearInterval(id);
  };
  win.addEventListener('pagehide', () => {
    for (const id of live) timers.clearInterval(id);
    live.clear();
  });
  const RealDate = win.Date;
  const now = () => phone.nowMs();
  class PhoneDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string]));
    }
    static override now(): number {
      return now();
    }
  }
  win.Date = PhoneDate as DateConstructor;
}
