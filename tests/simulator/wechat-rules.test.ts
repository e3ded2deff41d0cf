/**
 * WeChat's rules on the real weapp build (docs/wechat-host.md): the built mini-program on a
 * simulated Android handset that enforces them, one story per rule — the privacy gate and its
 * prompt, the background, Android's location for scanning, the page stack, the expiry of the code
 * at gates. The handset's setInterval runs on the world's clock and stops while it is suspended.
 */
import { SimWorld } from '../../testkit/world';
import { agreeToPrivacy, clockedStory, loadWeapp, waitFor, weappPhone, type LoadedApp, type SimComponent } from '../helpers/weapp';
import { uploadOneKeyAndPublish } from '../helpers/server';
import type { SimPhone } from '../../testkit/handset';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const story = clockedStory(T0);
const world = new SimWorld(T0);
let b: SimPhone;
let app: LoadedApp;
let home: SimComponent;

const text = (page: SimComponent, sel: string) => page.querySelector(sel)?.dom.textContent ?? null;

beforeAll(async () => {
  b = weappPhone(world, story.server.url, { name: 'B' });
  app = loadWeapp(b);
  home = app.renderPage('pages/home/index');
  await waitFor(() => text(home, '#status') === 'Green', 'the home page');
  const settings = app.renderPage('pages/settings/index');
  await waitFor(() => settings.querySelector('#consent'), 'settings');
  settings.querySelector('#consent')!.dispatchEvent('tap');
  await waitFor(() => settings.querySelector('#consent-state'), 'consent');
});

test("privacy: the prompt explains and offers WeChat's agree button; declining says why tracing is off and how to agree later", async () => {
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#privacy-popup'), 'the privacy prompt');
  expect(text(home, '#privacy-popup')).toMatch(/uses Bluetooth.*random codes that change every 10 minutes.*camera/);
  home.querySelector('#privacy-contract')!.dispatchEvent('tap');
  await waitFor(() => b.settingsOpened.includes('privacyContract'), 'the privacy guide opened');
  home.querySelector('#privacy-decline')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#bt-error'), 'why tracing is off');
  expect(text(home, '#bt-error')).toBe('Bluetooth tracing needs your agreement to the privacy guide first.');
  expect(text(home, '#tracing-state')).toBe('Tracing is off');
  expect(b.advertising).toBeNull();
  home.querySelector('#bt-fix')!.dispatchEvent('tap'); // "Read and agree to the privacy guide"
  await agreeToPrivacy(home, b);
  await waitFor(() => text(home, '#tracing-state') === 'Tracing is on', 'tracing on after agreeing');
  expect(b.privacy.agreed).toBe(true);
  expect(b.advertising?.manufacturerData).toHaveLength(1);
});

test('background: advertising stops when the mini-program is hidden, before its JavaScript is suspended; back on screen the current rpi is on air', async () => {
  const rpiOnAir = () => (b.advertising ? Buffer.from(b.advertising.manufacturerData![0].manufacturerSpecificData).toString('hex') : null);
  const before = rpiOnAir();
  expect(before).not.toBeNull();
  b.hide();
  await waitFor(() => b.advertising === null, 'advertising stopped on hide');
  await world.run(40 * 60_000);
  expect(b.suspended()).toBe(true);
  expect(b.advertising).toBeNull();
  b.show();
  await waitFor(() => b.advertising !== null, 'advertising again on show');
  expect(rpiOnAir()).not.toBe(before); // another ENIN, another rpi
  await waitFor(() => text(home, '#tracing-state') === 'Tracing is on', 'tracing on');
});

test('Android location: off, the page says where to turn it on; back after turning it on, tracing resumes by itself', async () => {
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => text(home, '#tracing-state') === 'Tracing is off', 'tracing off');
  b.locationOn = false;
  home.querySelector('#tracing-toggle')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#bt-error'), 'the location sentence');
  expect(text(home, '#bt-error')).toMatch(/only with Location turned on\. Turn on Location/);
  expect(home.querySelector('#bt-fix')).toBeFalsy(); // no API opens the location switch
  expect(b.advertising).toBeNull();
  b.locationOn = true;
  b.hide();
  b.show();
  await waitFor(() => text(home, '#tracing-state') === 'Tracing is on', 'tracing resumed on show');
  expect(home.querySelector('#bt-error')).toBeFalsy();
});

test('the page stack: going to check-in and back twenty times never opens more pages', async () => {
  const checkin = app.renderPage('pages/checkin/index'); // (a page renders once per test file)
  await waitFor(() => checkin.querySelector('#back'), 'its back button');
  for (let k = 0; k < 20; k++) {
    home.querySelector('#go-checkin')!.dispatchEvent('tap');
    await waitFor(() => b.pages.length === 2, 'the check-in page');
    checkin.querySelector('#back')!.dispatchEvent('tap');
    await waitFor(() => b.pages.length === 1, 'back home');
  }
  expect(b.navigations).toHaveLength(20);
});

test('codes on quiet days: the home page says until when gates accept the code, and asks for a check before that', async () => {
  expect((await uploadOneKeyAndPublish(story.server, world.timeMs / 1000)).published).toEqual([1]);
  home.querySelector('#sync')!.dispatchEvent('tap');
  await waitFor(() => home.querySelector('#accepted-until'), 'the validity at gates');
  expect(text(home, '#accepted-until')).toMatch(/^Gates accept this code until (\d{1,2} [A-Z][a-z]{2}, )?\d\d:\d\d\.$/);
  // the server does not sign again (no upload, no re-signing): 21 hours later the page warns
  b.hide(); // a closed mini-program does not sync by itself
  world.advance(21 * 3600_000);
  b.show();
  await waitFor(() => /Gates will refuse this code after/.test(text(home, '#accepted-until') ?? ''), 'the warning');
});
