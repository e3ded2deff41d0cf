/**
 * The Web Worker that runs the built matching worker (dist/h5/workers/index.js, the same script the
 * weapp build ships) inside the globals WeChat gives a worker, as testkit/node-worker.ts does with
 * Node's worker_threads: `worker` (onMessage / postMessage) and `WXWebAssembly.instantiate(path,
 * imports)` reading the .wasm from the built package by its path (WXWebAssembly: base library 2.13;
 * in workers 2.15). No `wx` inside ("Worker 内不支持 wx 系列的 API"). The browser's WebAssembly has
 * SIMD (Chromium 91+), as WeChat 8.0.25+ does.
 *
 * Started as `worker-boot.js?app=<base URL of the H5 build>&script=<path in the package>`.
 */
/** The worker's global scope, as much of it as this uses (the repository's TypeScript sees DOM types, not a worker's). */
const scope = globalThis as unknown as {
  location: { search: string; href: string };
  addEventListener(type: 'message', cb: (e: { data: unknown }) => void): void;
  postMessage(m: unknown): void;
  importScripts(...urls: string[]): void;
};

const params = new URLSearchParams(scope.location.search);
const g = globalThis as Record<string, unknown>;
/** The built package's root: the worker script and the .wasm files are read relative to it. */
const root = new URL(params.get('app') ?? '../app/', scope.location.href);
const script = params.get('script') ?? 'workers/index.js';

g.worker = {
  onMessage: (cb: (m: unknown) => void) => scope.addEventListener('message', (e) => cb(e.data)),
  postMessage: (m: unknown) => scope.postMessage(m),
};
g.WXWebAssembly = {
  instantiate: async (path: string, imports: WebAssembly.Imports) => {
    const r = await fetch(new URL(path.replace(/^\//, ''), root));
    if (!r.ok) throw new Error(`WXWebAssembly.instantiate: ${path} not in the package (${r.status})`);
    return WebAssembly.instantiate(await r.arrayBuffer(), imports);
  },
};
scope.importScripts(new URL(script, root).href);
