/**
 * Background tracing on the real weapp build (docs/wechat-host.md, "The background"): the build
 * declares what WeChat requires; Settings explains it (what WeChat shows, that no location is read)
 * and turns it on once the user has set Location to "also after leaving" — WeChat asks no question for
 * it; the home page's panel says how tracing runs and why, how long it ran today, and the last check;
 * an hour in a pocket the JavaScript runs, the rpi changes, and no coordinate is found anywhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { t } from '../../miniprogram/i18n';
import { SimWorld } from '../../testkit/world';
import type { SimPhone } from '../../testkit/handset';
import { clockedStory, loadWeapp, startTracingOnPages, waitFor, WEAPP_ROOT, weappPhone, type SimComponent } from '../helpers/weapp';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const story = clockedStory(T0);
const world = new SimWorld(T0);
let b: SimPhone;
let home: SimComponent;
let settings: SimComponent;

const text = (page: SimComponent, sel: string) => page.querySelector(sel)?.dom.textContent ?? null;

beforeAll(async () => {
  b = weappPhone(world, story.server.url, { name: 'B' });
  ({ home, settings } = await startTracingOnPages(loadWeapp(b).renderPage, b));
});

test("the build's app.json declares background location as WeChat requires it", () => {
  const app = JSON.parse(readFileSync(join(WEAPP_ROOT, 'app.json'), 'utf8'));
  expect(app.requiredBackgroundModes).toEqual(['location']);
  expect(app.requiredPrivateInfos).toEqual(expect.arrayContaining(['startLocationUpdateBackground', 'onLocationChange']));
  expect(app.permission['scope.userLocation'].desc).toMatch(/后台/);
  expect(b.declarations.requiredPrivateInfos).toEqual(app.requiredPrivateInfos); // and the handset enforces exactly that
});

test('Settings explains it; refused until Location is set to "also after leaving", then on; the home panel follows', async () => {
  expect(text(settings, '#bg-explain')).toMatch(/never reads, keeps or sends your location.*location symbol on the ••• button/);
  expect(text(settings, '#bg-state')).toBe('Background tracing is off');
  expect(text(home, '#tracing-why')).toBe(t('en', 'trWhy_off'));
  settings.querySelector('#bg-toggle')!.dispatchEvent('tap');
  await waitFor(() => settings.querySelector('#bg-error'), 'the refusal');
  expect(text(settings, '#bg-error')).toBe(t('en', 'host_background_denied'));
  expect(b.scopes['scope.userLocationBackground']).toBeUndefined(); // no prompt: WeChat asks no question for it
  b.locationChoiceInSettings = 'always'; // on the settings page the button opens, the user chooses it
  settings.querySelector('#bg-fix')!.dispatchEvent('tap');
  await waitFor(() => !settings.querySelector('#bg-error') && text(settings, '#bg-state') === 'Background tracing is on', 'on');
  expect(b.settingsOpened).toEqual(['openSetting']);
  expect(text(settings, '#bg-limits')).toBe(t('en', 'bgLimits_android'));
  await waitFor(() => text(home, '#tracing-mode') === t('en', 'trState_background'), 'the home panel');
  expect(text(home, '#tracing-why')).toBe(t('en', 'bgLimits_android'));
});

test('an hour in a pocket: the JavaScript runs, the rpi changes with every ENIN, the panel counts it; no coordinate anywhere', async () => {
  b.setScreen(false);
  const rpis = new Set<string>();
  for (let m = 0; m < 60; m++) {
    await world.run(60_000);
    const m0 = b.advertising?.manufacturerData?.[0];
    if (m0) rpis.add(Buffer.from(m0.manufacturerSpecificData).toString('hex'));
  }
  expect(b.suspended()).toBe(false);
  expect(rpis.size).toBeGreaterThanOrEqual(6);
  b.show();
  await world.run(1000);
  await waitFor(() => /^On for 1 h \d+ min today$/.test(text(home, '#tracing-today') ?? ''), 'the time today');
  expect(text(home, '#last-check')).toMatch(/^Checked \d\d:\d\d, (\d+ (min|h) ago|just now)$/);
  expect(b.locationUpdatesDelivered()).toBeGreaterThan(3000);
  expect(b.locationFieldReads()).toBe(0);
  const everything = [...b.store.values(), home.dom.textContent, settings.dom.textContent].join('\n');
  expect(everything).not.toMatch(/39\.908|116\.397|43\.517|latitude|longitude/i);
});
