/**
 * The /venue page's script is bundled at build time (`npm run build -- venue`); the server only serves
 * the file. Missing, it answers 503 in plain words (no stack, no path) and logs once what to run;
 * built afterwards, it is served without a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { venueRoutes } from '../../server/http/venue/routes';

let dir: string;
let base: string;
let server: ReturnType<Koa['listen']>;
const logged: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prtc-venue-script-'));
  const app = new Koa();
  app.use(venueRoutes({ linkHost: 'prtc.example', errorLog: (m) => logged.push(m), scriptFile: join(dir, 'venue.js') }).routes());
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections(); // fetch keeps its connection alive; the worker must not wait for it
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

test('not built: 503 in plain words and one log line naming the build; the page itself is still served', async () => {
  for (let k = 0; k < 3; k++) {
    const r = await fetch(`${base}/venue/static/venue.js`);
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const body = await r.text();
    expect(body).toBe('The page script is not available on this server.');
  }
  expect(logged).toHaveLength(1);
  expect(logged[0]).toContain('npm run build -- venue');
  expect(logged[0]).toContain('ENOENT');
  const page = await fetch(`${base}/venue`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<script src="/venue/static/venue.js" defer></script>');
});

test('built: the file as the build wrote it, as JavaScript, under the page CSP', async () => {
  const script = '(()=>{document.title="built"})();\n';
  writeFileSync(join(dir, 'venue.js'), script);
  const r = await fetch(`${base}/venue/static/venue.js`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(r.headers.get('content-security-policy')).toContain("connect-src 'none'");
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  expect(await r.text()).toBe(script);
});
