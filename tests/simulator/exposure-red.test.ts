/**
 * Story 2 — exposure to red on the real weapp build. Phone B is the mini-program (pages driven in
 * miniprogram-simulate); phone A is the same device services on a simulated host. They share one
 * simulated radio and a real server on loopback; Date is moved so that 20 minutes side by side and
 * the next day's upload happen in a second.
 */
import { SimWorld } from '../../testkit/world';
import { besideFor, clockedStory, loadWeapp, startTracingOnPages, waitFor, weappPhone } from '../helpers/weapp';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const story = clockedStory(T0);

test('20 minutes next to someone who later tests positive turns home red, with the reason', async () => {
  const world = new SimWorld(T0);
  const b = weappPhone(world, story.server.url, { name: 'B', position: { x: 0, y: 0 } });
  const { renderPage } = loadWeapp(b);
  const { home } = await startTracingOnPages(renderPage, b);
  const a = await besideFor(world, story.server.url, 20);
  await world.run(15_000); // the page shows what B heard at its next tick
  // minutes 9:01 … 9:20 span three ENINs (9:00, 9:10, 9:20): B heard three rpis of A
  await waitFor(() => /^3 /.test(home.querySelector('#encounters')?.dom.textContent ?? ''), 'the three rpis of A on the page');
  // after 20 minutes and two rpi changes B still advertises (frame M: 23 bytes of manufacturer data)
  expect(b.advertising?.manufacturerData?.[0].manufacturerSpecificData.byteLength).toBe(23);
  await a.device.stopTracing();

  // the next day A tests positive, uploads with a real code, and the server publishes
  world.advance(26 * 3600_000);
  story.setNow(world.timeMs);
  const clinic = await story.server.services.authority.authenticate(await story.server.services.authority.createToken('clinic'));
  const { code } = await story.server.services.authority.issueCode(clinic);
  const uploaded = await a.device.upload(code, [], false);
  expect(story.server.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  expect(uploaded.text).not.toMatch(/fail/i);
  expect(uploaded.ok).toBe(true);
  expect(await story.server.services.publishing.publish()).toEqual([1]);

  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#status')?.dom.textContent === 'Red', 'red after sync');
  const reasons = home.querySelector('#reasons')!.dom.textContent!;
  expect(reasons).toContain('On 20 Nov');
  expect(reasons).toMatch(/Bluetooth|nearby|near/i);
  expect(home.querySelector('#qr')).toBeTruthy();
  expect(home.querySelector('#qr-missing')).toBeFalsy();
  // while the code is on screen: full brightness, screen kept on, hidden from screen capture
  await waitFor(() => b.screenState.brightness === 1, 'full brightness');
  expect(b.screenState).toEqual({ keepOn: true, brightness: 1, hiddenFromCapture: true }); // a health code now that a sync has verified the keys
  expect(home.querySelector('#last-sync')!.dom.textContent).not.toMatch(/never/i);

  // leaving the page puts the phone's own brightness (0.4) back; tracing still keeps the screen on
  (home.instance.onHide as () => void).call(home.instance);
  await waitFor(() => b.screenState.brightness === 0.4, 'brightness restored');
  expect(b.screenState).toEqual({ keepOn: true, brightness: 0.4, hiddenFromCapture: false });

  const exposure = renderPage('pages/exposure/index');
  await waitFor(() => exposure.dom.textContent?.includes('On 20 Nov'), 'exposure details');
  expect(exposure.dom.textContent).toMatch(/2[0-9] min|1[5-9] min/);
});
