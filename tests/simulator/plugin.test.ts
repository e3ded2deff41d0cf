/**
 * The health code as a WeChat plug-in (npm run build:plugin → dist/weapp-plugin), in
 * miniprogram-simulate: the plug-in's page runs on a `wx` without the APIs WeChat withholds from
 * plug-ins (they "do not exist under wx", framework/plugin/api-limit; wx.getRandomValues and the
 * privacy-guide APIs say "小程序插件：不支持"), and the host mini-program's export file (bridge.js, as
 * built) lends them through requireMiniProgram(). The host's app.json points at the plug-in. The
 * plug-in matches in its own worker (plugin.json `workers`, wx.createWorker and WXWebAssembly in
 * plug-ins from base library 2.18.1), run from the plug-in's built package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PLUGIN_LACKS } from '../../miniprogram/host/plugin/bridge';
import { SimWorld } from '../../testkit/world';
import { startTestServer, uploadOneKeyAndPublish, type TestServer } from '../helpers/server';
import { fakeDate, loadWeapp, waitFor, weappPhone, type LoadedApp } from '../helpers/weapp';
import { nodeWorker, type NodeWorkerThread } from '../../testkit/node-worker';

const ROOT = resolve(__dirname, '..', '..', 'dist', 'weapp-plugin');
const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const world = new SimWorld(T0);
let server: TestServer;
let renderPage: LoadedApp['renderPage'];
/** The plug-in's worker threads, and the operations the page thread sent them. */
const threads: NodeWorkerThread[] = [];
const sent: string[] = [];

/** The plug-in's wx: the phone's, without what WeChat withholds from plug-ins. */
function pluginWx(wx: object): never {
  const hidden = new Set<string | symbol>(PLUGIN_LACKS);
  return new Proxy(wx, {
    get: (t, k) => (hidden.has(k) ? undefined : Reflect.get(t, k)),
    has: (t, k) => !hidden.has(k) && Reflect.has(t, k),
  }) as never;
}

beforeAll(async () => {
  fakeDate(T0);
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(Date.now() / 1000) } as never);
  const start = nodeWorker({ root: join(ROOT, 'plugin') });
  const phone = weappPhone(world, server.url, {
    name: 'P',
    worker: (path) => {
      const t = start(path);
      threads.push(t);
      return { ...t, postMessage: (m: unknown) => (sent.push(String((m as { op?: string }).op)), t.postMessage(m)) };
    },
  });
  ({ renderPage } = loadWeapp(phone, {
    root: join(ROOT, 'plugin'),
    entry: 'index.js',
    command: 'npm run build:plugin',
    wx: pluginWx,
    before: (p) => {
      // the host mini-program's export file, as built, run against the host's own (full) wx
      const source = readFileSync(join(ROOT, 'miniprogram', 'bridge.js'), 'utf8');
      const mod = { exports: {} as unknown };
      new Function('wx', 'module', 'exports', source)(p.wx, mod, mod.exports);
      (globalThis as Record<string, unknown>).requireMiniProgram = () => mod.exports;
      // a plug-in's page is a Component whose instance WeChat lists in getCurrentPages()
      (globalThis as Record<string, unknown>).getCurrentPages = () => [{ route: 'pages/health-code/index', options: {} }];
    },
  }));
});
afterAll(async () => {
  threads.splice(0).forEach((t) => t.terminate());
  await server.stop();
  jest.useRealTimers();
});

test('the host mini-program declares the plug-in and its export file; the plug-in declares its page and interface', () => {
  const app = JSON.parse(readFileSync(join(ROOT, 'miniprogram', 'app.json'), 'utf8'));
  expect(app.plugins.prtc).toMatchObject({ export: 'bridge.js' });
  const plugin = JSON.parse(readFileSync(join(ROOT, 'plugin', 'plugin.json'), 'utf8'));
  expect(plugin).toMatchObject({ pages: { 'health-code': 'pages/health-code/index' }, main: 'index.js', workers: 'workers' });
  // the worker inside the plug-in's workers folder, its WebAssembly outside it (that folder packs .js only)
  for (const f of ['workers/index.js', 'wasm/rpi-simd.wasm', 'wasm/rpi.wasm']) expect(existsSync(join(ROOT, 'plugin', f))).toBe(true);
  const project = JSON.parse(readFileSync(join(ROOT, 'project.config.json'), 'utf8'));
  expect(project).toMatchObject({ compileType: 'plugin', miniprogramRoot: 'miniprogram/', pluginRoot: 'plugin/' });
});

test('the plug-in page, on a wx without getRandomValues, makes its key through the bridge, shows the status and renders the health code', async () => {
  const up = await uploadOneKeyAndPublish(server, T0 / 1000);
  expect(up.status).toBe(201);
  const page = renderPage('pages/health-code/index');
  await waitFor(() => page.querySelector('#status'), 'the plug-in page');
  // the launch sync verifies the published list; then the code a gate scans is on screen
  await waitFor(() => page.querySelector('#qr'), 'the health code', 30000);
  expect(page.querySelector('#status')!.dom.textContent).toMatch(/Green|绿码/);
  // the tek was made with the host mini-program's wx.getRandomValues, lent through bridge.js
  const tek = (globalThis as unknown as { wx: { getStorageSync(k: string): unknown } }).wx.getStorageSync('prtc.tek');
  expect(String(tek)).toMatch(/"tek":"[0-9a-f]{64}"/);
  // the published batch was matched in the plug-in's worker, not on the host mini-program's page thread
  expect(threads).toHaveLength(1);
  expect(sent).toEqual(expect.arrayContaining(['begin', 'batch']));
});
