/**
 * Moving to a new phone on the real weapp build (issue 32, §17), in Traditional Chinese: the old
 * phone's page shows the code and cycles its QR frames — each decoded here from the picture with
 * jsQR, as another phone's camera would —, the new phone (the device services on a simulated host)
 * imports them, and the old phone's page scans the confirmation and deletes everything. Before
 * that, a confirmation of another move deletes nothing.
 */
import { SimWorld } from '../../testkit/world';
import { t } from '../../miniprogram/i18n';
import { agreeToPrivacy, imageSrc, loadWeapp, waitFor, weappPhone } from '../helpers/weapp';
import { makePhone } from '../helpers/phones';
import { qrOfPng } from '../helpers/venue-link';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('sqlite');
});
afterAll(async () => {
  await server.stop();
});

const LANG = 'zh_TW' as const;

async function qrText(src: string | null): Promise<string> {
  if (!src) throw new Error('no picture');
  const r = await qrOfPng(Buffer.from(src.slice(src.indexOf(',') + 1), 'base64'));
  if (!r.text) throw new Error('the QR code does not decode');
  return r.text;
}

test('the old phone shows the code and readable QR frames, keeps its data until the new phone confirms, then holds nothing', async () => {
  const world = new SimWorld(Date.now());
  const a = weappPhone(world, server.url, { name: 'A', language: LANG });
  const { renderPage } = loadWeapp(a);
  const home = renderPage('pages/home/index');
  await waitFor(() => a.store.get('prtc.tek'), 'the tek');
  await waitFor(() => home.querySelector('#go-move'), 'the move button of a phone that holds nothing yet');
  const tek = a.store.get('prtc.tek')!;

  const settings = renderPage('pages/settings/index');
  await waitFor(() => settings.querySelector('#go-move'), 'settings');
  expect(settings.querySelector('#go-move')!.dom.textContent).toBe(t(LANG, 'moveSettings'));
  const page = renderPage('pages/move/index');
  await waitFor(() => page.querySelector('#move-out'), 'the move page');
  page.querySelector('#move-out')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#move-start'), 'the old phone’s side');
  page.querySelector('#move-start')!.dispatchEvent('tap');
  const codeLine = await waitFor(() => page.querySelector('#move-code')?.dom.textContent ?? '', 'the code', 30000);
  const code = /([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(codeLine)![1];
  expect(codeLine).toBe(t(LANG, 'moveCode', { code }));

  // the frames cycle on screen: each read from its picture
  const frames = new Map<string, string>();
  let count = 0;
  for (let k = 0; k < 12 && (count === 0 || frames.size < count); k++) {
    const n = await waitFor(() => page.querySelector('#move-frame-n')?.dom.textContent ?? '', 'a frame');
    count = Number(/\/ (\d+)/.exec(n)![1]);
    frames.set(n, await qrText(imageSrc(page, 'move-frame')));
    await world.run(2500);
    await new Promise((r) => setTimeout(r, 30));
  }
  expect(frames.size).toBe(count);
  expect([...frames.values()].every((f) => f.startsWith('prtc-move:') && f.length <= 694)).toBe(true);

  // the new phone
  const b = makePhone(world, 'B', server.url);
  await b.device.start();
  expect(b.device.moveInCode(code).ok).toBe(true);
  for (const f of frames.values()) expect((await b.device.moveInFrame(f)).ok).toBe(true);
  const imported = await b.device.importMove(false);
  if (!imported.ok) throw new Error(imported.text ?? imported.code);
  expect(b.sim.store.get('prtc.tek')).toBe(tek);

  // a confirmation of another move deletes nothing; the new phone's does
  a.cameraQueue.push('prtc-moved:AAECAwQFBge1UULWMF3lfGgN3uCrkREo');
  page.querySelector('#move-confirm')!.dispatchEvent('tap');
  await agreeToPrivacy(page, a); // the camera's scanner waits for the privacy agreement, once
  await waitFor(() => page.querySelector('#move-note')?.dom.textContent === t(LANG, 'moveNotConfirmed'), 'refused');
  expect(a.store.get('prtc.tek')).toBe(tek);
  a.cameraQueue.push(imported.value.confirmation);
  page.querySelector('#move-confirm')!.dispatchEvent('tap');
  await waitFor(() => page.querySelector('#move-note')?.dom.textContent === t(LANG, 'moveDoneOld'), 'deleted');
  expect(a.store.get('prtc.tek')).not.toBe(tek);
  expect([...a.store.keys()].filter((k) => k.startsWith('prtc.move.'))).toEqual([]);
});
