/**
 * Every page of the real weapp build in every state a person meets, in one language: the story of
 * phone B (the mini-program, in miniprogram-simulate) from its first launch to red, with a venue,
 * a gate, a report and its history. Returns what each page said in each state, and the titles it
 * set, for the language suites (tests/simulator/language-*.test.ts) to check — in the language's
 * script, and without the states that confused people (stale messages, "0/0", "0 min ago").
 */
import { SimWorld } from '../../testkit/world';
import type { SimPhone } from '../../testkit/handset';
import type { Language } from '../../miniprogram/host/types';
import { t } from '../../miniprogram/i18n';
import { agreeToPrivacy, loadWeapp, sleep, waitFor, weappPhone, type SimComponent } from './weapp';
import { agreeWhenAsked, makePhone, type Phone } from './phones';
import { venueLinkCli } from './run-tool';
import type { TestServer } from './server';

export interface Rendered {
  /** `page/state` → the page's text. */
  texts: Record<string, string>;
  /** Titles set with wx.setNavigationBarTitle, in order. */
  titles: string[];
  /** User data shown on pages (venue names), not interface text. */
  userData: string[];
  phone: SimPhone;
  /** Where "back" went from the check-in page the scanner opened. */
  backTo: string;
}

const VENUE = { en: 'Corner Cafe', zh_CN: '街角咖啡馆', zh_TW: '街角咖啡館', zh_HK: '街角咖啡館' } as const;

export async function renderEveryPage(
  lang: Language,
  story: { server: TestServer; setNow: (ms: number) => void },
  t0: number,
): Promise<Rendered> {
  const texts: Record<string, string> = {};
  const world = new SimWorld(t0);
  const b = weappPhone(world, story.server.url, { name: 'B', language: lang, position: { x: 0, y: 0 } });
  const { renderPage } = loadWeapp(b);
  const snap = (key: string, page: SimComponent) => {
    texts[key] = page.dom.textContent ?? '';
  };

  // 1. first launch, offline: never checked (the launch's own check fails)
  b.networkUp = false;
  const home = renderPage('pages/home/index');
  await waitFor(() => home.querySelector('#status') && b.store.has('prtc.history'), 'home after the launch check');
  await sleep(50);
  snap('home/first-launch', home);
  b.networkUp = true;

  // 2. tracing asked for before consent, then consent given in settings: the message goes
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#message')?.dom.textContent === t(lang, 'needConsent'), 'the consent message');
  snap('home/needs-consent', home);
  const settings = renderPage('pages/settings/index');
  await waitFor(() => settings.querySelector('#consent'), 'settings');
  snap('settings/no-consent', settings);
  settings.querySelector('#consent')!.dispatchEvent('tap');
  await waitFor(() => settings.querySelector('#consent-state'), 'consent given');
  snap('settings/consent', settings);
  await sleep(50);
  snap('home/after-consent', home);

  // 3. tracing: the privacy prompt, then Bluetooth off, then on
  b.setBluetooth(false);
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#privacy-popup'), 'the privacy prompt');
  snap('home/privacy-prompt', home);
  await agreeToPrivacy(home, b);
  await waitFor(() => home.querySelector('#bt-error'), 'the Bluetooth problem');
  snap('home/bluetooth-off', home);
  b.setBluetooth(true);
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#encounters') && !home.querySelector('#bt-error'), 'tracing on');

  // 4. a check on a slow connection (what it says while it runs), finding that the server has
  // published no key list yet
  b.networkDelayMs = 400;
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#progress'), 'a check in progress');
  snap('home/checking', home);
  b.networkDelayMs = 0;
  await waitFor(() => b.store.has('prtc.history') && !home.querySelector('#progress'), 'a check');
  await sleep(100);
  snap('home/no-lists-yet', home);

  // 5. two phones nearby: A for 5 minutes (yellow later), C for 20 minutes (red later)
  const a = makePhone(world, 'A', story.server.url, { position: { x: 1, y: 0 } });
  const c = makePhone(world, 'C', story.server.url, { position: { x: 0, y: 1 } });
  for (const p of [a, c]) {
    await p.device.start();
    await p.device.setConsent(true);
    agreeWhenAsked(p);
    await p.device.startTracing();
  }
  for (let m = 0; m < 20; m++) {
    if (m === 5) await a.device.stopTracing();
    await world.run(60_000);
    world.deliver();
    await sleep(5);
  }
  await c.device.stopTracing();
  await world.run(15_000);
  snap('home/tracing', home);

  // 6. the next day A reports: a check turns B yellow
  world.advance(26 * 3600_000);
  story.setNow(world.timeMs);
  const clinic = await story.server.services.authority.authenticate(await story.server.services.authority.createToken(`clinic-${lang}`));
  const report = async (p: Phone) => {
    const { code } = await story.server.services.authority.issueCode(clinic);
    expect((await p.device.upload(code, [], false)).ok).toBe(true);
    await story.server.services.publishing.publish();
  };
  await report(a);
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#status-block')?.dom.className.includes('status-yellow'), 'yellow');
  await sleep(50);
  snap('home/yellow', home);
  world.advance(3600_000);
  story.setNow(world.timeMs);
  await report(c);
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#status-block')?.dom.className.includes('status-red'), 'red');
  await sleep(50);
  snap('home/red', home);
  const exposure = renderPage('pages/exposure/index');
  await waitFor(() => exposure.querySelector('#reason-0'), 'the reasons');
  snap('exposure/red', exposure);

  // 7. the server cannot be reached
  b.networkUp = false;
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#message')?.dom.textContent === t(lang, 'syncOffline'), 'the offline message');
  snap('home/offline', home);
  b.networkUp = true;

  // 8. venues: a refused code, a venue, a check-in, and a poster scanned with WeChat's own scanner
  const venue = venueLinkCli(VENUE[lang]);
  const checkin = renderPage('pages/checkin/index');
  await waitFor(() => checkin.querySelector('#scan'), 'check-in');
  snap('checkin/empty', checkin);
  b.cameraQueue.push('WIFI:S:cafe;T:WPA;P:secret;;');
  checkin.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#checkin-error'), 'a refusal');
  snap('checkin/refused', checkin);
  b.cameraQueue.push(venue);
  checkin.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#venue-desc'), 'the venue');
  snap('checkin/scanned', checkin);
  checkin.querySelector('#stay-45')!.dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#current'), 'checked in');
  snap('checkin/checked-in', checkin);
  const fromScanner = renderPage('pages/checkin/index', {
    q: encodeURIComponent(venue),
    scancode_time: String(Math.floor(world.timeMs / 1000)),
  });
  await waitFor(() => fromScanner.querySelector('#venue-desc'), 'the venue from the q parameter');
  snap('checkin/from-wechat-scanner', fromScanner);
  // opened by the scan, it is the first page: "back" goes home instead of doing nothing
  const navigated = b.navigations.length;
  fromScanner.querySelector('#back')!.dispatchEvent('tap');
  await waitFor(() => b.navigations.length > navigated, 'the way back');
  const backTo = b.navigations[b.navigations.length - 1];

  // 9. the gate: C's genuine code, a forged one
  const gate = renderPage('pages/gate/index');
  await waitFor(() => gate.querySelector('#scan'), 'gate');
  snap('gate/ready', gate);
  await c.device.runSync();
  b.cameraQueue.push(c.device.healthCode()!);
  gate.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => gate.querySelector('#gate-checked'), 'a verdict');
  snap('gate/valid', gate);
  b.cameraQueue.push('PRTC-HC1:AAAA');
  gate.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => gate.querySelector('#gate-reason-0'), 'an invalid verdict');
  snap('gate/invalid', gate);

  // 10. reporting: the form, a wrong code, a code from a scanned link
  const reportPage = renderPage('pages/report/index');
  await waitFor(() => reportPage.querySelector('#upload'), 'report');
  snap('report/form', reportPage);
  reportPage.querySelector('#code')!.dispatchEvent('input', { detail: { value: 'ZZZZZ-ZZZZZ' } });
  await sleep(20);
  reportPage.querySelector('#upload')!.dispatchEvent('tap');
  await waitFor(() => reportPage.querySelector('#result'), 'the refusal');
  snap('report/unknown-code', reportPage);
  const fromLink = renderPage('pages/report/index', { q: encodeURIComponent('https://prtc.example/u#ABCDE-12345') });
  await waitFor(() => fromLink.querySelector('#code-from-link'), 'the code from the link');
  snap('report/from-link', fromLink);

  // 11. the history
  const history = renderPage('pages/history/index');
  await waitFor(() => history.querySelector('#sync-0'), 'history');
  snap('history/after-red', history);

  // 12. the venue-code page: empty, a form with problems, and a WeChat too old to draw (no canvas here)
  const venues = renderPage('pages/venues/index');
  await waitFor(() => venues.querySelector('#venue-make'), 'the venue-code page');
  snap('venues/empty', venues);
  venues.querySelector('#venue-event')!.dispatchEvent('change', { detail: { value: true } });
  await waitFor(() => venues.querySelector('#venue-from-date'), 'the event fields');
  venues.querySelector('#venue-make')!.dispatchEvent('tap');
  await waitFor(() => venues.querySelectorAll('.venue-problem').length === 2, 'the form problems');
  snap('venues/problems', venues);
  venues.querySelector('#venue-name')!.dispatchEvent('input', { detail: { value: VENUE[lang] } });
  venues.querySelector('#venue-event')!.dispatchEvent('change', { detail: { value: false } });
  await sleep(50);
  venues.querySelector('#venue-make')!.dispatchEvent('tap');
  await waitFor(() => venues.querySelector('#venue-note'), 'the drawing refused');
  snap('venues/cannot-draw', venues);

  for (const p of [a, c]) p.device.stop();
  return { texts, titles: [...b.titles], userData: [VENUE[lang]], phone: b, backTo };
}
