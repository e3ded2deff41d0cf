/**
 * Every page of the real weapp build in every state a person meets, in one language: the story of
 * phone B (the mini-program, in miniprogram-simulate) from its first launch to yellow and red — with
 * their reasons, countdown and advice, the authority's own advice arriving signed and a forged one
 * refused —, a venue, a gate, a report, its history, and green again on its day. Returns what each page said in each state, and the titles it
 * set, for the language suites (tests/simulator/language-*.test.ts) to check — in the language's
 * script, and without the states that confused people (stale messages, "0/0", "0 min ago").
 */
import { SimWorld } from '../../testkit/world';
import type { SimPhone } from '../../testkit/handset';
import type { Language } from '../../miniprogram/host/types';
import { t } from '../../miniprogram/i18n';
import { DEFAULT_ADVICE, type Advice } from '../../shared/risk/advice';
import { DEFAULT_CONFIG_V2 } from '../../shared/risk/config-v2';
import { agreeToPrivacy, loadWeapp, sleep, waitFor, weappPhone, type SimComponent } from './weapp';
import { agreeWhenAsked, makePhone, type Phone } from './phones';
import { venueLinkCli } from './run-tool';
import { PROVINCES } from '../../shared/regions';
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
/** Someone the user writes in the diary (user data, issue 32). */
const PERSON = { en: 'Li Wei', zh_CN: '李伟', zh_TW: '李偉', zh_HK: '李偉' } as const;
/** The region list's name of 上海 (§15): data, in Chinese in every language (its source has no other). */
const HOME_REGION = '上海市';
/** The health authority's hotline and link (user data: a link is Latin in every language). */
export const ADVICE_HOTLINE = '12320';
export const ADVICE_LINK = 'https://health.example/advice';

export async function renderEveryPage(
  lang: Language,
  story: { server: TestServer; setNow: (ms: number) => void },
  t0: number,
): Promise<Rendered> {
  const texts: Record<string, string> = {};
  const world = new SimWorld(t0);
  // what the server answers to /v1/config?v=2 can be altered on the way (step 6: refused and said)
  let forgeConfig = false;
  const b = weappPhone(world, story.server.url, {
    name: 'B',
    language: lang,
    position: { x: 0, y: 0 },
    wrap: (inner) => async (req) => {
      const r = await inner(req);
      if (!forgeConfig || !req.url.endsWith('/v1/config?v=2')) return r;
      const c = JSON.parse(Buffer.from(r.body).toString('utf8'));
      const forged = { ...c, configJson: c.configJson.split(ADVICE_HOTLINE).join('12345') };
      return { ...r, body: new TextEncoder().encode(JSON.stringify(forged)) };
    },
  });
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
  snap('home/foreground-only', home);

  // 3b. background tracing: explained, refused until Location is set to "also after leaving", then on
  await waitFor(() => settings.querySelector('#bg-toggle'), 'the background card');
  snap('settings/background-off', settings);
  settings.querySelector('#bg-toggle')!.dispatchEvent('tap');
  await waitFor(() => settings.querySelector('#bg-error'), 'background refused');
  snap('settings/background-refused', settings);
  b.locationChoiceInSettings = 'always';
  settings.querySelector('#bg-fix')!.dispatchEvent('tap');
  await waitFor(() => settings.querySelector('#bg-limits') && !settings.querySelector('#bg-error'), 'background on');
  snap('settings/background-on', settings);
  await waitFor(() => home.querySelector('#tracing-mode')?.dom.textContent === t(lang, 'trState_background'), 'the home panel');
  snap('home/background', home);

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
  const exposureYellow = renderPage('pages/exposure/index');
  await waitFor(() => exposureYellow.querySelector('#reason-0'), 'the yellow reason');
  snap('exposure/yellow', exposureYellow);
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

  // the health authority publishes its advice (signed configuration 2, with a hotline and a link): it
  // reaches the phone at its next check; a forged one is refused and said
  const advice = Object.fromEntries(
    (['green', 'yellow', 'red'] as const).map((level) => [
      level,
      Object.fromEntries(
        (['zh_CN', 'zh_TW', 'zh_HK', 'en'] as const).map((l) => [
          l,
          level === 'green' ? DEFAULT_ADVICE[level][l] : { ...DEFAULT_ADVICE[level][l], hotline: ADVICE_HOTLINE, link: ADVICE_LINK },
        ]),
      ),
    ]),
  ) as unknown as Advice;
  expect(await story.server.services.riskConfig.publish({ ...DEFAULT_CONFIG_V2, advice }, null)).toMatchObject({ serial: 2 });
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#advice-hotline') && !home.querySelector('#progress'), "the authority's advice");
  await sleep(50);
  snap('home/red-advice', home);
  const settingsConfig = renderPage('pages/settings/index');
  await waitFor(() => settingsConfig.querySelector('#config-version'), 'the configuration in force');
  snap('settings/config', settingsConfig);
  forgeConfig = true;
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#message') && !home.querySelector('#progress'), 'the forged configuration refused');
  snap('home/config-refused', home);
  const settingsRefused = renderPage('pages/settings/index');
  await waitFor(() => settingsRefused.querySelector('#config-refused'), 'the refusal in settings');
  snap('settings/config-refused', settingsRefused);
  forgeConfig = false;

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
  // issue 32: the same venue scanned again extends the stay; a correction that ends before it began is refused
  b.cameraQueue.push(venue);
  checkin.querySelector('#scan')!.dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#stay-45'), 'the venue again');
  checkin.querySelector('#stay-45')!.dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#checkin-note'), 'the stay extended');
  snap('checkin/extended', checkin);
  checkin.querySelectorAll('.checkin-edit')[0].dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#edit-form'), 'the correction form');
  checkin.querySelector('#edit-to')!.dispatchEvent('change', { detail: { value: '00:00' } });
  await sleep(50);
  checkin.querySelector('#edit-save')!.dispatchEvent('tap');
  await waitFor(() => checkin.querySelector('#checkin-error'), 'the correction refused');
  snap('checkin/edit-refused', checkin);
  checkin.querySelector('#edit-cancel')!.dispatchEvent('tap');
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

  // 11b. regions (§15): the home region chosen in settings (上海, a municipality: one pick), the regions
  // followed and their cost; the report page names it
  const regionSettings = renderPage('pages/settings/index');
  await waitFor(() => regionSettings.querySelector('#home-region'), 'the regions card');
  snap('settings/no-home-region', regionSettings);
  regionSettings
    .querySelector('#home-picker-province')!
    .dispatchEvent('change', { detail: { value: PROVINCES.findIndex((p) => p.code === 310000) } });
  await waitFor(() => regionSettings.querySelector('#followed-310000')?.dom.textContent?.includes(HOME_REGION), 'the home region followed');
  await waitFor(
    () =>
      !regionSettings.querySelector('#followed-310000')?.dom.textContent?.includes(t(lang, 'regionCostUnknown', { region: HOME_REGION })),
    'its cost',
  );
  snap('settings/home-region', regionSettings);
  const regionReport = renderPage('pages/report/index');
  await waitFor(() => regionReport.querySelector('#region-310000'), 'the upload names the home region');
  snap('report/regions', regionReport);
  regionReport.querySelector('#region-310000')!.dispatchEvent('tap');
  await waitFor(() => regionReport.querySelector('#upload-regions-none'), 'no region named');
  snap('report/no-region', regionReport);

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

  // 12b. the diary (issue 32): the day's check-in by itself, a person written in, an empty one refused, copied
  const diary = renderPage('pages/diary/index');
  await waitFor(() => diary.querySelector('#diary-day'), 'the diary');
  snap('diary/today', diary);
  diary.querySelector('#diary-add')!.dispatchEvent('tap');
  await waitFor(() => diary.querySelector('#diary-error'), 'an empty name refused');
  snap('diary/refused', diary);
  diary.querySelector('#diary-person')!.dispatchEvent('input', { detail: { value: PERSON[lang] } });
  await sleep(50);
  diary.querySelector('#diary-add')!.dispatchEvent('tap');
  await waitFor(() => diary.querySelector('#diary-people')?.dom.textContent?.includes(PERSON[lang]), 'the person written in');
  diary.querySelector('#diary-copy-day')!.dispatchEvent('tap');
  await waitFor(() => diary.querySelector('#diary-note'), 'copied');
  snap('diary/copied', diary);
  texts['diary/clipboard'] = b.clipboard ?? '';
  // 12b. moving phones (issue 32, §17): the new phone's side with a mistyped code, the old phone's code and frames
  const moveIn = renderPage('pages/move/index');
  await waitFor(() => moveIn.querySelector('#move-in'), 'the move page');
  moveIn.querySelector('#move-in')!.dispatchEvent('tap');
  await waitFor(() => moveIn.querySelector('#move-code-input'), 'the new phone’s side');
  moveIn.querySelector('#move-code-input')!.dispatchEvent('input', { detail: { value: 'ABC' } });
  await sleep(20);
  moveIn.querySelector('#move-scan')!.dispatchEvent('tap');
  await waitFor(() => moveIn.querySelector('#move-note'), 'the code refused');
  snap('move/bad-code', moveIn);
  const moveOut = renderPage('pages/move/index');
  await waitFor(() => moveOut.querySelector('#move-out'), 'the move page again');
  moveOut.querySelector('#move-out')!.dispatchEvent('tap');
  await waitFor(() => moveOut.querySelector('#move-start'), 'the old phone’s side');
  moveOut.querySelector('#move-start')!.dispatchEvent('tap');
  await waitFor(() => moveOut.querySelector('#move-code'), 'the code and the frames', 30000);
  snap('move/out', moveOut);
  moveOut.querySelector('#move-cancel')!.dispatchEvent('tap');
  await waitFor(() => moveOut.querySelector('#move-note'), 'the move cancelled');

  // 13. no check for 37 hours, and the server cannot be reached now: the home page warns
  b.networkUp = false;
  world.advance(37 * 3600_000);
  story.setNow(world.timeMs);
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#check-overdue'), 'the overdue warning');
  snap('home/check-overdue', home);
  b.networkUp = true;

  for (const p of [a, c]) p.device.stop();

  // 14. time passes: the last hour of red (a countdown in minutes), then green on its day — A and C
  // met B on 20 Nov, whose keys count through 4 Dec: green from 5 Dec 00:00 UTC (§6), by itself
  const greenAt = Date.UTC(2026, 11, 5);
  world.advance(greenAt - 3600_000 - world.timeMs);
  await world.run(20_000); // a tick: the page follows the clock
  await waitFor(
    () => home.querySelector('#until-green')?.dom.textContent?.includes(t(lang, 'leftToday', { age: t(lang, 'minutes', { n: 59 }) })),
    'the last hour',
  );
  snap('home/last-hour', home);
  world.advance(3600_000 - 30_000);
  await world.run(45_000);
  await waitFor(() => home.querySelector('#status-block')?.dom.className.includes('status-green'), 'green on its day');
  await sleep(50);
  snap('home/green-again', home);

  return { texts, titles: [...b.titles], userData: [VENUE[lang], HOME_REGION, ADVICE_LINK, PERSON[lang]], phone: b, backTo };
}
