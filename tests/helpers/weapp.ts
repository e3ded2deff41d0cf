/**
 * Loads the real weapp build (dist/weapp) in miniprogram-simulate, following ../shared/SIMULATOR.md:
 * the official template compiler, a global Page() that turns Taro's page config into a component,
 * and `wx` globals supplied by the test (backed by simulated Bluetooth, camera and storage, and a
 * real HTTP server on loopback).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimPhone, type SimOptions } from '../../testkit/handset';
import type { SimWorld } from '../../testkit/world';
import type { Transport } from '../../testkit/handset/network';
import { agreeWhenAsked, fetchTransport, makePhone } from './phones';
import { startTestServer, type TestServer } from './server';

export const WEAPP_ROOT = join(__dirname, '../../dist/weapp');

type AnyFn = (...args: unknown[]) => unknown;
type Config = Record<string, unknown>;

export interface LoadedApp {
  app: Config;
  /** Renders a page (e.g. 'pages/home/index') with a query, attached to the document. */
  renderPage(route: string, query?: Record<string, string>): SimComponent;
}

export interface SimComponent {
  dom: HTMLElement;
  instance: Record<string, unknown>;
  /** miniprogram-simulate answers `undefined` (not null) when nothing matches. */
  querySelector(sel: string): { dom: HTMLElement; dispatchEvent(name: string, detail?: unknown): void; instance?: unknown } | undefined;
  querySelectorAll(sel: string): { dom: HTMLElement; dispatchEvent(name: string, detail?: unknown): void }[];
  attach(parent: Element): void;
  detach(): void;
}

function pageToComponent(cfg: Config, route: string, queryNow: () => Record<string, string>, pages: unknown[]) {
  const methods: Record<string, AnyFn> = {};
  for (const [k, v] of Object.entries(cfg)) if (typeof v === 'function') methods[k] = v as AnyFn;
  return {
    data: (cfg.data as object) ?? {},
    methods,
    lifetimes: {
      attached(this: Record<string, unknown>) {
        const query = queryNow();
        this.route = route;
        this.__route__ = route;
        this.options = query;
        pages.push(this);
        (methods.onLoad as AnyFn | undefined)?.call(this, query);
        (methods.onShow as AnyFn | undefined)?.call(this);
      },
      ready(this: Record<string, unknown>) {
        (methods.onReady as AnyFn | undefined)?.call(this);
      },
      detached(this: Record<string, unknown>) {
        (methods.onHide as AnyFn | undefined)?.call(this);
        (methods.onUnload as AnyFn | undefined)?.call(this);
        const k = pages.indexOf(this);
        if (k >= 0) pages.splice(k, 1);
      },
    },
  };
}

/** Which build to load: its folder, the script that starts it, and (a plug-in) the `wx` it sees and what runs first. */
export interface WeappBuild {
  root: string;
  entry: string;
  command: string;
  wx?: (phone: SimPhone['wx']) => SimPhone['wx'];
  before?: (phone: SimPhone) => void;
}

const WEAPP_BUILD: WeappBuild = { root: WEAPP_ROOT, entry: 'app.js', command: 'npm run build:weapp' };

/** APIs the WeChat host calls that miniprogram-simulate also mocks (src/api/index.js). */
const HOST_APIS_SIMULATE_MOCKS = [
  'createOffscreenCanvas',
  'getFileSystemManager',
  'canvasToTempFilePath',
  'saveImageToPhotosAlbum',
  'createWorker',
  'setClipboardData',
];

/** The URL the test build pins (config/index.js's default); the phones' transport sends it to the test server. */
const BUILT_URL = 'http://127.0.0.1:8080';

/** What the build's app.json declares for the location APIs and the background (the handset enforces it). */
export function builtDeclarations(root = WEAPP_ROOT): SimOptions['declarations'] {
  const file = join(root, 'app.json');
  if (!existsSync(file)) return undefined;
  const app = JSON.parse(readFileSync(file, 'utf8')) as { requiredPrivateInfos?: string[]; requiredBackgroundModes?: string[] };
  return { requiredPrivateInfos: app.requiredPrivateInfos ?? [], requiredBackgroundModes: app.requiredBackgroundModes ?? [] };
}

/**
 * A simulated handset whose mini-program talks to `serverUrl` (the build pinned BUILT_URL), with what
 * the build declares; `wrap` puts something between the phone and the server (a story that forges
 * an answer).
 */
export function weappPhone(
  world: SimWorld,
  serverUrl: string,
  opts: Omit<SimOptions, 'transport'> & { wrap?: (t: Transport) => Transport },
): SimPhone {
  const { wrap, ...rest } = opts;
  const transport = fetchTransport((u) => u.replace(BUILT_URL, serverUrl));
  return new SimPhone(world, { declarations: builtDeclarations(), ...rest, transport: wrap ? wrap(transport) : transport });
}

/**
 * Loads the weapp build on `phone`: its simulated `wx` becomes the global the build runs against, and
 * the build's `setInterval` runs on the phone's clock (the world's `run` fires it; it stops while the
 * phone's JavaScript is suspended). `setTimeout` stays real: React's scheduler in jsdom needs it.
 * The world's clock drives the faked Date, so the build, the server and the world tell one time.
 */
export function loadWeapp(phone: SimPhone, build: WeappBuild = WEAPP_BUILD): LoadedApp {
  const WEAPP_ROOT = build.root;
  const wx = build.wx ? build.wx(phone.wx) : phone.wx;
  const timers = phone.intervals();
  (globalThis as Record<string, unknown>).setInterval = timers.setInterval;
  (globalThis as Record<string, unknown>).clearInterval = timers.clearInterval;
  phone.world.onTime ??= (ms) => {
    if (dateFaked) jest.setSystemTime(ms);
  };
  phone.world.settle = () => new Promise((r) => setImmediate(r));
  if (!existsSync(join(WEAPP_ROOT, build.entry))) throw new Error(`${WEAPP_ROOT} is missing: run \`${build.command}\` first`);
  const g = globalThis as Record<string, unknown>;
  g.wx = wx;

  const simulate = require('miniprogram-simulate');
  // miniprogram-simulate merges its own mock API under the phone's on load (definition.js:
  // Object.assign(api, global.wx)): where the phone's WeChat lacks an API the host uses, the build
  // would find a mock in its place (a canvas without measureText, a file system that writes
  // nothing). Those mocks go: the API is absent, as on a WeChat without it.
  const merged = g.wx as Record<string, unknown>;
  for (const name of HOST_APIS_SIMULATE_MOCKS) if (!(name in wx)) delete merged[name];
  let app: Config = {};
  const pages: unknown[] = [];
  let pending: { route: string; query: Record<string, string> } = { route: '', query: {} };
  g.App = (cfg: Config) => {
    app = cfg;
  };
  g.getApp = () => app;
  g.getCurrentPages = () => pages;
  g.Page = (cfg: Config) => (g.Component as AnyFn)(pageToComponent(cfg, pending.route, () => pending.query, pages));
  // a page's chunk registers once per module registry: a page rendered again reuses its definition
  const loaded = new Map<string, string>();

  build.before?.(phone);
  require(join(WEAPP_ROOT, build.entry));
  (app.onLaunch as AnyFn | undefined)?.call(app, { path: 'pages/home/index', query: {}, scene: 1001 });
  (app.onShow as AnyFn | undefined)?.call(app, { path: 'pages/home/index', query: {}, scene: 1001 });
  return {
    app,
    renderPage(route, query = {}) {
      pending = { route, query };
      const id = loaded.get(route) ?? simulate.load(join(WEAPP_ROOT, route), { compiler: 'official', rootPath: WEAPP_ROOT });
      loaded.set(route, id);
      const comp = simulate.render(id) as SimComponent;
      comp.attach(document.createElement('parent-wrapper'));
      return comp;
    },
  };
}

/**
 * The `src` an <image> with this id shows. miniprogram-simulate does not model the built-in image
 * component (its element keeps no attributes), so this reads what the build's own template binds
 * to `src` (Taro stores attributes under short keys: `<image src="{{i.p4}}" …>` in base.wxml) from
 * the node with that id in the page's data.
 */
export function imageSrc(page: SimComponent, id: string): string | null {
  const m = /<image src="\{\{i\.(\w+)\}\}"/.exec(readFileSync(join(WEAPP_ROOT, 'base.wxml'), 'utf8'));
  if (!m) throw new Error('base.wxml has no <image src="{{i.…}}"> template');
  const src = nodeData(page, id)?.[m[1]];
  return typeof src === 'string' ? src : null;
}

/** The node with this id in the page's data (Taro's render tree: attributes under the template's short keys), or null. */
export function nodeData(page: SimComponent, id: string): Record<string, unknown> | null {
  const find = (node: unknown): Record<string, unknown> | null => {
    if (!node || typeof node !== 'object') return null;
    const n = node as Record<string, unknown>;
    if (n.uid === id) return n;
    for (const v of Object.values(n)) {
      const hit = find(v);
      if (hit) return hit;
    }
    return null;
  };
  return find((page.instance as { data?: unknown }).data);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check()` is truthy (re-rendering is asynchronous), or fails with what was last seen. */
export async function waitFor<T>(check: () => T, what: string, timeoutMs = 10000): Promise<T> {
  // counts polls rather than reading the clock: stories move Date to simulate the passing of days
  for (let waited = 0; ; waited += 20) {
    const v = check();
    if (v) return v;
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let dateFaked = false;

/**
 * Fakes only Date (timers stay real, so React and the HTTP server run normally): the story moves
 * the clock the weapp, the server and the simulated world all read — a SimWorld whose phone runs
 * the build moves it itself (loadWeapp).
 */
export function fakeDate(startMs: number): (ms: number) => void {
  const real = [
    'setTimeout',
    'clearTimeout',
    'setImmediate',
    'clearImmediate',
    'nextTick',
    'queueMicrotask',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'requestIdleCallback',
    'cancelIdleCallback',
    'hrtime',
    'performance',
    'setInterval',
    'clearInterval',
  ] as const;
  jest.useFakeTimers({ now: startMs, doNotFake: [...real] });
  dateFaked = true;
  return (ms: number) => jest.setSystemTime(ms);
}

/**
 * For stories that move the clock: fakes Date from `startMs` and starts a real server on loopback
 * whose clock is that Date, for the whole test file. Read `story.server` inside tests.
 */
export function clockedStory(startMs: number): { server: TestServer; setNow: (ms: number) => void } {
  const story = {} as { server: TestServer; setNow: (ms: number) => void };
  beforeAll(async () => {
    story.setNow = fakeDate(startMs);
    story.server = await startTestServer('sqlite', {}, { now: () => Math.floor(Date.now() / 1000) } as never);
  });
  afterAll(async () => {
    await story.server.stop();
    jest.useRealTimers();
    dateFaked = false;
  });
  return story;
}

/**
 * The user agrees in the mini-program's privacy prompt shown on `page`: taps WeChat's agree button
 * (`<button open-type="agreePrivacyAuthorization" id="agree-btn">`, whose tap WeChat records and
 * then fires `agreeprivacyauthorization`).
 */
export async function agreeToPrivacy(page: SimComponent, phone: SimPhone): Promise<void> {
  await waitFor(() => page.querySelector('#privacy-popup'), 'the privacy prompt');
  phone.tapPrivacyAgree('agree-btn');
  page.querySelector('#agree-btn')!.dispatchEvent('agreeprivacyauthorization');
  await waitFor(() => !page.querySelector('#privacy-popup'), 'the privacy prompt to close');
}

/**
 * The user of the built mini-program turns tracing on as a person does: the home page shows green,
 * Settings takes the consent, the home page's toggle starts tracing after the privacy prompt.
 */
export async function startTracingOnPages(
  renderPage: LoadedApp['renderPage'],
  phone: SimPhone,
): Promise<{ home: SimComponent; settings: SimComponent }> {
  const home = renderPage('pages/home/index');
  await waitFor(() => home.querySelector('#status')?.dom.textContent === 'Green', 'green at first');
  const settings = renderPage('pages/settings/index');
  await waitFor(() => settings.querySelector('#consent'), 'settings');
  settings.querySelector('#consent')!.dispatchEvent('tap');
  await waitFor(() => settings.querySelector('#consent-state'), 'consent given');
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await agreeToPrivacy(home, phone);
  await waitFor(() => home.querySelector('#tracing-state')?.dom.textContent === 'Tracing is on', 'tracing on');
  return { home, settings };
}

/**
 * Phone A (the device services on a simulated host) comes and stays beside the others for
 * `minutes`, tracing; every phone's JavaScript runs each minute (their ticks, the rpi rotations).
 */
export async function besideFor(world: SimWorld, serverUrl: string, minutes: number): Promise<ReturnType<typeof makePhone>> {
  const a = makePhone(world, 'A', serverUrl, { position: { x: 1, y: 0 } });
  await a.device.start();
  await a.device.setConsent(true);
  agreeWhenAsked(a);
  expect((await a.device.startTracing()).ok).toBe(true);
  for (let m = 0; m < minutes; m++) {
    await world.run(60_000);
    world.deliver();
    await sleep(5); // lets the sightings' host callbacks (asynchronous, like WeChat's) finish within the minute
  }
  return a;
}
