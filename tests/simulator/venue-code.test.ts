/**
 * A café owner makes a venue code on the real weapp build, in Chinese: the name counted in UTF-8
 * bytes as it is typed, each field checked, the poster drawn on WeChat's off-screen 2D canvas
 * (a real canvas here: @napi-rs/canvas behind the simulated wx.createOffscreenCanvas), written as a
 * PNG under USER_DATA_PATH and saved to the album — after the privacy guide, and again after album
 * access was refused and turned back on in the settings.
 *
 * The expectations are independent of the app's code: the album's PNG is read with @napi-rs/canvas,
 * its QR decoded with jsQR, and the link parsed here from docs/protocol.md §7's byte layout.
 */
import { createCanvas } from '@napi-rs/canvas';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimPhone } from '../../testkit/handset';
import type { WxOffscreenCanvas } from '../../miniprogram/host/wechat/wx';
import { SimWorld } from '../../testkit/world';
import { agreeToPrivacy, loadWeapp, waitFor, weappPhone, type LoadedApp, type SimComponent } from '../helpers/weapp';
import { startTestServer, type TestServer } from '../helpers/server';
import { parseVenueLink, qrOfPng } from '../helpers/venue-link';

let server: TestServer;
let phone: SimPhone;
let renderPage: LoadedApp['renderPage'];
const requests: string[] = [];

beforeAll(async () => {
  server = await startTestServer('sqlite', {}, { now: () => Math.floor(Date.now() / 1000) } as never);
  phone = weappPhone(new SimWorld(Date.now()), server.url, {
    name: 'owner',
    language: 'zh_CN',
    canvas: (w, h) => createCanvas(w, h) as unknown as WxOffscreenCanvas,
  });
  // every request the phone sends, to show that none carries the venue
  const wxRequest = phone.wx.request;
  phone.wx.request = (o) => {
    requests.push(`${o.url} ${JSON.stringify(o.data ?? '')}`);
    return wxRequest(o);
  };
  ({ renderPage } = loadWeapp(phone));
});
afterAll(async () => {
  await server.stop();
});

const type = (page: SimComponent, id: string, value: string) => page.querySelector(id)!.dispatchEvent('input', { detail: { value } });
const change = (page: SimComponent, id: string, value: unknown) => page.querySelector(id)!.dispatchEvent('change', { detail: { value } });
const text = (page: SimComponent, id: string) => page.querySelector(id)?.dom.textContent ?? null;

// 34 Chinese characters: 102 bytes, two over §7's 100; one fewer is 99
const LONG = '北京市朝阳区建国门外大街一号国贸商城北区地下一层星光咖啡馆书店阅览室';
const NAME = LONG.slice(0, 33);

test('an owner makes an event poster in Chinese: bytes counted as typed, each field checked, the album gets a poster whose QR is the venue', async () => {
  expect(Buffer.byteLength(LONG)).toBe(102);
  const page = renderPage('pages/venues/index');
  await waitFor(() => page.querySelector('#venue-name'), 'the venue-code page');

  // the §7 limit counts bytes, not characters
  type(page, '#venue-name', LONG);
  await waitFor(() => text(page, '#bytes-left') === '超出2字节', 'the byte counter over the limit');
  page.querySelector('#venue-make')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('.venue-problem'), 'the name refused');
  expect(text(page, '.venue-problem')).toBe('场所名称最多100字节（一个汉字占3字节），请缩短。');
  expect(phone.store.has('prtc.venues')).toBe(false);

  type(page, '#venue-name', NAME);
  await waitFor(() => text(page, '#bytes-left') === '还可输入1字节', 'the byte counter under the limit');
  change(page, '#venue-type', 2); // 餐厅
  await waitFor(() => text(page, '#venue-type-name') === '餐厅', 'the type chosen');
  type(page, '#venue-minutes', '45');
  change(page, '#venue-event', true);
  await waitFor(() => page.querySelector('#venue-from-date'), 'the event times');
  change(page, '#venue-from-date', '2026-12-24');
  change(page, '#venue-from-time', '18:00');
  change(page, '#venue-until-date', '2026-12-24');
  change(page, '#venue-until-time', '17:00'); // before it starts
  await new Promise((r) => setTimeout(r, 50));
  page.querySelector('#venue-make')!.dispatchEvent('tap');
  await waitFor(() => text(page, '.venue-problem') === '活动结束时间必须晚于开始时间。', 'the event order refused');
  expect(phone.store.has('prtc.venues')).toBe(false);
  change(page, '#venue-until-time', '22:30');
  await new Promise((r) => setTimeout(r, 50));
  page.querySelector('#venue-make')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#poster-image'), 'the poster preview', 20000);

  // the poster is a PNG file under USER_DATA_PATH; saving it asks for the privacy agreement first
  expect([...phone.files.keys()]).toEqual(['wxfile://usr/poster-874x1240.png']);
  page.querySelector('#venue-save')!.dispatchEvent('tap');
  await agreeToPrivacy(page, phone);
  await waitFor(() => phone.album.length === 1, 'the poster in the album');
  await waitFor(() => text(page, '#venue-note') === '海报已保存到相册。请打印后张贴在入口处。', 'the saved note');

  if (process.env.PRTC_SCREENSHOTS === '1')
    writeFileSync(join(__dirname, '../../docs/images/venue-poster-miniprogram.png'), phone.album[0]);
  const { text: link, width, height } = await qrOfPng(phone.album[0]);
  expect([width, height]).toEqual([874, 1240]); // A5 at 150 dpi
  const v = parseVenueLink(link!);
  expect(v).toEqual({
    version: 1,
    host: '127.0.0.1:8080', // the build's server, whose domain the operator registers for scan-to-open
    type: 2,
    staff: false,
    event: true,
    validFrom: Math.floor(new Date(2026, 11, 24, 18, 0).getTime() / 60_000), // the phone's local time
    validUntil: Math.floor(new Date(2026, 11, 24, 22, 30).getTime() / 60_000),
    minutes: 45,
    name: NAME,
  });
  // kept on the phone, listed on the page; no request the phone made carries the venue
  await waitFor(() => page.querySelectorAll('.own-venue').length === 1, 'the list of own venues');
  expect(page.querySelector('.own-venue')!.dom.textContent).toContain(NAME);
  for (const r of requests) expect(r).not.toContain(link!.split('#')[1]);
  for (const r of requests) expect(decodeURIComponent(r)).not.toContain(NAME);
});

test('album access refused: the page says so and opens the settings; turned back on, the poster saves', async () => {
  const page = renderPage('pages/venues/index');
  await waitFor(() => page.querySelectorAll('.venue-show').length === 1, 'the list of own venues');
  page.querySelector('.venue-show')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#poster-image'), 'the poster preview', 20000);
  phone.scopes['scope.writePhotosAlbum'] = false; // the user refused album access at some point
  page.querySelector('#venue-save')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#venue-settings'), 'the way to the settings');
  expect(text(page, '#venue-note')).toBe('保存需要相册权限，但已被拒绝。请在设置中开启“保存到相册”，然后再保存一次。');
  expect(phone.album).toHaveLength(1);
  page.querySelector('#venue-settings')!.dispatchEvent('tap');
  await waitFor(() => phone.settingsOpened.includes('openSetting'), 'wx.openSetting');
  phone.scopes['scope.writePhotosAlbum'] = true; // turned on there
  page.querySelector('#venue-save')!.dispatchEvent('tap');
  await waitFor(() => phone.album.length === 2, 'the poster saved');
  expect((await qrOfPng(phone.album[1])).text).toBe((await qrOfPng(phone.album[0])).text);

  // deleting forgets the venue on this phone
  page.querySelector('.venue-delete')!.dispatchEvent('tap');
  await waitFor(() => page.querySelectorAll('.own-venue').length === 0, 'the venue deleted');
  expect(JSON.parse(phone.store.get('prtc.venues')!.replace(/^1:[0-9a-f]{8}:/, ''))).toEqual([]);
});

test('§15: no region until the owner picks one (北京市: a version 2 code naming 110000); the home region once chosen, and out again', async () => {
  const page = renderPage('pages/venues/index');
  await waitFor(() => page.querySelector('#venue-name'), 'the venue-code page');
  expect(text(page, '#venue-region-name')).toBe('地区：未填写'); // this phone has no home region
  type(page, '#venue-name', '国贸咖啡');
  change(page, '#venue-region-province', 0); // the first province in code order: 北京市 (110000), a municipality: one tap
  await waitFor(() => text(page, '#venue-region-name') === '地区：北京市', 'the region chosen');
  page.querySelector('#venue-make')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#poster-image'), 'the poster preview', 20000);
  const before = phone.album.length;
  page.querySelector('#venue-save')!.dispatchEvent('tap');
  await waitFor(() => phone.album.length === before + 1, 'the poster in the album');
  const { text: link } = await qrOfPng(phone.album[before]);
  expect(parseVenueLink(link!)).toMatchObject({ version: 2, region: 110000, name: '国贸咖啡' });
  await waitFor(() => page.querySelectorAll('.own-venue').length === 1, 'the list of own venues');
  expect(page.querySelector('.own-venue')!.dom.textContent).toContain('国贸咖啡 · 北京市');

  // once the user chose a home region in the settings (上海市: the 9th province in code order, a municipality),
  // the page starts from it; "leave the region out" goes back to none
  const settings = renderPage('pages/settings/index');
  await waitFor(() => settings.querySelector('#home-picker-province'), 'the settings page');
  change(settings, '#home-picker-province', 8);
  await waitFor(() => text(settings, '#home-region')?.includes('上海市'), 'the home region chosen');
  const again = renderPage('pages/venues/index');
  await waitFor(() => text(again, '#venue-region-name') === '地区：上海市', 'the home region as the default');
  again.querySelector('#venue-region-clear')!.dispatchEvent('tap');
  await waitFor(() => text(again, '#venue-region-name') === '地区：未填写', 'the region left out');
  expect(again.querySelector('#venue-region-clear')).toBeFalsy();
});
