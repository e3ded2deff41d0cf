/**
 * §8: "regenerated every 30 s while shown" — on the real weapp build. The simulated world's clock
 * is the build's Date and runs its intervals (everything else runs for real: the server on loopback,
 * the sync, React's rendering), so 30 s pass at once. The QR on the page is compared with the QR of the code
 * the test builds itself from the server's signed root (§15) and the times it expects.
 */
import { SimWorld } from '../../testkit/world';
import { qrDataUrl } from '../../miniprogram/ui/qr';
import { rootFromJson } from '../../shared/api/heads';
import type { RootJson } from '../../shared/api/types';
import { encodeHealthCode } from '../../shared/protocol/healthcode';
import { fakeDate, imageSrc, loadWeapp, weappPhone, waitFor, type LoadedApp } from '../helpers/weapp';
import { startTestServer, uploadOneKeyAndPublish, type TestServer } from '../helpers/server';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0); // a whole second, so the code's times are exact
let server: TestServer;
let renderPage: LoadedApp['renderPage'];
const world = new SimWorld(T0);

beforeAll(async () => {
  fakeDate(T0); // Date stands still until the world moves it
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(Date.now() / 1000) } as never);
  const b = weappPhone(world, server.url, { name: 'B' });
  ({ renderPage } = loadWeapp(b));
});
afterAll(async () => {
  await server.stop();
  jest.useRealTimers();
});

test('the health code on the home page is made again every 30 s with the new time, and only then', async () => {
  // one published batch, so the phone has a signed checkpoint to put in its code
  const up = await uploadOneKeyAndPublish(server, T0 / 1000);
  expect(up.status).toBe(201);
  expect(up.published).toEqual([1]);
  // §15: the code carries the signed root over the regions' chains the server serves
  const served = (await (await fetch(`${server.url}/v1/regions`)).json()) as { root: RootJson };
  const root = rootFromJson(served.root);

  const home = renderPage('pages/home/index');
  await waitFor(() => home.querySelector('#sync'), 'the home page');
  // no code before the first verified sync: the code appears with a check's time, never beside "Not
  // checked yet" (on a loaded machine the launch's own sync can end before the page is first read)
  if (home.querySelector('#qr')) expect(home.querySelector('#last-sync')!.dom.textContent).not.toMatch(/Not checked yet/);
  else expect(home.querySelector('#qr-missing')!.dom.textContent).toMatch(/Check for exposures once to get a health code/);
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#qr'), 'a health code after the sync', 30000); // generous: the whole suite may be running beside it
  // the 30 s ticker starts in an effect after the render: under load it can come after the clock
  // moved, and then fire 30 s after that instead (seen failing on a loaded machine)
  await waitFor(() => world.hasInterval(30_000), 'the 30 s ticker');
  // and the sync has finished (its last updates re-render the page: at t0 while the clock stands,
  // at a later second once it moves)
  await waitFor(
    () => home.querySelector('#sync')!.dom.getAttribute('disabled') !== 'true' && !/Checking/.test(home.dom.textContent ?? ''),
    'the sync to end',
  );
  await new Promise((r) => setTimeout(r, 100));

  const t0 = T0 / 1000;
  const expected = (issuedAt: number) => qrDataUrl(encodeHealthCode({ status: 'green', issuedAt, statusComputedAt: t0, root }));
  const src = () => imageSrc(home, 'qr');
  expect(src()).toBe(expected(t0));

  await world.run(29_000);
  await new Promise((r) => setTimeout(r, 50)); // any render it caused would be done by now
  expect(src()).toBe(expected(t0)); // 29 s later: the same code

  await world.run(1_000);
  await waitFor(() => src() === expected(t0 + 30), 'the code made again at 30 s');

  await world.run(30_000);
  await waitFor(() => src() === expected(t0 + 60), 'and again at 60 s');
});
