/**
 * The playground's web server (node:http, loopback): the page and its script (dist/playground), the
 * H5 build (dist/h5, under /app/), and the key server's API under the same origin — so that every
 * phone's frame and the page are one origin, and the page can hand each frame its `wx`.
 *
 * - `/app/index.html` is the build's own, with one line put first into its <head>: the frame asks
 *   the page for its phone (`parent.prtcPlayground.attach(window)`) before any of the app's scripts
 *   run, as WeChat's globals exist before a mini-program's code.
 * - `/v1/…` goes to the key server as it came, less one header: `x-prtc-sim-time`, the simulated
 *   world's time, which the server's clock follows (batches, codes and signed checkpoints are dated
 *   in the world's time, as the phones' own clocks are). No client address is forwarded.
 * - `POST /playground/publish` publishes what was uploaded (the server's timer is off).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

export const SIM_TIME_HEADER = 'x-prtc-sim-time';

/** The line the frame runs first (see above). */
export const ATTACH_LINE = '<script>parent.prtcPlayground.attach(window)</script>';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface PlaygroundServerOptions {
  /** dist/playground: index.html, playground.js, playground.css, worker-boot.js. */
  pageDir: string;
  /** dist/h5: the H5 build. */
  appDir: string;
  keyServerUrl: string;
  /** config.json, as the page reads it. */
  config: () => unknown;
  /** The simulated world's time came with a request (Unix ms). */
  onSimTime: (ms: number) => void;
  publish: () => Promise<number[]>;
  host?: string;
  port?: number;
}

export interface PlaygroundServer {
  url: string;
  close(): Promise<void>;
}

/** A file under `dir` for a URL path, or null (outside it, missing, a folder). */
function fileUnder(dir: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const root = realpathSync(dir);
  const file = resolve(root, `.${sep}${rel}`);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startPlaygroundServer(o: PlaygroundServerOptions): Promise<PlaygroundServer> {
  const simTime = (req: IncomingMessage) => {
    const v = Number(req.headers[SIM_TIME_HEADER]);
    if (Number.isFinite(v) && v > 0) o.onSimTime(v);
  };

  const proxy = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    simTime(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      // hop-by-hop headers, the host, and the simulated time stay here
      if (['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', SIM_TIME_HEADER].includes(k)) continue;
      if (typeof v === 'string') headers[k] = v;
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    const r = await fetch(`${o.keyServerUrl}${path}`, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined });
    const out: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
    });
    res.writeHead(r.status, out);
    res.end(new Uint8Array(await r.arrayBuffer()));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://playground');
    const path = url.pathname;
    if (path.startsWith('/v1/')) return proxy(req, res, `${path}${url.search}`);
    if (path === '/playground/publish' && req.method === 'POST') {
      simTime(req);
      try {
        return send(res, 200, TYPES['.json'], JSON.stringify({ batches: await o.publish() }));
      } catch (e) {
        return send(res, 500, TYPES['.json'], JSON.stringify({ error: (e as Error).message }));
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
    if (path === '/config.json') return send(res, 200, TYPES['.json'], JSON.stringify(o.config()));
    if (path === '/app/' || path === '/app/index.html') {
      const html = readFileSync(join(o.appDir, 'index.html'), 'utf8');
      return send(
        res,
        200,
        TYPES['.html'],
        html.replace(/<head>/i, (m) => `${m}${ATTACH_LINE}`),
      );
    }
    const file = path.startsWith('/app/') ? fileUnder(o.appDir, path.slice(4)) : fileUnder(o.pageDir, path === '/' ? '/index.html' : path);
    if (!file) return send(res, 404, 'text/plain', 'not found');
    return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) send(res, 502, 'text/plain', `playground: ${e.message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((r, j) => {
    server.once('error', j);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => r());
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.address}:${a.port}/`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
