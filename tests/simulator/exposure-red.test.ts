/**
 * Story 2 — exposure to red on the real weapp build. Phone B is the mini-program (pages driven in
 * miniprogram-simulate); phone A is the same device services on a simulated host. They share one
 * simulated radio and a real server on loopback; Date is moved so that 20 minutes side by side and
 * the next day's upload happen in a second — and the two weeks until the code is green again.
 */
import { SimWorld } from '../../testkit/world';
import { DEFAULT_ADVICE } from '../../shared/risk/advice';
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
  // after 20 minutes and two rpi changes B still advertises (frame S: rpi || aem, 20 bytes, beside the marker)
  expect(b.advertising?.manufacturerData?.[0].manufacturerSpecificData.byteLength).toBe(20);
  expect(b.advertising?.serviceUuids).toEqual(['FFF7']);
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
  expect(reasons).toContain('Fri 20 Nov, morning');
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
  await waitFor(() => exposure.dom.textContent?.includes('Fri 20 Nov'), 'exposure details');
  // why, as coarse as a reason may be: the day and its weekday, the part of the day, a band, how close
  expect(exposure.querySelector('#reason-0')!.dom.textContent).toBe(
    '✕ Red · Fri 20 Nov, morning: near a phone whose owner later tested positive, for 10 to 30 minutes, close by.',
  );
  expect(exposure.dom.textContent).not.toMatch(/\d+ min(?!utes)|09:[0-5]\d/); // no minute count, no time of the interval
  expect(exposure.querySelector('#reason-until-0')!.dom.textContent).toBe('Counts towards your status until Sat 5 Dec, 00:00.');
  // until when, what turns it green, and the advice (the server's default: nothing published yet)
  expect(home.querySelector('#until-green')!.dom.textContent).toBe(
    'If nothing new is found, your code turns green from Sat 5 Dec, 00:00 (in 14 days).',
  );
  expect(home.querySelector('#turns-green')!.dom.textContent).toMatch(
    /^Only time turns it green: .* A negative test result does not change the code\.$/,
  );
  expect(home.querySelector('#until-on-code')!.dom.textContent).toBe('✕ Red until Sat 5 Dec, 00:00 (in 14 days) if nothing new is found');
  expect(home.querySelector('#advice-now')!.dom.textContent).toBe(DEFAULT_ADVICE.red.en.now);

  // the days pass; on its day the countdown reaches green by itself (the phone's tick), at 00:00 UTC
  const greenAt = Date.UTC(2026, 11, 5);
  world.advance(greenAt - 20 * 3600_000 - world.timeMs);
  await world.run(20_000);
  await waitFor(() => home.querySelector('#until-on-code')?.dom.textContent?.includes('(in 19 h)'), 'the countdown in hours');
  world.advance(20 * 3600_000 - 60_000 - 20_000);
  await world.run(30_000);
  expect(home.querySelector('#status')!.dom.textContent).toBe('Red'); // 30 s before
  await world.run(60_000);
  await waitFor(() => home.querySelector('#status')?.dom.textContent === 'Green', 'green on its day');
  expect(home.querySelector('#until-green')).toBeFalsy();
  expect(home.querySelector('#until-on-code')).toBeFalsy();
  expect(home.querySelector('#advice-now')!.dom.textContent).toBe(DEFAULT_ADVICE.green.en.now);
  expect(home.querySelector('#reasons')!.dom.textContent).toBe('Nothing to report.');
});
