/**
 * Moving to a new phone with the camera left open (issue 32, §17) on the real weapp build: phone B's
 * move page reads phone A's frames from WeChat's camera component in scanCode mode instead of one
 * wx.scanCode per frame. Phone A is the device services on a simulated host; its frames are what its
 * screen cycles (tests/simulator/move.test.ts reads them off the old phone's page with jsQR).
 */
import { randomBytes } from 'node:crypto';
import { SimWorld } from '../../testkit/world';
import { t } from '../../miniprogram/i18n';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWeapp, nodeData, waitFor, weappPhone, WEAPP_ROOT, type SimComponent } from '../helpers/weapp';
import { makePhone } from '../helpers/phones';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * The mode the page's camera was inserted with. bindscancode "仅在 mode=\"scanCode\" 时生效"
 * (camera.html): the stand-in reports codes only to a camera in that mode. miniprogram-simulate keeps
 * no attributes on built-in components, so this reads what the build's template binds to `mode`
 * (`<camera … mode="{{i.p3||'normal'}}" …>` in base.wxml) from the node with that id in the page's data.
 */
function cameraMode(page: SimComponent, id: string): string {
  const m = /<camera [^>]*mode="\{\{i\.(\w+)\|\|'normal'\}\}"/.exec(readFileSync(join(WEAPP_ROOT, 'base.wxml'), 'utf8'));
  if (!m) throw new Error('base.wxml has no <camera mode="{{i.…||\'normal\'}}"> template');
  const node = nodeData(page, id);
  if (!node) throw new Error(`no #${id} in the page's data`);
  return typeof node[m[1]] === 'string' ? (node[m[1]] as string) : 'normal';
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('sqlite');
});
afterAll(async () => {
  await server.stop();
});

/**
 * The camera left open (WeChat's camera component, mode="scanCode": bindscancode fires each time a
 * code is recognised, again and again while it stays in view; binderror when the user does not allow
 * the camera — developers.weixin.qq.com/miniprogram/dev/component/camera.html). The stand-in is the
 * component's own event on the built page: the camera "sees" the old phone's frames as its screen
 * cycles them, each several times, and a stray code from the room once.
 */
test('the new phone reads every frame with its camera left open: no tap per frame, repeats passed over, a refused camera said', async () => {
  const world = new SimWorld(Date.now());
  const a = makePhone(world, 'A', server.url);
  await a.device.start();
  // enough on the old phone for several frames: a diary of six days with long notes that do not compress (at most 1,000 characters a day)
  for (const d of a.device.diaryDays().slice(0, 6)) expect(a.device.diarySetNotes(d.date, randomBytes(495).toString('hex')).ok).toBe(true);
  const out = await a.device.startMoveOut();
  if (!out.ok) throw new Error(out.text ?? out.code);
  const { code, frames } = out.value;
  expect(frames.length).toBeGreaterThanOrEqual(3);

  const b = weappPhone(world, server.url, { name: 'B', language: 'en' });
  const { renderPage } = loadWeapp(b);
  const page = renderPage('pages/move/index');
  await waitFor(() => page.querySelector('#move-in'), 'the move page');
  page.querySelector('#move-in')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#move-code-input'), 'the new phone’s side');
  page.querySelector('#move-code-input')!.dispatchEvent('input', { detail: { value: code } });

  // the user does not allow the camera: said, and the scan button is still there
  await waitFor(() => page.querySelector('#move-live'), 'the camera button');
  page.querySelector('#move-live')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#move-camera'), 'the camera');
  page.querySelector('#move-camera')!.dispatchEvent('error', { detail: { errMsg: 'insertCamera:fail auth deny' } });
  await waitFor(() => page.querySelector('#move-note')?.dom.textContent === t('en', 'moveInCameraRefused'), 'the refusal');
  expect(page.querySelector('#move-camera')).toBeUndefined();
  expect(page.querySelector('#move-scan')).toBeDefined();

  // allowed the second time: the old phone's screen cycles; the camera reports each frame three times
  page.querySelector('#move-live')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#move-camera'), 'the camera again');
  let seen = 0;
  const sees = async (result: string) => {
    const camera = page.querySelector('#move-camera');
    if (!camera || cameraMode(page, 'move-camera') !== 'scanCode') return;
    camera.dispatchEvent('scancode', { detail: { type: 'QR_CODE', result, charSet: 'utf-8', rawData: '' } });
    seen += 1;
    await new Promise((r) => setTimeout(r, 5));
  };
  await sees('https://prtc.example/v#AQIAAAAAAAAAADwA'); // a venue poster on the wall behind: refused, once
  await waitFor(() => page.querySelector('#move-note')?.dom.textContent === t('en', 'move_not_a_transfer'), 'the stray code refused');
  for (let round = 0; round < 3 && page.querySelector('#move-camera'); round++) {
    for (const f of frames) {
      for (let k = 0; k < 3; k++) await sees(f);
      // the first frame derives the keys (scrypt): the camera's reports meanwhile are passed over
      await waitFor(() => !page.querySelector('#move-camera') || page.querySelector('#move-progress'), 'a frame taken');
    }
  }
  await waitFor(() => page.querySelector('#move-import'), 'every frame read');
  expect(page.querySelector('#move-progress')!.dom.textContent).toBe(t('en', 'moveInComplete'));
  expect(page.querySelector('#move-camera')).toBeUndefined(); // closed by itself once complete
  expect(seen).toBeGreaterThan(frames.length); // repeats were reported, and passed over

  page.querySelector('#move-import')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#move-confirmation'), 'the import', 30000);
  expect(b.store.get('prtc.tek')).toBe(a.sim.store.get('prtc.tek'));
});
